// The reading side of a numeric component's fit(ChunkSource): one read of a source as
// checked matrices (ChunkReader), and the passes a component without an accumulator
// takes through it (SourcePasses: PowerTransformer's optimiser). Part of
// numeric_component.hpp, which includes it; a separate file so that each header stays
// short enough to read.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/chunk_source.hpp"
#include "../core/error.hpp"
#include "../core/matrix.hpp"
#include "../core/shard_combiner.hpp"
#include "../core/table.hpp"
#include "numeric_checks.hpp"
#include "source_state.hpp"

namespace reprep::detail {

// A fit from a chunk source with no row or no column is refused.
inline void refuse_no_data(const char* component, std::uint64_t rows, std::size_t columns) {
    if (rows == 0 || columns == 0)
        fail<InvalidInput>({.component = component,
                            .problem = "the chunk source yielded " + std::to_string(rows) + " rows and " +
                                       std::to_string(columns) + " columns; at least one of each is needed",
                            .fix = "pass a source with training rows in the selected columns"});
}

// One read of a chunk source for fit(ChunkSource): every chunk as a matrix of the chosen
// columns (chosen on the first chunk by `select`, fit(Table)'s choice, unless `named`),
// handed to use(X, offset); an error's row is moved by the rows before the chunk.
// Returns the rows read.
template <class T>
struct ChunkReader {
    const char* component;
    std::function<std::vector<std::string>(const Table&)> select;
    const ChunkSource& source;
    std::vector<std::string>& names;
    bool& named;

    template <class Use>
    std::uint64_t operator()(Use&& use) const {
        std::uint64_t offset = 0;
        source.for_each([&](const Table& t) {
            if (!named) {
                names = select(t);
                named = true;
            }
            const Matrix<T> X = with_component(component, [&] { return t.template to_matrix<T>(names); });
            try {
                use(MatrixRef<T>(X), offset);
            } catch (const Error& e) {
                ErrorContext ctx = e.context();
                if (ctx.row) ctx.row = *ctx.row + offset;
                e.rethrow_with(std::move(ctx));
            }
            offset += static_cast<std::uint64_t>(X.rows());
        });
        return offset;
    }
};

template <class D, class T>
class NumericComponent;

// What fit(ChunkSource) hands a component that fits by passes of its own, because
// each step of its fit needs a statistic of every value (PowerTransformer's
// optimiser: one pass per evaluation of its objective). A component provides
//   void fit_passes(SourcePasses& passes);
// and calls pass() once per read of the source; the states it packs must merge
// exactly (any tree of merges gives the same bytes), as an accumulator's do.
template <class D, class T>
class SourcePasses {
public:
    // The columns, chosen on the first chunk as fit(Table) chooses them and then
    // agreed between the processes by the first pass (empty before it).
    const std::vector<std::string>& names() const { return read_.names; }
    // The rows every process read (known after the first pass).
    std::uint64_t rows() const { return rows_; }
    // How many passes were taken.
    std::size_t count() const { return passes_; }

    // One read of this process's source. visit(X, offset) sees every chunk as a
    // matrix of the columns, checked by the component's NaN/Inf rule; `offset` is the
    // rows before the chunk, and a row in an error visit throws is moved by it, so
    // errors name the row counted from the source's first row (pack() raises with
    // such rows itself). pack() then gives this process's state, and merge(x, y)
    // combines two processes' states (both read rows: in the first pass a process that
    // read none is left out). Returns the state merged over every process, the same
    // bytes on each. The first pass refuses a fit of no row or no column; a later pass
    // that reads another number of rows than the first is refused too (a source must
    // yield the same rows on every read).
    template <class Visit, class Pack, class Merge>
    std::string pass(Visit&& visit, Pack&& pack, Merge&& merge) {
        const bool first = passes_ == 0;
        const std::string state = combiner_.combine(
            [&] {
                const std::uint64_t rows = read_([&](const MatrixRef<T>& X, std::uint64_t offset) {
                    check_finite<T>(X, D::allow_nan_in_fit, D::allow_inf_in_fit, D::component_name, read_.names,
                                    "fit");
                    visit(X, offset);
                });
                ArchiveWriter w;
                if (first) SourceHead{rows, read_.names}.save(w);
                else w.u64(rows);
                std::string b = std::move(w).bytes();
                b += pack();
                return b;
            },
            [&](std::string_view x, std::string_view y) {
                ArchiveReader rx(x, "source pass"), ry(y, "source pass");
                ArchiveWriter w;
                if (!first) {
                    w.u64(rx.u64() + ry.u64());
                    std::string b = std::move(w).bytes();
                    b += merge(x.substr(8), y.substr(8));
                    return b;
                }
                SourceHead hx = SourceHead::load(rx);
                const SourceHead hy = SourceHead::load(ry);
                const std::string_view sx = x.substr(x.size() - rx.remaining()),
                                       sy = y.substr(y.size() - ry.remaining());
                const int how = merge_heads(D::component_name, hx, hy);
                hx.save(w);
                std::string b = std::move(w).bytes();
                if (how == 0) b += sx;
                else if (how == 1) b += sy;
                else b += merge(sx, sy);
                return b;
            });
        ++passes_;
        ArchiveReader r(state, "source pass");
        if (first) {
            const SourceHead head = SourceHead::load(r);
            read_.names = head.names;
            read_.named = true;
            rows_ = head.rows;
            refuse_no_data(D::component_name, rows_, read_.names.size());
        } else {
            const std::uint64_t rows = r.u64();
            if (rows != rows_)
                fail<InvalidInput>({.component = D::component_name,
                                    .problem = "pass " + std::to_string(passes_) + " read " + std::to_string(rows) +
                                               " rows, the first " + std::to_string(rows_),
                                    .fix = "make the chunk source yield the same rows on every read (do not "
                                           "change the file while fitting)"});
        }
        return state.substr(state.size() - r.remaining());
    }

private:
    friend class NumericComponent<D, T>;
    SourcePasses(ChunkReader<T>& read, const ShardCombiner& combiner) : read_(read), combiner_(combiner) {}
    ChunkReader<T>& read_;
    const ShardCombiner& combiner_;
    std::uint64_t rows_ = 0;
    std::size_t passes_ = 0;
};

}  // namespace reprep::detail
