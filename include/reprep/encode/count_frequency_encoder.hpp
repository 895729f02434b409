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

#include "../component/key_value_encoder.hpp"

namespace reprep {

enum class EncodingMethod : std::uint8_t { count, frequency };

class CountFrequencyEncoder : public detail::KeyValueEncoder<CountFrequencyEncoder> {
    friend detail::KeyValueEncoder<CountFrequencyEncoder>;
    friend detail::CategoricalComponent<CountFrequencyEncoder>;

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

    CountFrequencyEncoder() = default;
    // A template, so that CountFrequencyEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit CountFrequencyEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.encoding_method));
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.u8(static_cast<std::uint8_t>(params_.unseen));
        save_columns(w);
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
        e.load_columns(r);
        return e;
    }

private:
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

    // feature-engine's count, or frequency = count / n over the rows with a value: one
    // correctly rounded division of two integers.
    std::vector<double> encode(const detail::ColumnTally& t) const {
        const double n = static_cast<double>(t.non_missing());
        std::vector<double> values;
        for (auto k : t.counts)
            values.push_back(params_.encoding_method == EncodingMethod::count ? static_cast<double>(k)
                                                                              : static_cast<double>(k) / n);
        return values;
    }

    Params params_;
};

}  // namespace reprep
