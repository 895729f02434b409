// reprep::PolynomialFeatures — scikit-learn's PolynomialFeatures (dense input).
//
//   output columns, in scikit-learn's order: "1" (include_bias), then for each degree
//   d = max(1, min_degree) .. max_degree the index combinations of the n inputs in
//   lexicographic order, with replacement (interaction_only: without), as
//   itertools.combinations_with_replacement / combinations give them.
//   value of a term x_{i1} x_{i2} ... x_{id} (i1 <= i2 <= ... <= id), in T:
//         ((x_{id} * x_{i(d-1)}) * ...) * x_{i1}
//   which is the order of scikit-learn 1.2's dense kernel: it builds each degree-d
//   column as a degree-(d-1) column (the terms without the first factor) times
//   X[:, i1]. Same operations in the same order, so the bits are scikit-learn's.
//   names: scikit-learn's get_feature_names_out: "1", "x0", "x0^2", "x0 x1", with a
//   Table's (or the given) input names instead of x0, x1, ...
// Stateless: fit records the width and names only (no Accumulator). NaN and ±Inf are
// refused in fit and transform, as scikit-learn's check_array does. A product that
// overflows to ±Inf and then meets a zero factor is NaN; it is returned as the quiet
// NaN of positive sign (the sign of an arithmetic NaN differs between CPUs).
// order ("C"/"F") is scikit-learn's memory layout of the result; reprep's matrices are
// column-major whatever it says, so it is not a parameter.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

// scikit-learn's degree: an int (0..degree) or a (min_degree, max_degree) pair.
// `.degree = 3` and `.degree = {2, 3}` both read as in scikit-learn.
struct PolynomialDegree {
    std::int64_t min_degree = 0;
    std::int64_t max_degree = 2;
    constexpr PolynomialDegree(std::int64_t degree) : max_degree(degree) {}  // NOLINT: implicit on purpose
    constexpr PolynomialDegree(std::int64_t min_deg, std::int64_t max_deg) : min_degree(min_deg), max_degree(max_deg) {}
    friend bool operator==(const PolynomialDegree&, const PolynomialDegree&) = default;
};

template <class T = double>
class PolynomialFeatures : public detail::NumericComponent<PolynomialFeatures<T>, T> {
    using Base = detail::NumericComponent<PolynomialFeatures<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: the columns to expand (empty = all numeric)
        PolynomialDegree degree = 2;
        bool interaction_only = false;
        bool include_bias = true;
    };

    static constexpr const char* component_name = "PolynomialFeatures";
    static constexpr std::string_view kind_name() { return "polynomial_features"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;

    // The most output columns (and factors over all terms) a fit may create: a bound
    // that keeps a typo in degree, or a hostile artifact, from allocating gigabytes.
    // (At the cap the terms take 20 MiB; an artifact of a few hundred bytes may ask for it.)
    static constexpr std::uint64_t max_outputs = std::uint64_t{1} << 20;
    static constexpr std::uint64_t max_factors = std::uint64_t{1} << 22;

    PolynomialFeatures() = default;
    // A template, so that PolynomialFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit PolynomialFeatures(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(start_.size()); }

    // scikit-learn's powers_: one row per output column, the exponent of each input.
    std::vector<std::vector<std::int64_t>> powers() const {
        this->require_fitted();
        std::vector<std::vector<std::int64_t>> p(start_.size(), std::vector<std::int64_t>(this->feature_names_in().size(), 0));
        for (std::size_t k = 0; k < start_.size(); ++k)
            for (std::uint32_t f = start_[k]; f < end_of(k); ++f) ++p[k][factor_[f]];
        return p;
    }

    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        out.reserve(start_.size());
        for (std::size_t k = 0; k < start_.size(); ++k) {
            std::string name;
            std::uint32_t f = start_[k];
            while (f < end_of(k)) {
                const std::uint32_t i = factor_[f];
                std::uint32_t e = f;
                while (e < end_of(k) && factor_[e] == i) ++e;
                if (!name.empty()) name += ' ';
                name += in[i];
                if (e - f != 1) name += '^' + std::to_string(e - f);
                f = e;
            }
            out.push_back(name.empty() ? std::string("1") : std::move(name));
        }
        return out;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.i64(params_.degree.min_degree);
        w.i64(params_.degree.max_degree);
        w.boolean(params_.interaction_only);
        w.boolean(params_.include_bias);
    }
    static PolynomialFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        PolynomialFeatures c;
        c.load_base(r);
        c.params_.columns = r.strs();
        c.params_.degree.min_degree = r.i64();
        c.params_.degree.max_degree = r.i64();
        c.params_.interaction_only = r.boolean();
        c.params_.include_bias = r.boolean();
        if (const char* why = invalid(c.params_)) r.fail(std::string("PolynomialFeatures: ") + why);
        // The terms are a function of (width, params): rebuilt, never read, so a
        // hostile artifact cannot point a factor outside the row.
        if (c.is_fitted()) {
            const auto n = c.feature_names_in().size();
            if (too_many(c.params_, n)) r.fail("PolynomialFeatures: too many output columns");
            c.build_terms(n);
        }
        return c;
    }

