// reprep::describe_state — the fitted state of a built-in component as readable lines,
// one or more per column: medians, caps, kept categories, encodings, lambdas, edges.
// reprep-inspect prints them under each step, so that "why did this prediction change?"
// can be answered from the artifact alone (docs/pipeline.md, "Inspecting an artifact").
//
// Presentation only: it reads the components' public accessors and changes nothing.
// Numbers are printed with %.17g, which round-trips a double, so a printed value can be
// compared bit for bit with the training side's. A list longer than max_items is cut to
// "a, b, c, ... (N in all)"; pass SIZE_MAX (reprep-inspect --full) for every item.
//
// Like builtin_kinds.hpp, this header knows every component; compose may, the
// components must not know it. A built-in kind without an overload here does not
// compile (describe_builtin_step names each one), and tests/compose/test_describe.cpp
// checks that every kind's summary names each of its columns.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "builtin_kinds.hpp"
#include "describe_text.hpp"
#include "step.hpp"

namespace reprep {

namespace detail {

// What a category unseen in fit becomes: printed because it is the usual answer to
// "why did this prediction change?" (a new category absorbed silently).
inline std::string unseen_policy(UnseenPolicy u) {
    return u == UnseenPolicy::ignore ? "unseen categories -> nan"
           : u == UnseenPolicy::encode ? "unseen categories -> 0"
                                       : "unseen categories -> error";
}
inline const char* handle_unknown_name(HandleUnknown h) {
    return h == HandleUnknown::error                 ? "error"
           : h == HandleUnknown::ignore              ? "ignore (all zeros)"
           : h == HandleUnknown::infrequent_if_exist ? "infrequent_if_exist"
                                                     : "use_encoded_value";
}

// Builds the lines of a numeric component: an optional header line of options, then
// `line(j)` for each fitted column j, as "name: <line>".
template <class C, class Line>
std::vector<std::string> per_column(const C& c, std::size_t max_items, std::string header, Line&& line) {
    check_max_items(max_items);
    if (!c.is_fitted()) return {"not fitted"};
    std::vector<std::string> out;
    if (!header.empty()) out.push_back(std::move(header));
    const auto& names = c.feature_names_in();
    for (std::size_t j = 0; j < names.size(); ++j) out.push_back(printable(names[j]) + ": " + line(j, names[j]));
    return out;
}

}  // namespace detail

// ---- scale/ -------------------------------------------------------------------------

// c.mean() here and in PowerTransformer's summary is the component's fitted-state
// accessor (scikit-learn's mean_), read and printed; no reduction is computed here.
template <class T>
std::vector<std::string> describe_state(const StandardScaler<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        return std::string("mean ") + (p.with_mean ? detail::value_at(c.mean(), j) : "- (with_mean off)") + ", scale " +
               (p.with_std ? detail::value_at(c.scale(), j) : "- (with_std off)");
    });
}

template <class T>
std::vector<std::string> describe_state(const MinMaxScaler<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(
        c, max_items,
        "feature_range [" + detail::exact_number(p.feature_range[0]) + ", " + detail::exact_number(p.feature_range[1]) +
            "], clip " + detail::yes_no(p.clip),
        [&](std::size_t j, const std::string&) {
            return "data min " + detail::value_at(c.data_min(), j) + ", data max " + detail::value_at(c.data_max(), j) + ", scale " +
                   detail::value_at(c.scale(), j) + ", min " + detail::value_at(c.min(), j);
        });
}

template <class T>
std::vector<std::string> describe_state(const MaxAbsScaler<T>& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        return "max abs " + detail::value_at(c.max_abs(), j) + ", scale " + detail::value_at(c.scale(), j);
    });
}

template <class T>
std::vector<std::string> describe_state(const RobustScaler<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(
        c, max_items,
        "quantile_range [" + detail::exact_number(p.quantile_range[0]) + ", " + detail::exact_number(p.quantile_range[1]) +
            "], unit_variance " + detail::yes_no(p.unit_variance),
        [&](std::size_t j, const std::string&) {
            return "center " + (p.with_centering ? detail::value_at(c.center(), j) : std::string("- (with_centering off)")) +
                   ", scale " + (p.with_scaling ? detail::value_at(c.scale(), j) : std::string("- (with_scaling off)"));
        });
}

