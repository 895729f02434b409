// Bad-input catalogue: encoders (OneHotEncoder, OrdinalEncoder, CountFrequencyEncoder,
// RareLabelEncoder, HashingEncoder, TargetEncoder, WoEEncoder).
#include "catalogue.hpp"

using namespace catalogue;

namespace {
using P = std::string;
using Y = std::vector<double>;
using TY = std::tuple<Table, Y>;
const std::string_view kSentinelText = "SENTINEL";

// A categorical column "c" and a numeric column "n".
Table cats(std::vector<std::optional<std::string>> a) {
    Table t;
    t.add_categorical("c", a);
    t.add_numeric("n", std::vector<double>(a.size(), 1.0));
    return t;
}
const Table kAB = cats({"a", "b", "a", "b"});
RecordIO record(std::vector<std::optional<std::string_view>> in, std::size_t numbers, std::size_t texts) {
    return {std::move(in), std::vector<std::optional<std::string_view>>(texts, kSentinelText), Y(numbers, -12345.0)};
}
// The row path of numeric-output encoders (doubles out) and of RareLabelEncoder (categories out).
template <class C>
void row(C& c, RecordIO& r) {
    if constexpr (C::numeric_output) c.transform_row(r.in, std::span<double>(r.numbers_out));
    else c.transform_row(r.in, std::span(r.texts_out));
}

// What every unsupervised encoder shares: empty data, missing or mistyped columns (named
// with the component), NotFitted, and records or output buffers of the wrong size.
template <class C>
void shared_cases(std::vector<Case>& v, C proto) {
    const std::string label = C::component_name;
    v.push_back(make(label + ": fit on 0 rows", "InvalidInput", label + ": fit got no rows", proto, cats({}),
                     [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": a table without categorical columns", "SchemaError", "no categorical column", proto,
                     Table{}.add_numeric("n", {1.0}), [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": a numeric column selected", "SchemaError", label + ": column 'n'", C({.columns = {"n"}}), kAB,
                     [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": fit without a selected column", "SchemaError", label + ": column 'sex'",
                     C({.columns = {"island", "sex"}}), penguins().remove("sex"), [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": transform before fit", "NotFitted", "not fitted", proto, kAB,
                     [](C& c, const Table& t) { (void)c.transform(t); }));
    const C fit_ok = fitted(C({.columns = {"c"}}), kAB);
    Table mistyped = kAB;
    mistyped.remove("c").add_numeric("c", {1.0, 2.0, 3.0, 4.0});
    v.push_back(make(label + ": transform a column that became numeric", "SchemaError", label + ": column 'c'", fit_ok,
                     mistyped, [](C& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make(label + ": transform without the fitted column", "SchemaError", "'c'", fit_ok,
                     Table{}.add_numeric("n", {1.0}), [](C& c, const Table& t) { (void)c.transform(t); }));
    const std::size_t n_out = fit_ok.feature_names_out().size();
    v.push_back(make(label + ": a record of 2 values for 1 column", "SchemaError", "the record holds 2", fit_ok,
                     record({"a", "b"}, n_out, 2), [](C& c, RecordIO& r) { row(c, r); }));
    v.push_back(make(label + ": an output buffer one too long", "SchemaError", "the output buffer holds", fit_ok,
                     record({"a"}, n_out + 1, 2), [](C& c, RecordIO& r) { row(c, r); }));
    v.push_back(make_free(label + ": a column named twice", "InvalidParameter", "more than once", P(),
                          [](const P&) { C({.columns = {"c", "c"}}); }));
}

// An unknown category (and a missing value fit never saw) under the error policy: the
// batch path names the first offending row, the row path leaves the sentinel buffer.
template <class C>
void unknown_cases(std::vector<Case>& v, const C& fit_ok, const std::string& type) {
    const std::string label = C::component_name;
    v.push_back(make(label + ": unknown category in transform", type, label + ": column 'c', row 2: category 'z'", fit_ok,
                     cats({"a", "b", "z", "a"}), [](C& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make(label + ": unknown category in transform_row", type, "category 'z'", fit_ok,
                     record({"z"}, fit_ok.feature_names_out().size(), 1), [](C& c, RecordIO& r) { row(c, r); }));
}
}  // namespace

TEST_CASE("unsupervised encoders refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    shared_cases(v, OneHotEncoder());
    shared_cases(v, OrdinalEncoder());
    shared_cases(v, CountFrequencyEncoder());
    shared_cases(v, RareLabelEncoder());
    shared_cases(v, HashingEncoder());
    unknown_cases(v, fitted(OneHotEncoder(), kAB), "UnknownCategory");
    unknown_cases(v, fitted(OrdinalEncoder(), kAB), "UnknownCategory");
    unknown_cases(v, fitted(CountFrequencyEncoder({.unseen = UnseenPolicy::raise}), kAB), "UnknownCategory");
    v.push_back(make("OneHotEncoder: a missing value fit never saw", "UnknownCategory", "column 'c', row 1: a missing value",
                     fitted(OneHotEncoder(), kAB), cats({"a", std::nullopt}), [](OneHotEncoder& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("OneHotEncoder: handle_missing = error, missing in fit", "InvalidInput", "column 'c': 1 missing values in fit",
                     OneHotEncoder({.handle_missing = HandleMissing::error}), cats({"a", std::nullopt}),
                     [](OneHotEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("OrdinalEncoder: a training value outside the given categories", "UnknownCategory", "category 'b' found in fit",
                     OrdinalEncoder({.columns = {"c"}, .order = CategoryOrder::given, .categories = {{"a"}}}), kAB,
                     [](OrdinalEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("OrdinalEncoder: unknown_value is a known code", "InvalidParameter", "is the code of a known category in column 'c'",
                     OrdinalEncoder({.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = 1.0}), kAB,
                     [](OrdinalEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("OrdinalEncoder: order = ordered without y", "InvalidInput", "needs the target y",
                     OrdinalEncoder({.order = CategoryOrder::ordered}), kAB, [](OrdinalEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("OrdinalEncoder: order = ordered, y of the wrong length", "InvalidInput", "the target has 3 values for 4 rows",
                     OrdinalEncoder({.order = CategoryOrder::ordered}), TY(kAB, {1.0, 0.0, 1.0}),
                     [](OrdinalEncoder& c, const TY& in) { c.fit(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("CountFrequencyEncoder: missing in fit", "InvalidInput", "CountFrequencyEncoder: column 'c': 1 missing values",
                     CountFrequencyEncoder(), cats({"a", std::nullopt}), [](CountFrequencyEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("CountFrequencyEncoder: missing in transform", "InvalidInput", "column 'c', row 3: a missing value",
                     fitted(CountFrequencyEncoder(), kAB), cats({"a", "b", "a", std::nullopt}),
                     [](CountFrequencyEncoder& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("RareLabelEncoder: missing in transform", "InvalidInput", "RareLabelEncoder: column 'c', row 0",
                     fitted(RareLabelEncoder(), kAB), cats({std::nullopt}), [](RareLabelEncoder& c, const Table& t) { (void)c.transform(t); }));
    // `<column>_<category>` names two outputs alike: refused at fit, the state untouched.
    v.push_back(make("OneHotEncoder: a category 'nan' beside missing values", "InvalidInput",
                     "two outputs would both be named 'c_nan'", OneHotEncoder(), cats({"nan", std::nullopt}),
                     [](OneHotEncoder& c, const Table& t) { c.fit(t); }));
    v.push_back(make("OneHotEncoder: columns a (category b_c) and a_b (category c)", "InvalidInput",
                     "column 'a_b_c': two outputs would both be named", OneHotEncoder(),
                     Table{}.add_categorical("a", {std::optional<std::string>("b_c")}).add_categorical("a_b", {std::optional<std::string>("c")}),
                     [](OneHotEncoder& c, const Table& t) { c.fit(t); }));
    // An output named like a column the step does not transform would replace it silently.
    v.push_back(make("OneHotEncoder: an output named like a passthrough column", "SchemaError",
                     "OneHotEncoder: column 'c_a': its output column 'c_a' would overwrite",
                     fitted(OneHotEncoder({.columns = {"c"}}), kAB), Table(kAB).add_numeric("c_a", {1.0, 2.0, 3.0, 4.0}),
                     [](OneHotEncoder& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("OneHotEncoder: an accumulator of other columns", "SchemaError", "the accumulator's columns differ",
                     OneHotEncoder({.columns = {"c"}}), penguins(), [](OneHotEncoder& c, const Table& t) {
                         auto acc = OneHotEncoder({.columns = {"island"}}).accumulator();
                         acc.update(t);
                         c.fit(acc);
                     }));
    // Absurd parameters, refused in the constructor naming the field.
    auto param = [&](const char* name, const char* field, auto build) {
        v.push_back(make_free(name, "InvalidParameter", field, P(), [build](const P&) { build(); }));
    };
    for (double m : {0.0, 1.5, -1.0, kNaN, kInf})
        param("OneHotEncoder min_frequency", "min_frequency", [m] { OneHotEncoder({.min_frequency = m}); });
    param("OneHotEncoder max_categories 1", "max_categories", [] { OneHotEncoder({.max_categories = 1}); });
    param("OneHotEncoder top_categories 0", "top_categories", [] { OneHotEncoder({.top_categories = 0}); });
    param("OneHotEncoder top_categories with min_frequency", "top_categories",
          [] { OneHotEncoder({.min_frequency = 2.0, .top_categories = 3}); });
    param("OneHotEncoder use_encoded_value", "handle_unknown", [] { OneHotEncoder({.handle_unknown = HandleUnknown::use_encoded_value}); });
    param("OneHotEncoder unknown drop", "'drop'", [] { OneHotEncoder({.drop = static_cast<OneHotDrop>(9)}); });
    param("OneHotEncoder unknown handle_unknown", "handle_unknown", [] { OneHotEncoder({.handle_unknown = static_cast<HandleUnknown>(9)}); });
    param("OneHotEncoder unknown handle_missing", "handle_missing", [] { OneHotEncoder({.handle_missing = static_cast<HandleMissing>(9)}); });
    param("OrdinalEncoder unknown order", "'order'", [] { OrdinalEncoder({.order = static_cast<CategoryOrder>(9)}); });
    param("OrdinalEncoder ignore", "handle_unknown", [] { OrdinalEncoder({.handle_unknown = HandleUnknown::ignore}); });
    param("OrdinalEncoder use_encoded_value without a value", "unknown_value",
          [] { OrdinalEncoder({.handle_unknown = HandleUnknown::use_encoded_value}); });
    param("OrdinalEncoder fractional unknown_value", "unknown_value",
          [] { OrdinalEncoder({.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = 0.5}); });
    param("OrdinalEncoder Inf encoded_missing_value", "encoded_missing_value", [] { OrdinalEncoder({.encoded_missing_value = kInf}); });
    param("OrdinalEncoder given with one list for two columns", "categories",
          [] { OrdinalEncoder({.columns = {"a", "b"}, .order = CategoryOrder::given, .categories = {{"x"}}}); });
    param("OrdinalEncoder given list naming a value twice", "categories",
          [] { OrdinalEncoder({.columns = {"a"}, .order = CategoryOrder::given, .categories = {{"x", "x"}}}); });
    param("CountFrequencyEncoder unknown encoding_method", "encoding_method",
          [] { CountFrequencyEncoder({.encoding_method = static_cast<EncodingMethod>(9)}); });
    param("CountFrequencyEncoder unknown missing_values", "missing_values",
          [] { CountFrequencyEncoder({.missing_values = static_cast<MissingValues>(9)}); });
    param("CountFrequencyEncoder unknown unseen", "unseen", [] { CountFrequencyEncoder({.unseen = static_cast<UnseenPolicy>(9)}); });
    for (double tol : {-0.1, 1.5, kNaN}) param("RareLabelEncoder tol", "tol", [tol] { RareLabelEncoder({.tol = tol}); });
    param("RareLabelEncoder max_n_categories 0", "max_n_categories", [] { RareLabelEncoder({.max_n_categories = 0}); });
    param("RareLabelEncoder unknown missing_values", "missing_values",
          [] { RareLabelEncoder({.missing_values = static_cast<MissingValues>(9)}); });
    for (std::size_t n : {std::size_t{0}, (std::size_t{1} << 16) + 1, std::numeric_limits<std::size_t>::max()})
        param("HashingEncoder n_components", "n_components", [n] { HashingEncoder({.n_components = n}); });
    run_catalogue(v);
}

TEST_CASE("supervised encoders refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    const Y y4 = {1.0, 0.0, 0.0, 1.0};
    auto fit_case = [&](std::string name, std::string type, std::string frag, auto enc, Y y, Table t = kAB) {
        using C = decltype(enc);
        v.push_back(make(std::move(name), std::move(type), std::move(frag), std::move(enc), TY(std::move(t), std::move(y)),
                         [](C& c, const TY& in) { c.fit(std::get<0>(in), std::get<1>(in)); }));
    };
    // Both encoders, fitted first so a refused refit must leave the fitted state as it was.
    auto both = [&](const std::string& what, const std::string& type, const std::string& frag, const Y& y) {
        fit_case("TargetEncoder: " + what, type, "TargetEncoder: " + frag, [&] { TargetEncoder e; e.fit(kAB, y4); return e; }(), y);
        fit_case("WoEEncoder: " + what, type, "WoEEncoder: " + frag, [&] { WoEEncoder e; e.fit(kAB, y4); return e; }(), y);
    };
    both("target of the wrong length", "InvalidInput", "column 'y': the target has 3 values for 4 rows", {1.0, 0.0, 1.0});
    both("empty target", "InvalidInput", "column 'y': the target has 0 values", {});
    both("NaN in the target", "InvalidInput", "column 'y', row 2: NaN in the target", {1.0, 0.0, kNaN, 1.0});
    both("Inf in the target", "InvalidInput", "column 'y', row 1: an infinite value", {1.0, -kInf, 0.0, 1.0});
    fit_case("TargetEncoder: binary target_type with y = 2", "InvalidInput", "column 'y', row 3",
             TargetEncoder({.target_type = TargetType::binary}), {1.0, 0.0, 0.0, 2.0});
    fit_case("TargetEncoder: a target mean that overflows", "InvalidInput", "mean overflows", TargetEncoder(),
             {1e308, 1e308, 1e308, 0.0});
    fit_case("TargetEncoder: a target variance that overflows", "InvalidInput", "variance overflows", TargetEncoder(),
             {1e200, -1e200, 3e200, 0.0});
    fit_case("WoEEncoder: a non-binary target", "InvalidInput", "WoEEncoder: column 'y', row 1: the target must be binary",
             WoEEncoder(), {1.0, 0.5, 0.0, 1.0});
    fit_case("WoEEncoder: a target of one class", "InvalidInput", "column 'c': the target holds only y = 0", WoEEncoder(),
             {0.0, 0.0, 0.0, 0.0});
    fit_case("WoEEncoder: a category pure in one class", "InvalidInput", "category 'a' holds only rows with y = 1", WoEEncoder(),
             {1.0, 1.0, 1.0, 0.0});
    fit_case("WoEEncoder: missing in fit", "InvalidInput", "WoEEncoder: column 'c': 1 missing values", WoEEncoder(), y4,
             cats({"a", "b", std::nullopt, "b"}));
    fit_case("WoEEncoder: a numeric column selected", "SchemaError", "WoEEncoder: column 'n'", WoEEncoder({.columns = {"n"}}), y4);
    fit_case("TargetEncoder: a numeric column selected", "SchemaError", "TargetEncoder: column 'n'",
             TargetEncoder({.columns = {"n"}}), y4);
    // fit(Table) without y, and cross-fitting with fewer rows than folds.
    // The fix is the call the user made, with y, not the accumulator's update(chunk, y).
    v.push_back(with_message(make("TargetEncoder: fit without y", "InvalidInput",
                                  "needs the target y. Fix: call fit(X, y)", TargetEncoder(), kAB,
                                  [](TargetEncoder& c, const Table& t) { c.fit(t); }),
                             /*absent=*/"update("));
    v.push_back(with_message(make("WoEEncoder: fit without y", "InvalidInput", "needs the target y. Fix: call fit(X, y)",
                                  WoEEncoder(), kAB, [](WoEEncoder& c, const Table& t) { c.fit(t); }),
                             /*absent=*/"update("));
    v.push_back(make("TargetEncoder: accumulator updated without y", "InvalidInput", "Fix: call update(chunk, y)",
                     TargetEncoder(), kAB, [](TargetEncoder& c, const Table& t) { auto acc = c.accumulator(); acc.update(t); }));
    v.push_back(make("TargetEncoder: fit_transform with 4 rows and cv = 5", "InvalidInput", "cv = 5 folds needs at least",
                     TargetEncoder(), TY(kAB, y4), [](TargetEncoder& c, const TY& in) { (void)c.fit_transform(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("TargetEncoder: fit_transform, y of the wrong length", "InvalidInput", "the target has 5 values",
                     [&] { TargetEncoder e({.cv = 2}); e.fit(kAB, y4); return e; }(), TY(kAB, {1, 0, 1, 0, 1}),
                     [](TargetEncoder& c, const TY& in) { (void)c.fit_transform(std::get<0>(in), std::get<1>(in)); }));
    // Multiclass: labels are integers of at most 2^53, and at least two classes. Fitted
    // first, so a refused refit must leave the fitted state as it was.
    const TargetEncoder mc = [&] {
        TargetEncoder e({.target_type = TargetType::multiclass, .cv = 2});
        e.fit(kAB, Y{0.0, 1.0, 2.0, 1.0});
        return e;
    }();
    fit_case("TargetEncoder: multiclass, a fractional label", "InvalidInput",
             "TargetEncoder: column 'y', row 2: target_type = multiclass needs integer class labels", mc, {0.0, 1.0, 2.5, 1.0});
    fit_case("TargetEncoder: multiclass, a label beyond 2^53", "InvalidInput", "column 'y', row 0: target_type = multiclass",
             mc, {1e300, 1.0, 2.0, 1.0});
    fit_case("TargetEncoder: multiclass, NaN", "InvalidInput", "column 'y', row 3: NaN in the target", mc, {0.0, 1.0, 2.0, kNaN});
    fit_case("TargetEncoder: multiclass, one class", "InvalidInput", "column 'y': target_type = multiclass needs at least two classes",
             mc, {4.0, 4.0, 4.0, 4.0});
    v.push_back(make("TargetEncoder: multiclass fit_transform, a fractional label", "InvalidInput", "column 'y', row 3: target_type = multiclass",
                     mc, TY(kAB, {0, 1, 2, 0.5}),
                     [](TargetEncoder& c, const TY& in) { (void)c.fit_transform(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("TargetEncoder: multiclass accumulator, a fractional label", "InvalidInput", "column 'y', row 1",
                     mc, TY(kAB, {0, -0.25, 2, 1}), [](TargetEncoder& c, const TY& in) {
                         auto acc = c.accumulator();
                         acc.update(std::get<0>(in), std::get<1>(in));
                     }));
    // Its widened output: c_0, c_1, c_2 may not overwrite a column it does not consume,
    // and a record's output buffer holds n_features x n_classes values.
    v.push_back(make("TargetEncoder: multiclass output named like a passed-through column", "SchemaError",
                     "TargetEncoder: column 'c_1': its output column 'c_1' would overwrite", mc,
                     Table(kAB).add_numeric("c_1", Y(4, 0.0)), [](TargetEncoder& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("TargetEncoder: multiclass fit_transform output named like a passed-through column", "SchemaError",
                     "its output column 'c_2' would overwrite", mc, TY(Table(kAB).add_numeric("c_2", Y(4, 0.0)), {0, 1, 2, 1}),
                     [](TargetEncoder& c, const TY& in) { (void)c.fit_transform(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("TargetEncoder: multiclass record into a one-value buffer", "SchemaError",
                     "the output buffer holds 1 values but the output has 3", mc, record({std::string_view("a")}, 1, 0),
                     [](TargetEncoder& c, RecordIO& r) { row(c, r); }));
    // Unknown categories and missing values in transform.
    const WoEEncoder woe = [&] { WoEEncoder e({.unseen = UnseenPolicy::raise}); e.fit(kAB, y4); return e; }();
    unknown_cases(v, woe, "UnknownCategory");
    v.push_back(make("WoEEncoder: missing in transform", "InvalidInput", "WoEEncoder: column 'c', row 1: a missing value", woe,
                     cats({"a", std::nullopt}), [](WoEEncoder& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("TargetEncoder: transform before fit", "NotFitted", "not fitted", TargetEncoder(), kAB,
                     [](TargetEncoder& c, const Table& t) { (void)c.transform(t); }));
    auto param = [&](const char* name, const char* field, auto build) {
        v.push_back(make_free(name, "InvalidParameter", field, P(), [build](const P&) { build(); }));
    };
    for (std::size_t cv : {std::size_t{0}, std::size_t{1}, (std::size_t{1} << 30) + 1})
        param("TargetEncoder cv", "'cv'", [cv] { TargetEncoder({.cv = cv}); });
    for (double m : {-1.0, kNaN, kInf}) param("TargetEncoder smooth", "smooth", [m] { TargetEncoder({.smooth = m}); });
    param("TargetEncoder unknown target_type", "target_type", [] { TargetEncoder({.target_type = static_cast<TargetType>(9)}); });
    for (double f : {0.0, -1.0, kNaN, kInf}) param("WoEEncoder fill_value", "fill_value", [f] { WoEEncoder({.fill_value = f}); });
    param("WoEEncoder unknown unseen", "unseen", [] { WoEEncoder({.unseen = static_cast<UnseenPolicy>(9)}); });
    param("WoEEncoder unknown missing_values", "missing_values", [] { WoEEncoder({.missing_values = static_cast<MissingValues>(9)}); });
    run_catalogue(v);
}

TEST_CASE("encoders accept a single row, an all-missing column and unseen values where the reference libraries do") {
    const Table one = cats({"a"});
    CHECK(OneHotEncoder().fit(one).transform_matrix(one)(0, 0) == 1.0);
    CHECK(CountFrequencyEncoder({.encoding_method = EncodingMethod::frequency}).fit(one).transform_matrix(one)(0, 0) == 1.0);
    // One row: y_var = var_a = 0, so the shrinkage is 0/0 and the encoding is y_mean (scikit-learn's too).
    CHECK(TargetEncoder().fit(one, Y{3.5}).encodings("c") == Y{3.5});
    // All missing: a "nan" category for OneHotEncoder (scikit-learn 1.2), NaN for OrdinalEncoder.
    const Table none = cats({std::nullopt, std::nullopt});
    CHECK(OneHotEncoder().fit(none).feature_names_out() == std::vector<std::string>{"c_nan"});
    CHECK(std::isnan(OrdinalEncoder().fit(none).transform_matrix(none)(1, 0)));
    CHECK(std::isnan(CountFrequencyEncoder({.missing_values = MissingValues::ignore}).fit(none).transform_matrix(none)(0, 0)));
    // Unseen values under the permissive policies.
    const Table z = cats({"z"});
    CHECK(OneHotEncoder({.handle_unknown = HandleUnknown::ignore}).fit(kAB).transform_matrix(z).isZero());
    CHECK(OrdinalEncoder({.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = -1.0}).fit(kAB).transform_matrix(z)(0, 0) == -1.0);
    CHECK(std::isnan(CountFrequencyEncoder().fit(kAB).transform_matrix(z)(0, 0)));
    CHECK(CountFrequencyEncoder({.unseen = UnseenPolicy::encode}).fit(kAB).transform_matrix(z)(0, 0) == 0.0);
    CHECK(RareLabelEncoder().fit(kAB).transform(z).category("c", 0) == std::optional<std::string_view>("Rare"));
    const TargetEncoder te = TargetEncoder().fit(kAB, Y{1.0, 0.0, 0.0, 1.0});
    CHECK(te.transform_matrix(z)(0, 0) == te.target_mean());
    // A numeric (non-binary) target is continuous under target_type = automatic.
    CHECK(TargetEncoder().fit(kAB, Y{1.0, 5.0, 2.0, 7.0}).target_mean() == 3.75);
    // ... integers included (scikit-learn's 'auto' would call it multiclass): multiclass is
    // asked for by name. Under it, an unseen category gets the class means.
    const TargetEncoder mc = TargetEncoder({.target_type = TargetType::multiclass}).fit(kAB, Y{1.0, 5.0, 1.0, 7.0});
    CHECK(mc.classes() == Y{1.0, 5.0, 7.0});
    const auto mz = mc.transform_matrix(z);
    CHECK(mz.cols() == 3);
    for (Eigen::Index k = 0; k < 3; ++k) CHECK(mz(0, k) == mc.target_means()[static_cast<std::size_t>(k)]);
}
