// The machinery every numeric component shares, so that each component header only
// holds its own statistics and formula:
//   - the public fit/transform surface over Eigen matrices and over a Table,
//   - width, fitted-state and finiteness checks with errors that name column and row,
//   - feature names in and out,
//   - the single-row path (no allocation) that runs the very kernel of the batch path.
//
// A component D derives from NumericComponent<D, T> and provides:
//   static constexpr const char* component_name;        "StandardScaler"
//   const Params& params() const;                         with a `columns` member
//   void fit_matrix(const MatrixRef& X);                  compute the state (X already checked)
//     (or fit_matrix(X, const std::vector<std::string>& names) to name columns in its errors;
//     a component with an Accumulator may leave it out: fit(X) then fits accumulator() of X)
//   void transform_kernel(const MatrixRef& X, OutRef out) const;   out has n_features_out() columns
//   Eigen::Index n_features_out() const;
//   std::vector<std::string> names_out(const std::vector<std::string>& in) const;   (optional: default = in)
//   std::vector<std::string> matrix_feature_names(Eigen::Index n) const;   (optional: default = x0, x1, ...)
//   static constexpr bool allow_nan_in_fit, allow_inf_in_fit, allow_nan_in_transform, allow_inf_in_transform
//   void check_transform_values(const MatrixRef& X, const std::vector<std::string>& names) const;
//     (optional) a transform rule that depends on Params, run after the checks above
//   std::vector<std::string> input_columns(const Table& t) const;   (optional) the Table columns
//     fit reads, when they are not just Params::columns (default: columns, or every numeric one)
// and, where its statistics merge exactly, a mergeable Accumulator:
//   using Accumulator = ...;                              with rows() and cols() (what it has seen)
//   Accumulator accumulator() const;
//   void fit_accumulator(const Accumulator& acc);         compute the state (acc already checked)
//     (or fit_accumulator(acc, const std::vector<std::string>& names), as fit_matrix)
//   void check_accumulator(const Accumulator& acc) const;  (optional) refuse one made for other Params
// fit(acc) itself is the base's, written once for every component.
// fit(ChunkSource) reads a re-readable source chunk by chunk: one pass into the
// Accumulator, or, for a component that gives the ranks it reads, exact multi-pass
// selection in bounded memory (docs/distributed.md, "Out-of-core fitting"):
//   void source_ranks(std::uint64_t rows, std::size_t n, std::vector<std::size_t>& ranks) const;
//   void fit_ranked(const RankedColumns& columns);    the state from those ranks
//     (or fit_ranked(columns, const std::vector<std::string>& names), as fit_matrix)
//   bool ranks_suffice() const;                        (optional) false: options that need every value
// or, for a component whose fit needs several statistics of every value in turn, passes
// of its own, each merged exactly between processes (SourcePasses, source_passes.hpp):
//   void fit_passes(SourcePasses& passes);             the state from as many passes as it needs
//   bool fits_in_passes() const;                       (optional, beside an Accumulator) true: the
//     options that fit by fit_passes (KBinsDiscretizer's kmeans); false: the ways above
// A component with source_ranks and no fit_matrix fits X by the same ranks, selected from
// each column in memory (linear) rather than sorted into its accumulator, for the options
// where ranks_suffice().
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/archive.hpp"
#include "../core/chunk_source.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/matrix.hpp"
#include "../core/parallel.hpp"
#include "../core/multi_pass_selection.hpp"
#include "../core/shard_combiner.hpp"
#include "../core/table.hpp"
#include "numeric_checks.hpp"
#include "output_names.hpp"
#include "source_passes.hpp"
#include "source_state.hpp"

namespace reprep::detail {

// What a rank-based fit hands a component: per column the non-NaN count and the value
// of every rank the component asked for (source_ranks), and the rows read (NaN rows
// included). From a chunk source the ranks come from multi-pass selection; from a
// matrix in memory, from one RankSelection per column (selected_ranks, below).
class RankedColumns {
public:
    // One column selected in memory: the ranks asked (ascending, unique) and their values.
    struct Selected {
        std::size_t count = 0;
        std::uint64_t nan_count = 0;
        std::vector<std::size_t> ranks;
        std::vector<double> values;
    };