// No fitted numbers: each row is divided by its own norm over these columns.
template <class T>
std::vector<std::string> describe_state(const Normalizer<T>& c, std::size_t max_items) {
    detail::check_max_items(max_items);
    if (!c.is_fitted()) return {"not fitted"};
    const Norm n = c.params().norm;
    const char* name = n == Norm::l1 ? "l1" : n == Norm::l2 ? "l2" : "max";
    return {std::string("each row divided by its ") + name + " norm over: " +
            detail::short_list(c.feature_names_in(), max_items)};
}

template <class T>
std::vector<std::string> describe_state(const Binarizer<T>& c, std::size_t max_items) {
    const std::string t = detail::exact_number(c.params().threshold);
    return detail::per_column(c, max_items, "", [&](std::size_t, const std::string&) { return "1 above " + t + ", else 0"; });
}

// ---- impute/ ------------------------------------------------------------------------

template <class T>
std::vector<std::string> describe_state(const SimpleImputer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    const char* what = p.strategy == ImputeStrategy::mean     ? "mean"
                       : p.strategy == ImputeStrategy::median ? "median"
                       : p.strategy == ImputeStrategy::most_frequent ? "most frequent"
                                                                     : "constant";
    auto out = detail::per_column(c, max_items, std::string("strategy ") + what, [&](std::size_t j, const std::string&) {
        const bool dropped = j < c.statistics().size() && std::isnan(c.statistics()[j]);
        return std::string("fills missing with ") + what + " " + detail::value_at(c.statistics(), j) +
               (dropped && !p.keep_empty_features ? " (no value in fit: column dropped)" : "");
    });
    if (c.is_fitted() && p.add_indicator) {
        std::vector<std::string> flagged;
        for (auto f : c.indicator_features()) flagged.push_back(c.feature_names_in().at(static_cast<std::size_t>(f)));
        out.push_back("missing indicator for: " + (flagged.empty() ? std::string("none") : detail::short_list(flagged, max_items)));
    }
    return out;
}

template <class T>
std::vector<std::string> describe_state(const MissingIndicator<T>& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        for (auto f : c.features())
            if (f == j) return std::string("indicator column");
        return std::string("no indicator (no missing value in fit)");
    });
}

template <class T>
std::vector<std::string> describe_state(const EndTailImputer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    const char* method = p.imputation_method == EndTailMethod::gaussian ? "gaussian"
                         : p.imputation_method == EndTailMethod::iqr    ? "iqr"
                                                                        : "max";
    return detail::per_column(
        c, max_items,
        std::string("method ") + method + ", tail " + (p.tail == EndTailSide::right ? "right" : "left") + ", fold " +
            detail::exact_number(p.fold),
        [&](std::size_t j, const std::string&) { return "fills missing with " + detail::value_at(c.imputer_values(), j); });
}

// ---- transform/ ---------------------------------------------------------------------

template <class T>
std::vector<std::string> describe_state(const LogTransformer<T>& c, std::size_t max_items) {
    const char* base = c.params().base == LogBase::e ? "e" : "10";
    return detail::per_column(c, max_items, std::string("log base ") + base, [&](std::size_t j, const std::string&) {
        return "log(x + C), C " + detail::value_at(c.C(), j);
    });
}

template <class T>
std::vector<std::string> describe_state(const PowerTransformer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(
        c, max_items,
        std::string("method ") + (p.method == PowerMethod::yeo_johnson ? "yeo-johnson" : "box-cox") + ", standardize " +
            detail::yes_no(p.standardize),
        [&](std::size_t j, const std::string&) {
            std::string s = "lambda " + detail::value_at(c.lambdas(), j);
            if (p.standardize) s += ", mean " + detail::value_at(c.mean(), j) + ", scale " + detail::value_at(c.scale(), j);
            return s;
        });
}

