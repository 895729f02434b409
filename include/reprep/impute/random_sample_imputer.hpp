// reprep::RandomSampleImputer — feature-engine's RandomSampleImputer over numeric and
// categorical Table columns: each missing value is replaced by a value drawn at random
// from that column's training values (missing ones excluded), so the column keeps its
// distribution.
//
// Fitted state: per imputed column, the training values as a canonical multiset —
// numeric values sorted by the IEEE total order (order_key: -0.0 before +0.0, NaN
// dropped), categorical values as distinct strings sorted by bytes with their counts.
// It depends only on the multiset of training rows; the Accumulator merges such
// multisets exactly (ValueAccumulator for numbers, count merges for strings).
//
// A draw picks k = Rng::uniform_int(N) (N = the column's non-missing training values)
// and imputes the k-th value of the canonical order (for strings, the value whose
// cumulative count first exceeds k). Where the k comes from is set by seeding_method:
//
//   general      one Rng(seed) stream for the whole transform call, consumed in row
//                order, and within a row in column order (the order of the imputed
//                columns), one draw per missing cell. A row's imputed values therefore
//                depend on the rows before it in the batch; a single-row call is a batch
//                of one. (feature-engine 'general' draws column by column with pandas'
//                sample; the streams differ anyway.)
//   observation  the draw for the missing cell (row, column) comes from
//                Rng::keyed(seed, key), key = canonical("random_sample_imputer"),
//                canonical(column name), then the row's values of the variables_seed
//                columns in that order (detail::append_canonical; NaN and missing
//                strings as append_missing). The same observation gets the same
//                imputed value in any batch, in any position, in research and in
//                production, and the single-row path gives the batch's bits. Seed values
//                are read before imputation. This replaces feature-engine's seed =
//                round(sum or product of the seed variables), which collides (rows
//                (1, 2) and (2, 1) share a seed); XXH3-128 over tagged bytes does not
//                collide in practice, and the column name in the key keeps two columns
//                with the same training values from drawing in lockstep.
//
// Params follow feature-engine: `variables` -> columns (empty = every column of the fit
// table), random_state as a list of variables -> variables_seed, `seed`
// ('general'/'observation') -> seeding_method, random_state as an int -> seed;
// feature-engine's seeding_method ('add'/'multiply') has no counterpart (the key is hashed).
//
// Columns: feature_names_in() lists the imputed columns, then the variables_seed columns
// that are not imputed (read, passed through unchanged); feature_names_out() is the same
// list. column_types() gives each one's type as seen in fit; transform checks them
// (SchemaError). A column with no non-missing training value cannot be imputed: fit
// raises InvalidInput naming it.
//
// Single-row path: transform_row(numbers, texts, numbers_out, texts_out), four spans of
// n_features_in() entries in feature_names_in() order; column k reads numbers[k] if it is
// numeric, texts[k] if categorical (the other entry is ignored), and writes the same
// slot of the outputs. Strings written point into the fitted state or the input. No
// allocation per row: the key is hashed as it is encoded (detail::Xxh3Stream), not
// built in a buffer, so seed strings of any length cost no memory.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/quantile.hpp"
#include "../core/rng.hpp"
#include "../core/table.hpp"
#include "../component/categorical_component.hpp"
#include "detail/random_sample_accumulator.hpp"

namespace reprep {

enum class SeedingMethod : std::uint8_t { general, observation };

class RandomSampleImputer {
public:
    struct Params {
        std::vector<std::string> columns = {};         // feature-engine's `variables`; empty = every column
        std::vector<std::string> variables_seed = {};  // observation: the columns whose values key a row's draws
        SeedingMethod seeding_method = SeedingMethod::general;
        std::uint64_t seed = 0;  // feature-engine's random_state (as an int)
    };

    static constexpr const char* component_name = detail::random_sample_imputer_name;
    static constexpr std::string_view kind_name() { return "random_sample_imputer"; }
    static constexpr std::uint32_t schema_version = 1;

    // Mergeable canonical multisets of the training values, per imputed column
    // (impute/detail/random_sample_accumulator.hpp).
    using Accumulator = detail::RandomSampleAccumulator;

    RandomSampleImputer() = default;
    // A template, so that RandomSampleImputer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit RandomSampleImputer(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator(params_.columns, params_.variables_seed); }