    RankedColumns(const std::vector<MultiPassSelection>& columns, std::uint64_t rows)
        : passes_(&columns), rows_(rows) {}
    RankedColumns(const std::vector<Selected>& columns, std::uint64_t rows) : selected_(&columns), rows_(rows) {}
    std::size_t cols() const { return passes_ ? passes_->size() : selected_->size(); }
    std::uint64_t rows() const { return rows_; }
    std::size_t count(std::size_t j) const {
        return passes_ ? static_cast<std::size_t>((*passes_)[j].count()) : (*selected_)[j].count;
    }
    std::uint64_t nan_count(std::size_t j) const { return passes_ ? (*passes_)[j].nan_count() : (*selected_)[j].nan_count; }
    double at(std::size_t j, std::size_t rank) const {
        if (passes_) return (*passes_)[j].at(rank);
        const Selected& c = (*selected_)[j];
        const auto it = std::lower_bound(c.ranks.begin(), c.ranks.end(), rank);
        if (it == c.ranks.end() || *it != rank)
            fail<Error>({.component = "RankedColumns",
                         .problem = "rank " + std::to_string(rank) + " was not selected",
                         .fix = "report this to reprep: a component read a rank its source_ranks did not name"});
        return c.values[static_cast<std::size_t>(it - c.ranks.begin())];
    }

private:
    const std::vector<MultiPassSelection>* passes_ = nullptr;
    const std::vector<Selected>* selected_ = nullptr;
    std::uint64_t rows_;
};

template <class D, class T>
class NumericComponent {
public:
    using Scalar = T;

    // fit(ChunkSource)'s hook for fits in passes of their own (below).
    using SourcePasses = detail::SourcePasses<D, T>;

    bool is_fitted() const { return fitted_; }
    Eigen::Index n_features_in() const { require_fitted(); return static_cast<Eigen::Index>(names_in_.size()); }
    const std::vector<std::string>& feature_names_in() const { require_fitted(); return names_in_; }

    // ---- matrices ---------------------------------------------------------------
    D& fit(const MatrixRef<T>& X) { return fit_named(X, matrix_names(X.cols())); }

    // opts.n_jobs > 1 fits on threads where the statistics merge exactly: a component
    // with an Accumulator that fits in one pass. Each thread fills an accumulator from a
    // block of rows and the blocks merge exactly, so the state is fit(X)'s, bit for bit,
    // for any thread count; so is any error. Other components fit on the calling thread.
    D& fit(const MatrixRef<T>& X, const FitOptions& opts) { return fit_named(X, matrix_names(X.cols()), opts); }

    // opts.n_jobs > 1 cuts the rows into blocks, one thread each, with the same output
    // bits (core/parallel.hpp).
    Matrix<T> transform(const MatrixRef<T>& X, const TransformOptions& opts = {}) const {
        Matrix<T> out(X.rows(), self().n_features_out());
        transform_into(X, out, opts);
        return out;
    }