template <class T>
std::vector<std::string> describe_state(const QuantileTransformer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    auto out = detail::per_column(
        c, max_items,
        std::string("output ") + (p.output_distribution == QuantileOutput::uniform ? "uniform" : "normal"),
        [&](std::size_t j, const std::string&) { return "quantiles " + detail::number_list(c.quantiles(j), max_items); });
    if (c.is_fitted()) out.insert(out.begin() + 1, "references " + detail::number_list(c.references(), max_items));
    return out;
}

template <class T>
std::vector<std::string> describe_state(const CyclicalFeatures<T>& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        return "period (max value) " + detail::value_at(c.max_values(), j) + ", writes sin and cos";
    });
}

// ---- discretise/ --------------------------------------------------------------------

template <class T>
std::vector<std::string> describe_state(const KBinsDiscretizer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    const char* strategy = p.strategy == KBinsStrategy::uniform    ? "uniform"
                           : p.strategy == KBinsStrategy::quantile ? "quantile"
                                                                   : "kmeans";
    return detail::per_column(
        c, max_items,
        std::string("strategy ") + strategy + ", encode " + (p.encode == KBinsEncode::ordinal ? "ordinal" : "onehot-dense"),
        [&](std::size_t j, const std::string&) {
            const auto& e = c.bin_edges(j);
            return std::to_string(e.empty() ? 0 : e.size() - 1) + " bins, edges " + detail::number_list(e, max_items);
        });
}

template <class T>
std::vector<std::string> describe_state(const ArbitraryDiscretiser<T>& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        const auto& e = c.binner_dict(j);
        return std::to_string(e.empty() ? 0 : e.size() - 1) + " bins, edges " + detail::number_list(e, max_items);
    });
}

// ---- outliers/ ----------------------------------------------------------------------

template <class T>
std::vector<std::string> describe_state(const Winsorizer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    const char* method = p.capping_method == CappingMethod::gaussian ? "gaussian"
                         : p.capping_method == CappingMethod::iqr    ? "iqr"
                                                                     : "quantiles";
    return detail::per_column(c, max_items, std::string("method ") + method + ", fold " + detail::exact_number(c.fold()),
                              [&](std::size_t j, const std::string&) {
                                  return "lower cap " + detail::cap_at(c.left_tail_caps(), j) + ", upper cap " +
                                         detail::cap_at(c.right_tail_caps(), j);
                              });
}

template <class T>
std::vector<std::string> describe_state(const ArbitraryOutlierCapper<T>& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string&) {
        return "lower cap " + detail::cap_at(c.min_caps(), j) + ", upper cap " + detail::cap_at(c.max_caps(), j);
    });
}


// ---- encode/ ------------------------------------------------------------------------

inline std::vector<std::string> describe_state(const OneHotEncoder& c, std::size_t max_items) {
    const auto& p = c.params();
    const std::string header = std::string("handle_unknown ") + detail::handle_unknown_name(p.handle_unknown) + ", drop " +
                               (p.drop == OneHotDrop::none ? "none" : p.drop == OneHotDrop::first ? "first" : "if_binary");
    return detail::per_column(c, max_items, header, [&](std::size_t, const std::string& name) {
        std::string s = "categories " + detail::short_list(c.categories(name), max_items);
        if (c.has_missing_category(name)) s += "; missing is a category";
        std::vector<std::string> rare;
        for (const auto& v : c.infrequent_categories(name)) rare.push_back(v ? *v : "(missing)");
        if (!rare.empty()) s += "; infrequent " + detail::short_list(rare, max_items);
        return s;
    });
}

// Categories in code order: the i-th is encoded as i.
inline std::vector<std::string> describe_state(const OrdinalEncoder& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(c, max_items, "", [&](std::size_t, const std::string& name) {
        const auto& cats = c.categories(name);
        std::string s = "codes " + detail::short_join(cats.size(), max_items, [&](std::size_t i) {
                            return detail::printable(cats[i]) + " -> " + std::to_string(i);
                        });
        if (c.has_missing_category(name)) s += "; missing -> " + detail::exact_number(p.encoded_missing_value);
        if (p.handle_unknown == HandleUnknown::use_encoded_value && p.unknown_value)
            s += "; unknown -> " + detail::exact_number(*p.unknown_value);
        return s;
    });
}

