// reprep::MathFeatures — feature-engine's MathFeatures: one new column per function,
// reduced across the selected columns of each row.
//
//   Over the row's values v_1..v_m of the selected columns (NaN skipped under
//   missing_values = ignore; m counts the values left), in double, rounded once to T:
//   sum   RN(Σ v)                        the exactly rounded sum (ExactSum); 0 when m = 0
//   mean  RN(Σ v) / m                    NaN when m = 0
//   std   sqrt(RN(Σ d_k²) / (m - 1)),  d_k = v_k - mean, each d_k² rounded (ddof = 1,
//         pandas' Series.std and numpy's nanstd(ddof=1) in their two-pass order); NaN
//         when m < 2
//   min   smallest value (-0.0 below +0.0); NaN when m = 0
//   max   largest value (+0.0 above -0.0); NaN when m = 0
//   prod  ((v_1 · v_2) · v_3) ...  left to right; 1 when m = 0
//   names: new_variables_names, or feature-engine's "<func>_<col1>_<col2>...".
//   output columns: the inputs (unless drop_original), then one column per function, in
//   the order of `func`.
// Difference from feature-engine (which reduces with numpy's nansum/nanmean/nanstd):
// numpy adds naively (pairwise from 8 terms on), reprep's sums are correctly rounded.
// Both agree bit for bit whenever numpy's running sums are exact, e.g. for two columns
// or for small integers; elsewhere reprep can be 1 ulp closer, and is the same on
// every platform. min/max order signed zeros, which numpy leaves to the CPU's minpd.
// Stateless: fit records the columns only. ±Inf is refused in fit and transform, NaN
// is refused under missing_values = raise (feature-engine's default) and skipped under
// ignore. A NaN that arithmetic makes (Inf · 0 in prod) is returned as the positive
// quiet NaN.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/exact_sum.hpp"
#include "../component/categorical_component.hpp"  // MissingValues
#include "../component/numeric_component.hpp"

namespace reprep {

enum class MathFunc : std::uint8_t { sum, mean, std, min, max, prod };

inline const char* math_func_name(MathFunc f) {
    switch (f) {
        case MathFunc::sum: return "sum";
        case MathFunc::mean: return "mean";
        case MathFunc::std: return "std";
        case MathFunc::min: return "min";
        case MathFunc::max: return "max";
        case MathFunc::prod: return "prod";
    }
    return "?";
}

template <class T = double>
class MathFeatures : public detail::NumericComponent<MathFeatures<T>, T> {
    using Base = detail::NumericComponent<MathFeatures<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};               // feature-engine's variables (empty = all numeric; >= 2)
        std::vector<MathFunc> func = {MathFunc::sum};
        std::vector<std::string> new_variables_names = {};   // empty = "<func>_<columns joined by _>"
        MissingValues missing_values = MissingValues::raise;
        bool drop_original = false;
    };

    static constexpr const char* component_name = "MathFeatures";
    static constexpr std::string_view kind_name() { return "math_features"; }
    static constexpr std::uint32_t schema_version = 1;
    // NaN passes the base's check; check_transform_values refuses it under raise.
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    MathFeatures() = default;
    // A template, so that MathFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit MathFeatures(P p) : params_(std::move(p)) {
        if (const char* why = invalid(params_))
            detail::fail<InvalidParameter>(
                {.component = component_name, .problem = why, .fix = fix_of(why), .parameter = field_of(why)});
    }

    const Params& params() const { return params_; }

    Eigen::Index n_features_out() const {
        if (!this->is_fitted()) return 0;
        const auto in = static_cast<Eigen::Index>(this->feature_names_in().size());
        return (params_.drop_original ? 0 : in) + static_cast<Eigen::Index>(params_.func.size());
    }
    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        if (!params_.drop_original) out = in;
        for (std::size_t f = 0; f < params_.func.size(); ++f) {
            if (!params_.new_variables_names.empty()) {
                out.push_back(params_.new_variables_names[f]);
                continue;
            }
            std::string name = math_func_name(params_.func[f]);
            for (const auto& n : in) name += "_" + n;
            out.push_back(std::move(name));
        }
        return out;
    }
    std::vector<std::string> matrix_feature_names(Eigen::Index n) const {
        if (params_.columns.empty()) return detail::default_names(n);
        if (static_cast<Eigen::Index>(params_.columns.size()) != n)
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "Params::columns names " + std::to_string(params_.columns.size()) +
                                                  " columns but the matrix has " + std::to_string(n),
                                       .fix = "for matrix input, give one name per column or none"});
        return params_.columns;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u64(params_.func.size());
        for (MathFunc f : params_.func) w.u8(static_cast<std::uint8_t>(f));
        w.strs(params_.new_variables_names);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.boolean(params_.drop_original);
    }
    static MathFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        MathFeatures c;
        c.load_base(r);
        c.params_.columns = r.strs();
        const std::size_t n = r.size(1);
        c.params_.func.clear();
        for (std::size_t i = 0; i < n; ++i) {
            const auto f = r.u8();
            if (f > static_cast<std::uint8_t>(MathFunc::prod)) r.fail("MathFeatures: unknown function");
            c.params_.func.push_back(static_cast<MathFunc>(f));
        }
        c.params_.new_variables_names = r.strs();
        const auto mv = r.u8();
        if (mv > static_cast<std::uint8_t>(MissingValues::include)) r.fail("MathFeatures: unknown missing_values");
        c.params_.missing_values = static_cast<MissingValues>(mv);
        c.params_.drop_original = r.boolean();
        if (const char* why = invalid(c.params_)) r.fail(std::string("MathFeatures: ") + why);
        if (c.is_fitted() && c.feature_names_in().size() < 2) r.fail("MathFeatures: fewer than 2 fitted columns");
        return c;
    }

    // NaN under missing_values = raise, named by column and row (feature-engine checks
    // it in transform as in fit).
    void check_transform_values(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) const {
        if (params_.missing_values == MissingValues::raise) refuse_nan(X, names, "transform");
    }

