// reprep::KBinsDiscretizer — scikit-learn's KBinsDiscretizer with exact statistics.
//
//   fit (per column; NaN and ±Inf are refused, as in scikit-learn):
//     constant column (min == max): edges = [-Inf, +Inf], one bin.
//     uniform:  edges = np.linspace(min, max, n_bins + 1)   (i * step + min, last = max)
//     quantile: edges = np.percentile(column, np.linspace(0, 100, n_bins + 1)) on ALL the
//               values (scikit-learn's subsample=None), numpy's 'linear' method bit for bit.
//     kmeans:   1-D Lloyd k-means from scikit-learn's deterministic init, the midpoints
//               of the uniform edges; at most 300 iterations; each step assigns every value
//               to the nearest centre ((x - c)^2, ties to the lower index), sets each centre
//               to the exact mean of its values (ExactSum, one rounding, then / count),
//               relocates empty clusters to the values farthest from their centres (farthest
//               first, ties to the smaller value), and stops when no label changes or the
//               squared centre shift is <= 1e-4 * var(column) (exact variance). Centres are
//               sorted; edges = [min, (c[k] + c[k+1]) * 0.5 ..., max].
//     quantile and kmeans then drop every edge within 1e-8 of its predecessor (scikit-learn's
//     np.ediff1d(edges, to_begin=inf) > 1e-8 mask), which can lower n_bins_[j].
//   transform: b = np.searchsorted(edges[1:-1], x, side='right') = number of inner edges <= x.
//     ordinal: b as T; onehot_dense: a block of n_bins_[j] columns with a 1 at b, named
//     "<feature>_<b>" (scikit-learn's OneHotEncoder names).
//   inverse: the bin centre (edges[b] + edges[b+1]) * 0.5 (NaN for a constant column,
//     as scikit-learn); onehot takes the first maximum of each block.
// Accumulator: one exact ValueAccumulator per column (uniform needs only min and max but
// shares it, so that the three strategies behave alike under chunking).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/exact_sum.hpp"
#include "../core/moments.hpp"
#include "../core/multi_pass_selection.hpp"
#include "../core/quantile.hpp"
#include "../core/numpy_ports.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class KBinsStrategy : std::uint8_t { uniform, quantile, kmeans };
enum class KBinsEncode : std::uint8_t { onehot_dense, ordinal };

namespace detail {
// The 1-D k-means described above, on sorted finite values; returns sorted centres.
inline std::vector<double> kmeans_1d(std::span<const double> sorted, std::size_t k, double min, double max);
}  // namespace detail

