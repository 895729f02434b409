// Pipeline::transform_into: batches into reused buffers (issue 17).
//
// transform(X) gives every numeric step a fresh rows x width block per batch: on a table
// of 131,072 rows that is megabytes of new memory per step, and each new page costs a
// fault. A serving loop that transforms batch after batch can keep those blocks instead.
// The Workspace holds, per step, the table the step returned last time and, for a step
// that writes one numeric block (StepBase::writes_block: the numeric components in
// double), the buffer behind it. When the next batch has the same columns and types,
// such a step writes its block into that buffer (transform_block, the same kernel and
// bits as transform) and its result is rebuilt from its input by copying column
// pointers (TableAccess::assign_step): no allocation, no fresh page.
//
// Fused runs: consecutive block steps that read and write the same columns take a slice
// of Workspace::fuse_rows_ rows through all their steps while it is in cache (two slices
// per thread ping-pong between steps, a third holds the inputs when they are separate
// columns); only the last step writes its block. Steps are row-local, so the bits are
// those of the steps one by one; an error inside a run sends the run back to the steps
// one by one, which raise transform's error with the caller's row.
//
// A buffer is rewritten only when every holder is known: the workspace itself and the
// columns of its tables and of `out` that point into it. A copy of `out` kept by the
// caller, or an input table that shares it, adds holders the workspace cannot see
// (use_count says so), and the step then writes a new buffer, leaving theirs intact.
//
// Categorical steps take the same road: OneHotEncoder and the other categorical
// components with numeric outputs write their block with transform_block like a numeric
// step; those with categorical outputs (CategoricalImputer, RareLabelEncoder) rewrite
// the columns the workspace keeps for them (transform_categories: the same dictionary
// order and codes as transform, in vectors that keep their capacity).
//
// Threads: n_jobs > 1 starts a pool of n_jobs - 1 worker threads in the workspace at the
// first call that asks for them (detail::WorkerPool) and reuses it for every step of
// every later call; each step still cuts its rows into the same blocks as transform, so
// the bits do not change, and an error is the first failing block's, in row order.
//
// What still allocates in the steady state: steps of other kinds (datetime ones,
// selectors, mixed-type ones, a user's own kinds) run their transform(t) as in
// Pipeline::transform; an input that the serving policy must fill or trim is conformed
// (copied) each time; a batch with a new value in a categorical column may grow a
// dictionary.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../core/table.hpp"
#include "pipeline.hpp"

