// The portable binary artifact format (docs/format.md describes it byte by byte).
//
//   ArchiveWriter / ArchiveReader  little-endian fields, 64-bit lengths, IEEE-754 bit
//                                  patterns; the reader checks every length against
//                                  the bytes that remain *before* allocating.
//   encode_artifact / decode_artifact  the envelope: magic "RPRP", versions, kind,
//                                  per-kind schema version, metadata, payload and a
//                                  trailing XXH3-64 checksum.
//   save / load<T> / fingerprint   for any component that provides kind_name(),
//                                  schema_version, save_state(w) and load_state(r, v).
#pragma once

#include <bit>
#include <cerrno>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <limits>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "../version.hpp"
#include "detail/os_reason.hpp"
#include "error.hpp"
#include "hash.hpp"

namespace reprep {

// User metadata stored in an artifact (author, dataset, git commit ...). Excluded
// from fingerprints. A std::map, so it is written in sorted key order.
using Metadata = std::map<std::string, std::string>;

class ArchiveWriter {
public:
    void u8(std::uint8_t v) { buf_.push_back(static_cast<char>(v)); }
    void boolean(bool v) { u8(v ? 1 : 0); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void i32(std::int32_t v) { put(static_cast<std::uint32_t>(v), 4); }
    void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v), 8); }
    void f32(float v) { put(std::bit_cast<std::uint32_t>(v), 4); }
    void f64(double v) { put(std::bit_cast<std::uint64_t>(v), 8); }
    void size(std::size_t n) { u64(static_cast<std::uint64_t>(n)); }
    void str(std::string_view s) {
        size(s.size());
        buf_.append(s.data(), s.size());
    }
    template <class T>
    void f64s(const T& v) { size(std::size(v)); for (double x : v) f64(x); }
    template <class T>
    void f32s(const T& v) { size(std::size(v)); for (float x : v) f32(x); }
    template <class T>
    void u64s(const T& v) { size(std::size(v)); for (auto x : v) u64(static_cast<std::uint64_t>(x)); }
    template <class T>
    void i64s(const T& v) { size(std::size(v)); for (auto x : v) i64(static_cast<std::int64_t>(x)); }
    template <class T>
    void i32s(const T& v) { size(std::size(v)); for (auto x : v) i32(static_cast<std::int32_t>(x)); }
    template <class T>
    void strs(const T& v) { size(std::size(v)); for (const auto& s : v) str(s); }
    // A floating vector of the component's scalar type (float or double).
    template <class S, class T>
    void scalars(const T& v) {
        if constexpr (std::is_same_v<S, float>) f32s(v); else f64s(v);
    }

    const std::string& bytes() const& { return buf_; }
    std::string bytes() && { return std::move(buf_); }

private:
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    std::string buf_;
};