private:
    static const char* invalid(const Params& p) {
        if (p.columns.size() == 1) return "columns must name at least 2 columns (or none: every numeric column)";
        if (detail::repeated_name(p.columns)) return "columns names a column twice";
        if (p.func.empty()) return "func must hold at least one function";
        for (std::size_t i = 0; i < p.func.size(); ++i) {
            if (static_cast<std::uint8_t>(p.func[i]) > static_cast<std::uint8_t>(MathFunc::prod))
                return "func holds an unknown function";
            for (std::size_t j = 0; j < i; ++j)
                if (p.func[j] == p.func[i]) return "func names a function twice";
        }
        if (!p.new_variables_names.empty() && p.new_variables_names.size() != p.func.size())
            return "new_variables_names must give one name per function (or none)";
        if (detail::repeated_name(p.new_variables_names)) return "new_variables_names holds a name twice";
        if (p.missing_values == MissingValues::include) return "missing_values must be raise or ignore";
        return nullptr;
    }
    // What to do about each problem invalid() names (the error's fix).
    static const char* fix_of(std::string_view why) {
        if (why.starts_with("columns must name")) return "name 2 or more columns, or none for every numeric column";
        if (why.starts_with("columns names")) return "list each column once";
        if (why.starts_with("func must hold")) return "give at least one function, e.g. sum";
        if (why.starts_with("func holds")) return "use sum, mean, std, min, max or prod";
        if (why.starts_with("func names")) return "list each function once";
        if (why.starts_with("new_variables_names must")) return "give one name per function, or none for the default names";
        if (why.starts_with("new_variables_names holds")) return "give each new column its own name";
        return "use missing_values = raise or ignore";
    }
    static std::string field_of(const char* why) {
        const std::string s(why);
        return s.substr(0, s.find(' '));
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
        if (X.cols() < 2)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "fit got " + std::to_string(X.cols()) + " column; at least 2 are needed",
                                        .fix = "select at least 2 numeric columns"});
        if (params_.missing_values == MissingValues::raise) refuse_nan(X, names, "fit");
    }

    // One row's reductions, in the order the header states. The exact sums live on the
    // arena of the caller's stack frame, so a row allocates nothing.
    void reduce_row(const T* const* cols, Eigen::Index i, std::size_t m_cols, detail::ChunkArena& arena, double* v,
                    T* out, Eigen::Index stride) const {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        std::size_t m = 0;
        for (std::size_t j = 0; j < m_cols; ++j) {
            const double x = static_cast<double>(cols[j][i]);
            if (!std::isnan(x)) v[m++] = x;
        }
        double sum = 0.0;
        bool have_sum = false;
        auto exact_sum = [&] {
            if (!have_sum) {
                ExactSum s(arena);
                for (std::size_t k = 0; k < m; ++k) s.add(v[k]);
                sum = s.value();
                have_sum = true;
            }
            return sum;
        };
        for (std::size_t f = 0; f < params_.func.size(); ++f) {
            double r = nan;
            switch (params_.func[f]) {
                case MathFunc::sum: r = exact_sum(); break;
                case MathFunc::mean:
                    if (m > 0) r = exact_sum() / static_cast<double>(m);
                    break;
                case MathFunc::std:
                    if (m > 1) {
                        const double mean = exact_sum() / static_cast<double>(m);
                        ExactSum s(arena);
                        for (std::size_t k = 0; k < m; ++k) {
                            const double d = v[k] - mean;
                            s.add(d * d);
                        }
                        r = std::sqrt(s.value() / static_cast<double>(m - 1));
                    }
                    break;
                case MathFunc::min:
                    if (m > 0) {
                        r = v[0];
                        for (std::size_t k = 1; k < m; ++k)
                            if (v[k] < r || (v[k] == r && std::signbit(v[k]))) r = v[k];
                    }
                    break;
                case MathFunc::max:
                    if (m > 0) {
                        r = v[0];
                        for (std::size_t k = 1; k < m; ++k)
                            if (v[k] > r || (v[k] == r && !std::signbit(v[k]))) r = v[k];
                    }
                    break;
                case MathFunc::prod:
                    r = 1.0;
                    for (std::size_t k = 0; k < m; ++k) r = r * v[k];
                    break;
            }
            out[static_cast<Eigen::Index>(f) * stride] = std::isnan(r) ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(r);
        }
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const auto n = static_cast<std::size_t>(X.cols());
        const Eigen::Index first = params_.drop_original ? 0 : X.cols();
        if (!params_.drop_original) out.leftCols(X.cols()) = X;
        // The column pointers and one row's values: on the stack for the usual few
        // columns, so the single-row path allocates nothing.
        constexpr std::size_t kStack = 64;
        const T* cols_stack[kStack];
        double v_stack[kStack];
        std::vector<const T*> cols_heap;
        std::vector<double> v_heap;
        const T** cols = cols_stack;
        double* v = v_stack;
        if (n > kStack) {
            cols_heap.resize(n);
            v_heap.resize(n);
            cols = cols_heap.data();
            v = v_heap.data();
        }
        for (std::size_t j = 0; j < n; ++j) cols[j] = X.col(static_cast<Eigen::Index>(j)).data();
        detail::ChunkArena arena;
        const Eigen::Index stride = out.outerStride();
        for (Eigen::Index i = 0; i < X.rows(); ++i) reduce_row(cols, i, n, arena, v, &out(i, first), stride);
    }

    Params params_;
};

}  // namespace reprep