namespace reprep {

// What Pipeline::transform_into keeps from one call to the next. One workspace per
// loop (thread): it is not shared, and it keeps the pipeline's steps alive while it
// refers to them. Default-constructed empty; the first call fills it.
class Pipeline::Workspace {
public:
    // fuse_rows: the rows of one cache-sized slice that fused steps (below) run through
    // one after another; 0 runs every step over all rows before the next (no fusion).
    // The bits are the same either way.
    explicit Workspace(std::size_t fuse_rows = 2048) : fuse_rows_(fuse_rows) {}
    // Frees every buffer; the next transform_into starts afresh (with the same fuse_rows
    // and the same threads).
    void clear() {
        auto pool = std::move(pool_);
        *this = Workspace(fuse_rows_);
        pool_ = std::move(pool);
    }
    // The worker threads it holds for n_jobs > 1 (0 before a threaded call): started by
    // the first call that needs them, reused by every later one.
    std::size_t threads() const { return pool_ ? pool_->workers() : 0; }
    // How many fused runs the last call took through slices (0 after a first call, which
    // runs transform): to see that fusion happened.
    std::size_t fused_runs() const { return fused_runs_; }

private:
    friend class Pipeline;
    struct Step {
        bool block = false;                     // written by transform_block into `buffer`
        bool kernel = false;                    // a block step that reads numbers (transform_rows)
        bool categories = false;                // written by transform_categories into `columns`
        std::size_t fused_to = 0;               // > this step's index: the last step of its fused run
        std::vector<std::string> in, out;       // the step's columns_in() and columns_out()
        std::shared_ptr<const double> buffer;   // the block it wrote last (its column 0)
        std::size_t size = 0;                   // doubles in it
        std::vector<std::shared_ptr<const CategoricalColumn>> columns;  // the categorical columns it wrote last
        std::vector<CategoricalColumn*> targets;  // the same, to be written (sized once)
    };
    std::vector<detail::SharedStep> steps_;     // the steps it was filled for, in order
    ServingPolicy policy_;
    std::vector<std::string> names_;            // the input's columns and their types
    std::vector<ColumnType> types_;
    bool as_is_ = false;                        // the policy neither fills nor drops a column
    std::vector<Step> plan_;
    std::vector<Table> tables_;                 // tables_[i]: step i's result, for i + 1 < steps
    detail::ReuseScratch scratch_;              // a numeric step's inputs (when not one block), slots, codes
    std::vector<double> slices_;                // per thread, three slices of a fused run's values
    std::size_t fuse_rows_ = 2048;
    std::size_t fused_runs_ = 0;
    bool ready_ = false;
    // The threads of n_jobs > 1, started once and kept across calls (core/parallel.hpp);
    // clear() keeps them. On the heap, so that the workspace moves while they wait.
    std::unique_ptr<detail::WorkerPool> pool_;
};

inline void Pipeline::transform_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const {
    require_fitted();
    if (&X == &out) {
        // The steps would read the buffers they rewrite.
        const Table copy = X;
        transform_into(copy, out, ws, opts);
        return;
    }
    // Can the last call's plan serve X? Same steps, policy, columns and types.
    bool same = ws.ready_ && ws.as_is_ && ws.policy_ == policy_ && ws.steps_.size() == steps_.size() &&
                ws.names_.size() == X.num_columns();
    for (std::size_t i = 0; same && i < steps_.size(); ++i) same = ws.steps_[i] == steps_[i];
    for (std::size_t k = 0; same && k < ws.names_.size(); ++k)
        same = ws.names_[k] == X.column_names()[k] && ws.types_[k] == X.type(ws.names_[k]);
    // The threads n_jobs asks for, from the workspace's pool (started once). A bad
    // n_jobs is left to the steps, which raise transform's error naming the step.
    std::size_t threads = 1;
    try {
        threads = detail::thread_count(opts.n_jobs, "Pipeline");
    } catch (const Error&) {
    }
    if (threads > 1 && (!ws.pool_ || ws.pool_->workers() < threads - 1)) {
        ws.pool_.reset();  // joins the smaller pool's threads first
        ws.pool_ = std::make_unique<detail::WorkerPool>(threads - 1);
    }
    const detail::PoolScope scope(threads > 1 ? ws.pool_.get() : nullptr);
    try {
        if (same) run_into(X, out, ws, opts);
        else prepare_into(X, out, ws, opts);
    } catch (...) {
        // A step may have rewritten part of a buffer: nothing half-done is left behind.
        out = Table();
        ws.clear();
        throw;
    }
}

inline void Pipeline::prepare_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const {
    ws.clear();
    const auto c = detail::conformance(X, schema_, policy_);
    Table t = detail::conform(X, c, schema_, fills());
    std::size_t gathered = 0;  // the most doubles a step copies its inputs into
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        Table r = run_step(i, [&] { return steps_[i]->transform(t, opts); });
        Workspace::Step s;
        s.block = steps_[i]->writes_block();
        s.kernel = s.block && steps_[i]->type_in() == ColumnType::numeric && !steps_[i]->mixed_types();
        s.categories = steps_[i]->maps_categories() && !steps_[i]->mixed_types();
        if (s.categories) {
            // Its result holds the columns transform made; the workspace keeps copies it
            // owns (and may rewrite), in their place.
            s.in = steps_[i]->columns_in();
            for (const auto& name : s.in) {
                auto mine = std::make_shared<CategoricalColumn>(r.categorical(name));
                s.targets.push_back(mine.get());
                s.columns.push_back(std::move(mine));
                detail::TableAccess::set_categorical(r, name, s.columns.back());
            }
        }
        if (s.block) {
            s.in = steps_[i]->columns_in();
            s.out = steps_[i]->columns_out();
            if (s.kernel && !t.numeric_block(s.in)) gathered = std::max(gathered, t.num_rows() * s.in.size());
            const std::size_t rows = r.num_rows();
            // transform wrote one block, out[0] at its start: keep it as the buffer.
            const auto view = s.out.empty() ? std::nullopt : r.numeric_block(s.out);
            s.block = view && static_cast<std::size_t>(view->outerStride()) == rows;
            if (s.block) {
                s.buffer = detail::TableAccess::numeric_owner(r, s.out[0]);
                s.size = rows * s.out.size();
            }
        }
        // A categorical step runs its reuse path once more here, writing the same values
        // again, so that the scratch its slots and codes take is sized now, not at the
        // next call.
        if (s.categories) run_step(i, [&] {
            steps_[i]->transform_categories(t, s.targets.data(), ws.scratch_, opts);
            return Table();
        });
        if (s.block && !s.kernel) run_step(i, [&] {
            steps_[i]->transform_block(t, const_cast<double*>(s.buffer.get()), ws.scratch_, opts);
            return Table();
        });
        ws.plan_.push_back(std::move(s));
        if (i + 1 < steps_.size()) ws.tables_.push_back(r);
        t = std::move(r);
    }
    out = std::move(t);
    // Fused runs: consecutive block steps that each read and write the same numeric
    // columns (out == in, in the previous step's order). Every step is row-local (the
    // contract suite proves it: row blocks give the bits of the whole), so a run can
    // take a slice of rows through all its steps while the slice is in cache.
    std::size_t slice = 0;  // doubles in one slice of the widest run
    for (std::size_t i = 0; ws.fuse_rows_ > 0 && i < ws.plan_.size(); ++i) {
        const auto fusable = [&](std::size_t k) {
            const auto& p = ws.plan_[k];
            return p.kernel && p.in == p.out && p.in == ws.plan_[i].in;
        };
        if (!fusable(i)) continue;
        std::size_t j = i;
        while (j + 1 < ws.plan_.size() && fusable(j + 1)) ++j;
        if (j > i) {
            ws.plan_[i].fused_to = j;
            slice = std::max(slice, ws.fuse_rows_ * ws.plan_[i].in.size());
        }
        i = j;
    }
    const std::size_t threads = detail::thread_count(opts.n_jobs, "Pipeline");
    ws.slices_.resize(3 * slice * threads);
    ws.scratch_.values.resize(gathered);  // sized now, so that the next call allocates nothing
    ws.steps_ = steps_;
    ws.policy_ = policy_;
    ws.names_ = X.column_names();
    for (const auto& n : ws.names_) ws.types_.push_back(X.type(n));
    ws.as_is_ = c.fill.empty() && c.drop.empty();
    ws.ready_ = true;
}