class ArchiveReader {
public:
    // `what` names the thing being read ("standard_scaler", "artifact") in errors.
    explicit ArchiveReader(std::string_view bytes, std::string what = "artifact")
        : data_(bytes), what_(std::move(what)) {}

    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1, "u8")); }
    bool boolean() {
        const auto v = u8();
        if (v > 1) fail("a boolean field holds " + std::to_string(v) + " (expected 0 or 1)");
        return v == 1;
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4, "u32")); }
    std::uint64_t u64() { return get(8, "u64"); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    float f32() { return std::bit_cast<float>(u32()); }
    double f64() { return std::bit_cast<double>(u64()); }

    // A length for elements of `elem_size` bytes each, checked against what remains.
    std::size_t size(std::size_t elem_size = 1) {
        const std::uint64_t n = u64();
        if (elem_size != 0 && n > remaining() / elem_size)
            fail("a length field says " + std::to_string(n) + " elements of " + std::to_string(elem_size) +
                 " bytes but only " + std::to_string(remaining()) + " bytes remain (truncated or corrupt)");
        return static_cast<std::size_t>(n);
    }
    std::string str() {
        const std::size_t n = size(1);
        std::string s(data_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    std::vector<double> f64s() { return vec<double>(8, [this] { return f64(); }); }
    std::vector<float> f32s() { return vec<float>(4, [this] { return f32(); }); }
    std::vector<std::uint64_t> u64s() { return vec<std::uint64_t>(8, [this] { return u64(); }); }
    std::vector<std::int64_t> i64s() { return vec<std::int64_t>(8, [this] { return i64(); }); }
    std::vector<std::int32_t> i32s() { return vec<std::int32_t>(4, [this] { return i32(); }); }
    std::vector<std::string> strs() { return vec<std::string>(8, [this] { return str(); }); }
    template <class S>
    std::vector<S> scalars() {
        if constexpr (std::is_same_v<S, float>) return f32s(); else return f64s();
    }
    std::string_view raw(std::size_t n) {
        if (n > remaining()) fail("needs " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) + " remain");
        auto s = data_.substr(pos_, n);
        pos_ += n;
        return s;
    }

    std::size_t remaining() const { return data_.size() - pos_; }
    std::size_t position() const { return pos_; }
    void expect_end() const {
        if (remaining() != 0) fail(std::to_string(remaining()) + " unexpected trailing bytes");
    }
    [[noreturn]] void fail(const std::string& problem) const {
        detail::fail<FormatError>({.component = what_,
                                   .problem = problem + " (at byte " + std::to_string(pos_) + ")",
                                   // Reached only past the checksum (or on bytes a caller built), so the
                                   // bytes are as their writer left them: the writer is the problem.
                                   .fix = "the bytes were not written by a compatible reprep save(); save the object "
                                          "again with reprep (or load it with the reprep release that wrote it)"});
    }

private:
    std::uint64_t get(int n, const char* field) {
        if (remaining() < static_cast<std::size_t>(n))
            fail(std::string("truncated: a ") + field + " field needs " + std::to_string(n) + " bytes, " +
                 std::to_string(remaining()) + " remain");
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += n;
        return v;
    }
    template <class T, class F>
    std::vector<T> vec(std::size_t min_elem_bytes, F read_one) {
        const std::size_t n = size(min_elem_bytes);
        std::vector<T> v;
        v.reserve(n);
        for (std::size_t i = 0; i < n; ++i) v.push_back(read_one());
        return v;
    }

    std::string_view data_;
    std::size_t pos_ = 0;
    std::string what_;
};

// ---------------------------------------------------------------------------
// The envelope
// ---------------------------------------------------------------------------

inline constexpr char artifact_magic[4] = {'R', 'P', 'R', 'P'};
inline constexpr std::size_t max_kind_length = 256;

struct ArtifactHeader {
    std::uint32_t format_version = REPREP_FORMAT_VERSION;
    std::uint32_t library_major = REPREP_VERSION_MAJOR;
    std::uint32_t library_minor = REPREP_VERSION_MINOR;
    std::uint32_t library_patch = REPREP_VERSION_PATCH;
    std::string kind;
    std::uint32_t schema_version = 1;
    Metadata metadata;
};

struct Artifact {
    ArtifactHeader header;
    std::string payload;  // the kind's own fields, read with ArchiveReader
};

inline std::string encode_artifact(const ArtifactHeader& h, std::string_view payload) {
    ArchiveWriter w;
    for (char c : artifact_magic) w.u8(static_cast<std::uint8_t>(c));
    w.u32(h.format_version);
    w.u32(h.library_major);
    w.u32(h.library_minor);
    w.u32(h.library_patch);
    w.str(h.kind);
    w.u32(h.schema_version);
    w.size(h.metadata.size());
    for (const auto& [k, v] : h.metadata) {
        w.str(k);
        w.str(v);
    }
    w.str(payload);
    std::string out = std::move(w).bytes();
    detail::append_le64(out, xxh3_64(out));
    return out;
}

inline Artifact decode_artifact(std::string_view bytes) {
    // These three checks concern the whole file, not a field at some offset, so their
    // messages give no byte position (ArchiveReader::fail would say "at byte 0").
    auto refuse = [](std::string problem, std::string fix) {
        detail::fail<FormatError>({.component = "archive", .problem = std::move(problem), .fix = std::move(fix)});
    };
    // Smallest envelope: magic, 4 u32, empty kind, schema, no metadata, empty payload, checksum.
    constexpr std::size_t min_size = 4 + 16 + 8 + 4 + 8 + 8 + 8;
    if (bytes.size() < 4 || std::string_view(bytes.data(), 4) != std::string_view(artifact_magic, 4))
        refuse(bytes.empty() ? "the input is empty: this is not a reprep artifact (it must start with \"RPRP\"; bad magic)"
                             : "bad magic: this is not a reprep artifact (it must start with \"RPRP\")",
               "pass a file written by reprep::save (check the path, and that the stream is opened in binary mode)");
    if (bytes.size() < min_size)
        refuse("truncated: " + std::to_string(bytes.size()) + " bytes is shorter than the smallest artifact (" +
                   std::to_string(min_size) + " bytes)",
               "the copy was cut short; copy the artifact again from where it was saved");
    const std::string_view body = bytes.substr(0, bytes.size() - 8);
    ArchiveReader tail(bytes.substr(bytes.size() - 8), "archive");
    if (const std::uint64_t stored = tail.u64(), actual = xxh3_64(body); stored != actual)
        refuse("checksum mismatch: the last 8 bytes record XXH3-64 " + Hash128{0, stored}.hex().substr(16) +
                   " but the " + std::to_string(body.size()) + " bytes before them hash to " +
                   Hash128{0, actual}.hex().substr(16) + ", so some byte changed after saving or the file was cut short",
               "do not load this copy: copy the artifact again from where it was saved (in binary mode, in full), "
               "or save it again from the training job");

    ArchiveReader b(body, "archive");
    b.raw(4);
    Artifact a;
    a.header.format_version = b.u32();
    a.header.library_major = b.u32();
    a.header.library_minor = b.u32();
    a.header.library_patch = b.u32();
    if (a.header.format_version == 0 || a.header.format_version > REPREP_FORMAT_VERSION)
        detail::fail<FormatError>(
            {.component = "archive",
             .problem = "artifact format version " + std::to_string(a.header.format_version) +
                        " (written by reprep " + std::to_string(a.header.library_major) + "." +
                        std::to_string(a.header.library_minor) + "." + std::to_string(a.header.library_patch) +
                        ") is not supported by this library, which reads format versions 1 to " +
                        std::to_string(REPREP_FORMAT_VERSION),
             .fix = "load it with a reprep at least as new as the one that wrote it"});
    const std::size_t kind_len = static_cast<std::size_t>(ArchiveReader(body.substr(b.position()), "archive").u64());
    if (kind_len > max_kind_length) b.fail("kind name of " + std::to_string(kind_len) + " bytes is too long");
    a.header.kind = b.str();
    a.header.schema_version = b.u32();
    const std::size_t n_meta = b.size(16);  // each entry holds two 8-byte lengths at least
    for (std::size_t i = 0; i < n_meta; ++i) {
        std::string k = b.str();
        a.header.metadata[std::move(k)] = b.str();
    }
    a.payload = b.str();
    b.expect_end();
    return a;
}

// ---------------------------------------------------------------------------
// save / load / fingerprint for components
// ---------------------------------------------------------------------------

// What a component provides to be saved: a stable kind name, a schema version for
// its payload, and its params + fitted state written with ArchiveWriter.
template <class T>
concept Saveable = requires(const T& t, ArchiveWriter& w) {
    { T::kind_name() } -> std::convertible_to<std::string_view>;
    { T::schema_version } -> std::convertible_to<std::uint32_t>;
    t.save_state(w);
};
// load_state(reader, schema_version) rebuilds the object; it throws FormatError on
// anything it cannot accept (the reader already bounds every read).
template <class T>
concept Loadable = Saveable<T> && requires(ArchiveReader& r, std::uint32_t v) {
    { T::load_state(r, v) } -> std::same_as<T>;
};

template <Saveable T>
std::string save_bytes(const T& obj, const Metadata& metadata = {}) {
    ArchiveWriter w;
    obj.save_state(w);
    ArtifactHeader h;
    h.kind = std::string(T::kind_name());
    h.schema_version = T::schema_version;
    h.metadata = metadata;
    // Objects that carry their own metadata (a Pipeline's lineage) add it; keys the
    // caller passed win.
    if constexpr (requires { { obj.artifact_metadata() } -> std::convertible_to<Metadata>; })
        for (auto& [k, v] : obj.artifact_metadata()) h.metadata.try_emplace(k, v);
    return encode_artifact(h, w.bytes());
}

template <Saveable T>
void save(const T& obj, std::ostream& out, const Metadata& metadata = {}) {
    const std::string bytes = save_bytes(obj, metadata);
    errno = 0;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
        const int err = errno;
        detail::fail<IoError>({.component = "save",
                               .problem = "writing the artifact (" + std::to_string(bytes.size()) + " bytes) failed" +
                                          (err ? ": " + std::generic_category().message(err) : std::string()),
                               .fix = "check that the stream is open for writing and that the disk has room"});
    }
}

