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
#include <optional>
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
#include "detail/kmeans_1d.hpp"

namespace reprep {

enum class KBinsStrategy : std::uint8_t { uniform, quantile, kmeans };
enum class KBinsEncode : std::uint8_t { onehot_dense, ordinal };

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
    // found by multi-pass selection (numeric_component.hpp); kmeans takes passes of its
    // own (fit_passes, below).
    bool ranks_suffice() const { return params_.strategy != KBinsStrategy::kmeans; }
    bool fits_in_passes() const { return params_.strategy == KBinsStrategy::kmeans; }
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
                refuse_few_values(sorted.size(), names[j]);
                e = kmeans_edges(lo, hi, detail::kmeans_1d(sorted, n, lo, hi));
            }
            e = drop_narrow(std::move(e));
        }
    }

    void refuse_few_values(std::size_t count, const std::string& column) const {
        if (count < static_cast<std::size_t>(params_.n_bins))
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "kmeans needs at least n_bins = " + std::to_string(params_.n_bins) +
                                                   " values, the column has " + std::to_string(count),
                                        .fix = "lower n_bins or use another strategy",
                                        .column = column});
    }
    // [min, the midpoints of the sorted centres, max].
    static std::vector<double> kmeans_edges(double lo, double hi, const std::vector<double>& centres) {
        std::vector<double> e = {lo};
        for (std::size_t i = 0; i + 1 < centres.size(); ++i) e.push_back((centres[i + 1] + centres[i]) * 0.5);
        e.push_back(hi);
        return e;
    }
    // scikit-learn's mask np.ediff1d(e, to_begin=inf) > 1e-8, against the unfiltered predecessor.
    static std::vector<double> drop_narrow(std::vector<double> e) {
        std::vector<double> kept = {e[0]};
        for (std::size_t i = 1; i < e.size(); ++i)
            if (e[i] - e[i - 1] > 1e-8) kept.push_back(e[i]);
        return kept;
    }

    // fit(ChunkSource) of kmeans: pass 1 takes each column's count, minimum, maximum and
    // exact variance; then every column's k-means runs its passes side by side (one read
    // of the source serves each column's next pass; detail/kmeans_1d.hpp), as many as
    // the longest run has iterations, plus one per iteration that leaves a cluster empty.
    // Each pass ships per column k exact sums and counts (and at most k - 1 values), so
    // its state does not grow with the rows. Same edges as fit(Table), bit for bit.
    void fit_passes(typename Base::SourcePasses& passes) {
        using detail::KMeansPass;
        // Every value of the chunk's column j as double (exact for float).
        std::vector<double> col;
        auto column = [&](const detail::MatrixRef<T>& X, std::size_t j) -> std::span<const double> {
            const auto c = X.col(static_cast<Eigen::Index>(j));
            col.resize(static_cast<std::size_t>(X.rows()));
            for (Eigen::Index i = 0; i < X.rows(); ++i) col[static_cast<std::size_t>(i)] = static_cast<double>(c[i]);
            return col;
        };
        std::vector<ColumnMoments<double>> moments;
        auto pack_moments = [](const std::vector<ColumnMoments<double>>& ms) {
            ArchiveWriter w;
            w.size(ms.size());
            for (const auto& m : ms) m.save(w);
            return std::move(w).bytes();
        };
        auto load_moments = [](ArchiveReader& r) {
            std::vector<ColumnMoments<double>> ms(r.size(74));
            for (auto& m : ms) m = ColumnMoments<double>::load(r);
            return ms;
        };
        const std::string first = passes.pass(
            [&](const detail::MatrixRef<T>& X, std::uint64_t) {
                if (moments.empty()) moments.assign(static_cast<std::size_t>(X.cols()), ColumnMoments<double>(1));
                for (std::size_t j = 0; j < moments.size(); ++j) {
                    const auto x = column(X, j);
                    moments[j].update(Eigen::Map<const Matrix<double>>(x.data(), static_cast<Eigen::Index>(x.size()), 1));
                }
            },
            [&] { return pack_moments(moments); },
            [&](std::string_view a, std::string_view b) {
                ArchiveReader ra(a, "KBinsDiscretizer pass"), rb(b, "KBinsDiscretizer pass");
                auto ma = load_moments(ra);
                const auto mb = load_moments(rb);
                if (ma.size() != mb.size()) ra.fail("two processes sent passes of other widths");
                for (std::size_t j = 0; j < ma.size(); ++j) ma[j].merge(mb[j]);
                return pack_moments(ma);
            });
        ArchiveReader r(first, "KBinsDiscretizer pass");
        moments = load_moments(r);
        r.expect_end();
        const std::vector<std::string>& names = passes.names();
        if (moments.size() != names.size()) r.fail("a pass has another width than the columns");

        // Per column its k-means, or none for a constant column (one bin, as in memory).
        const auto n = static_cast<std::size_t>(params_.n_bins);
        std::vector<std::optional<detail::KMeans1D>> km(names.size());
        for (std::size_t j = 0; j < names.size(); ++j) {
            const double lo = moments[j].min(0), hi = moments[j].max(0);
            if (lo == hi) continue;
            refuse_few_values(static_cast<std::size_t>(moments[j].count(0)), names[j]);
            km[j].emplace(n, lo, hi, moments[j].variance(0));
        }
        auto open = [&] { return std::any_of(km.begin(), km.end(), [](const auto& k) { return k && !k->done(); }); };
        std::vector<KMeansPass> local;
        auto pack = [](std::vector<KMeansPass>& ps) {
            ArchiveWriter w;
            w.size(ps.size());
            for (auto& p : ps) p.save(w);
            return std::move(w).bytes();
        };
        auto load = [](ArchiveReader& rd) {
            std::vector<KMeansPass> ps(rd.size(40));
            for (auto& p : ps) p = KMeansPass::load(rd);
            return ps;
        };
        while (open()) {
            local.assign(km.size(), KMeansPass{});
            for (std::size_t j = 0; j < km.size(); ++j)
                if (km[j] && !km[j]->done()) local[j] = km[j]->begin();
            const std::string merged = passes.pass(
                [&](const detail::MatrixRef<T>& X, std::uint64_t) {
                    for (std::size_t j = 0; j < km.size(); ++j) {
                        if (!km[j] || km[j]->done()) continue;
                        for (const double x : column(X, j)) km[j]->see(local[j], x);
                    }
                },
                [&] { return pack(local); },
                [&](std::string_view a, std::string_view b) {
                    ArchiveReader ra(a, "KBinsDiscretizer pass"), rb(b, "KBinsDiscretizer pass");
                    auto pa = load(ra);
                    const auto pb = load(rb);
                    if (pa.size() != pb.size()) ra.fail("two processes sent passes of other widths");
                    for (std::size_t j = 0; j < pa.size(); ++j) pa[j].merge(pb[j], ra);
                    return pack(pa);
                });
            ArchiveReader rm(merged, "KBinsDiscretizer pass");
            auto got = load(rm);
            rm.expect_end();
            if (got.size() != km.size()) rm.fail("a pass has another width than the columns");
            for (std::size_t j = 0; j < km.size(); ++j)
                if (km[j] && !km[j]->done()) km[j]->end(std::move(got[j]));
        }
        edges_.assign(names.size(), {});
        for (std::size_t j = 0; j < names.size(); ++j) {
            const double lo = moments[j].min(0), hi = moments[j].max(0);
            if (!km[j])
                edges_[j] = {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
            else
                edges_[j] = drop_narrow(kmeans_edges(lo, hi, km[j]->centres()));
        }
        derive();
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

}  // namespace reprep