inline void Pipeline::run_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const {
    const Table* src = &X;  // what conform(X) would give: the policy neither fills nor drops
    ws.fused_runs_ = 0;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        const std::size_t last = std::max(i, ws.plan_[i].fused_to);
        Table& dst = last + 1 < steps_.size() ? ws.tables_[last] : out;
        if (last > i && run_fused(i, last, *src, dst, out, ws, opts)) {
            ++ws.fused_runs_;
            src = &dst;
            i = last;
            continue;
        }
        run_block_step(i, *src, i + 1 < steps_.size() ? ws.tables_[i] : out, out, ws, opts);
        src = i + 1 < steps_.size() ? &ws.tables_[i] : &out;
    }
}

inline double* Pipeline::reuse_buffer(Workspace& ws, std::size_t i, std::size_t need, const Table& out) const {
    Workspace::Step& s = ws.plan_[i];
    // Every holder the workspace knows of: itself, its tables, `out`.
    std::size_t known = 1 + detail::TableAccess::shares(out, s.buffer);
    for (const Table& t : ws.tables_) known += detail::TableAccess::shares(t, s.buffer);
    if (s.size != need || s.buffer.use_count() != static_cast<long>(known)) {
        const std::shared_ptr<double[]> fresh(new double[need]);  // the step writes every element
        s.buffer = std::shared_ptr<const double>(fresh, fresh.get());
        s.size = need;
    }
    // The buffer was allocated as non-const doubles (here, or by the component's
    // transform), and no one outside the workspace and `out` refers to it.
    return const_cast<double*>(s.buffer.get());
}

inline void Pipeline::run_block_step(std::size_t i, const Table& src, Table& dst, const Table& out, Workspace& ws,
                                     const TransformOptions& opts) const {
    Workspace::Step& s = ws.plan_[i];
    if (s.categories) {
        run_category_step(i, src, dst, out, ws, opts);
        return;
    }
    if (!s.block) {
        dst = run_step(i, [&] { return steps_[i]->transform(src, opts); });
        return;
    }
    const std::size_t rows = src.num_rows();
    double* const w = reuse_buffer(ws, i, rows * s.out.size(), out);
    run_step(i, [&] {
        steps_[i]->transform_block(src, w, ws.scratch_, opts);
        return Table();
    });
    detail::TableAccess::assign_step(dst, src, s.in, s.out, s.buffer, rows);
}

