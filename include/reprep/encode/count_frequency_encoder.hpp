// reprep::CountFrequencyEncoder — feature-engine's CountFrequencyEncoder over
// categorical Table columns.
//
//   encoding_method = count:      a category -> the number of training rows holding it.
//   encoding_method = frequency:  a category -> count / n, n = the training rows whose
//                                 value is not missing (pandas value_counts(normalize=True)),
//                                 one correctly rounded IEEE division of two integers.
//   unseen = ignore -> NaN, raise -> UnknownCategory, encode -> 0.
//   missing_values = raise: a missing value in fit or transform raises InvalidInput
//                    naming column and row (fit names the column and the count);
//                    ignore: missing is left out of the counts and encodes as NaN.
// Counts are exact integers (mergeable Accumulator); a count above 2^53 would round
// when converted to double. The output replaces each column in place, same names.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"

namespace reprep {

enum class EncodingMethod : std::uint8_t { count, frequency };

class CountFrequencyEncoder : public detail::CategoricalComponent<CountFrequencyEncoder> {
    using Base = detail::CategoricalComponent<CountFrequencyEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables`; empty = every categorical column
        EncodingMethod encoding_method = EncodingMethod::count;
        MissingValues missing_values = MissingValues::raise;
        UnseenPolicy unseen = UnseenPolicy::ignore;
    };

    static constexpr const char* component_name = "CountFrequencyEncoder";
    static constexpr std::string_view kind_name() { return "count_frequency_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = true;

    CountFrequencyEncoder() = default;
    explicit CountFrequencyEncoder(Params p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    // feature-engine's encoder_dict_ for one column: categories sorted by bytes, and
    // their encodings (counts or frequencies).
    const std::vector<std::string>& categories(std::string_view column) const { return columns_[index_of(column)].keys; }
    const std::vector<double>& encodings(std::string_view column) const { return columns_[index_of(column)].values; }

    std::size_t n_features_out() const { return n_features_in(); }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.encoding_method));
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.u8(static_cast<std::uint8_t>(params_.unseen));
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.strs(c.keys);
            w.f64s(c.values);
        }
    }
    static CountFrequencyEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        CountFrequencyEncoder e;
        e.load_base(r);
        e.params_.columns = r.strs();
        const auto m = r.u8(), mv = r.u8(), u = r.u8();
        if (m > 1 || mv > 1 || u > 2) r.fail("an option holds an unknown value");
        e.params_.encoding_method = static_cast<EncodingMethod>(m);
        e.params_.missing_values = static_cast<MissingValues>(mv);
        e.params_.unseen = static_cast<UnseenPolicy>(u);
        const std::size_t n = r.size(16);
        if (n != (e.is_fitted() ? e.feature_names_in().size() : 0)) r.fail("CountFrequencyEncoder state does not match its columns");
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.keys = r.strs();
            c.values = r.f64s();
            if (c.keys.size() != c.values.size() || !detail::strictly_sorted(c.keys))
                r.fail("categories are not sorted, or do not match their encodings");
            e.columns_.push_back(std::move(c));
        }
        return e;
    }

private:
    struct Column {
        std::vector<std::string> keys;  // sorted by bytes
        std::vector<double> values;
    };
    struct Slot {
        double value = 0.0;
        std::uint8_t reject = 0;  // 1 unseen (raise), 2 missing (raise)
    };

    // Out-of-range enums (cast integers) would otherwise act as frequency / ignore / raise.
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (static_cast<unsigned>(p.encoding_method) > static_cast<unsigned>(EncodingMethod::frequency))
            detail::invalid_parameter(component_name, "encoding_method", "holds an unknown value", "use count or frequency");
        if (static_cast<unsigned>(p.missing_values) > static_cast<unsigned>(MissingValues::ignore))
            detail::invalid_parameter(component_name, "missing_values", "holds an unknown value", "use raise or ignore");
        if (static_cast<unsigned>(p.unseen) > static_cast<unsigned>(UnseenPolicy::encode))
            detail::invalid_parameter(component_name, "unseen", "holds an unknown value", "use ignore, raise or encode");
    }

    std::size_t index_of(std::string_view column) const {
        const auto& names = feature_names_in();
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == column) return j;
        detail::fail<SchemaError>({.component = component_name, .problem = "was not fitted",
                                   .fix = "ask for one of feature_names_in()", .column = std::string(column)});
    }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        columns_.clear();
        for (const auto& t : acc.columns()) {
            if (t.missing > 0 && params_.missing_values == MissingValues::raise)
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = std::to_string(t.missing) + " missing values in fit",
                                            .fix = "impute them first, or set missing_values = ignore",
                                            .column = t.name});
            Column c;
            c.keys = t.values;
            const double n = static_cast<double>(t.non_missing());
            for (auto k : t.counts)
                c.values.push_back(params_.encoding_method == EncodingMethod::count ? static_cast<double>(k)
                                                                                    : static_cast<double>(k) / n);
            columns_.push_back(std::move(c));
        }
    }

    std::vector<std::string> names_out() const { return feature_names_in(); }

    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = detail::find_sorted(c.keys, v);
        if (i >= 0) return {c.values[static_cast<std::size_t>(i)], 0};
        switch (params_.unseen) {
            case UnseenPolicy::ignore: return {std::numeric_limits<double>::quiet_NaN(), 0};
            case UnseenPolicy::encode: return {0.0, 0};
            case UnseenPolicy::raise: break;
        }
        return {0.0, 1};
    }
    Slot slot_of_missing(std::size_t) const {
        if (params_.missing_values == MissingValues::raise) return {0.0, 2};
        return {std::numeric_limits<double>::quiet_NaN(), 0};
    }
    bool rejects(const Slot& s) const { return s.reject != 0; }
    [[noreturn]] void reject(std::size_t j, std::optional<std::string_view> v, std::size_t row) const {
        const std::string& name = feature_names_in()[j];
        if (v) detail::unknown_category(component_name, name, *v, row);
        detail::missing_not_allowed(component_name, name, row, "impute it first, or set missing_values = ignore");
    }
    void emit(std::size_t j, const Slot& s, double* out, std::size_t stride) const { out[j * stride] = s.value; }

    Params params_;
    std::vector<Column> columns_;
};

}  // namespace reprep
