// reprep::Monitor — live rows counted against the training profile (profile.hpp), and
// the drift report computed from those counts (docs/monitoring.md).
//
//   auto served = reprep::load_pipeline("model.rpp");
//   reprep::Monitor mon = served.monitor();      // one per thread; merge() afterwards
//   mon.update(batch);                           // or, per row: plan.run(record, out, mon)
//   reprep::DriftReport r = mon.report();        // PSI, Jensen-Shannon, rates, level
//
// A monitor holds exact integer counts only, so merging per-thread or per-replica
// monitors in any order, or feeding the rows in any order, gives the same counts and
// the same report bits. observe() (one record) allocates nothing and takes no lock.
//
// Per column, with p_b the training share and q_b the live share of bin b (numeric: the
// profile's decile bins plus missing; categorical: the profiled categories, "other" —
// where unseen live values go — and missing), each share = count / rows in double:
//   PSI = sum_b (q'_b - p'_b) * ln(q'_b / p'_b),  x' = max(x, 1e-4)
//   JS  = sqrt(sum_b [rel(p_b, m_b) + rel(q_b, m_b)] / ln 2 / 2),  m_b = (p_b + q_b) / 2,
//         rel(x, m) = x * ln(x / m) for x > 0, else 0   (scipy's jensenshannon, base 2)
// Each term is rounded as written; the sums are exact (ExactSum) and rounded once; ln is
// dmath::log. So the report is the same bits on every platform.
//
// A column a request does not carry at all (absent from a batch, Cell::absent_column()
// in a record) is counted as absent, not as missing: under the fill policy that is each
// fill the pipeline makes (serving_policy.hpp). The shares, rates and PSI of a column are
// over the rows that carried it; absent_rate is over all rows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/error.hpp"
#include "../core/exact_sum.hpp"
#include "../core/hash.hpp"
#include "../core/table.hpp"
#include "profile.hpp"
#include "step.hpp"

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

struct DriftReport {
    std::vector<ColumnDrift> columns;
    // The worst level over the columns (no_data only if every column has no data).
    DriftLevel worst() const;
    // One line per column, and the same as JSON (numbers with 17 significant digits).
    std::string to_text() const;
    std::string to_json() const;
};

class Monitor {
public:
    static constexpr const char* component_name = "Monitor";
    static constexpr std::string_view kind_name() { return "drift_monitor"; }
    static constexpr std::uint32_t schema_version = 1;

    Monitor() = default;
    explicit Monitor(std::shared_ptr<const Profile> profile) : profile_(std::move(profile)) { init(); }
    explicit Monitor(Profile profile) : Monitor(std::make_shared<const Profile>(std::move(profile))) {}

    const Profile& profile() const { require_profile(); return *profile_; }

    // Counts the rows of t: a profiled column t holds must have its type (SchemaError
    // naming each one that does not; nothing is counted then); one t lacks is counted as
    // absent for every row.
    void update(const Table& t);
    // Counts one record (values in the profile's column order = input_schema(); an
    // absent cell counts as absent). SchemaError, and nothing counted, on a wrong size or
    // type. No allocation.
    void observe(std::span<const Cell> record);
    // Adds other's counts (InvalidInput unless both watch the same profile).
    void merge(const Monitor& other);
    DriftReport report(const DriftOptions& options = {}) const;

    std::uint64_t rows() const { return rows_; }

    void save_state(ArchiveWriter& w) const;
    static Monitor load_state(ArchiveReader& r, std::uint32_t schema_version);

private:
    struct Counts {
        std::uint64_t missing = 0, below = 0, above = 0, absent = 0;
        std::vector<std::uint64_t> bins;  // numeric: profile bins; categorical: categories, then other
    };
    void init();
    void require_profile() const {
        if (!profile_)
            detail::fail<NotFitted>({.component = component_name,
                                     .problem = "this monitor watches no profile",
                                     .fix = "create it with pipeline.monitor() from a pipeline fitted by this reprep"});
    }
    std::size_t category_bin(std::size_t j, std::string_view v) const;
    void count_number(std::size_t j, double x);

