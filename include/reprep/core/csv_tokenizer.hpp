// The CSV reader's scanning pieces: the tokenizer that turns bytes into fields (quoted
// fields with doubled quotes, UTF-8 checked, errors naming line, field and column), the
// missing-value matcher, and the dictionary builder of categorical columns. Part of read_csv
// (csv_read.hpp), which includes it; write_csv (csv.hpp) uses the matcher too. A separate
// file only so that each header stays short enough to read.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "detail/csv_text.hpp"
#include "error.hpp"
#include "hash.hpp"

namespace reprep::detail {

// One field as the converter sees it: the unescaped text (a view into the input,
// or into the tokenizer's scratch buffer when the field had doubled quotes) and
// whether it was quoted.
struct CsvField {
    std::string_view text;
    bool quoted = false;
};

// Turns the bytes into fields, record by record, without modifying or copying the
// input, so that a second tokenizer can re-read a prefix of it (see backfill below).
class CsvTokenizer {
public:
    CsvTokenizer(std::string_view text, char sep, std::string_view source, Utf8Error bad)
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), sep_(sep), source_(source),
          bad_(bad) {
        std::memset(special_, 0, sizeof special_);
        special_[static_cast<unsigned char>(sep)] = 1;
        special_[static_cast<unsigned char>('"')] = 1;
        special_[static_cast<unsigned char>('\n')] = 1;
        special_[static_cast<unsigned char>('\r')] = 1;
        sep_word_ = kOnes * static_cast<unsigned char>(sep);
    }

    bool done() const noexcept { return p_ >= end_; }
    std::size_t line() const noexcept { return line_; }
    const char* position() const noexcept { return p_; }

    // Reads one record, calling on_field(field_no, CsvField) for each field, and
    // returns the number of fields. A field's text is valid until the next call.
    // `names` (may be empty) names the column in error messages.
    // `fast(field_no, p, end)`, asked first for each unquoted nonempty field (p < end), may
    // consume the field itself: it returns where the field ends (at the separator, a line
    // end or `end`) or nullptr to leave it to on_field. read_csv reads numbers this way in
    // one pass (detail::scan_decimal_field); such a field is ASCII, so it has no
    // UTF-8 to check and no quote to refuse.
    template <class OnField, class Fast = std::nullptr_t>
    std::size_t next_record(const std::vector<std::string>& names, OnField&& on_field, Fast&& fast = nullptr) {
        for (std::size_t field_no = 0;; ++field_no) {
            const char* const raw = p_;
            const std::size_t raw_line = line_;
            const char* fast_end = nullptr;
            if constexpr (!std::is_same_v<std::remove_cvref_t<Fast>, std::nullptr_t>) {
                if (p_ < end_ && *p_ != '"') fast_end = fast(field_no, p_, end_);
            }
            if (fast_end) {
                p_ = fast_end;
            } else {
                CsvField f;
                if (p_ < end_ && *p_ == '"') {
                    f = quoted_field(field_no, names);
                } else {
                    p_ = skip_plain(p_);
                    if (p_ < end_ && *p_ == '"') {
                        error(line_, field_no, names,
                              "a quote inside an unquoted field (quote the whole field and double the inner quotes)");
                    }
                    f.text = std::string_view(raw, static_cast<std::size_t>(p_ - raw));
                }
                check_utf8(raw, p_, raw_line, field_no, names);
                on_field(field_no, f);
            }
            if (p_ >= end_) return field_no + 1;
            const char c = *p_;
            if (c == sep_) {
                ++p_;
                continue;
            }
            if (c == '\n') {
                ++p_;
                ++line_;
                return field_no + 1;
            }
            if (c == '\r') {
                if (p_ + 1 < end_ && p_[1] == '\n') {
                    p_ += 2;
                    ++line_;
                    return field_no + 1;
                }
                error(line_, field_no, names, "a carriage return not followed by a line feed");
            }
            // Only reachable right after a closing quote.
            error(line_, field_no, names,
                  std::string("unexpected character '") + c + "' after a closing quote (expected the separator or "
                  "the end of the line)");
        }
    }

    [[noreturn]] void error(std::size_t line, std::size_t field_no, const std::vector<std::string>& names,
                            const std::string& what) const {
        fail<InvalidInput>({.component = "read_csv",
                            .problem = where(line, field_no) + ": " + what,
                            .fix = "fix the file, or check the separator and quoting options",
                            .column = field_no < names.size() ? names[field_no] : std::string()});
    }

