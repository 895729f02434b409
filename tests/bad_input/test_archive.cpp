// Bad-input catalogue: artifacts. For every kind (each component type and the
// pipeline): every single-bit flip and every truncation is refused with FormatError;
// so are a wrong kind, a newer format or schema version, a float/double mismatch and
// huge length fields. A second sweep flips every bit *and fixes the checksum*, so the
// payload parsers see the corruption: each must load or throw FormatError, nothing else.
#include "catalogue.hpp"
#include "../scratch_dir.hpp"

using namespace catalogue;

namespace {
const Table& data() { static const Table t = penguins(); return t; }
const Table& data_complete() { static const Table t = complete(); return t; }

// Re-seals a modified artifact body with a correct checksum.
std::string sealed(std::string bytes) {
    bytes.resize(bytes.size() - 8);
    reprep::detail::append_le64(bytes, xxh3_64(bytes));
    return bytes;
}
void put_u64(std::string& s, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
// Offsets in the envelope (docs/format.md): magic 4, format u32, library 3 x u32, kind (u64 + bytes).
constexpr std::size_t format_at = 4, kind_len_at = 20;

template <class C>
C loader(std::string_view b) {
    if constexpr (std::is_same_v<C, Pipeline>) return load_pipeline_bytes(b);
    else return load_bytes<C>(b);
}

// Each flip or truncation re-hashes the whole artifact, so a sweep is quadratic in its
// size: 2,100 s under ASan at -O0. The sanitizer build (its job is memory safety, not
// the checksum's reach) takes every 16th byte; the every-byte build
// (bad_input_archive_every_byte, REPREP_ARCHIVE_EVERY_BYTE, no sanitizers) and any other
// optimised build take every byte.
#if defined(REPREP_ARCHIVE_EVERY_BYTE)
constexpr std::size_t kByteStride = 1;
#elif defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
constexpr std::size_t kByteStride = 16;
#else
constexpr std::size_t kByteStride = 1;
#endif

// How one kind's artifacts are loaded, as plain function pointers: the sweep below is
// compiled once for every kind instead of once per kind (it was a template on the kind,
// about half of this unit's compile time, twice: here under the sanitizers and in
// bad_input_archive_every_byte at -O1; docs/ci.md).
using LoadFn = void (*)(std::string_view);
template <class C>
void load_only(std::string_view b) {
    (void)loader<C>(b);
}
template <class C>
void load_and_fingerprint(std::string_view b) {
    const C obj = loader<C>(b);
    (void)fingerprint(obj);
}
struct KindLoaders {
    std::string_view kind_name;
    bool pipeline;
    LoadFn load;
    LoadFn load_and_fingerprint;
};
template <class C>
KindLoaders loaders_of() {
    return {C::kind_name(), std::is_same_v<C, Pipeline>, &load_only<C>, &load_and_fingerprint<C>};
}

void sweep(const std::string& label, const std::string& good, const KindLoaders& k, std::vector<Case>& v) {
    using S = std::string;
    const LoadFn load = k.load;
    // Every single-bit flip: the checksum catches it.
    std::size_t refused = 0, total = 0, other = 0;
    for (std::size_t i = 0; i < good.size(); i += kByteStride)
        for (int b = 0; b < 8; ++b) {
            std::string bad = good;
            bad[i] = static_cast<char>(bad[i] ^ (1 << b));
            ++total;
            try {
                load(bad);
            } catch (const FormatError&) {
                ++refused;
            } catch (...) {
                ++other;
            }
        }
    CHECK_MESSAGE(refused == total, label << ": " << total - refused << " bit flips were not refused");
    CHECK(other == 0);
    // Every truncation.
    std::size_t trunc_refused = 0, truncations = 0;
    for (std::size_t n = 0; n < good.size(); n += kByteStride) {
        ++truncations;
        try {
            load(std::string_view(good).substr(0, n));
        } catch (const FormatError&) {
            ++trunc_refused;
        }
    }
    CHECK_MESSAGE(trunc_refused == truncations, label << ": a truncation was not refused");
    // Bit flips behind a valid checksum: load or FormatError; what loads saves again.
    std::size_t loaded = 0, resealed_other = 0;
    for (std::size_t i = 0; i + 8 < good.size(); i += kByteStride)
        for (int b = 0; b < 8; b += 3) {
            std::string bad = good;
            bad[i] = static_cast<char>(bad[i] ^ (1 << b));
            try {
                k.load_and_fingerprint(sealed(bad));
                ++loaded;
            } catch (const FormatError&) {
            } catch (...) {
                ++resealed_other;
            }
        }
    CHECK_MESSAGE(resealed_other == 0, label << ": a corrupt payload threw something other than FormatError");
    // Table cases with fixed types and messages.
    auto by_kind = [load](const S& s) { load(s); };
    v.push_back(make_free(label + ": bad magic", "FormatError", "bad magic", S("RPRQ" + good.substr(4)), by_kind));
    v.push_back(make_free(label + ": empty input", "FormatError", "bad magic", S(), by_kind));
    S newer = good;
    put_u64(newer, format_at, 0);  // clears format u32 and library major
    newer[format_at] = static_cast<char>(REPREP_FORMAT_VERSION + 1);
    v.push_back(make_free(label + ": newer format version", "FormatError", "is not supported by this library", sealed(newer),
                          by_kind));
    S huge_kind = good;
    put_u64(huge_kind, kind_len_at, std::uint64_t{1} << 62);
    v.push_back(make_free(label + ": huge kind length", "FormatError", "too long", sealed(huge_kind), by_kind));
    // The payload length field sits 8 bytes before the payload; the payload ends 8 bytes
    // before the end. Find it: the u64 whose value equals the bytes remaining after it.
    S huge_payload = good;
    for (std::size_t at = kind_len_at; at + 16 <= good.size(); ++at) {
        std::uint64_t x = 0;
        for (int i = 0; i < 8; ++i) x |= static_cast<std::uint64_t>(static_cast<unsigned char>(good[at + static_cast<std::size_t>(i)])) << (8 * i);
        if (x == good.size() - at - 16) {
            put_u64(huge_payload, at, ~std::uint64_t{0} - 3);
            break;
        }
    }
    v.push_back(make_free(label + ": huge payload length", "FormatError", "length field", sealed(huge_payload), by_kind));
    // A newer schema version of the kind: the u32 right after the kind name.
    S schema = good;
    const std::size_t schema_at = kind_len_at + 8 + k.kind_name.size();
    schema[schema_at] = static_cast<char>(schema[schema_at] + 1);
    if (!k.pipeline)
        v.push_back(make_free(label + ": newer schema version", "FormatError", "schema version", sealed(schema), by_kind));
    // The wrong kind: every other kind's loader refuses it.
    if (k.kind_name != std::string_view("standard_scaler"))
        v.push_back(make_free(label + ": loaded as standard_scaler", "FormatError", "holds kind", good,
                              [](const S& s) { (void)load_bytes<StandardScaler<double>>(s); }));
    else
        v.push_back(make_free(label + ": loaded as a pipeline", "FormatError", "holds kind", good,
                              [](const S& s) { (void)load_pipeline_bytes(s); }));
}
}  // namespace

TEST_CASE("every kind's artifact refuses flips, truncations, huge lengths, wrong kinds and newer versions") {
    if (kByteStride > 1)
        MESSAGE("reduced in this build (sanitizers or -O0): bit flips in every " << kByteStride
                                                                              << "th byte; bad_input_archive_every_byte flips every byte");
    std::vector<Case> v;
    zoo::for_each_kind([&]<class C>() {
        sweep(zoo::tag<C>(), save_bytes(zoo::make_fitted<C>(data(), data_complete())), loaders_of<C>(), v);
    });
    auto p = zoo::penguins_pipeline();
    p.fit(data());
    sweep("pipeline", save_bytes(p), loaders_of<Pipeline>(), v);
    // A float artifact loaded as double (and the reverse) is refused, not misread.
    using S = std::string;
    v.push_back(make_free("float standard_scaler loaded as double", "FormatError", "written for float",
                          save_bytes(zoo::make_fitted<StandardScaler<float>>(data(), data_complete())),
                          [](const S& s) { (void)load_bytes<StandardScaler<double>>(s); }));
    v.push_back(make_free("double quantile_transformer loaded as float", "FormatError", "written for double",
                          save_bytes(zoo::make_fitted<QuantileTransformer<double>>(data(), data_complete())),
                          [](const S& s) { (void)load_bytes<QuantileTransformer<float>>(s); }));
    run_catalogue(v);
}

// The envelope's whole-file checks and the file system, each worded for its situation.
TEST_CASE("a corrupted copy, a missing file and an unwritable path say what happened and what to do") {
    using S = std::string;
    std::vector<Case> v;
    S flipped = save_bytes(zoo::make_fitted<StandardScaler<double>>(data(), data_complete()));
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x10);
    // The checksum covers the whole file: no byte position, and a fix that is not the problem again.
    v.push_back(with_message(make_free("checksum mismatch", "FormatError",
                                       "checksum mismatch: the last 8 bytes record XXH3-64 ", flipped,
                                       [](const S& s) { (void)load_bytes<StandardScaler<double>>(s); }),
                             /*absent=*/"at byte"));
    v.push_back(make_free("checksum mismatch: the fix", "FormatError", "Fix: do not load this copy: copy the artifact again",
                          flipped, [](const S& s) { (void)load_pipeline_bytes(s); }));
    v.push_back(with_message(make_free("shorter than any artifact", "FormatError", "is shorter than the smallest artifact",
                                       S("RPRP\1\0\0\0"), [](const S& s) { (void)load_pipeline_bytes(s); }),
                             /*absent=*/"at byte"));
    // A missing file is an IoError carrying the OS's reason, not a bare reprep::Error.
    const reprep_test::ScratchDir scratch;  // exists, and holds nothing
    const S missing = (scratch / "no-such-dir" / "model.rpp").string();
    v.push_back(make_free("load_pipeline of a missing file", "IoError",
                          "load: cannot open '" + missing + "': No such file or directory", missing,
                          [](const S& path) { (void)load_pipeline(std::filesystem::path(path)); }));
    v.push_back(make_free("load of a missing file", "IoError", "No such file or directory", missing,
                          [](const S& path) { (void)load<StandardScaler<double>>(std::filesystem::path(path)); }));
    v.push_back(make_free("load of a directory", "IoError", "is a directory, not an artifact file",
                          scratch.path().string(),
                          [](const S& path) { (void)load_pipeline(std::filesystem::path(path)); }));
    v.push_back(make_free("save into a missing directory", "IoError", "for writing: No such file or directory", missing,
                          [](const S& path) { save(StandardScaler<double>(), std::filesystem::path(path)); }));
    run_catalogue(v);
}