    std::shared_ptr<const Profile> profile_;
    Hash128 profile_id_;
    std::uint64_t rows_ = 0;
    std::vector<Counts> counts_;
    // Per categorical column: the profiled categories sorted by bytes, and each one's bin.
    std::vector<std::vector<std::string_view>> sorted_;
    std::vector<std::vector<std::uint32_t>> sorted_bin_;
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

inline void Monitor::init() {
    require_profile();
    profile_id_ = xxh3_128(profile_->bytes());
    const auto& cols = profile_->columns();
    counts_.assign(cols.size(), {});
    sorted_.assign(cols.size(), {});
    sorted_bin_.assign(cols.size(), {});
    for (std::size_t j = 0; j < cols.size(); ++j) {
        const auto& c = cols[j];
        if (c.type == ColumnType::numeric) {
            counts_[j].bins.assign(c.bins.size(), 0);
            continue;
        }
        counts_[j].bins.assign(c.categories.size() + 1, 0);
        std::vector<std::uint32_t> idx(c.categories.size());
        for (std::uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::sort(idx.begin(), idx.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return detail::bytes_less(c.categories[a], c.categories[b]); });
        for (auto i : idx) {
            sorted_[j].push_back(c.categories[i]);  // views into the shared, immutable profile
            sorted_bin_[j].push_back(i);
        }
    }
}

inline std::size_t Monitor::category_bin(std::size_t j, std::string_view v) const {
    const auto& s = sorted_[j];
    const auto it = std::lower_bound(s.begin(), s.end(), v, detail::bytes_less);
    if (it != s.end() && *it == v) return sorted_bin_[j][static_cast<std::size_t>(it - s.begin())];
    return s.size();  // "other": unseen, or outside the profiled 1,000
}

inline void Monitor::count_number(std::size_t j, double x) {
    const auto& c = profile_->columns()[j];
    Counts& k = counts_[j];
    if (std::isnan(x)) {
        ++k.missing;
        return;
    }
    k.below += x < c.min;  // false when the training column had no value (NaN min)
    k.above += x > c.max;
    ++k.bins[c.bin_of(x)];
}

inline void Monitor::update(const Table& t) {
    require_profile();
    const auto& cols = profile_->columns();
    const std::string problems = detail::type_mismatches(t, cols);
    if (!problems.empty())
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "the table does not match the training profile: " + problems,
                                   .fix = "pass every column of the pipeline's input_schema() with its type"});
    for (std::size_t j = 0; j < cols.size(); ++j) {
        if (!t.has_column(cols[j].name)) {
            counts_[j].absent += t.num_rows();
            continue;
        }
        if (cols[j].type == ColumnType::numeric) {
            for (double x : t.numeric(cols[j].name)) count_number(j, x);
            continue;
        }
        const CategoricalColumn& col = t.categorical(cols[j].name);
        std::vector<std::size_t> bin_of_code(col.dictionary.size());
        for (std::size_t d = 0; d < col.dictionary.size(); ++d) bin_of_code[d] = category_bin(j, col.dictionary[d]);
        Counts& k = counts_[j];
        for (const std::int32_t code : col.codes) {
            if (code < 0) ++k.missing;
            else ++k.bins[bin_of_code[static_cast<std::size_t>(code)]];
        }
    }
    rows_ += t.num_rows();
}

inline void Monitor::observe(std::span<const Cell> record) {
    require_profile();
    const auto& cols = profile_->columns();
    if (record.size() != cols.size())
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "the record holds " + std::to_string(record.size()) + " values, the profile " +
                                              std::to_string(cols.size()),
                                   .fix = "pass one value per input_schema() column, in that order"});
    for (std::size_t j = 0; j < cols.size(); ++j)
        if (!record[j].absent && record[j].type != cols[j].type)
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "record value " + std::to_string(j) + " is " +
                                                  std::string(to_string(record[j].type)) + ", expected " +
                                                  std::string(to_string(cols[j].type)),
                                       .fix = "pass each column with the type it had in fit, in input_schema() order",
                                       .column = cols[j].name});
    for (std::size_t j = 0; j < cols.size(); ++j) {
        if (record[j].absent) ++counts_[j].absent;
        else if (cols[j].type == ColumnType::numeric) count_number(j, record[j].number);
        else if (!record[j].text) ++counts_[j].missing;
        else ++counts_[j].bins[category_bin(j, *record[j].text)];
    }
    ++rows_;
}