template <Saveable T>
void save(const T& obj, const std::filesystem::path& path, const Metadata& metadata = {}) {
    errno = 0;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
        const int err = errno;
        detail::fail<IoError>({.component = "save",
                               .problem = "cannot open '" + path.string() + "' for writing: " + detail::os_reason(err, path),
                               .fix = "check that the directory exists and that this process may write there"});
    }
    save(obj, f, metadata);
}

namespace detail {
inline std::string read_all(std::istream& in) {
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return s;
}
inline std::string read_file(const std::filesystem::path& path) {
    std::error_code ec;
    // An ifstream opens a directory without complaint and then reads nothing, which
    // would surface as "bad magic"; name the real problem instead.
    if (std::filesystem::is_directory(path, ec))
        fail<IoError>({.component = "load",
                       .problem = "'" + path.string() + "' is a directory, not an artifact file",
                       .fix = "pass the path of the artifact file itself"});
    errno = 0;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        const int err = errno;
        fail<IoError>({.component = "load",
                       .problem = "cannot open '" + path.string() + "': " + os_reason(err, path),
                       .fix = "check that the path is right (relative paths start at the working directory, " +
                              std::filesystem::current_path(ec).string() + ") and that this process may read the file"});
    }
    errno = 0;
    std::string bytes = read_all(f);
    if (f.bad()) {
        const int err = errno;
        fail<IoError>({.component = "load",
                       .problem = "reading '" + path.string() + "' failed: " + os_reason(err, path),
                       .fix = "check the disk or the network file system, then load again"});
    }
    return bytes;
}
}  // namespace detail