inline void Pipeline::run_category_step(std::size_t i, const Table& src, Table& dst, const Table& out, Workspace& ws,
                                        const TransformOptions& opts) const {
    Workspace::Step& s = ws.plan_[i];
    for (std::size_t j = 0; j < s.columns.size(); ++j) {
        // Rewritten only when every holder is known (as reuse_buffer's blocks): the
        // workspace, its tables and `out`; an input or a caller's copy that holds the
        // column gets a new one, and keeps the old one intact.
        std::size_t known = 1 + detail::TableAccess::shares_categorical(out, s.columns[j]);
        for (const Table& t : ws.tables_) known += detail::TableAccess::shares_categorical(t, s.columns[j]);
        if (s.columns[j].use_count() != static_cast<long>(known)) {
            auto fresh = std::make_shared<CategoricalColumn>();
            s.targets[j] = fresh.get();
            s.columns[j] = std::move(fresh);
        }
    }
    run_step(i, [&] {
        steps_[i]->transform_categories(src, s.targets.data(), ws.scratch_, opts);
        return Table();
    });
    detail::TableAccess::assign_categorical(dst, src, s.in, s.columns);
}

inline bool Pipeline::run_fused(std::size_t a, std::size_t b, const Table& src, Table& dst, const Table& out,
                                Workspace& ws, const TransformOptions& opts) const {
    const std::vector<std::string>& names = ws.plan_[a].in;
    const std::size_t n = src.num_rows(), width = names.size(), R = ws.fuse_rows_;
    std::size_t threads = 0;
    try {
        threads = detail::thread_count(opts.n_jobs, "Pipeline");
    } catch (const Error&) {
        return false;  // the steps one by one raise transform's error
    }
    if (threads > n) threads = n;
    if (threads == 0) threads = 1;
    if (ws.slices_.size() < 3 * R * width * threads) return false;  // more threads than at the first call
    // The run's input, as step a's transform_block reads it: a view of one block, or
    // (columns apart) a copy, made slice by slice into the third slice, in cache.
    const double* in = nullptr;
    std::ptrdiff_t stride = static_cast<std::ptrdiff_t>(n);
    if (const auto view = src.numeric_block(names)) {
        in = view->data();
        stride = view->outerStride();
    }
    double* const w = reuse_buffer(ws, b, n * width, out);
    using In = Eigen::Map<const Matrix<double>, 0, Eigen::OuterStride<>>;
    using Out = Eigen::Map<Matrix<double>, 0, Eigen::OuterStride<>>;
    try {
        // One call per thread (rows = threads gives block t = [t, t + 1)), each with its
        // own rows and its own two slices.
        detail::for_row_blocks(threads, threads, [&](std::size_t t, std::size_t) {
            const std::size_t lo = n * t / threads, hi = n * (t + 1) / threads;
            double* const slice = ws.slices_.data() + t * 3 * R * width;
            for (std::size_t r0 = lo; r0 < hi; r0 += R) {
                const auto len = static_cast<Eigen::Index>(std::min(R, hi - r0));
                const auto wd = static_cast<Eigen::Index>(width);
                // Step k reads what step k - 1 wrote into one slice and writes the other;
                // the last step writes its rows of the run's block.
                // No arithmetic on a null `in` (UBSan): the gathered slice replaces it.
                const double* xp = in ? in + r0 : nullptr;
                std::ptrdiff_t xs = stride;
                if (!in) {
                    double* const gathered = slice + 2 * R * width;
                    for (std::size_t j = 0; j < width; ++j) {
                        const double* col = src.numeric(names[j]).data() + r0;
                        std::copy(col, col + len, gathered + j * static_cast<std::size_t>(len));
                    }
                    xp = gathered;
                    xs = len;
                }
                for (std::size_t k = a; k <= b; ++k) {
                    const bool final = k == b;
                    double* const o = final ? w + r0 : slice + ((k - a) % 2) * R * width;
                    const std::ptrdiff_t os = final ? static_cast<std::ptrdiff_t>(n) : len;
                    Out y(o, len, wd, Eigen::OuterStride<>(os));
                    steps_[k]->transform_rows(In(xp, len, wd, Eigen::OuterStride<>(xs)), y);
                    xp = o;
                    xs = os;
                }
            }
        });
    } catch (...) {
        // An error names the row of a slice: the steps one by one raise it as transform
        // does, naming the caller's row and the step. (Their transforms are pure, so
        // running them again changes nothing else.)
        return false;
    }
    // Every step of the run rewrote the same columns in place: the run's result is src
    // with them replaced by the last step's block.
    detail::TableAccess::assign_step(dst, src, names, names, ws.plan_[b].buffer, n);
    // The run's other steps kept their first call's tables and blocks: let them go (once;
    // freeing allocates nothing), so that they pin neither memory nor that call's input.
    for (std::size_t k = a; k < b; ++k) {
        if (ws.tables_[k].num_columns() > 0) ws.tables_[k] = Table();
        ws.plan_[k].buffer.reset();
        ws.plan_[k].size = 0;
    }
    return true;
}

}  // namespace reprep