    std::string where(std::size_t line, std::size_t field_no) const {
        std::string w;
        if (!source_.empty()) w.append(source_).append(" ");
        return w + "line " + std::to_string(line) + ", field " + std::to_string(field_no + 1);
    }

private:
    static constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    static constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

    // The first byte at or after p that may end an unquoted field (the separator, a quote,
    // CR or LF), or end_. Eight bytes at a time: a byte equal to c is a zero byte of
    // w ^ (c * kOnes), and (x - kOnes) & ~x & kHighs marks the lowest zero byte exactly
    // (higher marks may be false, from the borrow, but only the lowest is used). A byte
    // at a time cost a fifth of reading a numeric CSV (perf).
    const char* skip_plain(const char* p) const noexcept {
        if constexpr (std::endian::native == std::endian::little) {
            while (end_ - p >= 8) {
                std::uint64_t w;
                std::memcpy(&w, p, 8);
                const auto zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
                const std::uint64_t hit = zero(w ^ sep_word_) | zero(w ^ (kOnes * '"')) | zero(w ^ (kOnes * '\n')) |
                                          zero(w ^ (kOnes * '\r'));
                if (hit) return p + (std::countr_zero(hit) >> 3);
                p += 8;
            }
        }
        while (p < end_ && !special_[static_cast<unsigned char>(*p)]) ++p;
        return p;
    }

    // The input was validated as a whole up front; a field only has to ask whether
    // the first bad byte falls inside it, so valid input pays one comparison.
    void check_utf8(const char* from, const char* to, std::size_t line, std::size_t field_no,
                    const std::vector<std::string>& names) const {
        if (bad_.offset == std::string_view::npos) return;
        const auto lo = static_cast<std::size_t>(from - begin_);
        const auto hi = static_cast<std::size_t>(to - begin_);
        if (bad_.offset < lo || bad_.offset >= hi) return;
        const auto at_line = line + static_cast<std::size_t>(std::count(from, begin_ + bad_.offset, '\n'));
        error(at_line, field_no, names,
              std::string("invalid UTF-8: ") + bad_.reason + " at byte offset " + std::to_string(bad_.offset));
    }

    CsvField quoted_field(std::size_t field_no, const std::vector<std::string>& names) {
        const std::size_t open_line = line_;
        const char* const s = ++p_;  // past the opening quote
        bool escaped = false;
        const char* seg = s;
        for (;;) {
            const auto* q = static_cast<const char*>(std::memchr(seg, '"', static_cast<std::size_t>(end_ - seg)));
            if (!q) {
                // A bad byte before the end is the more precise report.
                check_utf8(s, end_, open_line, field_no, names);
                error(open_line, field_no, names, "a quoted field is never closed (unterminated quote)");
            }
            line_ += static_cast<std::size_t>(std::count(seg, q, '\n'));
            if (q + 1 < end_ && q[1] == '"') {
                if (!escaped) scratch_.clear();
                escaped = true;
                scratch_.append(seg, static_cast<std::size_t>(q + 1 - seg));  // the text and one quote
                seg = q + 2;
                continue;
            }
            p_ = q + 1;
            if (!escaped) return {std::string_view(s, static_cast<std::size_t>(q - s)), true};
            scratch_.append(seg, static_cast<std::size_t>(q - seg));
            return {scratch_, true};
        }
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    char sep_;
    std::string_view source_;
    Utf8Error bad_;
    std::size_t line_ = 1;
    std::string scratch_;
    unsigned char special_[256];
    std::uint64_t sep_word_ = 0;
};

class NaMatcher {
public:
    explicit NaMatcher(const std::vector<std::string>& tokens) {
        std::memset(first_, 0, sizeof first_);
        for (const auto& t : tokens) {
            if (t.empty()) empty_ = true;
            else {
                tokens_.push_back(t);
                first_[static_cast<unsigned char>(t[0])] = 1;
            }
        }
    }
    // False if no token starts with c: an unquoted field starting with c is never missing.
    bool may_start(char c) const noexcept { return first_[static_cast<unsigned char>(c)] != 0; }
    bool operator()(const CsvField& f) const noexcept {
        if (f.quoted) return false;
        const std::size_t n = f.text.size();
        if (n == 0) return empty_;
        const char* d = f.text.data();
        // A number's first character starts no token: one table load (perf: 5% before).
        if (!first_[static_cast<unsigned char>(d[0])]) return false;
        for (const auto& t : tokens_) {
            if (t.size() == n && t[0] == d[0] && std::memcmp(t.data(), d, n) == 0) return true;
        }
        return false;
    }

private:
    bool empty_ = false;
    unsigned char first_[256];
    std::vector<std::string_view> tokens_;
};

// Maps each distinct string to its code (first-seen order) with open addressing on
// XXH3, no node allocation. Only the dictionary it builds is observable, never the
// table's layout. A lookup is one load of an 8-byte slot (24 high bits of the hash
// beside the key's place in a private blob, so most mismatches end there) and, on a
// match, one read of that blob entry (length, code and bytes together): two random
// accesses per field. Keeping hashes apart and comparing against the dictionary's own
// strings took four (perf: 53% of reading a string-heavy CSV); a separate table of key
// offsets took three (the offset load was a fifth of the lookups' time).
class DictionaryBuilder {
public:
    DictionaryBuilder() { rehash(64); }