inline std::vector<std::string> describe_state(const CountFrequencyEncoder& c, std::size_t max_items) {
    const bool count = c.params().encoding_method == EncodingMethod::count;
    return detail::per_column(c, max_items,
                              std::string("encoding ") + (count ? "count" : "frequency") + ", " +
                                  detail::unseen_policy(c.params().unseen),
                              [&](std::size_t, const std::string& name) {
                                  return "encodings " + detail::mapping_list(c.categories(name), c.encodings(name), max_items);
                              });
}

inline std::vector<std::string> describe_state(const RareLabelEncoder& c, std::size_t max_items) {
    const std::string& other = c.params().replace_with;
    return detail::per_column(c, max_items, "", [&](std::size_t, const std::string& name) {
        const auto& kept = c.frequent_categories(name);
        return "kept " + (kept.empty() ? std::string("none") : detail::short_list(kept, max_items)) + "; any other -> " +
               detail::printable(other);
    });
}

// No fitted numbers: each column hashes into the same n_components outputs.
inline std::vector<std::string> describe_state(const HashingEncoder& c, std::size_t max_items) {
    const auto& p = c.params();
    return detail::per_column(
        c, max_items,
        "n_components " + std::to_string(p.n_components) + ", alternate_sign " + detail::yes_no(p.alternate_sign),
        [&](std::size_t, const std::string&) { return std::string("hashed, seeded by its column name"); });
}

inline std::vector<std::string> describe_state(const TargetEncoder& c, std::size_t max_items) {
    if (c.params().target_type == TargetType::multiclass) {
        // Per class: its mean, then per column its encodings (class 0's first).
        std::string header;
        if (c.is_fitted()) {
            header = "classes";
            for (std::size_t k = 0; k < c.classes().size(); ++k)
                header += " " + detail::class_label_name(c.classes()[k]) + " (mean " + detail::exact_number(c.target_means()[k]) + ")";
            header += "; unknown categories get the class means";
        }
        return detail::per_column(c, max_items, header, [&](std::size_t, const std::string& name) {
            std::string s;
            for (std::size_t k = 0; k < c.classes().size(); ++k) {
                const auto m = c.missing_encoding(name, k);
                s += (k ? "; class " : "class ") + detail::class_label_name(c.classes()[k]) + ": encodings " +
                     detail::mapping_list(c.categories(name), c.encodings(name, k), max_items) + ", missing -> " +
                     detail::exact_number(m ? *m : c.target_means()[k]);
            }
            return s;
        });
    }
    const std::string mean = c.is_fitted() ? detail::exact_number(c.target_mean()) : "";
    return detail::per_column(c, max_items, c.is_fitted() ? "target mean " + mean + " (unknown categories get it)" : "",
                              [&](std::size_t, const std::string& name) {
                                  std::string s =
                                      "encodings " + detail::mapping_list(c.categories(name), c.encodings(name), max_items);
                                  const auto m = c.missing_encoding(name);
                                  s += "; missing -> " + (m ? detail::exact_number(*m) : mean);
                                  return s;
                              });
}

inline std::vector<std::string> describe_state(const WoEEncoder& c, std::size_t max_items) {
    return detail::per_column(c, max_items, detail::unseen_policy(c.params().unseen), [&](std::size_t, const std::string& name) {
        return "weights of evidence " + detail::mapping_list(c.categories(name), c.encodings(name), max_items);
    });
}

// ---- impute/ (categorical and mixed) ------------------------------------------------

inline std::vector<std::string> describe_state(const CategoricalImputer& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t, const std::string& name) {
        return "fills missing with " + detail::printable(c.fill_value(name));
    });
}

// The pool each imputed column draws from; the seed-only columns key the draws.
inline std::vector<std::string> describe_state(const RandomSampleImputer& c, std::size_t max_items) {
    const auto& p = c.params();
    const std::string header = std::string("seeding ") +
                               (p.seeding_method == SeedingMethod::general ? "general" : "observation") + ", seed " +
                               std::to_string(p.seed);
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string& name) {
        if (j >= c.imputed_columns().size()) return std::string("not imputed; its value keys each row's draws");
        if (c.column_types()[j] == ColumnType::numeric) {
            const auto pool = c.numeric_pool(name);
            std::string s = "draws from " + std::to_string(pool.size()) + " training values";
            if (!pool.empty()) {
                const auto [lo, hi] = std::minmax_element(pool.begin(), pool.end());
                s += " in [" + detail::exact_number(*lo) + ", " + detail::exact_number(*hi) + "]";
            }
            return s;
        }
        const auto& cats = c.categories(name);
        const auto counts = c.category_counts(name);
        return "draws from " + detail::short_join(cats.size(), max_items, [&](std::size_t i) {
                   return detail::printable(cats[i]) + " (" + std::to_string(counts[i]) + ")";
               });
    });
}

