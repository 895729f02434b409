// reprep-test: own executable (it replaces the global operator new; tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <sstream>
#include <reprep/core/archive.hpp>

#include "../scratch_dir.hpp"

using namespace reprep;

// GCC pairs our replacement operator new/delete with malloc/free and warns that they
// mismatch; they are the replacement pair, so the warning does not apply here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// ---- the largest single allocation, to prove hostile lengths allocate nothing big ----
namespace {
std::atomic<bool> tracking{false};
std::atomic<std::size_t> largest{0};
}  // namespace
void* operator new(std::size_t n) {
    if (tracking.load(std::memory_order_relaxed) && n > largest.load(std::memory_order_relaxed)) largest = n;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {
// A stand-in component with the shape real components have.
struct Sample {
    std::vector<double> values;
    std::vector<std::string> names;
    std::int64_t count = 0;

    static constexpr std::string_view kind_name() { return "test_sample"; }
    static constexpr std::uint32_t schema_version = 2;
    void save_state(ArchiveWriter& w) const {
        w.f64s(values);
        w.strs(names);
        w.i64(count);
    }
    static Sample load_state(ArchiveReader& r, std::uint32_t) {
        Sample s;
        s.values = r.f64s();
        s.names = r.strs();
        s.count = r.i64();
        return s;
    }
};
struct Other : Sample {
    static constexpr std::string_view kind_name() { return "mystery_kind"; }
    static Other load_state(ArchiveReader& r, std::uint32_t v) { return {Sample::load_state(r, v)}; }
};

Sample sample() {
    return {{1.5, -0.0, 1e300, 5e-324, std::numeric_limits<double>::infinity()}, {"bill_length_mm", "sex", ""}, 344};
}

// Rewrites the trailing checksum so that a deliberately edited artifact passes it.
std::string reseal(std::string bytes) {
    bytes.resize(bytes.size() - 8);
    detail::append_le64(bytes, xxh3_64(bytes));
    return bytes;
}
void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& s, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
}  // namespace

TEST_CASE("save and load round-trip through bytes, streams and files") {
    const Sample s = sample();
    const std::string bytes = save_bytes(s, {{"author", "test"}});
    CHECK(bytes.substr(0, 4) == "RPRP");
    Sample t = load_bytes<Sample>(bytes);
    CHECK(t.names == s.names);
    CHECK(t.count == 344);
    REQUIRE(t.values.size() == s.values.size());
    for (std::size_t i = 0; i < s.values.size(); ++i)
        CHECK(std::bit_cast<std::uint64_t>(t.values[i]) == std::bit_cast<std::uint64_t>(s.values[i]));

    std::stringstream ss;
    save(s, ss);
    CHECK(fingerprint(load<Sample>(ss)) == fingerprint(s));

    const reprep_test::ScratchDir dir;
    const auto path = dir / "sample.rpp";
    save(s, path);
    CHECK(fingerprint(load<Sample>(path)) == fingerprint(s));
}

TEST_CASE("the header records versions, kind and metadata") {
    const auto h = read_artifact_header(save_bytes(sample(), {{"dataset", "penguins"}, {"commit", "abc"}}));
    CHECK(h.format_version == REPREP_FORMAT_VERSION);
    CHECK(h.library_major == REPREP_VERSION_MAJOR);
    CHECK(h.kind == "test_sample");
    CHECK(h.schema_version == 2);
    CHECK(h.metadata.at("dataset") == "penguins");
    CHECK(h.metadata.at("commit") == "abc");
}

TEST_CASE("fingerprint is 32 hex characters, ignores metadata and sees every state change") {
    const Sample s = sample();
    const std::string fp = fingerprint(s);
    CHECK(fp.size() == 32);
    CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(save_bytes(s, {{"a", "1"}}) != save_bytes(s, {{"a", "2"}}));
    Sample t = s;
    t.count += 1;
    CHECK(fingerprint(t) != fp);
    t = s;
    t.values[1] = 0.0;  // -0.0 -> +0.0 is a different state: bit patterns are kept exactly
    CHECK(fingerprint(t) != fp);
    // XXH3-128 is specified byte for byte, so this value is the same on every platform;
    // the reproducibility matrix re-checks it on other compilers and architectures.
    CHECK(xxh3_128("reprep").hex().size() == 32);
    CHECK(xxh3_128("").hex() == "99aa06d3014798d86001c324468d497f");
}

TEST_CASE("every single-bit flip of an artifact is refused with FormatError") {
    const std::string good = save_bytes(sample(), {{"k", "v"}});
    std::size_t refused = 0;
    for (std::size_t byte = 0; byte < good.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string bad = good;
            bad[byte] = static_cast<char>(bad[byte] ^ (1 << bit));
            try {
                (void)load_bytes<Sample>(bad);
            } catch (const FormatError& e) {
                const std::string m = e.what();
                const bool says_why = m.find("bad magic") != std::string::npos || m.find("checksum") != std::string::npos;
                if (says_why) ++refused;
            }
        }
    }
    CHECK(refused == good.size() * 8);
}