    std::int32_t code(std::vector<std::string>& dict, std::string_view s) {
        const std::uint64_t h = xxh3_64(s);
        const std::uint64_t tag = h & kTagMask;
        std::size_t i = static_cast<std::size_t>(h) & mask_;
        for (;;) {
            const std::uint64_t slot = slots_[i];
            if (slot == kEmpty) break;
            if ((slot & kTagMask) == tag) {
                const char* e = keys_.data() + (slot & kOffsetMask);
                std::uint64_t len;
                std::memcpy(&len, e, sizeof len);
                if (len == s.size() && same_bytes(e + kHeader, s.data(), s.size())) {
                    std::uint32_t k;
                    std::memcpy(&k, e + sizeof len, sizeof k);
                    return static_cast<std::int32_t>(k);
                }
            }
            i = (i + 1) & mask_;
        }
        if (dict.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
            fail<InvalidInput>({.component = "read_csv",
                                .problem = "a column has more distinct values than int32 codes can index",
                                .fix = "read the column as numeric (column_types), or split it before reading"});
        }
        const auto c = static_cast<std::int32_t>(dict.size());
        dict.emplace_back(s);
        const std::uint64_t at = keys_.size();
        const std::uint64_t len = s.size();
        const auto code32 = static_cast<std::uint32_t>(c);
        char header[kHeader];
        std::memcpy(header, &len, sizeof len);
        std::memcpy(header + sizeof len, &code32, sizeof code32);
        keys_.append(header, kHeader);
        keys_.append(s);
        entries_.push_back(at);
        hashes_.push_back(h);
        slots_[i] = tag | at;
        if (dict.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
        return c;
    }

private:
    // Most keys are short: overlapping 8-byte loads compare 8 to 32 bytes inline (the
    // words at 0 and n - 8, and for n > 16 also at 8 and n - 16), where a call to memcmp
    // cost 20% of reading a string-heavy CSV (perf).
    static std::uint64_t word_diff(const char* a, const char* b) noexcept {
        std::uint64_t x, y;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        return x ^ y;
    }
    static bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
        if (n >= 8 && n <= 32) {
            std::uint64_t d = word_diff(a, b) | word_diff(a + n - 8, b + n - 8);
            if (n > 16) d |= word_diff(a + 8, b + 8) | word_diff(a + n - 16, b + n - 16);
            return d == 0;
        }
        if (n < 8) {
            for (std::size_t i = 0; i < n; ++i)
                if (a[i] != b[i]) return false;
            return true;
        }
        return std::memcmp(a, b, n) == 0;
    }

    // A slot: the hash's top 24 bits, then the entry's offset in keys_ (40 bits: a
    // terabyte of keys). No entry sits at offset 2^40 - 1, so all ones means empty.
    static constexpr std::uint64_t kOffsetMask = (std::uint64_t{1} << 40) - 1;
    static constexpr std::uint64_t kTagMask = ~kOffsetMask;
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
    static constexpr std::size_t kHeader = 12;  // an entry: 8-byte length, 4-byte code, the bytes

    void rehash(std::size_t n) {
        slots_.assign(n, kEmpty);
        mask_ = n - 1;
        for (std::size_t k = 0; k < hashes_.size(); ++k) {
            std::size_t i = static_cast<std::size_t>(hashes_[k]) & mask_;
            while (slots_[i] != kEmpty) i = (i + 1) & mask_;
            slots_[i] = (hashes_[k] & kTagMask) | entries_[k];
        }
    }
    std::vector<std::uint64_t> slots_;
    std::vector<std::uint64_t> hashes_;   // per code, for rehashing only
    std::vector<std::uint64_t> entries_;  // per code, its entry's offset in keys_, for rehashing only
    std::string keys_;                    // every entry, end to end
    std::size_t mask_ = 0;
};

}  // namespace reprep::detail
