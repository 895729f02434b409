// reprep::RelativeFeatures — feature-engine's RelativeFeatures: each variable combined
// with each reference column by each function.
//
//   output columns: the inputs (unless drop_original), then for each function of
//   `func`, for each reference r, for each variable v (feature-engine's order), the
//   column "<v>_<func>_<r>" = op(v, r), computed in T as numpy's ufuncs compute it:
//   add v + r    sub v - r    mul v * r    div, truediv v / r
//   floordiv  numpy's npy_floor_divide: m = fmod(v, r); q = (v - m) / r; when m != 0 and
//             its sign differs from r's, q = q - 1; then f = floor(q), plus 1 when
//             q - f > 0.5; a zero q gives copysign(0, v / r)
//   mod       numpy's npy_remainder: m = fmod(v, r), plus r when m != 0 and its sign
//             differs from r's; a zero m gets r's sign
//   pow       dmath::pow(v, r) (C Annex F special cases: pow(x, 0) = 1, a negative base
//             with a non-integer exponent is NaN)
//   A zero reference under div, truediv, floordiv or mod gives fill_value; without a
//   fill_value, transform refuses it (InvalidInput naming the reference column and the
//   row), as feature-engine raises.
// Difference from feature-engine: pow comes from dmath (within 1 ulp of the exact
// power, the same bits everywhere) where numpy calls the platform's libm, which may
// differ in the last bit. Every other function is one IEEE operation (or fmod and
// floor, which are exact), so it matches numpy bit for bit.
// Inputs: Params::columns (empty = every numeric column), plus the references not
// among them; the variables are the inputs that are not references. A matrix holds the
// columns, then the missing references, in that order (named by Params when given,
// else x0, x1, ... and then the references must be among those names). NaN passes
// through (missing_values = ignore, feature-engine's default) or is refused (raise);
// ±Inf is refused. A NaN that arithmetic makes is returned as the positive quiet NaN.
// Difference from feature-engine: a column named both in columns and in reference is a
// reference only; feature-engine would also combine it with itself (x_div_x, always 1).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/numpy_ports.hpp"  // numpy_floordiv, numpy_mod
#include "../component/categorical_component.hpp"  // MissingValues
#include "../component/numeric_component.hpp"

