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
//
// Per step: a monitor made by pipeline.monitor() also watches every input column of each
// encoder with a fitted vocabulary, and counts the values reaching that step which it did
// not learn (absorbed silently otherwise: into "Rare", the target mean, a NaN, an all-zero
// one-hot row). Those counts cover the rows the pipeline transformed through
// plan.run(record, out, monitor) or pipeline.transform(table, monitor).
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
#include "drift_report.hpp"
#include "profile.hpp"
#include "step.hpp"

namespace reprep {

class Monitor {
public:
    static constexpr const char* component_name = "Monitor";
    static constexpr std::string_view kind_name() { return "drift_monitor"; }
    static constexpr std::uint32_t schema_version = 1;

    Monitor() = default;
    explicit Monitor(std::shared_ptr<const Profile> profile) : profile_(std::move(profile)) { init(); }
    // One watched encoder input: pipeline step `step` (its index and name) reads `column`.
    struct StepWatch {
        std::size_t step = 0;
        std::string name, column;
        friend bool operator==(const StepWatch&, const StepWatch&) = default;
    };
    // What pipeline.monitor() builds: the profile plus the encoder inputs to watch, in step order.
    Monitor(std::shared_ptr<const Profile> profile, std::vector<StepWatch> watches);
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

    // Counts the values of this row's encoder inputs that their step did not learn
    // (RowPlan::run with a monitor calls it after a row went through). No allocation.
    void observe_steps(const RowPlan& plan);

    void save_state(ArchiveWriter& w) const;
    static Monitor load_state(ArchiveReader& r, std::uint32_t schema_version);

private:
    struct Counts {
        std::uint64_t missing = 0, below = 0, above = 0, absent = 0;
        std::vector<std::uint64_t> bins;  // numeric: profile bins; categorical: categories, then other
    };
    void init();
    friend class Pipeline;  // transform(table, monitor) adds the per-step counts of a batch
    void add_step_counts(std::span<const std::uint64_t> unseen, std::uint64_t rows);
    // A plan and a monitor of different pipelines can only miscount, never write out of bounds.
    void count_unseen(std::size_t step, std::size_t k) {
        for (const auto& [s, first] : watch_first_)
            if (s == step) {
                if (first + k < unseen_.size()) ++unseen_[first + k];
                return;
            }
    }
    bool index_watches();  // false unless watches_ are in step order, each step's contiguous
    void require_profile() const {
        if (!profile_)
            detail::fail<NotFitted>({.component = component_name,
                                     .problem = "this monitor watches no profile",
                                     .fix = "create it with pipeline.monitor() from a pipeline fitted by this reprep"});
    }
    std::size_t category_bin(std::size_t j, std::string_view v) const;
    void count_number(std::size_t j, double x);