template <class T = double>
class KBinsDiscretizer : public detail::NumericComponent<KBinsDiscretizer<T>, T> {
    using Base = detail::NumericComponent<KBinsDiscretizer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to bin (empty = all numeric)
        int n_bins = 5;
        KBinsEncode encode = KBinsEncode::onehot_dense;
        KBinsStrategy strategy = KBinsStrategy::quantile;
    };

    static constexpr const char* component_name = "KBinsDiscretizer";
    static constexpr std::string_view kind_name() { return "k_bins_discretizer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;

    using Accumulator = detail::ValuesAccumulator<T, KBinsDiscretizer>;

    KBinsDiscretizer() = default;
    // A template, so that KBinsDiscretizer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit KBinsDiscretizer(P p) : params_(std::move(p)) {
        // The cap: fit builds n_bins + 1 edges per column (and onehot as many named
        // outputs), so n_bins = INT_MAX asked for 16 GiB and died with std::bad_alloc.
        // 2^16, as HashingEncoder's n_components, is far beyond a useful dense binning.
        if (params_.n_bins < 2 || params_.n_bins > max_bins)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "n_bins must be in [2, 65536], got " + std::to_string(params_.n_bins),
                                            .fix = "use n_bins from 2 to 65536 (the default is 5)",
                                            .column = "n_bins"});
        if (static_cast<unsigned>(params_.encode) > 1)
            detail::fail<InvalidParameter>({.component = component_name, .problem = "unknown encode",
                                            .fix = "use encode = ordinal or onehot ('ordinal' or 'onehot-dense' in Python)",
                                            .column = "encode"});
        if (static_cast<unsigned>(params_.strategy) > 2)
            detail::fail<InvalidParameter>({.component = component_name, .problem = "unknown strategy",
                                            .fix = "use strategy = uniform, quantile or kmeans",
                                            .column = "strategy"});
    }

    const Params& params() const { return params_; }

    Accumulator accumulator() const { return Accumulator{}; }

    using Base::fit;

    // From scikit-learn's bin_edges_ (one array per column, >= 2 increasing edges).
    static KBinsDiscretizer from_state(std::vector<std::vector<double>> bin_edges, Params p = {},
                                       std::vector<std::string> feature_names = {}) {
        KBinsDiscretizer k(std::move(p));
        if (bin_edges.empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "bin_edges must be non-empty",
                                            .fix = "pass a fitted KBinsDiscretizer's bin_edges_: one array of edges per column",
                                            .column = "from_state"});
        for (const auto& e : bin_edges)
            if (!valid_edges(e))
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "each column needs >= 2 strictly increasing, non-NaN edges",
                                                .fix = "pass at least 2 strictly increasing, non-NaN edges per column, as a fitted KBinsDiscretizer's bin_edges_ holds",
                                                .column = "from_state"});
        k.edges_ = std::move(bin_edges);
        k.derive();
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(k.edges_.size()));
        if (feature_names.size() != k.edges_.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        k.set_fitted(std::move(feature_names));
        return k;
    }

    const std::vector<double>& bin_edges(std::size_t column) const { this->require_fitted(); return edges_.at(column); }
    std::vector<int> n_bins_fitted() const {
        this->require_fitted();
        std::vector<int> n;
        for (const auto& e : edges_) n.push_back(static_cast<int>(e.size() - 1));
        return n;
    }

    Eigen::Index n_features_out() const { return width_out_; }

    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        if (params_.encode == KBinsEncode::ordinal) return in;
        std::vector<std::string> out;
        for (std::size_t j = 0; j < in.size(); ++j)
            for (std::size_t b = 0; b + 1 < edges_[j].size(); ++b) out.push_back(in[j] + "_" + std::to_string(b));
        return out;
    }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->require_fitted();
        check_fp_environment();
        const auto cols = static_cast<Eigen::Index>(edges_.size());
        const Eigen::Index want = params_.encode == KBinsEncode::ordinal ? cols : width_out_;
        if (Y.cols() != want)
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "inverse_transform got " + std::to_string(Y.cols()) + " columns, expected " +
                                                  std::to_string(want),
                                       .fix = "pass transform's output: one column per input column with encode = ordinal, one per bin with onehot"});
        Matrix<T> X(Y.rows(), cols);
        for (Eigen::Index j = 0; j < cols; ++j) {
            const auto& e = edges_[static_cast<std::size_t>(j)];
            const auto nb = static_cast<Eigen::Index>(e.size() - 1);
            const Eigen::Index off = offsets_[static_cast<std::size_t>(j)];
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                Eigen::Index b = 0;
                if (params_.encode == KBinsEncode::ordinal) {
                    const double c = static_cast<double>(Y(i, j));
                    if (!(c >= 0 && c < static_cast<double>(nb)) || c != std::floor(c))
                        detail::fail<InvalidInput>({.component = component_name,
                                                    .problem = "a bin code must be an integer in [0, " + std::to_string(nb) + ")",
                                                    .fix = "pass the codes transform gave: whole numbers from 0 to the column's number of bins minus 1",
                                                    .column = this->feature_names_in()[static_cast<std::size_t>(j)],
                                                    .row = static_cast<std::size_t>(i)});
                    b = static_cast<Eigen::Index>(c);
                } else {
                    for (Eigen::Index k = 1; k < nb; ++k)
                        if (Y(i, off + k) > Y(i, off + b)) b = k;
                }
                X(i, j) = static_cast<T>((e[static_cast<std::size_t>(b)] + e[static_cast<std::size_t>(b) + 1]) * 0.5);
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.i64(params_.n_bins);
        w.u8(static_cast<std::uint8_t>(params_.encode));
        w.u8(static_cast<std::uint8_t>(params_.strategy));
        w.u64(edges_.size());
        for (const auto& e : edges_) w.f64s(e);
    }
    static KBinsDiscretizer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        KBinsDiscretizer k;
        k.load_base(r);
        k.params_.columns = r.strs();
        const auto nb = r.i64();
        const auto enc = r.u8(), strat = r.u8();
        if (nb < 2 || nb > max_bins || enc > 1 || strat > 2) r.fail("KBinsDiscretizer params are invalid");
        k.params_.n_bins = static_cast<int>(nb);
        k.params_.encode = static_cast<KBinsEncode>(enc);
        k.params_.strategy = static_cast<KBinsStrategy>(strat);
        const std::size_t n = r.size(8);
        for (std::size_t j = 0; j < n; ++j) {
            k.edges_.push_back(r.f64s());
            if (!valid_edges(k.edges_.back())) r.fail("KBinsDiscretizer bin edges are malformed");
        }
        if (k.is_fitted() ? n != k.feature_names_in().size() : n != 0)
            r.fail("KBinsDiscretizer state does not match its feature names");
        k.derive();
        return k;
    }