namespace reprep {

enum class RelativeFunc : std::uint8_t { add, sub, mul, div, truediv, floordiv, mod, pow };

inline const char* relative_func_name(RelativeFunc f) {
    constexpr const char* names[] = {"add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow"};
    return names[static_cast<std::uint8_t>(f)];
}


template <class T = double>
class RelativeFeatures : public detail::NumericComponent<RelativeFeatures<T>, T> {
    using Base = detail::NumericComponent<RelativeFeatures<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};    // feature-engine's variables (empty = every numeric column); references excluded
        std::vector<std::string> reference = {};  // at least one
        std::vector<RelativeFunc> func = {};      // at least one
        std::optional<double> fill_value = std::nullopt;  // the result where a divisor is zero
        MissingValues missing_values = MissingValues::ignore;
        bool drop_original = false;
    };

    static constexpr const char* component_name = "RelativeFeatures";
    static constexpr std::string_view kind_name() { return "relative_features"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    RelativeFeatures() = default;
    // A template, so that RelativeFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit RelativeFeatures(P p) : params_(std::move(p)) {
        if (const char* why = invalid(params_)) {
            const std::string s(why);
            detail::fail<InvalidParameter>({.component = component_name, .problem = why, .fix = fix_of(why),
                                            .parameter = s.substr(0, s.find(' '))});
        }
    }

    const Params& params() const { return params_; }

    // Indices into feature_names_in() of the variables and of the references.
    const std::vector<std::uint32_t>& variable_index() const { this->require_fitted(); return var_; }
    const std::vector<std::uint32_t>& reference_index() const { this->require_fitted(); return ref_; }

    Eigen::Index n_features_out() const {
        if (!this->is_fitted()) return 0;
        const auto in = static_cast<Eigen::Index>(this->feature_names_in().size());
        return (params_.drop_original ? 0 : in) + static_cast<Eigen::Index>(params_.func.size() * ref_.size() * var_.size());
    }
    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        if (!params_.drop_original) out = in;
        for (RelativeFunc f : params_.func)
            for (std::uint32_t r : ref_)
                for (std::uint32_t v : var_) out.push_back(in[v] + "_" + relative_func_name(f) + "_" + in[r]);
        return out;
    }
    std::vector<std::string> matrix_feature_names(Eigen::Index n) const {
        if (params_.columns.empty()) return detail::default_names(n);
        const auto names = inputs_of(params_.columns);
        if (static_cast<Eigen::Index>(names.size()) != n)
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "Params::columns and reference name " + std::to_string(names.size()) +
                                                  " distinct columns but the matrix has " + std::to_string(n),
                                       .fix = "for matrix input, pass the variables, then the references not among them"});
        return names;
    }
    // The Table columns fit reads: the variables, then the references not among them
    // (with no variables named, every numeric column).
    std::vector<std::string> input_columns(const Table& t) const {
        if (!params_.columns.empty()) return inputs_of(params_.columns);
        std::vector<std::string> numeric;
        for (const auto& name : t.column_names())
            if (t.type(name) == ColumnType::numeric) numeric.push_back(name);
        return numeric;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.strs(params_.reference);
        w.u64(params_.func.size());
        for (RelativeFunc f : params_.func) w.u8(static_cast<std::uint8_t>(f));
        w.boolean(params_.fill_value.has_value());
        w.f64(params_.fill_value.value_or(0.0));
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.boolean(params_.drop_original);
    }
    static RelativeFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        RelativeFeatures c;
        c.load_base(r);
        c.params_.columns = r.strs();
        c.params_.reference = r.strs();
        const std::size_t n = r.size(1);
        for (std::size_t i = 0; i < n; ++i) {
            const auto f = r.u8();
            if (f > static_cast<std::uint8_t>(RelativeFunc::pow)) r.fail("RelativeFeatures: unknown function");
            c.params_.func.push_back(static_cast<RelativeFunc>(f));
        }
        const bool has_fill = r.boolean();
        const double fill = r.f64();
        if (has_fill) c.params_.fill_value = fill;
        const auto mv = r.u8();
        if (mv > static_cast<std::uint8_t>(MissingValues::include)) r.fail("RelativeFeatures: unknown missing_values");
        c.params_.missing_values = static_cast<MissingValues>(mv);
        c.params_.drop_original = r.boolean();
        if (const char* why = invalid(c.params_)) r.fail(std::string("RelativeFeatures: ") + why);
        if (c.is_fitted()) {
            // The indices are a function of (names, params): rebuilt, never read.
            try {
                c.index(c.feature_names_in());
            } catch (const Error& e) {
                r.fail(std::string("RelativeFeatures: ") + e.what());
            }
        }
        return c;
    }

    // NaN under missing_values = raise; a zero divisor without fill_value. Both are
    // named by column and row, before any output is written.
    void check_transform_values(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) const {
        if (params_.missing_values == MissingValues::raise) refuse_nan(X, names, "transform");
        if (params_.fill_value) return;
        bool divides = false;
        for (RelativeFunc f : params_.func) divides |= is_division(f);
        if (!divides) return;
        for (std::uint32_t r : ref_)
            for (Eigen::Index i = 0; i < X.rows(); ++i)
                if (X(i, r) == T(0))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "the reference column is zero, and func divides by it",
                                                .fix = "replace the zeros first, or set fill_value",
                                                .column = names[r],
                                                .row = static_cast<std::size_t>(i)});
    }

