// reprep::HashingEncoder — feature hashing of categorical Table columns into
// n_components shared numeric outputs (category_encoders' HashingEncoder, with
// scikit-learn FeatureHasher's alternate_sign), hashed with XXH3 so every platform
// gives the same bits.
//
//   h      = XXH3_64(value bytes, seed = XXH3_64(column name bytes))
//            (a missing value hashes the empty byte string with seed + 1, so it is a
//            value of its own, distinct from "")
//   index  = h mod n_components
//   sign   = alternate_sign ? (h's top bit set ? -1 : +1) : +1
//   out[index] += sign, summed over the fitted columns (small integers: exact).
// Outputs are named hash_0 .. hash_{n_components-1}. Fit only records the columns;
// there is no other state, so any two fits on the same columns are equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/hash.hpp"
#include "../component/categorical_component.hpp"

namespace reprep {

class HashingEncoder : public detail::CategoricalComponent<HashingEncoder> {
    using Base = detail::CategoricalComponent<HashingEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // empty = every categorical column
        std::size_t n_components = 8;           // in [1, 65536]
        bool alternate_sign = false;            // scikit-learn FeatureHasher's option
    };

    static constexpr const char* component_name = "HashingEncoder";
    static constexpr std::string_view kind_name() { return "hashing_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = true;

    HashingEncoder() = default;
    // A template, so that HashingEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit HashingEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    std::size_t n_features_out() const { require_fitted(); return params_.n_components; }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u64(params_.n_components);
        w.boolean(params_.alternate_sign);
    }
    static HashingEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        HashingEncoder e;
        e.load_base(r);
        e.params_.columns = r.strs();
        e.params_.n_components = r.u64();
        e.params_.alternate_sign = r.boolean();
        detail::revalidate(r, [&] { validate(e.params_); });
        if (e.is_fitted()) e.seed_columns();
        return e;
    }

private:
    struct Slot {
        std::uint32_t index = 0;
        double sign = 1.0;
    };

    static constexpr std::size_t max_components = std::size_t{1} << 16;

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        // Outputs are dense columns, each with a name: 2^16 of them is already far more
        // than a dense table can hold usefully, and the cap keeps a corrupted artifact
        // from asking for gigabytes of names (found by fuzzing).
        if (p.n_components < 1 || p.n_components > max_components)
            detail::invalid_parameter(component_name, "n_components", "must be in [1, 65536]",
                                      "use n_components from 1 to 65536 (the default is 8)");
    }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        seeds_.clear();
        for (const auto& t : acc.columns()) seeds_.push_back(xxh3_64(t.name));
    }
    void seed_columns() {
        seeds_.clear();
        for (const auto& n : feature_names_in()) seeds_.push_back(xxh3_64(n));
    }

    std::vector<std::string> names_out() const {
        std::vector<std::string> out;
        for (std::size_t k = 0; k < params_.n_components; ++k) out.push_back("hash_" + std::to_string(k));
        return out;
    }

    Slot slot_from(std::uint64_t h) const {
        Slot s;
        s.index = static_cast<std::uint32_t>(h % params_.n_components);
        s.sign = params_.alternate_sign && (h >> 63) != 0 ? -1.0 : 1.0;
        return s;
    }
    Slot slot_of(std::size_t j, std::string_view v) const { return slot_from(xxh3_64(v, seeds_[j])); }
    Slot slot_of_missing(std::size_t j) const { return slot_from(xxh3_64(std::string_view(), seeds_[j] + 1)); }
    void emit(std::size_t, const Slot& s, double* out, std::size_t stride) const { out[s.index * stride] += s.sign; }

    Params params_;
    std::vector<std::uint64_t> seeds_;  // derived from the fitted column names
};

}  // namespace reprep