private:
    static constexpr int max_bins = 1 << 16;

    static bool valid_edges(const std::vector<double>& e) {
        if (e.size() < 2) return false;
        for (std::size_t i = 0; i < e.size(); ++i) {
            if (std::isnan(e[i])) return false;
            if (i > 0 && !(e[i] > e[i - 1])) return false;
        }
        return true;
    }

    void fit_accumulator(const Accumulator& acc, const std::vector<std::string>& names) {
        edges_.assign(acc.cols(), {});
        for (std::size_t j = 0; j < acc.cols(); ++j) {
            const auto sorted = acc.values().col(j).sorted();
            fit_column(j, sorted.size(), [&](std::size_t r) { return sorted[r]; }, sorted, names);
        }
        derive();
    }

    // fit(ChunkSource): uniform and quantile read a few ranks (the ends, the percentiles),
    // found by multi-pass selection (numeric_component.hpp); kmeans needs every value,
    // so it fits through its accumulator.
    bool ranks_suffice() const { return params_.strategy != KBinsStrategy::kmeans; }
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        if (n == 0) return;
        ranks.push_back(0);
        ranks.push_back(n - 1);
        if (params_.strategy == KBinsStrategy::quantile)
            for (double p : detail::np_linspace(0.0, 100.0, static_cast<std::size_t>(params_.n_bins) + 1))
                quantile_ranks(n, p / 100.0, QuantileMethod::linear, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c) {
        edges_.assign(c.cols(), {});
        for (std::size_t j = 0; j < c.cols(); ++j)
            fit_column(j, c.count(j), [&](std::size_t r) { return c.at(j, r); }, {}, {});
        derive();
    }

    // Column j's edges from its n sorted values, at(r) being the value of rank r;
    // `sorted` holds them all for kmeans (the other strategies read only at()).
    template <class At>
    void fit_column(std::size_t j, std::size_t count, At&& at, std::span<const double> sorted,
                    const std::vector<std::string>& names) {
        const auto n = static_cast<std::size_t>(params_.n_bins);
        {
            const double lo = at(0), hi = at(count - 1);
            auto& e = edges_[j];
            if (lo == hi) {
                e = {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
                return;
            }
            if (params_.strategy == KBinsStrategy::uniform) {
                e = detail::np_linspace(lo, hi, n + 1);
                return;
            }
            if (params_.strategy == KBinsStrategy::quantile) {
                // np.percentile(column, np.linspace(0, 100, n + 1)) evaluates q / 100.
                const auto pct = detail::np_linspace(0.0, 100.0, n + 1);
                e.resize(n + 1);
                for (std::size_t i = 0; i <= n; ++i) e[i] = quantile_at(count, pct[i] / 100.0, QuantileMethod::linear, at);
            } else {
                if (sorted.size() < n)
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "kmeans needs at least n_bins = " + std::to_string(n) +
                                                           " values, the column has " + std::to_string(sorted.size()),
                                                .fix = "lower n_bins or use another strategy",
                                                .column = names[j]});
                const auto centres = detail::kmeans_1d(sorted, n, lo, hi);
                e.assign(1, lo);
                for (std::size_t i = 0; i + 1 < centres.size(); ++i) e.push_back((centres[i + 1] + centres[i]) * 0.5);
                e.push_back(hi);
            }
            // scikit-learn's mask np.ediff1d(e, to_begin=inf) > 1e-8, against the unfiltered predecessor.
            std::vector<double> kept = {e[0]};
            for (std::size_t i = 1; i < e.size(); ++i)
                if (e[i] - e[i - 1] > 1e-8) kept.push_back(e[i]);
            e = std::move(kept);
        }
    }

    void derive() {
        offsets_.assign(edges_.size(), 0);
        Eigen::Index w = 0;
        for (std::size_t j = 0; j < edges_.size(); ++j) {
            offsets_[j] = w;
            w += params_.encode == KBinsEncode::ordinal ? 1 : static_cast<Eigen::Index>(edges_[j].size() - 1);
        }
        width_out_ = w;
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const bool ordinal = params_.encode == KBinsEncode::ordinal;
        if (!ordinal) out.setZero();
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto& e = edges_[static_cast<std::size_t>(j)];
            const double* inner = e.data() + 1;
            const double* inner_end = e.data() + e.size() - 1;
            const Eigen::Index off = offsets_[static_cast<std::size_t>(j)];
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double x = static_cast<double>(X(i, j));
                // Branch-free, the same index as std::upper_bound.
                const auto b = static_cast<Eigen::Index>(
                    detail::searchsorted_right(inner, static_cast<std::size_t>(inner_end - inner), x));
                if (ordinal) out(i, j) = static_cast<T>(b);
                else out(i, off + b) = T(1);
            }
        }
    }

    Params params_;
    std::vector<std::vector<double>> edges_;
    // Derived (not serialised): first output column of each feature, total width.
    std::vector<Eigen::Index> offsets_;
    Eigen::Index width_out_ = 0;
};

