// reprep._reprep: the encoders (include/reprep/encode/), see binding.hpp for Kind<C>.
// TargetEncoder and WoEEncoder are supervised: bind_component gives them fit(X, y).
#include <reprep/encode/count_frequency_encoder.hpp>
#include <reprep/encode/hashing_encoder.hpp>
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/encode/ordinal_encoder.hpp>
#include <reprep/encode/rare_label_encoder.hpp>
#include <reprep/encode/target_encoder.hpp>
#include <reprep/encode/woe_encoder.hpp>

#include "binding.hpp"

namespace reprep_py {

// scikit-learn's categories_ of an encoder: one list per input column, in the encoder's
// category order, with a trailing None where missing was learnt as a category
// (scikit-learn shows np.nan there).
template <class E>
py::dict categories_state(const E& s) {
    py::list cats;
    for (const auto& name : s.feature_names_in()) {
        py::list col;
        for (const auto& v : s.categories(name)) col.append(py::str(v));
        if (s.has_missing_category(name)) col.append(py::none());
        cats.append(col);
    }
    py::dict d;
    d["categories_"] = cats;
    return d;
}

// feature-engine's encoder_dict_ of a key -> value encoder: column -> {category: value}.
template <class E>
py::dict encoder_dict_state(const E& s) {
    const auto& names = s.feature_names_in();
    py::dict d;
    d["encoder_dict_"] = per_column(names, [&](std::size_t j) {
        py::dict m;
        const auto& keys = s.categories(names[j]);
        const auto& values = s.encodings(names[j]);
        for (std::size_t i = 0; i < keys.size(); ++i) m[py::str(keys[i])] = values[i];
        return m;
    });
    return d;
}

// feature-engine's option strings, shared by its encoders.
constexpr Options<UnseenPolicy> unseen = {
    {"ignore", UnseenPolicy::ignore}, {"raise", UnseenPolicy::raise}, {"encode", UnseenPolicy::encode}};

template <>
struct Kind<OneHotEncoder> {
    using P = OneHotEncoder::Params;
    static constexpr const char* name = "OneHotEncoder";
    // drop=None is OneHotDrop::none (not in the table, so None both ways).
    static constexpr Options<OneHotDrop> drops = {{"first", OneHotDrop::first}, {"if_binary", OneHotDrop::if_binary}};
    static constexpr Options<HandleUnknown> unknowns = {{"error", HandleUnknown::error},
                                                        {"ignore", HandleUnknown::ignore},
                                                        {"infrequent_if_exist", HandleUnknown::infrequent_if_exist}};
    static constexpr Options<HandleMissing> missings = {{"category", HandleMissing::category},
                                                        {"error", HandleMissing::error}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("drop", &P::drop, drops),
                          choice("handle_unknown", &P::handle_unknown, unknowns),
                          field("min_frequency", &P::min_frequency), field("max_categories", &P::max_categories),
                          field("top_categories", &P::top_categories),
                          choice("handle_missing", &P::handle_missing, missings)};
    }
    static py::dict state(const OneHotEncoder& s) { return categories_state(s); }
    // sparse_output=True (python/reprep/_estimators.py): C++ transform_sparse's CSR arrays,
    // handed to NumPy without a copy, for scipy.sparse.csr_matrix.
    static void extra(py::class_<OneHotEncoder>& cls) {
        cls.def("transform_sparse", [](const OneHotEncoder& c, const Table& t) {
            CsrMatrix m;
            {
                py::gil_scoped_release release;
                m = c.transform_sparse(t);
            }
            return py::make_tuple(owned_array(std::move(m.data)), owned_array(std::move(m.indices)),
                                  owned_array(std::move(m.indptr)), m.rows, m.cols);
        });
    }
};

template <>
struct Kind<OrdinalEncoder> {
    using P = OrdinalEncoder::Params;
    static constexpr const char* name = "OrdinalEncoder";
    static constexpr Options<CategoryOrder> orders = {{"lexical", CategoryOrder::lexical},
                                                      {"frequency", CategoryOrder::frequency},
                                                      {"given", CategoryOrder::given},
                                                      {"ordered", CategoryOrder::ordered}};
    static constexpr Options<HandleUnknown> unknowns = {{"error", HandleUnknown::error},
                                                        {"use_encoded_value", HandleUnknown::use_encoded_value}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("order", &P::order, orders),
                          field("categories", &P::categories), choice("handle_unknown", &P::handle_unknown, unknowns),
                          field("unknown_value", &P::unknown_value),
                          field("encoded_missing_value", &P::encoded_missing_value)};
    }
    // categories_ as scikit-learn's: code order, None last where missing was seen in fit.
    static py::dict state(const OrdinalEncoder& s) { return categories_state(s); }
};