    RandomSampleImputer& fit(const Table& t) {
        Accumulator acc = accumulator();
        acc.update(t);
        return fit(acc);
    }
    RandomSampleImputer& fit(const Accumulator& acc);
    Table transform(const Table& t) const;
    Table fit_transform(const Table& t) {
        fit(t);
        return transform(t);
    }

    bool is_fitted() const { return fitted_; }
    std::size_t n_features_in() const { require_fitted(); return names_in_.size(); }
    const std::vector<std::string>& feature_names_in() const { require_fitted(); return names_in_; }
    std::vector<std::string> feature_names_out() const { require_fitted(); return names_in_; }
    const std::vector<ColumnType>& column_types() const { require_fitted(); return types_in_; }
    // The imputed columns: the first imputed_columns().size() entries of feature_names_in().
    std::vector<std::string> imputed_columns() const {
        require_fitted();
        return {names_in_.begin(), names_in_.begin() + static_cast<std::ptrdiff_t>(pools_.size())};
    }
    // The canonical training multiset of a numeric column (sorted by order_key).
    std::span<const double> numeric_pool(std::string_view column) const { return pool(column, ColumnType::numeric).numbers; }
    // A categorical column's distinct training values (sorted by bytes) and their counts.
    const std::vector<std::string>& categories(std::string_view column) const { return pool(column, ColumnType::categorical).values; }
    std::vector<std::uint64_t> category_counts(std::string_view column) const {
        const Pool& p = pool(column, ColumnType::categorical);
        std::vector<std::uint64_t> c(p.cumulative.size());
        for (std::size_t i = 0; i < c.size(); ++i) c[i] = p.cumulative[i] - (i ? p.cumulative[i - 1] : 0);
        return c;
    }

    void transform_row(std::span<const double> numbers, std::span<const std::optional<std::string_view>> texts,
                       std::span<double> numbers_out, std::span<std::optional<std::string_view>> texts_out) const;

    void save_state(ArchiveWriter& w) const;
    static RandomSampleImputer load_state(ArchiveReader& r, std::uint32_t schema_version);

private:
    struct Pool {
        ColumnType type = ColumnType::numeric;
        std::vector<double> numbers;           // numeric: sorted by order_key
        std::vector<std::string> values;       // categorical: sorted by bytes
        std::vector<std::uint64_t> cumulative; // categorical: running counts
        std::uint64_t size() const { return type == ColumnType::numeric ? numbers.size() : cumulative.back(); }
        std::size_t category_at(std::uint64_t k) const {
            return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), k) - cumulative.begin());
        }
    };

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        detail::validate_columns(component_name, p.variables_seed);
        if (p.seeding_method != SeedingMethod::general && p.seeding_method != SeedingMethod::observation)
            detail::invalid_parameter(component_name, "seeding_method", "holds an unknown value",
                                      "use seeding_method = general or observation");
        if (p.seeding_method == SeedingMethod::observation && p.variables_seed.empty())
            detail::invalid_parameter(component_name, "variables_seed",
                                      "seeding_method = observation needs the columns whose values key each row's draws",
                                      "name the seed columns in variables_seed, or use seeding_method = general");
        if (p.seeding_method == SeedingMethod::general && !p.variables_seed.empty())
            detail::invalid_parameter(component_name, "variables_seed", "is only used with seeding_method = observation",
                                      "leave variables_seed empty, or use seeding_method = observation");
    }

    void require_fitted() const {
        if (!fitted_) detail::not_fitted(component_name);
    }

    const Pool& pool(std::string_view column, ColumnType type) const {
        require_fitted();
        for (std::size_t j = 0; j < pools_.size(); ++j)
            if (names_in_[j] == column && pools_[j].type == type) return pools_[j];
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = std::string("is not an imputed ") + std::string(to_string(type)) + " column",
                                   .fix = "ask for one of imputed_columns() of that type",
                                   .column = std::string(column)});
    }

    // Fills key = prefix of column j + the canonical seed values (already in `row_key`).
    void key_prefix(std::string& key, std::size_t j) const {
        key.clear();
        detail::append_canonical(key, std::string_view(kind_name()));
        detail::append_canonical(key, std::string_view(names_in_[j]));
    }
    std::uint64_t draw_keyed(std::size_t j, std::string& key, std::string_view row_key) const {
        key_prefix(key, j);
        key.append(row_key.data(), row_key.size());
        return Rng::keyed(params_.seed, key).uniform_int(pools_[j].size());
    }
    // draw_keyed for one record: the same key bytes, hashed as they are encoded.
    std::uint64_t draw_keyed_row(std::size_t j, std::span<const double> numbers,
                                 std::span<const std::optional<std::string_view>> texts) const {
        detail::Xxh3Stream key;
        detail::append_canonical(key, std::string_view(kind_name()));
        detail::append_canonical(key, std::string_view(names_in_[j]));
        for (std::size_t s : seed_index_) {
            if (types_in_[s] == ColumnType::numeric) {
                if (std::isnan(numbers[s])) detail::append_missing(key);
                else detail::append_canonical(key, numbers[s]);
            } else {
                if (!texts[s]) detail::append_missing(key);
                else detail::append_canonical(key, *texts[s]);
            }
        }
        return Rng::keyed(params_.seed, key.digest()).uniform_int(pools_[j].size());
    }
    void finish(std::vector<Pool> pools, std::vector<std::string> names, std::vector<ColumnType> types);

    Params params_;
    bool fitted_ = false;
    std::vector<Pool> pools_;                // imputed columns, in feature_names_in() order
    std::vector<std::string> names_in_;      // imputed columns, then seed-only columns
    std::vector<ColumnType> types_in_;
    std::vector<std::size_t> seed_index_;    // variables_seed[s] is names_in_[seed_index_[s]]
};

