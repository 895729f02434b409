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
// A buffer is rewritten only when every holder is known: the workspace itself and the
// columns of its tables and of `out` that point into it. A copy of `out` kept by the
// caller, or an input table that shares it, adds holders the workspace cannot see
// (use_count says so), and the step then writes a new buffer, leaving theirs intact.
//
// What still allocates in the steady state: steps that do not write one numeric block
// (categorical components, datetime ones, selectors, a user's own kinds) run their
// transform(t) as in Pipeline::transform; an input that the serving policy must fill
// or trim is conformed (copied) each time; and n_jobs > 1 starts its threads per step
// (std::thread allocates its state).
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
    Workspace() = default;
    // Frees every buffer; the next transform_into starts afresh.
    void clear() { *this = Workspace(); }

private:
    friend class Pipeline;
    struct Step {
        bool block = false;                     // written by transform_block into `buffer`
        std::vector<std::string> in, out;       // the step's columns_in() and columns_out()
        std::shared_ptr<const double> buffer;   // the block it wrote last (its column 0)
        std::size_t size = 0;                   // doubles in it
    };
    std::vector<detail::SharedStep> steps_;     // the steps it was filled for, in order
    ServingPolicy policy_;
    std::vector<std::string> names_;            // the input's columns and their types
    std::vector<ColumnType> types_;
    bool as_is_ = false;                        // the policy neither fills nor drops a column
    std::vector<Step> plan_;
    std::vector<Table> tables_;                 // tables_[i]: step i's result, for i + 1 < steps
    std::vector<double> scratch_;               // a numeric step's inputs, when not one block
    bool ready_ = false;
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
        if (s.block) {
            s.in = steps_[i]->columns_in();
            s.out = steps_[i]->columns_out();
            if (!t.numeric_block(s.in)) gathered = std::max(gathered, t.num_rows() * s.in.size());
            const std::size_t rows = r.num_rows();
            // transform wrote one block, out[0] at its start: keep it as the buffer.
            const auto view = s.out.empty() ? std::nullopt : r.numeric_block(s.out);
            s.block = view && static_cast<std::size_t>(view->outerStride()) == rows;
            if (s.block) {
                s.buffer = detail::TableAccess::numeric_owner(r, s.out[0]);
                s.size = rows * s.out.size();
            }
        }
        ws.plan_.push_back(std::move(s));
        if (i + 1 < steps_.size()) ws.tables_.push_back(r);
        t = std::move(r);
    }
    out = std::move(t);
    ws.scratch_.resize(gathered);  // sized now, so that the next call allocates nothing
    ws.steps_ = steps_;
    ws.policy_ = policy_;
    ws.names_ = X.column_names();
    for (const auto& n : ws.names_) ws.types_.push_back(X.type(n));
    ws.as_is_ = c.fill.empty() && c.drop.empty();
    ws.ready_ = true;
}

inline void Pipeline::run_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const {
    const Table* src = &X;  // what conform(X) would give: the policy neither fills nor drops
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        Table& dst = i + 1 < steps_.size() ? ws.tables_[i] : out;
        Workspace::Step& s = ws.plan_[i];
        if (!s.block) {
            dst = run_step(i, [&] { return steps_[i]->transform(*src, opts); });
            src = &dst;
            continue;
        }
        const std::size_t rows = src->num_rows(), need = rows * s.out.size();
        // Every holder the workspace knows of: itself, its tables, `out`.
        std::size_t known = 1 + detail::TableAccess::shares(out, s.buffer);
        for (const Table& t : ws.tables_) known += detail::TableAccess::shares(t, s.buffer);
        if (s.size != need || s.buffer.use_count() != static_cast<long>(known)) {
            const std::shared_ptr<double[]> fresh(new double[need]);  // transform_block writes every element
            s.buffer = std::shared_ptr<const double>(fresh, fresh.get());
            s.size = need;
        }
        // The buffer was allocated as non-const doubles (here, or by the component's
        // transform), and no one outside the workspace and `out` refers to it.
        double* const w = const_cast<double*>(s.buffer.get());
        run_step(i, [&] {
            steps_[i]->transform_block(*src, w, ws.scratch_, opts);
            return Table();
        });
        detail::TableAccess::assign_step(dst, *src, s.in, s.out, s.buffer, rows);
        src = &dst;
    }
}

}  // namespace reprep