// ===========================================================================
// Kernels
// ===========================================================================
namespace detail {

inline std::vector<double> kmeans_1d(std::span<const double> x, std::size_t k, double min, double max) {
    const std::size_t n = x.size();
    const auto u = np_linspace(min, max, k + 1);
    std::vector<double> c(k), next(k);
    for (std::size_t i = 0; i < k; ++i) c[i] = (u[i + 1] + u[i]) * 0.5;
    ColumnMoments<double> m(1);
    m.update(Eigen::Map<const Matrix<double>>(x.data(), static_cast<Eigen::Index>(n), 1));
    const double tol = m.variance(0) * 1e-4;  // scikit-learn's mean(var(X)) * tol, tol = 1e-4

    std::vector<std::int32_t> labels(n, -1), old(n, -1);
    std::vector<ExactSum> sums(k);
    std::vector<std::uint64_t> counts(k);
    auto assign = [&](const std::vector<double>& centres) {
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t best = 0;
            double bd = (x[i] - centres[0]) * (x[i] - centres[0]);
            for (std::size_t j = 1; j < k; ++j) {
                const double d = (x[i] - centres[j]) * (x[i] - centres[j]);
                if (d < bd) { bd = d; best = j; }
            }
            labels[i] = static_cast<std::int32_t>(best);
        }
    };
    bool strict = false;
    for (int iter = 0; iter < 300; ++iter) {
        assign(c);
        for (std::size_t j = 0; j < k; ++j) { sums[j] = ExactSum{}; counts[j] = 0; }
        for (std::size_t i = 0; i < n; ++i) {
            sums[static_cast<std::size_t>(labels[i])].add(x[i]);
            ++counts[static_cast<std::size_t>(labels[i])];
        }
        std::vector<std::size_t> empty;
        for (std::size_t j = 0; j < k; ++j)
            if (counts[j] == 0) empty.push_back(j);
        if (!empty.empty()) {
            // Farthest values from their current centre first; ties to the smaller value
            // (x is sorted, so the lower index).
            std::vector<std::size_t> order(n);
            std::iota(order.begin(), order.end(), std::size_t{0});
            auto dist = [&](std::size_t i) {
                const double d = x[i] - c[static_cast<std::size_t>(labels[i])];
                return d * d;
            };
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return dist(a) > dist(b); });
            for (std::size_t e = 0; e < empty.size() && e < n; ++e) {
                const std::size_t i = order[e];
                const auto from = static_cast<std::size_t>(labels[i]);
                sums[from].add(-x[i]);
                --counts[from];
                sums[empty[e]] = ExactSum{};
                sums[empty[e]].add(x[i]);
                counts[empty[e]] = 1;
            }
        }
        ExactSum shift2;
        for (std::size_t j = 0; j < k; ++j) {
            next[j] = counts[j] > 0 ? sums[j].value() / static_cast<double>(counts[j]) : c[j];
            shift2.add_product(next[j] - c[j], next[j] - c[j]);
        }
        const double shift = shift2.value();
        c.swap(next);
        if (labels == old) {
            strict = true;
            break;
        }
        if (shift <= tol) break;
        old = labels;
    }
    (void)strict;  // the final E-step scikit-learn reruns changes labels only, not centres
    std::sort(c.begin(), c.end());
    return c;
}

}  // namespace detail
}  // namespace reprep