// ===========================================================================
// Implementation
// ===========================================================================

inline void RandomSampleImputer::finish(std::vector<Pool> pools, std::vector<std::string> names,
                                        std::vector<ColumnType> types) {
    std::vector<std::size_t> seed_index;
    for (const auto& s : params_.variables_seed)
        seed_index.push_back(static_cast<std::size_t>(std::find(names.begin(), names.end(), s) - names.begin()));
    pools_ = std::move(pools);
    names_in_ = std::move(names);
    types_in_ = std::move(types);
    seed_index_ = std::move(seed_index);
    fitted_ = true;
}

inline RandomSampleImputer& RandomSampleImputer::fit(const Accumulator& acc) {
    check_fp_environment();
    std::vector<std::string> names;
    for (const auto& c : acc.columns()) names.push_back(c.tally.name);
    detail::check_accumulated(component_name, acc.rows(), params_.columns, names);
    if (acc.seed_names() != params_.variables_seed)
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "the accumulator's seed columns differ from Params::variables_seed",
                                   .fix = "create the accumulator with accumulator() from this component"});
    std::vector<Pool> pools;
    std::vector<ColumnType> types;
    for (const auto& c : acc.columns()) {
        Pool p;
        p.type = c.type;
        if (c.type == ColumnType::numeric) {
            const auto s = c.numbers.sorted();
            p.numbers.assign(s.begin(), s.end());
        } else {
            p.values = c.tally.values;
            std::uint64_t run = 0;
            for (auto k : c.tally.counts) p.cumulative.push_back(run += k);
        }
        if ((c.type == ColumnType::numeric ? p.numbers.size() : p.values.size()) == 0)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "every training value of the column is missing, so there is nothing to sample",
                                        .fix = "fit on data with observed values, or leave the column out of the columns parameter",
                                        .column = c.tally.name});
        pools.push_back(std::move(p));
        types.push_back(c.type);
    }
    for (std::size_t s = 0; s < acc.seed_names().size(); ++s) {
        const auto& n = acc.seed_names()[s];
        const auto it = std::find(names.begin(), names.end(), n);
        if (it == names.end()) {
            names.push_back(n);
            types.push_back(acc.seed_types()[s]);
        } else if (types[static_cast<std::size_t>(it - names.begin())] != acc.seed_types()[s]) {
            Accumulator::mismatch();
        }
    }
    finish(std::move(pools), std::move(names), std::move(types));
    return *this;
}