inline void Monitor::merge(const Monitor& other) {
    require_profile();
    other.require_profile();
    if (!(profile_id_ == other.profile_id_))
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "the two monitors watch different training profiles",
                                    .fix = "merge only monitors created from the same fitted pipeline"});
    if (&other == this) {  // merging with itself doubles every count
        const Monitor copy = other;
        merge(copy);
        return;
    }
    for (std::size_t j = 0; j < counts_.size(); ++j) {
        Counts& a = counts_[j];
        const Counts& b = other.counts_[j];
        a.missing += b.missing;
        a.below += b.below;
        a.above += b.above;
        a.absent += b.absent;
        for (std::size_t i = 0; i < a.bins.size(); ++i) a.bins[i] += b.bins[i];
    }
    rows_ += other.rows_;
}

namespace detail {
// The two share vectors of one column: training p and live q, bins in the same order.
struct DriftShares {
    std::vector<double> p, q;
};
inline double share(std::uint64_t k, std::uint64_t n) { return static_cast<double>(k) / static_cast<double>(n); }

inline double psi_of(const DriftShares& s) {
    ExactSum sum;
    for (std::size_t b = 0; b < s.p.size(); ++b) {
        const double p = std::max(s.p[b], 1e-4), q = std::max(s.q[b], 1e-4);
        sum.add((q - p) * dmath::log(q / p));
    }
    return sum.value();
}

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

inline DriftReport Monitor::report(const DriftOptions& options) const {
    require_profile();
    if (!(options.moderate > 0.0) || !(options.major >= options.moderate) || !std::isfinite(options.major))
        detail::fail<InvalidParameter>({.component = component_name,
                                        .problem = "the PSI thresholds must satisfy 0 < moderate <= major < inf",
                                        .fix = "use e.g. moderate = 0.1, major = 0.25 (the defaults)",
                                        .column = "DriftOptions"});
    DriftReport out;
    const auto& cols = profile_->columns();
    for (std::size_t j = 0; j < cols.size(); ++j) {
        const auto& c = cols[j];
        const Counts& k = counts_[j];
        ColumnDrift d;
        d.column = c.name;
        d.type = c.type;
        d.live_count = rows_;
        d.absent_rate = rows_ ? detail::share(k.absent, rows_) : std::numeric_limits<double>::quiet_NaN();
        const std::uint64_t present = rows_ - k.absent;  // == rows_ unless the column was absent
        d.train_missing_rate = c.count ? detail::share(c.missing, c.count) : std::numeric_limits<double>::quiet_NaN();
        d.live_missing_rate = present ? detail::share(k.missing, present) : std::numeric_limits<double>::quiet_NaN();
        const std::uint64_t live_values = present - k.missing;
        if (c.type == ColumnType::numeric) {
            d.below_min = live_values ? detail::share(k.below, live_values) : std::numeric_limits<double>::quiet_NaN();
            d.above_max = live_values ? detail::share(k.above, live_values) : std::numeric_limits<double>::quiet_NaN();
        } else {
            d.unseen_rate = live_values ? detail::share(k.bins.back(), live_values) : std::numeric_limits<double>::quiet_NaN();
        }
        if (present > 0 && c.count > 0) {
            detail::DriftShares s;
            const auto& train = c.type == ColumnType::numeric ? c.bins : c.counts;
            for (std::size_t b = 0; b < train.size(); ++b) s.p.push_back(detail::share(train[b], c.count));
            if (c.type == ColumnType::categorical) s.p.push_back(detail::share(c.other, c.count));
            s.p.push_back(detail::share(c.missing, c.count));
            for (auto n : k.bins) s.q.push_back(detail::share(n, present));
            s.q.push_back(detail::share(k.missing, present));
            d.psi = detail::psi_of(s);
            d.js = detail::js_of(s);
            d.level = d.psi >= options.major ? DriftLevel::major
                      : d.psi >= options.moderate ? DriftLevel::moderate
                                                   : DriftLevel::stable;
        }
        out.columns.push_back(std::move(d));
    }
    return out;
}

inline void Monitor::save_state(ArchiveWriter& w) const {
    require_profile();
    w.str(profile_->bytes());
    w.u64(rows_);
    for (const auto& k : counts_) {
        w.u64(k.missing);
        w.u64(k.below);
        w.u64(k.above);
        w.u64s(k.bins);
    }
    // Absent counts: an optional section, written only when a column was ever absent,
    // so a monitor that never saw one keeps the bytes (and fingerprint) it had before
    // absent columns were counted.
    const bool any_absent = std::any_of(counts_.begin(), counts_.end(), [](const Counts& k) { return k.absent > 0; });
    if (!any_absent) return;
    w.u8(1);
    for (const auto& k : counts_) w.u64(k.absent);
}

inline Monitor Monitor::load_state(ArchiveReader& r, std::uint32_t) {
    Monitor m(Profile::from_bytes(r.str()));
    m.rows_ = r.u64();
    const auto& cols = m.profile_->columns();
    std::vector<std::uint64_t> absent(cols.size(), 0);
    std::vector<std::vector<std::uint64_t>> bins(cols.size());
    for (std::size_t j = 0; j < cols.size(); ++j) {
        Counts& k = m.counts_[j];
        k.missing = r.u64();
        k.below = r.u64();
        k.above = r.u64();
        bins[j] = r.u64s();
    }
    if (r.remaining() > 0) {
        if (r.u8() != 1) r.fail("unknown section after the counts");
        for (auto& a : absent) a = r.u64();
        if (std::all_of(absent.begin(), absent.end(), [](std::uint64_t a) { return a == 0; }))
            r.fail("an absent-count section with no absent column (it is written only when one was absent)");
    }
    for (std::size_t j = 0; j < cols.size(); ++j) {
        Counts& k = m.counts_[j];
        if (absent[j] > m.rows_) r.fail("column '" + cols[j].name + "' is absent in more rows than the monitor saw");
        k.absent = absent[j];
        const std::uint64_t present = m.rows_ - k.absent;
        if (bins[j].size() != k.bins.size()) r.fail("column '" + cols[j].name + "' has the wrong number of bins");
        k.bins = std::move(bins[j]);
        // Every row that carried the column is missing or in exactly one bin; below/above
        // are subsets of the values.
        if (k.missing > present) r.fail("the counts of column '" + cols[j].name + "' exceed the row count");
        std::uint64_t total = k.missing;
        for (auto n : k.bins) {
            if (n > present - total) r.fail("the counts of column '" + cols[j].name + "' exceed the row count");
            total += n;
        }
        if (total != present || k.below > present - k.missing || k.above > present - k.missing ||
            (cols[j].type == ColumnType::categorical && (k.below || k.above)))
            r.fail("the counts of column '" + cols[j].name + "' do not add up to the row count");
    }
    return m;
}

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
        const std::string range = c.type == ColumnType::numeric && !std::isnan(c.below_min)
                                      ? detail::fmt_number(100.0 * (c.below_min + c.above_max), "%.2f%%")
                                      : "-";
        std::snprintf(line, sizeof line, "%-24s %10s %8s %8llu %15s %9s %8s %8s  %s\n", c.column.c_str(),
                      std::isnan(c.psi) ? "-" : detail::fmt_number(c.psi, "%.4f").c_str(),
                      std::isnan(c.js) ? "-" : detail::fmt_number(c.js, "%.4f").c_str(),
                      static_cast<unsigned long long>(c.live_count), miss.c_str(), range.c_str(), pct(c.unseen_rate).c_str(),
                      pct(c.absent_rate).c_str(), std::string(to_string(c.level)).c_str());
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
    return o + "\n]}\n";
}

}  // namespace reprep
