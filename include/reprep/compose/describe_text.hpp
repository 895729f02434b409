// The text helpers of describe_state and describe_artifact: numbers that read back to the
// same double, categories that cannot forge a line of the report, and lists cut to
// max_items. They know no component. Part of describe.hpp, which includes it; a separate
// file only so that each header stays short enough to read.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"

namespace reprep::detail {

// %.17g: the shortest printf format that gives back the same double when read again.
// NaN has one spelling whatever its sign bit, so that output does not depend on it.
inline std::string exact_number(double x) {
    if (std::isnan(x)) return "nan";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

// A category (or column name) as one line of text: a control character, such as a
// newline inside a category, would otherwise forge a line of the report; it is written
// as \xNN instead.
inline std::string printable(std::string_view text) {
    std::string out;
    for (const unsigned char ch : text) {
        if (ch >= 0x20 && ch != 0x7f) {
            out += static_cast<char>(ch);
            continue;
        }
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(ch));
        out += buf;
    }
    return out;
}

// "a, b, c, ... (N in all)" past max_items, so that one column with a thousand
// categories does not bury the rest of the artifact. item(i) is called for the shown
// items only.
template <class Item>
std::string short_join(std::size_t n, std::size_t max_items, Item&& item) {
    std::string s;
    const std::size_t shown = n > max_items ? max_items : n;
    for (std::size_t i = 0; i < shown; ++i) s += (i ? ", " : "") + item(i);
    if (shown < n) s += ", ... (" + std::to_string(n) + " in all)";
    return s;
}

inline std::string short_list(const std::vector<std::string>& items, std::size_t max_items) {
    return short_join(items.size(), max_items, [&](std::size_t i) { return printable(items[i]); });
}

inline std::string number_list(std::span<const double> xs, std::size_t max_items) {
    return short_join(xs.size(), max_items, [&](std::size_t i) { return exact_number(xs[i]); });
}

// "category -> value" pairs, for encoders that map each category to one number.
inline std::string mapping_list(const std::vector<std::string>& keys, std::span<const double> values, std::size_t max_items) {
    const std::size_t n = keys.size() < values.size() ? keys.size() : values.size();
    return short_join(n, max_items, [&](std::size_t i) { return printable(keys[i]) + " -> " + exact_number(values[i]); });
}

// The value of column j in a per-column state vector; "-" where the state has none
// (e.g. StandardScaler's scale under with_std = false), never an out-of-range read.
inline std::string value_at(const std::vector<double>& v, std::size_t j) { return j < v.size() ? exact_number(v[j]) : "-"; }

// A cap: an infinite one caps nothing.
inline std::string cap_at(const std::vector<double>& v, std::size_t j) {
    return j < v.size() && std::isinf(v[j]) ? "none" : value_at(v, j);
}

inline void check_max_items(std::size_t max_items) {
    if (max_items == 0)
        fail<InvalidParameter>({.component = "describe_state",
                                .problem = "max_items must be at least 1",
                                .fix = "pass the number of list items to show, or SIZE_MAX for all",
                                .parameter = "max_items"});
}

inline const char* yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace reprep::detail