inline Table RandomSampleImputer::transform(const Table& t) const {
    require_fitted();
    check_fp_environment();
    for (std::size_t k = 0; k < names_in_.size(); ++k) {
        // A missing column: Table's SchemaError, raised again under this component's name.
        const ColumnType type = detail::with_component(component_name, [&] { return t.type(names_in_[k]); });
        if (type != types_in_[k])
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = std::string("is ") + std::string(to_string(type)) +
                                                  " but was " + std::string(to_string(types_in_[k])) + " in fit",
                                       .fix = "pass the column with the type it had in fit",
                                       .column = names_in_[k]});
    }
    const std::size_t n = t.num_rows(), J = pools_.size();
    // Output columns, and a cheap per-row "is missing" view of the inputs.
    std::vector<std::vector<double>> num(J);
    std::vector<CategoricalColumn> cat(J);
    std::vector<const CategoricalColumn*> cat_in(J, nullptr);
    std::vector<const double*> num_in(J, nullptr);
    for (std::size_t j = 0; j < J; ++j) {
        if (pools_[j].type == ColumnType::numeric) {
            const auto x = t.numeric(names_in_[j]);
            num[j].assign(x.begin(), x.end());
            num_in[j] = x.data();
        } else {
            cat[j] = t.categorical(names_in_[j]);
            cat_in[j] = &t.categorical(names_in_[j]);
        }
    }
    // Imputed strings get a dictionary code on first use (lookup only, never iterated).
    constexpr std::int32_t unset = std::numeric_limits<std::int32_t>::min();
    std::vector<std::vector<std::int32_t>> code_of(J);
    std::vector<std::unordered_map<std::string_view, std::int32_t>> dict(J);
    auto code_for = [&](std::size_t j, std::size_t v) {
        auto& codes = code_of[j];
        if (codes.empty()) {
            codes.assign(pools_[j].values.size(), unset);
            for (std::size_t e = 0; e < cat[j].dictionary.size(); ++e) dict[j].emplace(cat[j].dictionary[e], static_cast<std::int32_t>(e));
        }
        if (codes[v] == unset) {
            const std::string& s = pools_[j].values[v];
            const auto it = dict[j].find(s);
            if (it != dict[j].end()) {
                codes[v] = it->second;
            } else {
                codes[v] = static_cast<std::int32_t>(cat[j].dictionary.size());
                cat[j].dictionary.push_back(s);
            }
        }
        return codes[v];
    };
    // Seed columns of the input, for the observation keys.
    struct SeedCol {
        const double* numbers = nullptr;
        const CategoricalColumn* cats = nullptr;
    };
    std::vector<SeedCol> seeds;
    for (std::size_t s : seed_index_) {
        if (types_in_[s] == ColumnType::numeric) seeds.push_back({t.numeric(names_in_[s]).data(), nullptr});
        else seeds.push_back({nullptr, &t.categorical(names_in_[s])});
    }

    Rng general(params_.seed);
    const bool keyed = params_.seeding_method == SeedingMethod::observation;
    std::string row_key, key;
    for (std::size_t i = 0; i < n; ++i) {
        bool have_row_key = false;
        for (std::size_t j = 0; j < J; ++j) {
            const bool missing = num_in[j] ? std::isnan(num_in[j][i]) : cat_in[j]->codes[i] < 0;
            if (!missing) continue;
            if (keyed && !have_row_key) {
                row_key.clear();
                for (const auto& s : seeds) {
                    if (s.numbers) {
                        if (std::isnan(s.numbers[i])) detail::append_missing(row_key);
                        else detail::append_canonical(row_key, s.numbers[i]);
                    } else {
                        const std::int32_t c = s.cats->codes[i];
                        if (c < 0) detail::append_missing(row_key);
                        else detail::append_canonical(row_key, std::string_view(s.cats->dictionary[static_cast<std::size_t>(c)]));
                    }
                }
                have_row_key = true;
            }
            const std::uint64_t k = keyed ? draw_keyed(j, key, row_key) : general.uniform_int(pools_[j].size());
            if (num_in[j]) num[j][i] = pools_[j].numbers[static_cast<std::size_t>(k)];
            else cat[j].codes[i] = code_for(j, pools_[j].category_at(k));
        }
    }
    Table result = t;
    for (std::size_t j = 0; j < J; ++j) {
        // By the fitted type: a table with no row has null data pointers.
        if (pools_[j].type == ColumnType::numeric) result.set_numeric(names_in_[j], std::move(num[j]));
        else result.set_categorical(names_in_[j], std::move(cat[j]));
    }
    return result;
}

