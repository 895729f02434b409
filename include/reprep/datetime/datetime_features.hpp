// reprep::DatetimeFeatures — feature-engine's DatetimeFeatures: calendar and clock
// features of datetime Table columns, as pandas' .dt accessors give them.
//
//   DatetimeFeatures({.columns = {"signup"}, .features_to_extract = {"month", "week", "weekend"}})
//   -> signup_month, signup_week, signup_weekend   (one double per feature; NaN if missing)
//
// Features (feature-engine's names; the value is pandas' on the UTC datetime):
//   month 1..12, quarter 1..4, semester 1..2 (month <= 6 ? 1 : 2), year,
//   week (ISO 8601 week, 1..53: isocalendar().week), day_of_week (Monday = 0 .. Sunday = 6),
//   day_of_month 1..31, day_of_year 1..366, weekend (day_of_week >= 5),
//   month_start, month_end, quarter_start, quarter_end, year_start, year_end (0 or 1, on the
//   date alone), leap_year (0 or 1), days_in_month 28..31, hour, minute, second (integer).
// Computed with integer calendar arithmetic (core/datetime.hpp): no libc time function, no
// locale, so every platform gives the same values; tests/golden/golden_datetime.py checks
// them against pandas on every day from 1678 to 2261.
//
// Params follow feature-engine: `variables` -> columns (empty = every datetime column of
// the fit table), features_to_extract (empty = feature-engine's default: month, year,
// day_of_week, day_of_month, hour, minute, second; {"all"} = every feature, in the order
// above), drop_original (default true), missing_values (raise: a missing datetime is an
// InvalidInput naming the column and row; ignore: its features are NaN). Output: for each
// column, for each feature, <column>_<feature>. feature-engine's parsing options
// (dayfirst, yearfirst, utc, format) have no counterpart: reprep's datetime columns are
// already parsed (read_csv reads ISO 8601 and converts offsets to UTC).
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
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

class DatetimeFeatures : public detail::DatetimeComponent<DatetimeFeatures> {
    using Base = detail::DatetimeComponent<DatetimeFeatures>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};
        std::vector<std::string> features_to_extract = {};
        bool drop_original = true;
        MissingValues missing_values = MissingValues::raise;
    };
    static constexpr const char* component_name = "DatetimeFeatures";
    static constexpr std::string_view kind_name() { return "datetime_features"; }
    static constexpr std::uint32_t schema_version = 1;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;

    // Every feature, in feature-engine's order; features_to_extract = {"all"} takes them all.
    static constexpr std::array<std::string_view, 20> kFeatures = {
        "month",       "quarter",   "semester",      "year",          "week",        "day_of_week", "day_of_month",
        "day_of_year", "weekend",   "month_start",   "month_end",     "quarter_start", "quarter_end", "year_start",
        "year_end",    "leap_year", "days_in_month", "hour",          "minute",      "second"};

    DatetimeFeatures() : DatetimeFeatures(Params{}) {}
    // A template, so that DatetimeFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DatetimeFeatures(P p) : params_(std::move(p)) {
        check_missing_values_param(params_.missing_values);
        features_ = resolve(params_.features_to_extract);
    }
    const Params& params() const { return params_; }

    void save_state(ArchiveWriter& w) const {
        w.strs(params_.columns);
        w.strs(params_.features_to_extract);
        w.boolean(params_.drop_original);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        save_base(w);
    }
    static DatetimeFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        Params p;
        p.columns = r.strs();
        p.features_to_extract = r.strs();
        p.drop_original = r.boolean();
        const auto m = r.u8();
        if (m > 1) r.fail("DatetimeFeatures: missing_values holds " + std::to_string(m));
        p.missing_values = static_cast<MissingValues>(m);
        DatetimeFeatures c = [&] {
            try {
                return DatetimeFeatures(std::move(p));
            } catch (const InvalidParameter& e) {
                r.fail(std::string("DatetimeFeatures: ") + e.problem());
            }
        }();
        c.load_base(r);
        if (c.is_fitted() && !c.params_.columns.empty() && c.feature_names_in() != c.params_.columns)
            r.fail("DatetimeFeatures: the fitted columns are not the columns of the params");
        return c;
    }

