// reprep::LogTransformer — feature-engine's LogTransformer and LogCpTransformer in one.
//
//   fit:  C_j = C                          when C is a number (default 0: plain LogTransformer)
//         C_j = min_j > 0 ? 0 : |min_j| + 1  when C = LogOffset::automatic() (LogCpTransformer's
//                                          'auto' as feature-engine >= 1.6 computes it: 1 - min
//                                          where the column reaches 0 or below, nothing otherwise)
//         then every value must satisfy x + C_j > 0 (InvalidInput naming column and row).
//   transform:  base e:  y = log(x + C_j)
//               base 10: y = log(x + C_j) / 2.302585092994046   (dmath has no log10; this is
//                        deterministic and within about 1.5 ulp of log10)
//               x + C_j <= 0 raises InvalidInput naming column and row; NaN stays NaN.
//   inverse:    base e:  x = exp(y) - C_j;   base 10: x = pow(10, y) - C_j
// Computed in double (dmath), rounded once to T. ±Inf is refused in fit and transform.
// Accumulator: the column minima (ColumnMoments), mergeable; an all-NaN column gets C_j = 0
// with 'auto'.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/detail/dmath_block.hpp"
#include "../core/moments.hpp"
#include "../component/moments_accumulator.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class LogBase : std::uint8_t { e, ten };

// feature-engine's C: a number, or 'auto'.
struct LogOffset {
    bool automatic_ = false;
    double value = 0.0;
    constexpr LogOffset() = default;
    constexpr LogOffset(double v) : value(v) {}  // NOLINT: implicit, so `.C = 1.0` reads naturally
    static constexpr LogOffset automatic() {
        LogOffset o;
        o.automatic_ = true;
        return o;
    }
    constexpr bool is_auto() const { return automatic_; }
    friend bool operator==(const LogOffset&, const LogOffset&) = default;
};

template <class T = double>
class LogTransformer : public detail::NumericComponent<LogTransformer<T>, T> {
    using Base = detail::NumericComponent<LogTransformer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's variables (empty = all numeric)
        LogBase base = LogBase::e;
        LogOffset C = 0.0;
    };

    static constexpr const char* component_name = "LogTransformer";
    static constexpr std::string_view kind_name() { return "log_transformer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    using Accumulator = detail::MomentsAccumulator<T, LogTransformer>;

    LogTransformer() = default;
    // A template, so that LogTransformer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit LogTransformer(P p) : params_(std::move(p)) {
        if (params_.base != LogBase::e && params_.base != LogBase::ten)
            detail::fail<InvalidParameter>({.component = component_name, .problem = "base must be e or ten",
                                            .fix = "use base = e or ten ('e' or '10' in Python)",
                                            .column = "base"});
        if (!params_.C.is_auto() && !std::isfinite(params_.C.value))
            detail::fail<InvalidParameter>({.component = component_name, .problem = "C must be finite or automatic()",
                                            .fix = "use C = 'auto' (LogOffset::automatic() in C++), or a finite number such that x + C > 0 for every value",
                                            .column = "C"});
    }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator{}; }

    using Base::fit;

    static LogTransformer from_state(std::vector<double> C, Params p = {}, std::vector<std::string> feature_names = {}) {
        LogTransformer t(std::move(p));
        if (C.empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "C must be non-empty",
                                            .fix = "pass one offset C per column",
                                            .column = "from_state"});
        for (double c : C)
            if (!std::isfinite(c))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "every C must be finite",
                                                .fix = "pass a finite C for every column",
                                                .column = "from_state"});
        t.C_ = std::move(C);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(t.C_.size()));
        if (feature_names.size() != t.C_.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per C",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        t.set_fitted(std::move(feature_names));
        return t;
    }

    // The constant added to each column before the log (feature-engine's C_).
    const std::vector<double>& C() const { this->require_fitted(); return C_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(C_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const double c = C_[static_cast<std::size_t>(j)];
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                const double y = static_cast<double>(Y(i, j));
                X(i, j) = static_cast<T>((params_.base == LogBase::e ? dmath::exp(y) : dmath::pow(10.0, y)) - c);
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.base));
        w.boolean(params_.C.is_auto());
        w.f64(params_.C.value);
        w.f64s(C_);
    }
    static LogTransformer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        LogTransformer t;
        t.load_base(r);
        t.params_.columns = r.strs();
        const auto b = r.u8();
        if (b > 1) r.fail("LogTransformer base code is unknown");
        t.params_.base = static_cast<LogBase>(b);
        const bool a = r.boolean();
        const double v = r.f64();
        t.params_.C = a ? LogOffset::automatic() : LogOffset(v);
        t.C_ = r.f64s();
        if (t.is_fitted() ? t.C_.size() != t.feature_names_in().size() : !t.C_.empty())
            r.fail("LogTransformer state does not match its feature names");
        return t;
    }