template <>
struct Kind<CountFrequencyEncoder> {
    using P = CountFrequencyEncoder::Params;
    static constexpr const char* name = "CountFrequencyEncoder";
    static constexpr Options<EncodingMethod> methods = {{"count", EncodingMethod::count},
                                                        {"frequency", EncodingMethod::frequency}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("encoding_method", &P::encoding_method, methods),
                          choice("missing_values", &P::missing_values, missing_raise_ignore),
                          choice("unseen", &P::unseen, unseen)};
    }
    static py::dict state(const CountFrequencyEncoder& s) { return encoder_dict_state(s); }
};

template <>
struct Kind<RareLabelEncoder> {
    using P = RareLabelEncoder::Params;
    static constexpr const char* name = "RareLabelEncoder";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("tol", &P::tol), field("n_categories", &P::n_categories),
                          field("max_n_categories", &P::max_n_categories), field("replace_with", &P::replace_with),
                          choice("missing_values", &P::missing_values, missing_raise_ignore)};
    }
    // feature-engine's encoder_dict_: column -> the categories kept (the others become replace_with).
    static py::dict state(const RareLabelEncoder& s) {
        const auto& names = s.feature_names_in();
        py::dict d;
        d["encoder_dict_"] = per_column(names, [&](std::size_t j) { return py::cast(s.frequent_categories(names[j])); });
        return d;
    }
};

template <>
struct Kind<HashingEncoder> {
    using P = HashingEncoder::Params;
    static constexpr const char* name = "HashingEncoder";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("n_components", &P::n_components),
                          field("alternate_sign", &P::alternate_sign)};
    }
};

template <>
struct Kind<TargetEncoder> {
    using P = TargetEncoder::Params;
    static constexpr const char* name = "TargetEncoder";
    static constexpr Options<TargetType> types = {
        {"auto", TargetType::automatic}, {"continuous", TargetType::continuous}, {"binary", TargetType::binary},
        {"multiclass", TargetType::multiclass}};
    static constexpr Options<FoldAssignment> fold_assignments = {{"position", FoldAssignment::position},
                                                                 {"row_hash", FoldAssignment::row_hash}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("target_type", &P::target_type, types),
                          field("smooth", &P::smooth), field("cv", &P::cv), field("shuffle", &P::shuffle),
                          field("seed", &P::seed), choice("fold_assignment", &P::fold_assignment, fold_assignments)};
    }
    // scikit-learn's names: categories_, encodings_ (per column, in category order),
    // target_mean_; multiclass (scikit-learn 1.4): classes_, encodings_ feature-major (each
    // column's classes in turn, the order of the output columns), target_mean_ per class.
    static py::dict state(const TargetEncoder& s) {
        py::dict d;
        py::list cats, encs;
        const std::vector<double>& classes = s.classes();
        for (const auto& name : s.feature_names_in()) {
            cats.append(py::cast(s.categories(name)));
            if (classes.empty()) encs.append(to_array(s.encodings(name)));
            else
                for (std::size_t k = 0; k < classes.size(); ++k) encs.append(to_array(s.encodings(name, k)));
        }
        d["categories_"] = cats;
        d["encodings_"] = encs;
        if (classes.empty()) {
            d["target_mean_"] = s.target_mean();
        } else {
            d["classes_"] = to_array(classes);
            d["target_mean_"] = to_array(s.target_means());
        }
        return d;
    }
};

template <>
struct Kind<WoEEncoder> {
    using P = WoEEncoder::Params;
    static constexpr const char* name = "WoEEncoder";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("missing_values", &P::missing_values, missing_raise_ignore),
                          choice("unseen", &P::unseen, unseen), field("fill_value", &P::fill_value)};
    }
    static py::dict state(const WoEEncoder& s) { return encoder_dict_state(s); }
};

void bind_encode(py::module_& m) {
    bind_component<OneHotEncoder>(m);
    bind_component<OrdinalEncoder>(m);
    bind_component<CountFrequencyEncoder>(m);
    bind_component<RareLabelEncoder>(m);
    bind_component<HashingEncoder>(m);
    bind_component<TargetEncoder>(m);
    bind_component<WoEEncoder>(m);
}

}  // namespace reprep_py