    std::shared_ptr<const Profile> profile_;
    std::vector<StepWatch> watches_;
    std::vector<std::pair<std::size_t, std::size_t>> watch_first_;  // (step, index of its first watch)
    std::vector<std::uint64_t> unseen_;     // per watch
    std::uint64_t step_rows_ = 0;           // rows whose steps were counted
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

inline Monitor::Monitor(std::shared_ptr<const Profile> profile, std::vector<StepWatch> watches)
    : profile_(std::move(profile)), watches_(std::move(watches)) {
    init();
    if (!index_watches())
        detail::fail<InvalidParameter>({.component = component_name,
                                        .problem = "the watched steps are not in step order",
                                        .fix = "create the monitor with pipeline.monitor()"});
}

inline bool Monitor::index_watches() {
    unseen_.assign(watches_.size(), 0);
    watch_first_.clear();
    for (std::size_t w = 0; w < watches_.size(); ++w) {
        if (w > 0 && watches_[w].step < watches_[w - 1].step) return false;
        if (w == 0 || watches_[w].step != watches_[w - 1].step) watch_first_.emplace_back(watches_[w].step, w);
        else if (watches_[w].name != watches_[w - 1].name) return false;
    }
    return true;
}

inline void Monitor::observe_steps(const RowPlan& plan) {
    if (watches_.empty()) return;
    plan.for_each_unseen([this](std::size_t step, std::size_t k) { count_unseen(step, k); });
    ++step_rows_;
}

inline void Monitor::add_step_counts(std::span<const std::uint64_t> unseen, std::uint64_t rows) {
    if (watches_.empty()) return;
    for (std::size_t w = 0; w < unseen_.size() && w < unseen.size(); ++w) unseen_[w] += unseen[w];
    step_rows_ += rows;
}

inline void Monitor::init() {
    require_profile();
    profile_id_ = xxh3_128(profile_->bytes());
    const auto& cols = profile_->columns();
    counts_.assign(cols.size(), {});
    sorted_.assign(cols.size(), {});
    sorted_bin_.assign(cols.size(), {});
    for (std::size_t j = 0; j < cols.size(); ++j) {
        const auto& c = cols[j];
        if (c.type != ColumnType::categorical) {
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
        if (cols[j].type == ColumnType::datetime) {
            for (std::int64_t x : t.datetime(cols[j].name)) count_number(j, datetime_as_number(x));
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
        else if (cols[j].type == ColumnType::datetime) count_number(j, datetime_as_number(record[j].nanos()));
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
    if (watches_ != other.watches_)
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "the two monitors watch different pipeline steps",
                                    .fix = "merge only monitors created from the same fitted pipeline (a monitor saved "
                                           "before reprep counted per step watches none)"});
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
    for (std::size_t w = 0; w < unseen_.size(); ++w) unseen_[w] += other.unseen_[w];
    step_rows_ += other.step_rows_;
    rows_ += other.rows_;
}

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
        if (c.type != ColumnType::categorical) {
            d.below_min = live_values ? detail::share(k.below, live_values) : std::numeric_limits<double>::quiet_NaN();
            d.above_max = live_values ? detail::share(k.above, live_values) : std::numeric_limits<double>::quiet_NaN();
        } else {
            d.unseen_rate = live_values ? detail::share(k.bins.back(), live_values) : std::numeric_limits<double>::quiet_NaN();
        }
        if (present > 0 && c.count > 0) {
            detail::DriftShares s;
            const auto& train = c.type != ColumnType::categorical ? c.bins : c.counts;
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
    for (std::size_t w = 0; w < watches_.size(); ++w)
        out.steps.push_back({.step = watches_[w].name,
                             .column = watches_[w].column,
                             .unseen = unseen_[w],
                             .rows = step_rows_,
                             .unseen_rate = step_rows_ ? detail::share(unseen_[w], step_rows_)
                                                       : std::numeric_limits<double>::quiet_NaN()});
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
    if (any_absent) {
        w.u8(1);
        for (const auto& k : counts_) w.u64(k.absent);
    }
    // Per-step counts: a section of their own, written when the monitor watches steps.
    if (watches_.empty()) return;
    w.u8(2);
    w.u64(step_rows_);
    w.size(watches_.size());
    for (std::size_t i = 0; i < watches_.size(); ++i) {
        w.u64(watches_[i].step);
        w.str(watches_[i].name);
        w.str(watches_[i].column);
        w.u64(unseen_[i]);
    }
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
    // Optional sections, each at most once and in tag order.
    std::uint8_t last_tag = 0;
    std::vector<std::uint64_t> unseen;
    while (r.remaining() > 0) {
        const std::uint8_t tag = r.u8();
        if (tag <= last_tag || tag > 2) r.fail("unknown or repeated section after the counts");
        last_tag = tag;
        if (tag == 1) {
            for (auto& a : absent) a = r.u64();
            if (std::all_of(absent.begin(), absent.end(), [](std::uint64_t a) { return a == 0; }))
                r.fail("an absent-count section with no absent column (it is written only when one was absent)");
            continue;
        }
        m.step_rows_ = r.u64();
        if (m.step_rows_ > m.rows_) r.fail("more rows counted per step than the monitor saw");
        const std::size_t n = r.size(8 + 8 + 8 + 8);
        if (n == 0) r.fail("a per-step section that watches no step (it is written only when steps are watched)");
        for (std::size_t i = 0; i < n; ++i) {
            StepWatch sw;
            sw.step = static_cast<std::size_t>(r.u64());
            sw.name = r.str();
            sw.column = r.str();
            const std::uint64_t u = r.u64();
            if (u > m.step_rows_) r.fail("step '" + sw.name + "' counts more unseen values than rows");
            m.watches_.push_back(std::move(sw));
            unseen.push_back(u);
        }
        if (!m.index_watches()) r.fail("the watched steps are not in step order");
        m.unseen_ = std::move(unseen);
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

}  // namespace reprep
