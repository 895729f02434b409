// reprep::DatetimeSubtraction — feature-engine's DatetimeSubtraction: the difference
// between datetime columns and reference datetime columns, in a chosen unit.
//
//   DatetimeSubtraction({.columns = {"shipped", "delivered"}, .reference = {"ordered"}, .output_unit = "h"})
//   -> shipped_sub_ordered, delivered_sub_ordered
//
// Formula, for each reference r and each column v (that order, as feature-engine):
//   v_sub_r = double(v - r) / double(unit)
// with v - r the exact int64 difference in nanoseconds and unit the nanoseconds of one
// output_unit: what pandas computes for (X[v] - X[r]) / np.timedelta64(1, unit) (numpy
// divides the two int64 counts as doubles), so the bits are pandas'. A difference that
// does not fit int64 nanoseconds (about 292 years) is refused, as pandas refuses it
// (OverflowError). A missing datetime on either side gives NaN under missing_values =
// ignore (feature-engine's default here) and an InvalidInput naming the column and row
// under raise.
//
// Params follow feature-engine: `variables` -> columns, reference (both required),
// new_variables_names (empty = <column>_sub_<reference>; otherwise one name per output,
// in the order above), output_unit: "W", "D", "h", "m", "s", "ms", "us" (or "μs"), "ns".
// feature-engine also lists "Y" and "M" (numpy cannot convert nanoseconds to calendar
// years or months, so pandas refuses them at transform) and "ps", "fs", "as" (finer than
// the nanoseconds a datetime holds): reprep refuses these in the constructor.
// drop_original (default false) drops the columns and the references.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/datetime.hpp"
#include "../core/error.hpp"
#include "../core/table.hpp"
#include "detail/datetime_component.hpp"

namespace reprep {

class DatetimeSubtraction : public detail::DatetimeComponent<DatetimeSubtraction> {
    using Base = detail::DatetimeComponent<DatetimeSubtraction>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};
        std::vector<std::string> reference = {};
        std::vector<std::string> new_variables_names = {};
        std::string output_unit = "D";
        MissingValues missing_values = MissingValues::ignore;
        bool drop_original = false;
    };
    static constexpr const char* component_name = "DatetimeSubtraction";
    static constexpr std::string_view kind_name() { return "datetime_subtraction"; }
    static constexpr std::uint32_t schema_version = 1;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;

    // Without columns or references (the default Params), fit refuses: feature-engine
    // requires both (it refuses at construction; here X({}) stays X() for every kind).
    DatetimeSubtraction() = default;
    // A template, so that DatetimeSubtraction({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DatetimeSubtraction(P p) : params_(std::move(p)) {
        check_missing_values_param(params_.missing_values);
        unit_ = unit_nanos(params_.output_unit);
        for (const auto* list : {&params_.columns, &params_.reference}) {
            const bool is_columns = list == &params_.columns;
            for (std::size_t j = 0; j < list->size(); ++j)
                for (std::size_t i = 0; i < j; ++i)
                    if ((*list)[i] == (*list)[j])
                        detail::fail<InvalidParameter>({.component = component_name,
                                                        .problem = "'" + (*list)[j] + "' is named twice",
                                                        .fix = "name each column once",
                                                        .parameter = is_columns ? "columns" : "reference"});
        }
        const std::size_t n = params_.columns.size() * params_.reference.size();
        if (!params_.new_variables_names.empty() && params_.new_variables_names.size() != n)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = std::to_string(params_.new_variables_names.size()) + " names for " +
                                                       std::to_string(n) + " new features",
                                            .fix = "give one name per (reference, column) pair, or none",
                                            .parameter = "new_variables_names"});
    }
    const Params& params() const { return params_; }

    void save_state(ArchiveWriter& w) const {
        w.strs(params_.columns);
        w.strs(params_.reference);
        w.strs(params_.new_variables_names);
        w.str(params_.output_unit);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.boolean(params_.drop_original);
        save_base(w);
    }
    static DatetimeSubtraction load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        Params p;
        p.columns = r.strs();
        p.reference = r.strs();
        p.new_variables_names = r.strs();
        p.output_unit = r.str();
        const auto m = r.u8();
        if (m > 1) r.fail("DatetimeSubtraction: missing_values holds " + std::to_string(m));
        p.missing_values = static_cast<MissingValues>(m);
        p.drop_original = r.boolean();
        DatetimeSubtraction c = [&] {
            try {
                return DatetimeSubtraction(std::move(p));
            } catch (const InvalidParameter& e) {
                r.fail(std::string("DatetimeSubtraction: ") + e.problem());
            }
        }();
        c.load_base(r);
        if (c.is_fitted() && c.feature_names_in() != c.columns_read())
            r.fail("DatetimeSubtraction: the fitted columns are not the columns and references of the params");
        return c;
    }