TEST_CASE("every truncation of an artifact is refused with FormatError") {
    const std::string good = save_bytes(sample());
    for (std::size_t n = 0; n < good.size(); ++n) {
        CHECK_THROWS_AS(load_bytes<Sample>(std::string_view(good).substr(0, n)), FormatError);
    }
}

TEST_CASE("a wrong magic number is named") {
    std::string bad = save_bytes(sample());
    bad[0] = 'X';
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(bad), doctest::Contains("bad magic"), FormatError);
    CHECK_THROWS_WITH_AS(load_bytes<Sample>("not an artifact at all"), doctest::Contains("bad magic"), FormatError);
}

TEST_CASE("a newer format version is refused, naming both versions") {
    std::string bad = save_bytes(sample());
    put_u32(bad, 4, REPREP_FORMAT_VERSION + 1);
    bad = reseal(bad);
    const std::string newer = "format version " + std::to_string(REPREP_FORMAT_VERSION + 1);
    const std::string ours = "1 to " + std::to_string(REPREP_FORMAT_VERSION);
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(bad), doctest::Contains(newer.c_str()), FormatError);
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(bad), doctest::Contains(ours.c_str()), FormatError);
}

TEST_CASE("a newer per-kind schema version is refused") {
    std::string bytes = save_bytes(sample());
    const std::size_t schema_at = 4 + 16 + 8 + Sample::kind_name().size();
    put_u32(bytes, schema_at, Sample::schema_version + 1);
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(reseal(bytes)), doctest::Contains("schema version 3"), FormatError);
}

TEST_CASE("an artifact of another kind is refused, naming the kind") {
    const std::string other = save_bytes(Other{sample()});
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(other), doctest::Contains("'mystery_kind'"), FormatError);
}

TEST_CASE("length fields larger than the file are refused before any allocation") {
    const std::string good = save_bytes(sample());
    // Every 8-byte window, overwritten with huge lengths and resealed: whatever field it
    // hits, nothing may allocate more than the input's size, and only FormatError escapes.
    for (std::uint64_t huge : {std::uint64_t{1} << 62, ~std::uint64_t{0}, std::uint64_t{good.size()}}) {
        for (std::size_t at = 4; at + 8 <= good.size() - 8; ++at) {
            std::string bad = good;
            put_u64(bad, at, huge);
            bad = reseal(bad);
            largest = 0;
            tracking = true;
            try {
                (void)load_bytes<Sample>(bad);
            } catch (const FormatError&) {
            }
            tracking = false;
            CHECK(largest.load() <= 2 * good.size());
        }
    }
    // The payload length of the envelope pointing past the end.
    std::string bad = good;
    const std::size_t payload_len_at = 4 + 16 + 8 + Sample::kind_name().size() + 4 + 8;
    put_u64(bad, payload_len_at, 1u << 30);
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(reseal(bad)), doctest::Contains("length field"), FormatError);
}

TEST_CASE("trailing bytes in a payload are refused") {
    ArchiveWriter w;
    sample().save_state(w);
    w.u8(7);
    ArtifactHeader h;
    h.kind = "test_sample";
    h.schema_version = 2;
    CHECK_THROWS_WITH_AS(load_bytes<Sample>(encode_artifact(h, w.bytes())), doctest::Contains("trailing"), FormatError);
}

TEST_CASE("the reader is little-endian and bounds-checked field by field") {
    ArchiveWriter w;
    w.u32(0x01020304);
    w.f64(-2.5);
    w.boolean(true);
    const std::string& b = w.bytes();
    CHECK(static_cast<unsigned char>(b[0]) == 0x04);
    CHECK(static_cast<unsigned char>(b[3]) == 0x01);
    ArchiveReader r(b);
    CHECK(r.u32() == 0x01020304u);
    CHECK(r.f64() == -2.5);
    CHECK(r.boolean());
    CHECK_THROWS_AS(r.u8(), FormatError);
    ArchiveReader bad_bool(std::string_view("\x02", 1));
    CHECK_THROWS_WITH_AS(bad_bool.boolean(), doctest::Contains("boolean"), FormatError);
}
