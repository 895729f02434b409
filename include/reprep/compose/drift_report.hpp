// reprep::DriftReport — the drift report of a Monitor (monitor.hpp), per input column
// and per watched encoder step, with the levels, the exact PSI and Jensen-Shannon terms
// (docs/monitoring.md, "The report: exact definitions") and the report as text or JSON.
// Kept apart from the monitor's counting so that each file reads top to bottom.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../core/dmath.hpp"
#include "../core/exact_sum.hpp"
#include "../core/psi.hpp"
#include "../core/table.hpp"

namespace reprep {
enum class DriftLevel : std::uint8_t { stable, moderate, major, no_data };

inline std::string_view to_string(DriftLevel l) {
    switch (l) {
        case DriftLevel::stable: return "stable";
        case DriftLevel::moderate: return "moderate";
        case DriftLevel::major: return "major";
        case DriftLevel::no_data: return "no data";
    }
    return "?";
}

struct DriftOptions {
    double moderate = 0.1;  // PSI at or above: moderate
    double major = 0.25;    // PSI at or above: major
};

struct ColumnDrift {
    std::string column;
    ColumnType type = ColumnType::numeric;
    std::uint64_t live_count = 0;     // live rows seen
    double absent_rate = 0.0;         // share of live rows that lacked the column (filled under the fill policy)
    double train_missing_rate = 0.0;  // missing / rows
    double live_missing_rate = 0.0;
    double below_min = std::numeric_limits<double>::quiet_NaN();    // numeric: share of live non-missing values below the training min
    double above_max = std::numeric_limits<double>::quiet_NaN();    // numeric: ... above the training max
    double unseen_rate = std::numeric_limits<double>::quiet_NaN();  // categorical: share of live non-missing values outside the profiled categories
    double psi = std::numeric_limits<double>::quiet_NaN();
    double js = std::numeric_limits<double>::quiet_NaN();  // Jensen-Shannon distance, base 2, in [0, 1]
    DriftLevel level = DriftLevel::no_data;
};

// Values of one encoder input that the step did not learn, over the rows it transformed.
struct StepDrift {
    std::string step, column;
    std::uint64_t unseen = 0;
    std::uint64_t rows = 0;  // rows transformed while the monitor watched
    double unseen_rate = std::numeric_limits<double>::quiet_NaN();  // unseen / rows
};

struct DriftReport {
    std::vector<ColumnDrift> columns;
    std::vector<StepDrift> steps;  // empty for a monitor that watches no step
    // The worst level over the columns (no_data only if every column has no data).
    DriftLevel worst() const;
    // One line per column, and the same as JSON (numbers with 17 significant digits).
    std::string to_text() const;
    std::string to_json() const;
};

namespace detail {
// The two share vectors of one column: training p and live q, bins in the same order.
struct DriftShares {
    std::vector<double> p, q;
};
inline double share(std::uint64_t k, std::uint64_t n) { return static_cast<double>(k) / static_cast<double>(n); }

// The one PSI definition (core/psi.hpp), shared with DropHighPSIFeatures; floor 1e-4.
inline double psi_of(const DriftShares& s) { return psi(s.p, s.q, default_psi_floor); }

inline double js_of(const DriftShares& s) {
    ExactSum sum;
    for (std::size_t b = 0; b < s.p.size(); ++b) {
        const double p = s.p[b], q = s.q[b], m = (p + q) / 2.0;
        if (p > 0.0) sum.add(p * dmath::log(p / m));
        if (q > 0.0) sum.add(q * dmath::log(q / m));
    }
    // Rounding can leave a hair below zero for equal distributions: the distance is 0 there.
    const double js = std::max(sum.value(), 0.0) / dmath::log(2.0);
    return std::sqrt(js / 2.0);  // IEEE sqrt is correctly rounded on every platform: not a libm hazard
}
}  // namespace detail

namespace detail {
inline std::string fmt_number(double x, const char* spec) {
    if (std::isnan(x)) return "null";
    char buf[40];
    std::snprintf(buf, sizeof buf, spec, x);
    return buf;
}
inline std::string json_string(std::string_view s) {
    std::string o = "\"";
    for (const unsigned char ch : s) {
        if (ch == '"' || ch == '\\') {
            o += '\\';
            o += static_cast<char>(ch);
        } else if (ch < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", ch);
            o += buf;
        } else o += static_cast<char>(ch);
    }
    return o + "\"";
}
}  // namespace detail

inline DriftLevel DriftReport::worst() const {
    DriftLevel w = DriftLevel::no_data;
    for (const auto& c : columns) {
        if (c.level == DriftLevel::no_data) continue;
        if (w == DriftLevel::no_data || static_cast<int>(c.level) > static_cast<int>(w)) w = c.level;
    }
    return w;
}

inline std::string DriftReport::to_text() const {
    std::string o;
    char line[512];
    std::snprintf(line, sizeof line, "%-24s %10s %8s %8s %15s %9s %8s %8s  %s\n", "column", "PSI", "JS", "rows",
                  "missing tr->lv", "out of rng", "unseen", "absent", "level");
    o += line;
    for (const auto& c : columns) {
        const auto pct = [](double x) { return std::isnan(x) ? std::string("-") : detail::fmt_number(100.0 * x, "%.2f%%"); };
        const std::string miss = pct(c.train_missing_rate) + "->" + pct(c.live_missing_rate);
        const std::string range = c.type != ColumnType::categorical && !std::isnan(c.below_min)
                                      ? detail::fmt_number(100.0 * (c.below_min + c.above_max), "%.2f%%")
                                      : "-";
        std::snprintf(line, sizeof line, "%-24s %10s %8s %8llu %15s %9s %8s %8s  %s\n", c.column.c_str(),
                      std::isnan(c.psi) ? "-" : detail::fmt_number(c.psi, "%.4f").c_str(),
                      std::isnan(c.js) ? "-" : detail::fmt_number(c.js, "%.4f").c_str(),
                      static_cast<unsigned long long>(c.live_count), miss.c_str(), range.c_str(), pct(c.unseen_rate).c_str(),
                      pct(c.absent_rate).c_str(), std::string(to_string(c.level)).c_str());
        o += line;
    }
    if (!steps.empty()) {
        std::snprintf(line, sizeof line, "unseen categories per step (of %llu rows transformed):\n",
                      static_cast<unsigned long long>(steps.front().rows));
        o += line;
    }
    for (const auto& st : steps) {
        const std::string where = st.step + " / " + st.column;
        const std::string rate = std::isnan(st.unseen_rate) ? std::string("-") : detail::fmt_number(100.0 * st.unseen_rate, "%.2f%%");
        std::snprintf(line, sizeof line, "  %-30s %8llu  %s\n", where.c_str(), static_cast<unsigned long long>(st.unseen),
                      rate.c_str());
        o += line;
    }
    return o;
}

inline std::string DriftReport::to_json() const {
    std::string o = "{\"columns\": [";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& c = columns[i];
        const auto num = [](double x) { return detail::fmt_number(x, "%.17g"); };
        o += i ? ",\n  " : "\n  ";
        o += "{\"column\": " + detail::json_string(c.column) + ", \"type\": \"" + std::string(to_string(c.type)) +
             "\", \"rows\": " + std::to_string(c.live_count) + ", \"absent_rate\": " + num(c.absent_rate) +
             ", \"train_missing_rate\": " + num(c.train_missing_rate) +
             ", \"live_missing_rate\": " + num(c.live_missing_rate) + ", \"below_min\": " + num(c.below_min) +
             ", \"above_max\": " + num(c.above_max) + ", \"unseen_rate\": " + num(c.unseen_rate) +
             ", \"psi\": " + num(c.psi) + ", \"js\": " + num(c.js) + ", \"level\": \"" + std::string(to_string(c.level)) +
             "\"}";
    }
    o += "\n], \"steps\": [";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& st = steps[i];
        o += i ? ",\n  " : "\n  ";
        o += "{\"step\": " + detail::json_string(st.step) + ", \"column\": " + detail::json_string(st.column) +
             ", \"unseen\": " + std::to_string(st.unseen) + ", \"rows\": " + std::to_string(st.rows) +
             ", \"unseen_rate\": " + detail::fmt_number(st.unseen_rate, "%.17g") + "}";
    }
    return o + (steps.empty() ? "]}\n" : "\n]}\n");
}

}  // namespace reprep