private:
    // Scoped, so that day_of_week or days_in_month here never hide reprep's calendar functions.
    enum class Feature : std::uint8_t {
        month, quarter, semester, year, week, day_of_week, day_of_month, day_of_year, weekend, month_start,
        month_end, quarter_start, quarter_end, year_start, year_end, leap_year, days_in_month, hour, minute, second
    };

    static std::vector<std::uint8_t> resolve(const std::vector<std::string>& names) {
        static constexpr std::array<Feature, 7> kDefault = {Feature::month,        Feature::year,   Feature::day_of_week,
                                                            Feature::day_of_month, Feature::hour,   Feature::minute,
                                                            Feature::second};
        std::vector<std::uint8_t> out;
        if (names.empty()) {
            for (const Feature f : kDefault) out.push_back(static_cast<std::uint8_t>(f));
            return out;
        }
        if (names.size() == 1 && names[0] == "all") {
            for (std::uint8_t f = 0; f < kFeatures.size(); ++f) out.push_back(f);
            return out;
        }
        for (const auto& n : names) {
            std::uint8_t f = 0;
            while (f < kFeatures.size() && kFeatures[f] != n) ++f;
            if (f == kFeatures.size())
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "'" + n + "' is not a datetime feature",
                                                .fix = "use the names of feature-engine: month, quarter, semester, year, week, "
                                                       "day_of_week, day_of_month, day_of_year, weekend, month_start, month_end, "
                                                       "quarter_start, quarter_end, year_start, year_end, leap_year, "
                                                       "days_in_month, hour, minute, second (or {\"all\"})",
                                                .parameter = "features_to_extract"});
            for (const auto g : out)
                if (g == f)
                    detail::fail<InvalidParameter>({.component = component_name,
                                                    .problem = "'" + n + "' is named twice",
                                                    .fix = "name each feature once",
                                                    .parameter = "features_to_extract"});
            out.push_back(f);
        }
        return out;
    }

    // Base hooks.
    std::vector<std::string> columns_of(const Table& t) const {
        if (!params_.columns.empty()) return params_.columns;
        std::vector<std::string> out;
        for (const auto& n : t.column_names())
            if (t.type(n) == ColumnType::datetime) out.push_back(n);
        return out;
    }
    void prepare_fit(const std::vector<std::string>&) {}
    std::vector<std::string> new_names(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        for (const auto& c : in)
            for (const auto f : features_) out.push_back(c + "_" + std::string(kFeatures[f]));
        return out;
    }
    void row_kernel(std::span<const std::int64_t> in, std::span<double> out, std::optional<std::size_t> row) const {
        check_missing(in, row);
        const std::size_t nf = features_.size();
        for (std::size_t k = 0; k < in.size(); ++k) {
            if (in[k] == kNaT) {
                for (std::size_t f = 0; f < nf; ++f) out[k * nf + f] = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            const std::int64_t days = floor_div(in[k], kNanosPerDay);
            const std::int64_t secs = floor_mod(in[k], kNanosPerDay) / kNanosPerSecond;  // of the day
            const CivilDate c = civil_from_days(days);
            for (std::size_t f = 0; f < nf; ++f)
                out[k * nf + f] = static_cast<double>(feature(static_cast<Feature>(features_[f]), days, secs, c));
        }
    }

    static std::int64_t feature(Feature f, std::int64_t days, std::int64_t secs, const CivilDate& c) {
        const int dim = days_in_month(c.year, c.month);
        switch (f) {
            case Feature::month: return c.month;
            case Feature::quarter: return (c.month - 1) / 3 + 1;
            case Feature::semester: return c.month <= 6 ? 1 : 2;
            case Feature::year: return c.year;
            case Feature::week: return iso_week(days);
            case Feature::day_of_week: return day_of_week(days);
            case Feature::day_of_month: return c.day;
            case Feature::day_of_year: return days - days_from_civil(c.year, 1, 1) + 1;
            case Feature::weekend: return day_of_week(days) >= 5;
            case Feature::month_start: return c.day == 1;
            case Feature::month_end: return c.day == dim;
            case Feature::quarter_start: return c.day == 1 && c.month % 3 == 1;
            case Feature::quarter_end: return c.day == dim && c.month % 3 == 0;
            case Feature::year_start: return c.day == 1 && c.month == 1;
            case Feature::year_end: return c.day == 31 && c.month == 12;
            case Feature::leap_year: return is_leap_year(c.year);
            case Feature::days_in_month: return dim;
            case Feature::hour: return secs / 3600;
            case Feature::minute: return secs / 60 % 60;
            case Feature::second: return secs % 60;
        }
        return 0;
    }

    Params params_;
    std::vector<std::uint8_t> features_;
};

}  // namespace reprep