    // Writes into a caller-provided matrix of X.rows() x n_features_out(); allocates nothing
    // (with one thread). Checks everything before writing, so a failed check leaves `out`
    // untouched.
    void transform_into(const MatrixRef<T>& X, OutRef<T> out, const TransformOptions& opts = {}) const {
        const std::size_t threads = thread_count(opts.n_jobs, D::component_name);
        check_transform_input(X);
        if (out.rows() != X.rows() || out.cols() != self().n_features_out())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the output buffer is " + std::to_string(out.rows()) + " x " +
                                          std::to_string(out.cols()) + " but the output is " +
                                          std::to_string(X.rows()) + " x " + std::to_string(self().n_features_out()),
                               .fix = "allocate the output as rows x n_features_out()"});
        if (threads <= 1) {
            self().transform_kernel(X, out);
            return;
        }
        try {
            for_row_blocks(static_cast<std::size_t>(X.rows()), threads, [&](std::size_t b, std::size_t e) {
                const auto i = static_cast<Eigen::Index>(b), n = static_cast<Eigen::Index>(e - b);
                self().transform_kernel(X.middleRows(i, n), out.middleRows(i, n));
            });
        } catch (...) {
            // A kernel's error names a row of the block it saw. The kernel is pure, so
            // running it once over all rows raises the error one thread would, row and all.
            self().transform_kernel(X, out);
            throw;
        }
    }

    // Row-major (C-order) input and output, for the kinds whose kernel reads rows directly
    // (transform_rows_kernel: StandardScaler): X holds rows x n_features_in() values row
    // by row, out rows x n_features_out(). The bits and checks of transform_into, with no
    // transposed copy (reprep's Python binding takes it for C-order NumPy arrays). Offered
    // only where transform checks no values (NaN and infinities allowed, no
    // check_transform_values), so nothing is left to check that a row kernel would skip.
    // (A template, so that the constraint is checked where it is called, when D is
    // complete: Clang checks a plain member's requires-clause when this base is
    // instantiated, while D is still incomplete.)
    template <class DD = D>
        requires requires(const DD& d, const T* x, T* y) { d.transform_rows_kernel(x, y, Eigen::Index{}); }
    void transform_rows_into(const T* X, Eigen::Index rows, T* out, const TransformOptions& opts = {}) const {
        static_assert(D::allow_nan_in_transform && D::allow_inf_in_transform,
                      "a row kernel skips check_finite: offer it only where transform allows NaN and inf");
        static_assert(!requires(const D& d, const MatrixRef<T>& m) { d.check_transform_values(m, names_in_); },
                      "a row kernel skips check_transform_values");
        require_fitted();
        check_fp_environment();
        const std::size_t threads = thread_count(opts.n_jobs, D::component_name);
        const auto in = static_cast<std::size_t>(n_features_in()), w = static_cast<std::size_t>(self().n_features_out());
        for_row_blocks(static_cast<std::size_t>(rows), threads, [&](std::size_t b, std::size_t e) {
            self().transform_rows_kernel(X + b * in, out + b * w, static_cast<Eigen::Index>(e - b));
        });
    }

    // One sample in, one sample out, through the batch kernel (so the bits are equal).
    // Its errors name no row: the caller passed one record, not a batch.
    void transform_row(std::span<const T> in, std::span<T> out) const {
        const Eigen::Map<const Matrix<T>> x(in.data(), 1, static_cast<Eigen::Index>(in.size()));
        Eigen::Map<Matrix<T>> y(out.data(), 1, static_cast<Eigen::Index>(out.size()));
        without_row([&] { transform_into(x, y); });
    }

    Matrix<T> fit_transform(const MatrixRef<T>& X) {
        fit(X);
        return transform(X);
    }

    // scikit-learn's get_feature_names_out: input names (default: fitted names) mapped to output names.
    std::vector<std::string> feature_names_out(const std::vector<std::string>& input_features = {}) const {
        require_fitted();
        if (!input_features.empty() && input_features.size() != names_in_.size())
            fail<SchemaError>({.component = D::component_name,
                               .problem = std::to_string(input_features.size()) + " input feature names given, " +
                                          std::to_string(names_in_.size()) + " expected",
                               .fix = "pass one name per input column (feature_names_in order), or none"});
        return names_out_of(input_features.empty() ? names_in_ : input_features);
    }

    // ---- tables -----------------------------------------------------------------
    // Fits on Params::columns (empty = every numeric column); other columns are ignored.
    D& fit(const Table& t) {
        const auto names = selected(t);
        // with_component: a missing or mistyped column is reported under this component's name.
        return fit_named(with_component(D::component_name, [&] { return t.template to_matrix<T>(names); }), names);
    }
    // The same fit on threads, as fit(X, opts).
    D& fit(const Table& t, const FitOptions& opts) {
        const auto names = selected(t);
        return fit_named(with_component(D::component_name, [&] { return t.template to_matrix<T>(names); }), names,
                         opts);
    }

    // Transforms the fitted columns; every other column passes through unchanged. A
    // width-preserving component replaces its columns in place; otherwise its input
    // columns are removed and its output columns appended (named feature_names_out()).
    //
    // In double, the columns go to the kernel without a copy when they are the block an
    // earlier numeric step wrote (Table::numeric_block), and the output is written once,
    // as one block the table then shares: a chain of numeric steps allocates one
    // rows x width buffer per step and copies nothing else (the Table copy shares
    // every column). In float, the columns are rounded into a matrix as before.
    Table transform(const Table& t, const TransformOptions& opts = {}) const {
        require_fitted();
        // SchemaError names the component and a missing/mistyped column.
        for (const auto& name : names_in_) with_component(D::component_name, [&] { (void)t.numeric(name); });
        const auto names = names_out_of(names_in_);
        check_output_names(D::component_name, t, names_in_, names);
        const auto rows = static_cast<Eigen::Index>(t.num_rows());
        const Eigen::Index width = self().n_features_out();
        Table result = t;
        if constexpr (std::is_same_v<T, double>) {
            std::shared_ptr<double[]> block(new double[static_cast<std::size_t>(rows * width)]);
            Eigen::Map<Matrix<double>> out(block.get(), rows, width);
            if (const auto view = t.numeric_block(names_in_))
                transform_into(*view, out, opts);
            else
                transform_into(t.template to_matrix<double>(names_in_), out, opts);
            if (names != names_in_)
                for (const auto& name : names_in_) result.remove(name);
            result.set_numeric_block(names, std::move(block), static_cast<std::size_t>(rows));
        } else {
            const Matrix<T> out = transform(MatrixRef<T>(t.template to_matrix<T>(names_in_)), opts);
            if (names != names_in_)
                for (const auto& name : names_in_) result.remove(name);
            for (Eigen::Index j = 0; j < out.cols(); ++j) {
                std::vector<double> col(static_cast<std::size_t>(out.rows()));
                for (Eigen::Index i = 0; i < out.rows(); ++i) col[static_cast<std::size_t>(i)] = static_cast<double>(out(i, j));
                result.set_numeric(names[static_cast<std::size_t>(j)], std::move(col));
            }
        }
        return result;
    }

    Table fit_transform(const Table& t) {
        fit(t);
        return transform(t);
    }

    // The numeric output of transform(t), written into `out` (t.num_rows() x
    // n_features_out(), column-major) instead of a new block: how Pipeline::transform_into
    // reuses a step's buffer from one batch to the next. The inputs are read as transform(t)
    // reads them: a view when they are one block of `t`, otherwise a copy, here into
    // `scratch` (kept by the caller, so that the copy allocates only when the shape
    // changes). The same checks, errors and bits as transform(t), except that the output
    // names are not checked against t's other columns: the caller has run transform on a
    // table of the same columns first. Double only (a template, so that the explicit
    // instantiations of the float components do not compile it).
    template <class TT = T>
        requires std::is_same_v<TT, double>
    void transform_block(const Table& t, double* out, std::vector<double>& scratch, const TransformOptions& opts = {}) const {
        require_fitted();
        // transform's column errors; with_component only on a miss (it takes a std::string).
        for (const auto& name : names_in_)
            if (!t.has_column(name) || t.type(name) != ColumnType::numeric)
                with_component(D::component_name, [&] { (void)t.numeric(name); });
        const auto rows = static_cast<Eigen::Index>(t.num_rows());
        Eigen::Map<Matrix<double>> o(out, rows, self().n_features_out());
        if (const auto view = t.numeric_block(names_in_)) {
            transform_into(*view, o, opts);
            return;
        }
        // What to_matrix(names_in_) holds, in a buffer that only ever grows; copied in the
        // kernel's row blocks (a copy: the same bits on any thread).
        const std::size_t n = t.num_rows();
        if (scratch.size() < n * names_in_.size()) scratch.resize(n * names_in_.size());
        for_row_blocks(n, thread_count(opts.n_jobs, D::component_name), [&](std::size_t begin, std::size_t end) {
            for (std::size_t j = 0; j < names_in_.size(); ++j) {
                const double* col = t.numeric(names_in_[j]).data();
                std::copy(col + begin, col + end, scratch.data() + j * n + begin);
            }
        });
        transform_into(Eigen::Map<const Matrix<double>>(scratch.data(), rows, static_cast<Eigen::Index>(names_in_.size())), o,
                       opts);
    }

    // ---- accumulators -------------------------------------------------------------
    // The fit of every row the accumulator saw, for components with a D::Accumulator
    // (a template only so that D is complete when the signature is formed). An
    // accumulator with no row or no column is refused as fit(X) refuses an empty X.
    template <class Self = D>
    D& fit(const typename Self::Accumulator& acc) {
        return fit<Self>(acc, matrix_names(static_cast<Eigen::Index>(acc.cols())));
    }
    // The same fit, under the names of the accumulator's columns: those of the Table
    // columns its chunks were read from (one per column, in order), which fit(Table) of
    // the same rows records, so the artifact is the same bytes (Python's partial_fit of
    // DataFrames, python/src/accumulator.hpp).
    template <class Self = D>
    D& fit(const typename Self::Accumulator& acc, const std::vector<std::string>& names) {
        check_fp_environment();
        if constexpr (requires(const D& d) { d.check_accumulator(acc); }) self().check_accumulator(acc);
        if (acc.rows() == 0 || acc.cols() == 0)
            fail<InvalidInput>({.component = D::component_name,
                                .problem = "the accumulator has seen no data",
                                .fix = "update() it with at least one chunk before fit(acc)"});
        if (names.size() != acc.cols())
            fail<SchemaError>({.component = D::component_name,
                               .problem = std::to_string(names.size()) + " column names given for an accumulator of " +
                                          std::to_string(acc.cols()) + " columns",
                               .fix = "pass one name per column the accumulator was updated with"});
        return fit_copy(names, [&](D& next) { next.fit_from(acc, names); });
    }

    // ---- chunk sources --------------------------------------------------------------
    // The fit of every row the source yields, equal to fit(Table) of those rows
    // concatenated (same state, same bytes). Columns are chosen on the first chunk as
    // fit(Table) chooses them. Errors name the row counted from the source's first row.
    template <class Self = D>
    D& fit(const ChunkSource& source)
        requires(requires(const Self& d) { d.accumulator(); } ||
                 requires(Self& d, SourcePasses& p) { d.fit_passes(p); })
    {
        return fit(source, LocalCombiner{});
    }
    // The same fit where each process (an MPI rank, say) reads its own source and the
    // combiner merges their states after every pass (core/shard_combiner.hpp): the
    // result is the fit of the union of the sources' rows, on every process.
    template <class Self = D>
    D& fit(const ChunkSource& source, const ShardCombiner& combiner)
        requires(requires(const Self& d) { d.accumulator(); } ||
                 requires(Self& d, SourcePasses& p) { d.fit_passes(p); })
    {
        check_fp_environment();
        std::vector<std::string> names;
        bool named = false;
        ChunkReader<T> read{D::component_name, [this](const Table& t) { return selected(t); }, source, names, named};
        auto no_data = [&](std::uint64_t rows) { refuse_no_data(D::component_name, rows, names.size()); };
        if constexpr (requires(Self& d, SourcePasses& p) { d.fit_passes(p); }) {
            // A component with an accumulator too takes its passes only for the options
            // that need them (KBinsDiscretizer's kmeans).
            bool by_passes = true;
            if constexpr (requires(const Self& d) { d.fits_in_passes(); }) by_passes = self().fits_in_passes();
            if (by_passes) {
                // fit_copy records `names` after the passes, which fix them on the first.
                SourcePasses passes(read, combiner);
                return fit_copy(names, [&](D& next) { next.fit_passes(passes); });
            }
        }
        if constexpr (requires(const Self& d) { d.accumulator(); })
            return fit_source_state(read, names, named, no_data, combiner);
        else
            fail<InvalidParameter>({.component = D::component_name,
                                    .problem = "these options fit from no chunk source",
                                    .fix = "fit a Table"});
    }