// ---- create/ ------------------------------------------------------------------------

// No fitted numbers: the terms follow from the width and the params.
template <class T>
std::vector<std::string> describe_state(const PolynomialFeatures<T>& c, std::size_t max_items) {
    detail::check_max_items(max_items);
    if (!c.is_fitted()) return {"not fitted"};
    const auto& d = c.params().degree;
    return {"degree " + std::to_string(d.min_degree) + ".." + std::to_string(d.max_degree) +
                (c.params().interaction_only ? ", interaction only" : "") + (c.params().include_bias ? ", bias" : "") +
                ", " + std::to_string(c.n_features_out()) + " terms of: " + detail::short_list(c.feature_names_in(), max_items)};
}
template <class T>
std::vector<std::string> describe_state(const MathFeatures<T>& c, std::size_t max_items) {
    detail::check_max_items(max_items);
    if (!c.is_fitted()) return {"not fitted"};
    std::vector<std::string> funcs;
    for (MathFunc f : c.params().func) funcs.emplace_back(math_func_name(f));
    return {detail::short_list(funcs, max_items) + " across: " + detail::short_list(c.feature_names_in(), max_items)};
}
template <class T>
std::vector<std::string> describe_state(const RelativeFeatures<T>& c, std::size_t max_items) {
    detail::check_max_items(max_items);
    if (!c.is_fitted()) return {"not fitted"};
    std::vector<std::string> funcs, vars, refs;
    for (RelativeFunc f : c.params().func) funcs.emplace_back(relative_func_name(f));
    for (std::uint32_t j : c.variable_index()) vars.push_back(c.feature_names_in()[j]);
    for (std::uint32_t j : c.reference_index()) refs.push_back(c.feature_names_in()[j]);
    return {detail::short_list(funcs, max_items) + " of: " + detail::short_list(vars, max_items) +
            " by: " + detail::short_list(refs, max_items) +
            (c.params().fill_value ? ", fill_value " + detail::exact_number(*c.params().fill_value) : std::string())};
}

// Each column: its base knots (the n_knots from min to max; the padding follows from them).
template <class T>
std::vector<std::string> describe_state(const SplineTransformer<T>& c, std::size_t max_items) {
    const auto& p = c.params();
    const std::size_t d = static_cast<std::size_t>(p.degree);
    return detail::per_column(
        c, max_items,
        "n_knots " + std::to_string(p.n_knots) + ", degree " + std::to_string(p.degree) + ", " +
            (p.knots == SplineKnots::uniform ? "uniform" : "quantile") + ", extrapolation " +
            spline_extrapolation_name(p.extrapolation) + (p.include_bias ? ", bias" : ""),
        [&](std::size_t j, const std::string&) {
            const auto t = c.knots(j);
            const std::vector<double> base(t.begin() + static_cast<std::ptrdiff_t>(d), t.end() - static_cast<std::ptrdiff_t>(d));
            return std::to_string(c.n_splines()) + " splines, knots " + detail::number_list(base, max_items);
        });
}

// ---- select/ ------------------------------------------------------------------------

