// reprep::WoEEncoder — feature-engine's WoEEncoder (weight of evidence) over categorical
// Table columns, for a binary target.
//
//   y must be 0 or 1 (anything else: InvalidInput naming the row in fit(X, y)); both
//   classes must occur among the rows where the column is not missing.
//   For category i of a column, with N1 / N0 = rows with y = 1 / y = 0 and n1_i / n0_i
//   the same counts within the category (missing rows excluded from all four):
//       p1_i = n1_i / N1,   p0_i = n0_i / N0,   woe_i = dmath::log(p1_i / p0_i)
//   in that order of operations (feature-engine's np.log(pos / neg)). Counts are exact
//   integers (the target sums are exact), so the state is the same for any row order,
//   chunking or merge order.
//   A category pure in one class has p1_i = 0 or p0_i = 0 and no finite WoE: fit raises
//   InvalidInput naming the column and the category, as feature-engine raises, unless
//   fill_value is set, which then replaces the zero probability (feature-engine 1.6's
//   fill_value).
//   unseen = ignore -> NaN, raise -> UnknownCategory naming column, value and row,
//   encode -> 0 (no evidence either way; an extension, feature-engine has no such option).
//   missing_values = raise: a missing value in fit or transform raises InvalidInput;
//   ignore: missing rows are left out of the counts and encode as NaN.
// fit(accumulator) sees per-category sums, not rows: it checks that each category's
// Σy is a whole number in [0, n_i] equal to its Σy², which every 0/1 target passes.
// Output: one numeric column per input column, same name, in place.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/dmath.hpp"
#include "../component/key_value_encoder.hpp"

namespace reprep {

class WoEEncoder : public detail::KeyValueEncoder<WoEEncoder> {
    using Base = detail::KeyValueEncoder<WoEEncoder>;
    friend Base;
    friend detail::CategoricalComponent<WoEEncoder>;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables`; empty = every categorical column
        MissingValues missing_values = MissingValues::raise;
        UnseenPolicy unseen = UnseenPolicy::ignore;
        std::optional<double> fill_value = {};  // replaces a zero p1_i or p0_i; finite and > 0
    };

    static constexpr const char* component_name = "WoEEncoder";
    static constexpr std::string_view kind_name() { return "woe_encoder"; }
    static constexpr std::uint32_t schema_version = 1;

    WoEEncoder() = default;
    // A template, so that WoEEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit WoEEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    bool needs_target() const { return true; }

    using Base::fit;
    WoEEncoder& fit(const Table& t, std::span<const double> y) {
        check_target(t.num_rows(), y);
        return Base::fit(t, y);
    }
    // fit(t, y)'s rule for y (one 0 or 1 per row), for a chunk fed to accumulator()
    // (fit(accumulator) cannot see single rows; Python's partial_fit checks each chunk).
    void check_target(std::size_t rows, std::span<const double> y) const {
        detail::CategoryAccumulator::check_target(component_name, rows, y);
        for (std::size_t i = 0; i < y.size(); ++i)
            if (y[i] != 0.0 && y[i] != 1.0)
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "the target must be binary (0 or 1), found " + std::to_string(y[i]),
                                            .fix = "re-code the labels as 0/1",
                                            .column = "y",
                                            .row = i});
    }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.u8(static_cast<std::uint8_t>(params_.unseen));
        w.boolean(params_.fill_value.has_value());
        w.f64(params_.fill_value.value_or(0.0));
        save_columns(w);
    }
    static WoEEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        WoEEncoder e;
        e.load_base(r);
        Params& p = e.params_;
        p.columns = r.strs();
        const auto mv = r.u8(), u = r.u8();
        if (mv > 1 || u > 2) r.fail("an option holds an unknown value");
        p.missing_values = static_cast<MissingValues>(mv);
        p.unseen = static_cast<UnseenPolicy>(u);
        const bool has_fill = r.boolean();
        const double fill = r.f64();
        if (has_fill) p.fill_value = fill;
        e.load_columns(r);
        return e;
    }

private:
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (p.missing_values != MissingValues::raise && p.missing_values != MissingValues::ignore)
            detail::invalid_parameter(component_name, "missing_values", "holds an unknown value",
                                      "use missing_values = raise or ignore");
        if (p.unseen != UnseenPolicy::ignore && p.unseen != UnseenPolicy::raise && p.unseen != UnseenPolicy::encode)
            detail::invalid_parameter(component_name, "unseen", "holds an unknown value",
                                      "use unseen = ignore, raise or encode");
        if (p.fill_value && !(std::isfinite(*p.fill_value) && *p.fill_value > 0.0))
            detail::invalid_parameter(component_name, "fill_value", "must be finite and > 0 (its log is taken)",
                                      "use a small positive fill_value such as 0.0001, or leave it unset (None in Python)");
    }

    [[noreturn]] static void not_binary(const std::string& column) {
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "the target sums are not those of a 0/1 target",
                                    .fix = "update the accumulator with a binary (0 or 1) target",
                                    .column = column});
    }

    // The WoE of each category of one column (missing rows already refused or left out).
    std::vector<double> encode(const detail::ColumnTally& t) const {
        // Positives per category, checked to be the counts of a 0/1 target.
        std::vector<std::uint64_t> pos(t.values.size());
        std::uint64_t n1 = 0, n = 0;
        for (std::size_t i = 0; i < t.values.size(); ++i) {
            const double s = t.targets[i].sum.value();
            if (!(s >= 0.0 && s <= static_cast<double>(t.counts[i]) && std::floor(s) == s) ||
                t.targets[i].sum_sq.value() != s)
                not_binary(t.name);
            pos[i] = static_cast<std::uint64_t>(s);
            n1 += pos[i];
            n += t.counts[i];
        }
        const std::uint64_t n0 = n - n1;
        if (n1 == 0 || n0 == 0)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = std::string("the target holds only y = ") + (n1 == 0 ? "0" : "1") +
                                                   " (in the rows where the column is not missing)",
                                        .fix = "fit on data holding both classes",
                                        .column = t.name});
        std::vector<double> woe;
        for (std::size_t i = 0; i < t.values.size(); ++i) {
            double p1 = static_cast<double>(pos[i]) / static_cast<double>(n1);
            double p0 = static_cast<double>(t.counts[i] - pos[i]) / static_cast<double>(n0);
            if (p1 == 0.0 || p0 == 0.0) {
                if (!params_.fill_value)
                    detail::fail<InvalidInput>(
                        {.component = component_name,
                         .problem = "category '" + t.values[i] + "' holds only rows with y = " + (p1 == 0.0 ? "0" : "1") +
                                    ", so its weight of evidence is infinite",
                         .fix = "group rare categories first (RareLabelEncoder), or set fill_value",
                         .column = t.name});
                if (p1 == 0.0) p1 = *params_.fill_value;
                if (p0 == 0.0) p0 = *params_.fill_value;
            }
            woe.push_back(dmath::log(p1 / p0));
        }
        return woe;
    }

    Params params_;
};

}  // namespace reprep