private:
    // fit(ChunkSource) of a component with an Accumulator: one pass into it, or exact
    // multi-pass selection when the component reads ranks.
    template <class Read, class NoData>
    D& fit_source_state(Read& read, std::vector<std::string>& names, bool& named, NoData& no_data,
                        const ShardCombiner& combiner) {
        if constexpr (requires(D& d, const RankedColumns& rc) { d.fit_ranked(rc); } ||
                      requires(D& d, const RankedColumns& rc) { d.fit_ranked(rc, names); }) {
            bool by_ranks = true;  // a component may need every value for some options
            if constexpr (requires(const D& d) { d.ranks_suffice(); }) by_ranks = self().ranks_suffice();
            if (by_ranks) return fit_source_ranked(read, names, named, no_data, combiner);
        }
        using Acc = typename D::Accumulator;
        const std::string state = combiner.combine(
            [&] {
                auto acc = self().accumulator();
                const std::uint64_t rows = read([&](const MatrixRef<T>& X, std::uint64_t) {
                    // Checked here first, so that an error names the Table's column.
                    check_finite<T>(X, D::allow_nan_in_fit, D::allow_inf_in_fit, D::component_name, names, "fit");
                    acc.update(X);
                });
                return pack_accumulator(SourceHead{rows, names}, acc);
            },
            [](std::string_view x, std::string_view y) { return merge_accumulators<Acc>(D::component_name, x, y); });
        ArchiveReader r(state, "accumulator state");
        const SourceHead head = SourceHead::load(r);
        names = head.names;
        const Acc acc = Acc::load(r);
        no_data(head.rows);
        if constexpr (requires(const D& d) { d.check_accumulator(acc); }) self().check_accumulator(acc);
        return fit_copy(names, [&](D& next) { next.fit_from(acc, names); });
    }