private:
    static bool is_division(RelativeFunc f) {
        return f == RelativeFunc::div || f == RelativeFunc::truediv || f == RelativeFunc::floordiv || f == RelativeFunc::mod;
    }

    // What to do about each problem invalid() names (the error's fix).
    static const char* fix_of(std::string_view why) {
        if (why.starts_with("reference must")) return "name at least one reference column";
        if (why.starts_with("func must hold")) return "give at least one function, e.g. div";
        if (why.ends_with("names a column twice")) return "list each column once";
        if (why.starts_with("func holds")) return "use add, sub, mul, div, truediv, floordiv, mod or pow";
        if (why.starts_with("func names")) return "list each function once";
        if (why.starts_with("fill_value")) return "use a finite fill_value, or NaN, or leave it unset (None in Python)";
        return "use missing_values = raise or ignore";
    }
    static const char* invalid(const Params& p) {
        if (p.reference.empty()) return "reference must name at least one column";
        if (p.func.empty()) return "func must hold at least one function";
        if (detail::repeated_name(p.columns)) return "columns names a column twice";
        if (detail::repeated_name(p.reference)) return "reference names a column twice";
        for (std::size_t i = 0; i < p.func.size(); ++i) {
            if (static_cast<std::uint8_t>(p.func[i]) > static_cast<std::uint8_t>(RelativeFunc::pow))
                return "func holds an unknown function";
            for (std::size_t j = 0; j < i; ++j)
                if (p.func[j] == p.func[i]) return "func names a function twice";
        }
        if (p.fill_value && std::isinf(*p.fill_value)) return "fill_value must be finite or NaN";
        if (p.missing_values == MissingValues::include) return "missing_values must be raise or ignore";
        return nullptr;
    }

    std::vector<std::string> inputs_of(const std::vector<std::string>& vars) const {
        std::vector<std::string> names = vars;
        for (const auto& r : params_.reference)
            if (std::find(vars.begin(), vars.end(), r) == vars.end()) names.push_back(r);
        return names;
    }

    // var_ and ref_ from the fitted names: the references must be among them, and the
    // variables are the other names.
    void index(const std::vector<std::string>& names) {
        auto find = [&](const std::string& n) -> std::uint32_t {
            const auto it = std::find(names.begin(), names.end(), n);
            if (it == names.end())
                detail::fail<SchemaError>({.component = component_name,
                                           .problem = "this column is not among the fitted columns",
                                           .fix = "include every reference (and variable) in the input",
                                           .column = n});
            return static_cast<std::uint32_t>(it - names.begin());
        };
        ref_.clear();
        var_.clear();
        for (const auto& r : params_.reference) ref_.push_back(find(r));
        for (std::size_t j = 0; j < names.size(); ++j)
            if (std::find(ref_.begin(), ref_.end(), static_cast<std::uint32_t>(j)) == ref_.end())
                var_.push_back(static_cast<std::uint32_t>(j));
        if (var_.empty())
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "there is no variable besides the references",
                                        .fix = "name the variables in the columns parameter, or pass more numeric columns"});
    }

    static void refuse_nan(const detail::MatrixRef<T>& X, const std::vector<std::string>& names, const char* phase) {
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i)
                if (std::isnan(X(i, j)))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = std::string("NaN in ") + phase +
                                                           " input, and missing_values is raise",
                                                .fix = "impute the column first, or set missing_values = ignore",
                                                .column = names[static_cast<std::size_t>(j)],
                                                .row = static_cast<std::size_t>(i)});
    }

    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        index(names);
        if (params_.missing_values == MissingValues::raise) refuse_nan(X, names, "fit");
    }

    static T apply(RelativeFunc f, T v, T r) {
        switch (f) {
            case RelativeFunc::add: return v + r;
            case RelativeFunc::sub: return v - r;
            case RelativeFunc::mul: return v * r;
            case RelativeFunc::div:
            case RelativeFunc::truediv: return v / r;
            case RelativeFunc::floordiv: return detail::numpy_floordiv(v, r);
            case RelativeFunc::mod: return detail::numpy_mod(v, r);
            case RelativeFunc::pow: return dmath::pow(v, r);
        }
        return v;
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        Eigen::Index k = params_.drop_original ? 0 : X.cols();
        if (!params_.drop_original) out.leftCols(X.cols()) = X;
        const T fill = static_cast<T>(params_.fill_value.value_or(0.0));
        const T nan = std::numeric_limits<T>::quiet_NaN();
        for (RelativeFunc f : params_.func) {
            const bool divides = is_division(f);
            for (std::uint32_t r : ref_) {
                const T* b = X.col(r).data();
                for (std::uint32_t vi : var_) {
                    const T* a = X.col(vi).data();
                    T* y = out.col(k++).data();
                    for (Eigen::Index i = 0; i < X.rows(); ++i) {
                        // A NaN operand gives NaN (numpy), before any divisor test.
                        T z = divides && b[i] == T(0) ? fill : apply(f, a[i], b[i]);
                        y[i] = z != z ? nan : z;
                    }
                }
            }
        }
    }

    Params params_;
    std::vector<std::uint32_t> var_, ref_;
};

}  // namespace reprep
