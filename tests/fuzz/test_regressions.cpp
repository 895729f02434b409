// Every input that ever crashed a fuzz target, replayed through the same target code
// (target_<name>.hpp) in the ordinary test build, so a fixed crash stays fixed even
// where clang and libFuzzer are absent. A reproducer is committed as
// tests/fuzz/regressions/<target>_<what>.bin; an unknown prefix fails the test, so no
// file is silently skipped.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "target_artifact.hpp"
#include "target_csv.hpp"
#include "target_row.hpp"

namespace {
std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
const std::filesystem::path kDir = std::filesystem::path(REPREP_SOURCE_DIR) / "tests/fuzz/regressions";
}  // namespace

TEST_CASE("every committed fuzz reproducer runs through its target without a crash") {
    std::size_t replayed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
        const std::string name = entry.path().filename().string();
        const std::string bytes = slurp(entry.path());
        const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
        INFO("reproducer: " << name);
        // The targets abort on a broken invariant and let only reprep::Error through
        // as a refusal; reaching the CHECK means the input was handled.
        if (name.starts_with("artifact_"))
            CHECK(fuzz::run_artifact(data, bytes.size()) == 0);
        else if (name.starts_with("csv_"))
            CHECK(fuzz::run_csv(data, bytes.size()) == 0);
        else if (name.starts_with("row_"))
            CHECK(fuzz::run_row(data, bytes.size()) == 0);
        else
            FAIL("a reproducer must be named artifact_*, csv_* or row_*");
        ++replayed;
    }
    CHECK(replayed >= 1);
}

// The first crash fuzz_artifact found: a HashingEncoder artifact (sealed with a valid
// checksum) claiming 2^56 output columns made feature_names_out() allocate without
// bound. The loader now refuses n_components outside [1, 65536], the constructor's range.
TEST_CASE("a HashingEncoder artifact with a huge n_components is refused at load") {
    std::string bytes = slurp(kDir / "artifact_hashing_encoder_huge_n_components.bin");
    reprep::detail::append_le64(bytes, reprep::xxh3_64(bytes));
    try {
        (void)reprep::load_bytes<reprep::HashingEncoder>(bytes);
        FAIL("the artifact loaded");
    } catch (const reprep::FormatError& e) {
        CHECK(std::string(e.what()).find("n_components") != std::string::npos);
    } catch (const reprep::InvalidParameter& e) {
        CHECK(std::string(e.what()).find("n_components") != std::string::npos);
    }
}