protected:
    static std::span<const T> column_span(const MatrixRef<T>& X, std::size_t j) {
        return {X.col(static_cast<Eigen::Index>(j)).data(), static_cast<std::size_t>(X.rows())};
    }

    // For components with their own fit overloads (weights, accumulators): runs the
    // shared checks, records the names, then calls the component's kernel.
    // rank_threads: threads for the rank fits' selection, one column at a time each.
    D& fit_named(const MatrixRef<T>& X, std::vector<std::string> names, std::size_t rank_threads = 1) {
        check_fp_environment();
        if (X.rows() == 0 || X.cols() == 0)
            fail<InvalidInput>({.component = D::component_name,
                                .problem = "fit got " + std::to_string(X.rows()) + " rows and " +
                                           std::to_string(X.cols()) + " columns; at least one of each is needed",
                                .fix = "pass non-empty training data"});
        // A kernel that checks its rows itself as it reads them (for_checked_row_blocks)
        // saves this separate pass over X.
        if constexpr (!requires { requires D::fit_matrix_checks_finite; })
            check_finite<T>(X, D::allow_nan_in_fit, D::allow_inf_in_fit, D::component_name, names, "fit");
        return fit_copy(names, [&](D& next) {
            // A component may take the column names too, to name them in its own errors.
            if constexpr (requires { next.fit_matrix(X, names); }) {
                next.fit_matrix(X, names);
            } else if constexpr (requires { next.fit_matrix(X); }) {
                next.fit_matrix(X);
            } else {
                // No fit_matrix. A component that reads a few ranks (source_ranks) selects
                // them from each column, in linear time, instead of sorting every value
                // into its accumulator: a rank's value is unique, so both give the same
                // bits, and the contract suite checks fit(X) against chunked fit(acc).
                // Otherwise fit(X) is the fit of the accumulator of X, so the two paths
                // cannot drift apart.
                if constexpr (RankFit) {
                    if (next.fits_by_ranks()) {
                        const std::vector<RankedColumns::Selected> cols = next.selected_ranks(X, rank_threads);
                        const RankedColumns ranked(cols, static_cast<std::uint64_t>(X.rows()));
                        if constexpr (requires { next.fit_ranked(ranked, names); }) next.fit_ranked(ranked, names);
                        else next.fit_ranked(ranked);
                        return;
                    }
                }
                auto acc = next.accumulator();
                acc.update(X);
                next.fit_from(acc, names);
            }
        });
    }

    // A component whose fit reads the values of a few ranks of each column (source_ranks,
    // fit_ranked) and has no fit_matrix of its own.
    static constexpr bool RankFit =
        requires(D& d, const RankedColumns& rc, std::vector<std::size_t>& r) {
            d.source_ranks(std::uint64_t{}, std::size_t{}, r);
            d.fit_ranked(rc);
        } ||
        requires(D& d, const RankedColumns& rc, std::vector<std::size_t>& r, const std::vector<std::string>& n) {
            d.source_ranks(std::uint64_t{}, std::size_t{}, r);
            d.fit_ranked(rc, n);
        };
    // Whether these options fit by ranks (ranks_suffice; kmeans fits in passes). This and
    // selected_ranks are templates so that an explicit instantiation of the base for a
    // component without ranks does not compile them.
    template <class Self = D>
    bool fits_by_ranks() const {
        bool by_ranks = true;
        if constexpr (requires(const D& d) { d.ranks_suffice(); }) by_ranks = self().ranks_suffice();
        if constexpr (requires(const D& d) { d.fits_in_passes(); }) by_ranks = by_ranks && !self().fits_in_passes();
        return by_ranks;
    }
    // The ranks source_ranks names, selected from each column of X; the columns in
    // blocks on `threads` threads. A column's ranks are the same keys whichever thread
    // selects them, so the state does not depend on the thread count.
    template <class Self = D>
    std::vector<RankedColumns::Selected> selected_ranks(const MatrixRef<T>& X, std::size_t threads) const {
        const auto rows = static_cast<std::size_t>(X.rows());
        std::vector<RankedColumns::Selected> cols(static_cast<std::size_t>(X.cols()));
        for_row_blocks(cols.size(), threads, [&](std::size_t begin, std::size_t end) {
            RankSelection column;
            for (std::size_t j = begin; j < end; ++j) {
                auto& c = cols[j];
                column.assign(X.col(static_cast<Eigen::Index>(j)).data(), rows);
                c.count = column.size();
                c.nan_count = rows - c.count;
                self().source_ranks(static_cast<std::uint64_t>(rows), c.count, c.ranks);
                std::sort(c.ranks.begin(), c.ranks.end());
                c.ranks.erase(std::unique(c.ranks.begin(), c.ranks.end()), c.ranks.end());
                column.select(c.ranks);
                for (const std::size_t r : c.ranks) c.values.push_back(column.at(r));
            }
        });
        return cols;
    }

    // fit_named on opts.n_jobs threads where the fit is an exact merge of accumulators
    // (see fit(X, opts)); on the calling thread otherwise.
    D& fit_named(const MatrixRef<T>& X, std::vector<std::string> names, const FitOptions& opts) {
        const std::size_t threads =
            std::min(thread_count(opts.n_jobs, D::component_name), static_cast<std::size_t>(X.rows()));
        // Threads pay where the accumulator is the fit's own work: a component without a
        // fit_matrix (its fit is its accumulator's), or one whose fit_matrix computes what
        // its accumulator does (threaded_fit = true: StandardScaler's exact moments). A
        // fit that does less (MinMaxScaler's bounds) is faster on one thread than the
        // accumulators on two. The rank fits' selection (RobustScaler's, say, where the
        // accumulator sorts) takes the threads column by column instead.
        constexpr bool has_fit_matrix = requires(D& d, const MatrixRef<T>& m, const std::vector<std::string>& n) {
            d.fit_matrix(m, n);
        } || requires(D& d, const MatrixRef<T>& m) { d.fit_matrix(m); };
        if constexpr (requires(const D& d) { d.accumulator(); } &&
                      (!has_fit_matrix || requires { requires D::threaded_fit; })) {
            bool by_passes = false;  // KBinsDiscretizer's kmeans needs passes over every value
            if constexpr (requires(const D& d) { d.fits_in_passes(); }) by_passes = self().fits_in_passes();
            bool by_ranks = false;
            if constexpr (RankFit) by_ranks = self().fits_by_ranks();
            if (by_ranks) return fit_named(X, std::move(names), threads);
            if (threads > 1 && X.cols() > 0 && !by_passes) return fit_blocks(X, std::move(names), threads);
        }
        return fit_named(X, std::move(names));
    }

    // One accumulator per block of rows, each filled on a thread of its own, then merged
    // exactly in block order (any order gives the same bits; this one is fixed anyway).
    template <class Self = D>
    D& fit_blocks(const MatrixRef<T>& X, std::vector<std::string> names, std::size_t threads) {
        check_fp_environment();
        const auto rows = static_cast<std::size_t>(X.rows());
        std::vector<typename Self::Accumulator> accs(threads, self().accumulator());
        try {
            // One "row" of for_row_blocks per block, so block k always holds the same rows.
            for_row_blocks(threads, threads, [&](std::size_t b, std::size_t e) {
                for (std::size_t k = b; k < e; ++k) {
                    const std::size_t r0 = rows * k / threads, r1 = rows * (k + 1) / threads;
                    accs[k].update(X.middleRows(static_cast<Eigen::Index>(r0), static_cast<Eigen::Index>(r1 - r0)));
                }
            });
        } catch (const Error&) {
            // A block's error names a row of its block. The fit on the calling thread
            // raises fit(X)'s error, row and all, and leaves the state as it was.
            return fit_named(X, std::move(names));
        }
        for (std::size_t k = 1; k < threads; ++k) accs[0].merge(accs[k]);
        return fit_copy(names, [&](D& next) { next.fit_from(accs[0], names); });
    }

    // Marks state fitted after fit(Accumulator) or from_state.
    void set_fitted(std::vector<std::string> names) {
        names_in_ = std::move(names);
        fitted_ = true;
    }

    void require_fitted() const {
        if (!fitted_) not_fitted(D::component_name);
    }

    void check_transform_input(const MatrixRef<T>& X) const {
        require_fitted();
        check_fp_environment();
        if (X.cols() != static_cast<Eigen::Index>(names_in_.size()))
            fail<SchemaError>({.component = D::component_name,
                               .problem = "transform got " + std::to_string(X.cols()) + " columns but fit saw " +
                                          std::to_string(names_in_.size()),
                               .fix = "pass the same columns, in the same order, as in fit"});
        check_finite<T>(X, D::allow_nan_in_transform, D::allow_inf_in_transform, D::component_name, names_in_,
                        "transform");
        // Rules that depend on Params (feature-engine's missing_values, a zero divisor),
        // checked on the whole input before it is split into row blocks, so the error
        // names the row of the caller's data.
        if constexpr (requires(const D& d) { d.check_transform_values(X, names_in_); })
            self().check_transform_values(X, names_in_);
    }

    // Serialises what this base holds (fitted flag and names); components call these
    // first in their save_state/load_state.
    void save_base(ArchiveWriter& w) const {
        write_scalar_tag<T>(w);
        w.boolean(fitted_);
        w.strs(names_in_);
    }
    void load_base(ArchiveReader& r) {
        read_scalar_tag<T>(r);
        fitted_ = r.boolean();
        names_in_ = r.strs();
        if (!fitted_ && !names_in_.empty()) r.fail("an unfitted component carries feature names");
    }

    // Names of a matrix's columns: x0, x1, ..., unless the component names them itself
    // (components whose Params key options by column name use Params::columns).
    std::vector<std::string> matrix_names(Eigen::Index n) const {
        if constexpr (requires(const D& d) { d.matrix_feature_names(n); }) return self().matrix_feature_names(n);
        else return default_names(n);
    }

    std::vector<std::string> names_out_of(const std::vector<std::string>& in) const {
        if constexpr (requires(const D& d) { d.names_out(in); }) return self().names_out(in);
        else return in;
    }