private:
    static constexpr double ln10 = 2.302585092994046;

    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        ColumnMoments<T> m(X.cols());
        m.update(X);
        offsets(m);
        // Name the first offending row (the accumulator path can only name the column).
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i) check_value(static_cast<double>(X(i, j)), static_cast<std::size_t>(j), names, i, "fit");
        finalise(m, names);
    }

    void offsets(const ColumnMoments<T>& m) {
        C_.assign(static_cast<std::size_t>(m.cols()), params_.C.value);
        if (!params_.C.is_auto()) return;
        for (Eigen::Index j = 0; j < m.cols(); ++j) {
            const double lo = m.count(j) ? m.min(j) : 1.0;  // an all-NaN column gets C = 0
            C_[static_cast<std::size_t>(j)] = lo > 0 ? 0.0 : std::abs(lo) + 1;
        }
    }

    void fit_accumulator(const Accumulator& acc, const std::vector<std::string>& names) {
        finalise(acc.moments(), names);
    }

    void finalise(const ColumnMoments<T>& m, const std::vector<std::string>& names) {
        offsets(m);
        for (Eigen::Index j = 0; j < m.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            if (m.count(j) == 0) continue;
            const double lo = m.min(j);
            if (!(lo + C_[jj] > 0))
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "the column's minimum " + std::to_string(lo) + " plus C = " +
                                                       std::to_string(C_[jj]) + " is not positive, so the log is undefined",
                                            .fix = "use C = 'auto' (LogOffset::automatic() in C++) or a larger C",
                                            .column = names[jj]});
        }
    }

    void check_value(double x, std::size_t j, const std::vector<std::string>& names, Eigen::Index row, const char* phase) const {
        if (x + C_[j] <= 0)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = std::string("in ") + phase + ", x + C = " + std::to_string(x + C_[j]) +
                                                   " is not positive, so the log is undefined",
                                        .fix = value_fix(phase),
                                        .column = names[j],
                                        .row = static_cast<std::size_t>(row)});
    }

    // What to do depends on where the value is met and on the C in use: at transform
    // time with C = automatic() the offset was fitted on the training minimum, and
    // suggesting automatic() again would repeat the problem.
    std::string value_fix(const char* phase) const {
        if (!params_.C.is_auto())
            return "use a larger C, or C = 'auto' (LogOffset::automatic() in C++) and refit, or filter such rows out";
        return std::string(phase) == "transform"
                   ? "the value is below the training minimum that the automatic C was fitted on: filter or clip "
                     "such rows before this step (e.g. ArbitraryOutlierCapper), or refit on data that includes them"
                   : "filter such rows out";
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i)
                check_value(static_cast<double>(X(i, j)), static_cast<std::size_t>(j), this->feature_names_in(), i, "transform");
        // log(x + C) through dmath's block log (the bits of dmath::log, value by value),
        // a buffer of cells at a time (across columns, so a single record is one block);
        // float columns too, as both compute in double.
        double buf[dmath::detail::kBlockValues];
        dmath::detail::for_cell_blocks(
            X.rows(), X.cols(),
            [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                buf[k] = static_cast<double>(X(i, j)) + C_[static_cast<std::size_t>(j)];
            },
            [&](std::size_t m) { dmath::detail::log_block(buf, buf, m); },
            [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                const double y = buf[k];
                out(i, j) = static_cast<T>(params_.base == LogBase::e ? y : y / ln10);
            });
    }

    Params params_;
    std::vector<double> C_;
};

}  // namespace reprep