// Each examined column: kept, or dropped and why.
inline std::vector<std::string> describe_state(const DropConstantFeatures& c, std::size_t max_items) {
    const std::string header = "tol " + detail::exact_number(c.params().tol);
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string&) {
        return std::string(std::binary_search(c.kept_index().begin(), c.kept_index().end(), j) ? "kept" : "dropped (constant)");
    });
}
inline std::vector<std::string> describe_state(const DropDuplicateFeatures& c, std::size_t max_items) {
    return detail::per_column(c, max_items, "", [&](std::size_t j, const std::string& name) {
        if (std::binary_search(c.kept_index().begin(), c.kept_index().end(), j)) return std::string("kept");
        return "dropped (duplicates " + detail::printable(c.duplicate_of(name)) + ")";
    });
}
inline std::vector<std::string> describe_state(const DropCorrelatedFeatures& c, std::size_t max_items) {
    const std::string header = "pearson, threshold " + detail::exact_number(c.params().threshold);
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string& name) {
        if (std::binary_search(c.kept_index().begin(), c.kept_index().end(), j)) return std::string("kept");
        return "dropped (correlated with " + detail::printable(c.correlated_with(name)) + ")";
    });
}

// Each examined column: its PSI, kept or dropped.
inline std::vector<std::string> describe_state(const DropHighPSIFeatures& c, std::size_t max_items) {
    if (!c.is_fitted()) return detail::per_column(c, max_items, "", [](std::size_t, const std::string&) { return std::string(); });
    const auto& p = c.params();
    const std::string header = "split by " + detail::printable(p.split_col) + " at cut_off " + detail::exact_number(c.cut_off()) +
                               (p.switch_sets ? " (switched)" : "") + ", " + std::to_string(p.bins) +
                               (p.strategy == PsiStrategy::equal_frequency ? " equal-frequency" : " equal-width") +
                               " bins, threshold " + detail::exact_number(p.threshold);
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string&) {
        const bool kept = std::binary_search(c.kept_index().begin(), c.kept_index().end(), j);
        return "PSI " + detail::exact_number(c.psi_values()[j]) + (kept ? ", kept" : ", dropped");
    });
}

// ---- datetime/ ----------------------------------------------------------------------

// Nothing is learnt from the values: each read column and what it becomes.
inline std::vector<std::string> describe_state(const DatetimeFeatures& c, std::size_t max_items) {
    const std::string header = std::string("missing values ") +
                               (c.params().missing_values == MissingValues::raise ? "raise" : "ignore") +
                               (c.params().drop_original ? ", originals dropped" : ", originals kept");
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string&) {
        const auto out = c.feature_names_out();
        const std::size_t kept = out.size() - c.n_new_features(), per = c.n_new_features() / c.feature_names_in().size();
        return "-> " + detail::short_list(std::vector<std::string>(out.begin() + static_cast<std::ptrdiff_t>(kept + j * per),
                                                                   out.begin() + static_cast<std::ptrdiff_t>(kept + (j + 1) * per)),
                                          max_items);
    });
}
inline std::vector<std::string> describe_state(const DatetimeSubtraction& c, std::size_t max_items) {
    const auto& p = c.params();
    const std::string header = "unit " + p.output_unit + ", missing values " +
                               (p.missing_values == MissingValues::raise ? "raise" : "ignore") +
                               (p.drop_original ? ", originals dropped" : ", originals kept");
    return detail::per_column(c, max_items, header, [&](std::size_t j, const std::string&) {
        const bool is_column = j < p.columns.size();
        const bool is_reference = std::find(p.reference.begin(), p.reference.end(), c.feature_names_in()[j]) != p.reference.end();
        return std::string(is_column && is_reference ? "column and reference" : is_column ? "column" : "reference");
    });
}

namespace detail {

// The state lines of a type-erased step holding a kind of List (every built-in kind by
// default), or nullopt for another kind (a user's component). A dynamic_cast per kind
// rather than a virtual on StepBase: StepModel<C> is instantiated wherever a pipeline
// adds a C, and a virtual would need this header (every component) in all those units,
// or would pick another overload in units that did not include it. Called only where
// an artifact is described, it is instantiated only there.
template <class List = builtin_kinds>
std::optional<std::vector<std::string>> describe_step_state(const StepBase& s, std::size_t max_items) {
    check_max_items(max_items);
    std::optional<std::vector<std::string>> out;
    for_each_type<List>([&]<class C>() {
        if (out) return;
        if (const auto* m = dynamic_cast<const StepModel<C>*>(&s)) out = describe_state(m->component(), max_items);
    });
    return out;
}

}  // namespace detail

}  // namespace reprep