private:
    // Runs kernel(next) on a copy and keeps it only if it returns, so a throwing fit
    // leaves this object's state untouched.
    template <class Kernel>
    D& fit_copy(const std::vector<std::string>& names, Kernel&& kernel) {
        D next = self();
        kernel(next);
        next.names_in_ = names;
        next.fitted_ = true;
        self() = std::move(next);
        return self();
    }

    // fit(ChunkSource) by exact multi-pass selection: the first pass checks every chunk
    // and counts each column; the component names the ranks it reads; further passes
    // (at most 4 in all, docs/design.md) settle them; then the component's fit_ranked.
    template <class Read, class NoData>
    D& fit_source_ranked(Read& read, std::vector<std::string>& names, bool& named, NoData& no_data,
                         const ShardCombiner& combiner) {
        std::vector<MultiPassSelection> sel;
        std::vector<MultiPassSelection::Pass> pass;
        const std::string first = combiner.combine(
            [&] {
                const std::uint64_t rows = read([&](const MatrixRef<T>& X, std::uint64_t) {
                    check_finite<T>(X, D::allow_nan_in_fit, D::allow_inf_in_fit, D::component_name, names, "fit");
                    if (pass.empty())
                        for (std::size_t j = 0; j < names.size(); ++j) pass.push_back(MultiPassSelection{}.begin_pass());
                    for (std::size_t j = 0; j < pass.size(); ++j) pass[j].update(column_span(X, j));
                });
                return pack_first_pass(SourceHead{rows, names}, pass);
            },
            [](std::string_view x, std::string_view y) { return merge_first_passes(D::component_name, x, y); });
        ArchiveReader r(first, "selection pass");
        const SourceHead head = SourceHead::load(r);
        names = head.names;
        named = true;
        pass = load_passes(r);
        no_data(head.rows);
        const std::uint64_t rows = head.rows;
        sel.resize(names.size());
        std::vector<std::size_t> ranks;
        for (std::size_t j = 0; j < sel.size(); ++j) {
            sel[j].end_pass(pass[j]);
            ranks.clear();
            self().source_ranks(rows, static_cast<std::size_t>(sel[j].count()), ranks);
            sel[j].request(ranks);
        }
        // Each further pass serves every column whose ranks are not all settled.
        while (std::any_of(sel.begin(), sel.end(), [](const MultiPassSelection& s) { return !s.done(); })) {
            const std::string merged = combiner.combine(
                [&] {
                    for (std::size_t j = 0; j < sel.size(); ++j)
                        pass[j] = sel[j].done() ? MultiPassSelection::Pass{} : sel[j].begin_pass();
                    read([&](const MatrixRef<T>& X, std::uint64_t) {
                        for (std::size_t j = 0; j < sel.size(); ++j)
                            if (!sel[j].done()) pass[j].update(column_span(X, j));
                    });
                    return pack_passes(pass);
                },
                [](std::string_view x, std::string_view y) { return merge_later_passes(x, y); });
            ArchiveReader rm(merged, "selection pass");
            pass = load_passes(rm);
            for (std::size_t j = 0; j < sel.size(); ++j)
                if (!sel[j].done()) sel[j].end_pass(pass[j]);
        }
        return fit_copy(names, [&](D& next) {
            // A component may take the column names too, to name them in its own errors.
            if constexpr (requires { next.fit_ranked(RankedColumns(sel, rows), names); })
                next.fit_ranked(RankedColumns(sel, rows), names);
            else
                next.fit_ranked(RankedColumns(sel, rows));
        });
    }

    // The component's fit_accumulator, given the names too when it takes them (as fit_matrix).
    template <class Acc>
    void fit_from(const Acc& acc, const std::vector<std::string>& names) {
        if constexpr (requires { self().fit_accumulator(acc, names); }) self().fit_accumulator(acc, names);
        else self().fit_accumulator(acc);
    }

    std::vector<std::string> selected(const Table& t) const {
        // A component that reads more than Params::columns (RelativeFeatures' references) says which.
        if constexpr (requires(const D& d) { d.input_columns(t); }) return self().input_columns(t);
        const auto& cols = self().params().columns;
        if (!cols.empty()) return cols;
        std::vector<std::string> numeric;
        for (const auto& name : t.column_names())
            if (t.type(name) == ColumnType::numeric) numeric.push_back(name);
        return numeric;
    }

    const D& self() const { return static_cast<const D&>(*this); }
    D& self() { return static_cast<D&>(*this); }

    bool fitted_ = false;
    std::vector<std::string> names_in_;
};

}  // namespace reprep::detail