inline void RandomSampleImputer::transform_row(std::span<const double> numbers,
                                               std::span<const std::optional<std::string_view>> texts,
                                               std::span<double> numbers_out,
                                               std::span<std::optional<std::string_view>> texts_out) const {
    require_fitted();
    const std::size_t K = names_in_.size();
    if (numbers.size() != K || texts.size() != K || numbers_out.size() != K || texts_out.size() != K)
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "the row spans must each hold " + std::to_string(K) + " entries",
                                   .fix = "size every span as n_features_in(), in feature_names_in() order"});
    // Copy first: the outputs may alias nothing the key reads, since the key reads the inputs.
    for (std::size_t k = 0; k < K; ++k) {
        numbers_out[k] = numbers[k];
        texts_out[k] = texts[k];
    }
    Rng general(params_.seed);
    const bool keyed = params_.seeding_method == SeedingMethod::observation;
    for (std::size_t j = 0; j < pools_.size(); ++j) {
        const bool is_num = pools_[j].type == ColumnType::numeric;
        const bool missing = is_num ? std::isnan(numbers[j]) : !texts[j].has_value();
        if (!missing) continue;
        const std::uint64_t k = keyed ? draw_keyed_row(j, numbers, texts) : general.uniform_int(pools_[j].size());
        if (is_num) numbers_out[j] = pools_[j].numbers[static_cast<std::size_t>(k)];
        else texts_out[j] = std::string_view(pools_[j].values[pools_[j].category_at(k)]);
    }
}

inline void RandomSampleImputer::save_state(ArchiveWriter& w) const {
    w.strs(params_.columns);
    w.strs(params_.variables_seed);
    w.u8(static_cast<std::uint8_t>(params_.seeding_method));
    w.u64(params_.seed);
    w.boolean(fitted_);
    if (!fitted_) return;
    w.strs(names_in_);
    w.size(types_in_.size());
    for (auto t : types_in_) w.u8(static_cast<std::uint8_t>(t));
    w.size(pools_.size());
    for (const auto& p : pools_) {
        if (p.type == ColumnType::numeric) {
            w.f64s(p.numbers);
        } else {
            w.strs(p.values);
            std::uint64_t prev = 0;
            w.size(p.cumulative.size());
            for (auto c : p.cumulative) {
                w.u64(c - prev);
                prev = c;
            }
        }
    }
}

inline RandomSampleImputer RandomSampleImputer::load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
    RandomSampleImputer e;
    Params& p = e.params_;
    p.columns = r.strs();
    p.variables_seed = r.strs();
    const auto sm = r.u8();
    if (sm > 1) r.fail("unknown seeding_method " + std::to_string(sm));
    p.seeding_method = static_cast<SeedingMethod>(sm);
    p.seed = r.u64();
    detail::revalidate(r, [&] { validate(p); });
    if (!r.boolean()) return e;
    auto names = r.strs();
    const std::size_t nt = r.size(1);
    if (nt != names.size()) r.fail("column types do not match the columns");
    std::vector<ColumnType> types;
    for (std::size_t k = 0; k < nt; ++k) {
        const auto t = r.u8();
        if (t > 1) r.fail("unknown column type");
        types.push_back(static_cast<ColumnType>(t));
    }
    const std::size_t np = r.size(8);
    if (np > names.size()) r.fail("more imputed columns than columns");
    std::vector<Pool> pools;
    for (std::size_t j = 0; j < np; ++j) {
        Pool q;
        q.type = types[j];
        if (q.type == ColumnType::numeric) {
            q.numbers = r.f64s();
            for (std::size_t i = 0; i < q.numbers.size(); ++i)
                if (std::isnan(q.numbers[i]) || (i && order_key(q.numbers[i - 1]) > order_key(q.numbers[i])))
                    r.fail("numeric training values are not sorted or hold NaN");
            if (q.numbers.empty()) r.fail("an imputed column holds no training value");
        } else {
            q.values = r.strs();
            if (!detail::strictly_sorted(q.values)) r.fail("category values are not distinct and sorted by bytes");
            const std::size_t nc = r.size(8);
            if (nc != q.values.size() || nc == 0) r.fail("category counts do not match the values");
            std::uint64_t run = 0;
            for (std::size_t i = 0; i < nc; ++i) {
                const std::uint64_t c = r.u64();
                if (c == 0 || run + c < run) r.fail("a category count is zero or overflows");
                q.cumulative.push_back(run += c);
            }
        }
        pools.push_back(std::move(q));
    }
    // Every seed column must be among the names; names must be distinct.
    {
        std::vector<std::string> s = names;
        std::sort(s.begin(), s.end());
        if (std::adjacent_find(s.begin(), s.end()) != s.end()) r.fail("a column is listed twice");
        for (const auto& v : p.variables_seed)
            if (std::find(names.begin(), names.end(), v) == names.end()) r.fail("a seed column is not among the columns");
        if (names.size() - np > p.variables_seed.size()) r.fail("columns beyond the imputed ones are not seed columns");
    }
    e.finish(std::move(pools), std::move(names), std::move(types));
    return e;
}

}  // namespace reprep