// LoadArgs, if any, are passed to T::load_state as template arguments (load_pipeline
// passes the registry of kinds it was asked for).
template <Loadable T, class... LoadArgs>
T load_bytes(std::string_view bytes) {
    Artifact a = decode_artifact(bytes);
    if (a.header.kind != T::kind_name())
        detail::fail<FormatError>({.component = std::string(T::kind_name()),
                                   .problem = "the artifact holds kind '" + a.header.kind + "', not '" +
                                              std::string(T::kind_name()) + "'",
                                   .fix = "load it with the matching type (or with load_pipeline for a pipeline)"});
    if (a.header.schema_version == 0 || a.header.schema_version > T::schema_version)
        detail::fail<FormatError>({.component = std::string(T::kind_name()),
                                   .problem = "schema version " + std::to_string(a.header.schema_version) +
                                              " is not supported (this library reads 1 to " +
                                              std::to_string(T::schema_version) + ")",
                                   .fix = "load it with a reprep at least as new as the one that wrote it"});
    ArchiveReader r(a.payload, std::string(T::kind_name()));
    T obj = [&] {
        if constexpr (sizeof...(LoadArgs) == 0) return T::load_state(r, a.header.schema_version);
        else return T::template load_state<LoadArgs...>(r, a.header.schema_version);
    }();
    r.expect_end();
    if constexpr (requires(T& o, const Metadata& m) { o.restore_metadata(m); }) obj.restore_metadata(a.header.metadata);
    return obj;
}

template <Loadable T, class... LoadArgs>
T load(std::istream& in) { return load_bytes<T, LoadArgs...>(detail::read_all(in)); }

template <Loadable T, class... LoadArgs>
T load(const std::filesystem::path& path) { return load_bytes<T, LoadArgs...>(detail::read_file(path)); }

// Reads only the envelope: kind, versions, metadata (for inspection tools).
inline ArtifactHeader read_artifact_header(std::string_view bytes) { return decode_artifact(bytes).header; }

// XXH3-128 over the canonical bytes of (kind, schema version, params + state), as 32
// hex characters. Metadata and the library version are excluded, so the same fitted
// object has the same fingerprint wherever and whenever it was saved.
template <Saveable T>
std::string fingerprint(const T& obj) {
    ArchiveWriter w;
    w.str(T::kind_name());
    w.u32(T::schema_version);
    obj.save_state(w);
    return xxh3_128(w.bytes()).hex();
}

namespace detail {
// Scalar-type tag written first by templated components, so that loading a float
// artifact as a double component (or the reverse) is refused, not misread.
template <class S>
constexpr std::uint8_t scalar_tag() {
    static_assert(std::is_same_v<S, float> || std::is_same_v<S, double>, "reprep components use float or double");
    return std::is_same_v<S, float> ? 4 : 8;
}
template <class S>
void write_scalar_tag(ArchiveWriter& w) { w.u8(scalar_tag<S>()); }
template <class S>
void read_scalar_tag(ArchiveReader& r) {
    const auto t = r.u8();
    if (t != scalar_tag<S>())
        r.fail(std::string("the artifact was written for ") + (t == 4 ? "float" : t == 8 ? "double" : "an unknown scalar type") +
               " but is being loaded as " + (scalar_tag<S>() == 4 ? "float" : "double"));
}
}  // namespace detail
}  // namespace reprep