private:
    // Why the params are invalid, or nullptr (scikit-learn's own checks of degree).
    static const char* invalid(const Params& p) {
        const auto& d = p.degree;
        if (d.min_degree < 0 || d.max_degree < 0 || d.min_degree > d.max_degree)
            return "degree must be an int >= 0 or a pair (min_degree, max_degree) with 0 <= min_degree <= max_degree";
        if (d.max_degree > 64) return "degree must be at most 64";
        if (d.max_degree == 0 && !p.include_bias)
            return "degree 0 with include_bias = false would give no output column";
        return nullptr;
    }
    static void validate(const Params& p) {
        if (const char* why = invalid(p))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = why,
                                            .fix = "use a degree from 0 to 64 (or a pair min_degree <= max_degree), "
                                                   "with include_bias = true for degree 0",
                                            .parameter = "degree"});
    }

    // The number of output columns for n inputs, saturated at max_outputs + 1.
    static std::uint64_t count_terms(const Params& p, std::size_t n) {
        const std::uint64_t cap = max_outputs + 1;
        std::uint64_t total = p.include_bias ? 1 : 0;
        const auto first = std::max<std::int64_t>(1, p.degree.min_degree);
        for (std::int64_t d = first; d <= p.degree.max_degree; ++d) {
            // C(m, d) with m = n + d - 1 (with replacement) or n, by the exact product
            // recurrence C(m, k) = C(m, k - 1) * (m - k + 1) / k, saturated.
            const std::uint64_t m = p.interaction_only ? n : n + static_cast<std::uint64_t>(d) - 1;
            if (static_cast<std::uint64_t>(d) > m) continue;
            // C(m, d) = C(m, kk), kk = min(d, m - d), by C(m, k) = C(m, k - 1) (m - k + 1) / k:
            // exact, and increasing in k up to kk, so saturating at the cap is safe
            // (c <= 2^21 and m < 2^32 keep the product below 2^63).
            const std::uint64_t kk = std::min<std::uint64_t>(static_cast<std::uint64_t>(d), m - static_cast<std::uint64_t>(d));
            std::uint64_t c = 1;
            for (std::uint64_t k = 1; k <= kk && c < cap; ++k) c = c * (m - k + 1) / k;
            total += std::min(c, cap);
            if (total >= cap) return cap;
        }
        return total;
    }

    // Whether n inputs would give more than max_outputs columns or max_factors factors.
    static bool too_many(const Params& p, std::size_t n) {
        if (n > (std::uint64_t{1} << 31)) return true;
        const std::uint64_t count = count_terms(p, n);
        return count > max_outputs || count * static_cast<std::uint64_t>(p.degree.max_degree) > max_factors;
    }

    std::uint32_t end_of(std::size_t k) const { return k + 1 < start_.size() ? start_[k + 1] : static_cast<std::uint32_t>(factor_.size()); }

    // Every term's factors, ascending input indices, in scikit-learn's column order.
    void build_terms(std::size_t n) {
        start_.clear();
        factor_.clear();
        if (params_.include_bias) start_.push_back(0);
        const auto first = std::max<std::int64_t>(1, params_.degree.min_degree);
        std::vector<std::uint32_t> c;
        for (std::int64_t d = first; d <= params_.degree.max_degree; ++d) {
            const auto deg = static_cast<std::size_t>(d);
            if (params_.interaction_only && deg > n) break;
            if (n == 0) break;
            // The first combination, then the next in lexicographic order until none.
            c.assign(deg, 0);
            if (params_.interaction_only)
                for (std::size_t i = 0; i < deg; ++i) c[i] = static_cast<std::uint32_t>(i);
            for (;;) {
                start_.push_back(static_cast<std::uint32_t>(factor_.size()));
                factor_.insert(factor_.end(), c.begin(), c.end());
                // The rightmost position that can still grow.
                std::size_t i = deg;
                while (i > 0) {
                    const std::size_t limit = params_.interaction_only ? n - deg + (i - 1) : n - 1;
                    if (c[i - 1] < limit) break;
                    --i;
                }
                if (i == 0) break;
                ++c[i - 1];
                for (std::size_t j = i; j < deg; ++j) c[j] = params_.interaction_only ? c[j - 1] + 1 : c[i - 1];
            }
        }
    }

    void fit_matrix(const detail::MatrixRef<T>& X) {
        const auto n = static_cast<std::size_t>(X.cols());
        if (too_many(params_, n))
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "degree " + std::to_string(params_.degree.max_degree) + " over " +
                                                   std::to_string(n) + " columns would create more than " +
                                                   std::to_string(max_outputs) + " output columns (or " +
                                                   std::to_string(max_factors) + " factors)",
                                        .fix = "lower degree, set interaction_only, or select fewer columns"});
        build_terms(n);
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        for (std::size_t k = 0; k < start_.size(); ++k) {
            const auto col = static_cast<Eigen::Index>(k);
            const std::uint32_t b = start_[k], e = end_of(k);
            if (b == e) {
                out.col(col).setConstant(T(1));
                continue;
            }
            // Last factor first, then down to the first (scikit-learn's order).
            const T* last = X.col(static_cast<Eigen::Index>(factor_[e - 1])).data();
            T* y = out.col(col).data();
            for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = last[i];
            for (std::uint32_t f = e - 1; f > b; --f) {
                const T* x = X.col(static_cast<Eigen::Index>(factor_[f - 1])).data();
                for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = y[i] * x[i];
            }
            if (e - b > 1)
                for (Eigen::Index i = 0; i < X.rows(); ++i)
                    if (y[i] != y[i]) y[i] = std::numeric_limits<T>::quiet_NaN();
        }
    }

    Params params_;
    std::vector<std::uint32_t> start_;   // first factor of each output column
    std::vector<std::uint32_t> factor_;  // input indices of all terms, ascending within a term
};

}  // namespace reprep
