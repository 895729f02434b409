// KeyValueEncoder<D>: the shared state and per-value rule of the encoders that map each
// category of a column to one number (CountFrequencyEncoder, WoEEncoder), on top of
// CategoricalComponent<D>. Only how a column's numbers are computed is left to D.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "categorical_component.hpp"
#include "category_accumulator.hpp"

namespace reprep::detail {

// The encoders that map each category of a column to one number (CountFrequencyEncoder,
// WoEEncoder): per fitted column, the categories sorted by bytes and their numbers,
// looked up by binary search. Params::unseen and Params::missing_values (feature-engine's
// options) decide what an unseen or a missing value becomes. D derives from
// KeyValueEncoder<D>, befriends it and CategoricalComponent<D>, and provides
//   std::vector<double> encode(const ColumnTally& t) const;   one number per t.values[i]
template <class D>
class KeyValueEncoder : public CategoricalComponent<D> {
    friend CategoricalComponent<D>;

public:
    static constexpr bool numeric_output = true;

    // feature-engine's encoder_dict_ for one column: the categories sorted by bytes, and
    // their encodings.
    const std::vector<std::string>& categories(std::string_view column) const {
        return columns_[this->column_index(column)].keys;
    }
    const std::vector<double>& encodings(std::string_view column) const {
        return columns_[this->column_index(column)].values;
    }
    std::size_t n_features_out() const { return this->n_features_in(); }
    // Whether the value of fitted column j is one this encoder learnt; false for a
    // category outside its encodings (encoded per `unseen`). The drift monitor counts the
    // false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && find_sorted(columns_[j].keys, v) >= 0;
    }

protected:
    struct Column {
        std::vector<std::string> keys;  // sorted by bytes
        std::vector<double> values;
    };
    struct Slot {
        double value = 0.0;
        std::uint8_t reject = 0;  // 1 unseen (raise), 2 missing (raise)
    };

    // The fitted state's bytes, after the Params.
    void save_columns(ArchiveWriter& w) const {
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.strs(c.keys);
            w.f64s(c.values);
        }
    }
    void load_columns(ArchiveReader& r) {
        const std::size_t n = this->load_column_count(r, 16);
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.keys = r.strs();
            c.values = r.f64s();
            if (c.keys.size() != c.values.size() || !strictly_sorted(c.keys))
                r.fail("categories are not sorted, or do not match their encodings");
            columns_.push_back(std::move(c));
        }
    }

private:
    void fit_tallies(const CategoryAccumulator& acc) {
        std::vector<Column> cols;
        for (const auto& t : acc.columns()) {
            if (self().params().missing_values == MissingValues::raise)
                refuse_missing_in_fit(D::component_name, t, "impute them first, or set missing_values = ignore");
            cols.push_back({t.values, self().encode(t)});
        }
        columns_ = std::move(cols);
    }

    std::vector<std::string> names_out() const { return this->feature_names_in(); }

    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = find_sorted(c.keys, v);
        if (i >= 0) return {c.values[static_cast<std::size_t>(i)], 0};
        switch (self().params().unseen) {
            case UnseenPolicy::ignore: return {std::numeric_limits<double>::quiet_NaN(), 0};
            case UnseenPolicy::encode: return {0.0, 0};
            case UnseenPolicy::raise: break;
        }
        return {0.0, 1};
    }
    Slot slot_of_missing(std::size_t) const {
        if (self().params().missing_values == MissingValues::raise) return {0.0, 2};
        return {std::numeric_limits<double>::quiet_NaN(), 0};
    }
    bool rejects(const Slot& s) const { return s.reject != 0; }
    [[noreturn]] void reject(std::size_t j, std::optional<std::string_view> v, std::size_t row) const;
    void emit(std::size_t j, const Slot& s, double* out, std::size_t stride) const { out[j * stride] = s.value; }

    const D& self() const { return static_cast<const D&>(*this); }

    std::vector<Column> columns_;
};

template <class D>
void KeyValueEncoder<D>::reject(std::size_t j, std::optional<std::string_view> v, std::size_t row) const {
    const std::string& name = this->feature_names_in()[j];
    if (v) unknown_category(D::component_name, name, *v, row);
    missing_not_allowed(D::component_name, name, row, "impute it first, or set missing_values = ignore");
}

}  // namespace reprep::detail
