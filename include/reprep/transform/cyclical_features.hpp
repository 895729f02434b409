// reprep::CyclicalFeatures — feature-engine's CyclicalFeatures.
//
//   fit:  max_values_j = max_values[name_j] when given, else the column's maximum (NaN
//         ignored). It must be finite, non-zero and >= 2 * pi / DBL_MAX in magnitude, so that
//         k_j below is finite (InvalidInput / InvalidParameter).
//   transform (feature-engine's order of operations, in double, rounded once to T):
//         k_j = 2.0 * pi / max_values_j
//         <name>_sin = sin(x * k_j),   <name>_cos = cos(x * k_j)       (dmath::sin/cos)
//   output columns: the inputs (unless drop_original), then <name>_sin, <name>_cos for each
//   input in order. NaN stays NaN; ±Inf is refused (sin(Inf) would be NaN silently).
// Options keyed by column name (max_values) use the fitted names: a Table's column names,
// or for a matrix Params::columns when given (one name per matrix column), else x0, x1, ...
// Accumulator: the column maxima (ColumnMoments). No inverse (feature-engine has none).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/detail/dmath_block.hpp"
#include "../core/moments.hpp"
#include "../component/moments_accumulator.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

template <class T = double>
class CyclicalFeatures : public detail::NumericComponent<CyclicalFeatures<T>, T> {
    using Base = detail::NumericComponent<CyclicalFeatures<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};           // feature-engine's variables (empty = all numeric)
        std::map<std::string, double> max_values = {};   // period per column; empty = fit the column max
        bool drop_original = false;
    };

    static constexpr const char* component_name = "CyclicalFeatures";
    static constexpr std::string_view kind_name() { return "cyclical_features"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    using Accumulator = detail::MomentsAccumulator<T, CyclicalFeatures>;

    CyclicalFeatures() = default;
    // A template, so that CyclicalFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit CyclicalFeatures(P p) : params_(std::move(p)) {
        for (const auto& [name, v] : params_.max_values)
            if (!valid_period(v))
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "max_values[\"" + name + "\"] must be finite, non-zero and at least 2 * pi / DBL_MAX in magnitude",
                                                .fix = "give the column's period (e.g. 24 for hours, 12 for months), or leave the column out of max_values to use its training maximum",
                                                .column = "max_values"});
    }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator{}; }

    using Base::fit;

    static CyclicalFeatures from_state(std::vector<double> max_values, Params p = {}, std::vector<std::string> feature_names = {}) {
        CyclicalFeatures c(std::move(p));
        if (max_values.empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "max_values must be non-empty",
                                            .fix = "pass one max value (period) per column",
                                            .column = "from_state"});
        for (double v : max_values)
            if (!valid_period(v))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "every max value must be finite and non-zero",
                                                .fix = "pass each column's period: a finite, non-zero number",
                                                .column = "from_state"});
        c.max_ = std::move(max_values);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(c.max_.size()));
        if (feature_names.size() != c.max_.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per max value",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        c.set_fitted(std::move(feature_names));
        return c;
    }

    const std::vector<double>& max_values() const { this->require_fitted(); return max_; }

    Eigen::Index n_features_out() const {
        return static_cast<Eigen::Index>(max_.size() * (params_.drop_original ? 2 : 3));
    }
    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        if (!params_.drop_original) out = in;
        for (const auto& n : in) {
            out.push_back(n + "_sin");
            out.push_back(n + "_cos");
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
        w.u64(params_.max_values.size());
        for (const auto& [name, v] : params_.max_values) {
            w.str(name);
            w.f64(v);
        }
        w.boolean(params_.drop_original);
        w.f64s(max_);
    }
    static CyclicalFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        CyclicalFeatures c;
        c.load_base(r);
        c.params_.columns = r.strs();
        const std::size_t n = r.size(16);
        for (std::size_t i = 0; i < n; ++i) {
            std::string name = r.str();
            const double v = r.f64();
            if (!valid_period(v)) r.fail("CyclicalFeatures max value is invalid");
            c.params_.max_values[std::move(name)] = v;
        }
        c.params_.drop_original = r.boolean();
        c.max_ = r.f64s();
        for (double v : c.max_)
            if (!valid_period(v)) r.fail("CyclicalFeatures fitted max value is invalid");
        if (c.is_fitted() ? c.max_.size() != c.feature_names_in().size() : !c.max_.empty())
            r.fail("CyclicalFeatures state does not match its feature names");
        return c;
    }

private:
    static constexpr double two_pi = 2.0 * 3.141592653589793;  // feature-engine's 2.0 * np.pi

    // A period must be finite and non-zero, and so large that k = 2 * pi / max is finite:
    // a subnormal max (e.g. 5e-324) made k = Inf and every output sin(x * Inf) = NaN,
    // silently, with a platform-dependent NaN sign bit.
    static bool valid_period(double v) { return std::isfinite(v) && v != 0 && std::isfinite(two_pi / v); }

    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        ColumnMoments<T> m(X.cols());
        if (params_.max_values.empty()) m.update(X);
        finalise(m, names);
    }

    void fit_accumulator(const Accumulator& acc, const std::vector<std::string>& names) {
        finalise(acc.moments(), names);
    }

    void finalise(const ColumnMoments<T>& m, const std::vector<std::string>& names) {
        max_.assign(names.size(), 0.0);
        for (std::size_t j = 0; j < names.size(); ++j) {
            if (!params_.max_values.empty()) {
                const auto it = params_.max_values.find(names[j]);
                if (it == params_.max_values.end())
                    detail::fail<SchemaError>({.component = component_name,
                                               .problem = "max_values has no entry for this column",
                                               .fix = "give max_values for every selected column, or none",
                                               .column = names[j]});
                max_[j] = it->second;
                continue;
            }
            const auto jj = static_cast<Eigen::Index>(j);
            const double mx = m.count(jj) ? m.max(jj) : std::numeric_limits<double>::quiet_NaN();
            if (!valid_period(mx))
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "the column's maximum is " + std::to_string(mx) +
                                                       ", which cannot be a period",
                                            .fix = "pass max_values for this column",
                                            .column = names[j]});
            max_[j] = mx;
        }
    }

    // GCC 12 -O2 warns that the staging buffer "may be used uninitialized" when its
    // address goes to sincos_block: for_cell_blocks fills every slot it passes on, which
    // the warning cannot see. Checked at this location after inlining, hence fenced here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const auto n = static_cast<Eigen::Index>(max_.size());
        const Eigen::Index first = params_.drop_original ? 0 : n;
        if (!params_.drop_original) out.leftCols(n) = X;
        // sin and cos of the same angles at once through dmath's block sincos (the bits of
        // dmath::sin and dmath::cos, value by value), a buffer of cells at a time (across
        // columns, so a single record is one block).
        constexpr std::size_t kB = dmath::detail::kBlockValues;
        double s[kB], c[kB];  // the angles go into s, and sincos_block overwrites them in place
        dmath::detail::for_cell_blocks(
            X.rows(), n,
            [&](std::size_t q, Eigen::Index i, Eigen::Index j) {
                s[q] = static_cast<double>(X(i, j)) * (two_pi / max_[static_cast<std::size_t>(j)]);
            },
            [&](std::size_t m) { dmath::detail::sincos_block(s, s, c, m); },
            [&](std::size_t q, Eigen::Index i, Eigen::Index j) {
                out(i, first + 2 * j) = static_cast<T>(s[q]);
                out(i, first + 2 * j + 1) = static_cast<T>(c[q]);
            });
    }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

    Params params_;
    std::vector<double> max_;
};

}  // namespace reprep