private:
    static std::int64_t unit_nanos(std::string_view u) {
        if (u == "W") return 7 * kNanosPerDay;
        if (u == "D") return kNanosPerDay;
        if (u == "h") return 3600 * kNanosPerSecond;
        if (u == "m") return 60 * kNanosPerSecond;
        if (u == "s") return kNanosPerSecond;
        if (u == "ms") return 1'000'000;
        if (u == "us" || u == "\xCE\xBCs") return 1'000;  // "μs" in UTF-8
        if (u == "ns") return 1;
        detail::fail<InvalidParameter>({.component = component_name,
                                        .problem = "output_unit '" + std::string(u) + "' is not supported",
                                        .fix = "use W, D, h, m, s, ms, us or ns (calendar years and months have no fixed "
                                               "length, and a datetime holds no unit finer than ns)",
                                        .parameter = "output_unit"});
    }

    // The columns, then the references that are not columns too.
    std::vector<std::string> columns_read() const {
        std::vector<std::string> in = params_.columns;
        for (const auto& r : params_.reference)
            if (std::find(in.begin(), in.end(), r) == in.end()) in.push_back(r);
        return in;
    }

    // Base hooks.
    std::vector<std::string> columns_of(const Table&) const {
        for (const auto* list : {&params_.columns, &params_.reference})
            if (list->empty())
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = list == &params_.columns ? "no column to subtract from"
                                                                                    : "no reference column",
                                                .fix = "name at least one datetime column in columns and one in reference",
                                                .parameter = list == &params_.columns ? "columns" : "reference"});
        return columns_read();
    }
    void prepare_fit(const std::vector<std::string>& in) {
        ref_index_.clear();
        for (const auto& r : params_.reference)
            ref_index_.push_back(static_cast<std::size_t>(std::find(in.begin(), in.end(), r) - in.begin()));
    }
    std::vector<std::string> new_names(const std::vector<std::string>&) const {
        if (!params_.new_variables_names.empty()) return params_.new_variables_names;
        std::vector<std::string> out;
        for (const auto& r : params_.reference)
            for (const auto& v : params_.columns) out.push_back(v + "_sub_" + r);
        return out;
    }
    void row_kernel(std::span<const std::int64_t> in, std::span<double> out, std::optional<std::size_t> row) const {
        check_missing(in, row);
        const std::size_t nv = params_.columns.size();
        for (std::size_t r = 0; r < ref_index_.size(); ++r) {
            const std::int64_t b = in[ref_index_[r]];
            for (std::size_t v = 0; v < nv; ++v) {
                const std::int64_t a = in[v];
                double& o = out[r * nv + v];
                if (a == kNaT || b == kNaT) {
                    o = std::numeric_limits<double>::quiet_NaN();
                    continue;
                }
                std::int64_t diff = 0;
                if (__builtin_sub_overflow(a, b, &diff))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "the difference to '" + params_.reference[r] +
                                                           "' overflows int64 nanoseconds (more than about 292 years)",
                                                .fix = "check the dates; pandas refuses this difference too",
                                                .column = params_.columns[v],
                                                .row = row});
                o = static_cast<double>(diff) / static_cast<double>(unit_);
            }
        }
    }

    Params params_;
    std::int64_t unit_ = kNanosPerDay;
    std::vector<std::size_t> ref_index_;
};

}  // namespace reprep
