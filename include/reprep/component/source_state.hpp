// The states a numeric component's fit(ChunkSource) combines between processes
// (core/shard_combiner.hpp), as canonical bytes:
//
//   accumulator state   u64 rows read, the chosen column names, then Accumulator::save
//   first pass          u64 rows read, the column names, u64 columns, each column's
//                       MultiPassSelection::Pass::save
//   later pass          u64 columns, each open column's Pass::save (a settled column's
//                       slot is an empty pass)
//
// Merging: a process that read no row contributes nothing but, when the other read no
// chunk at all, its column names; otherwise the names must agree and the states merge
// exactly (integer addition), so any tree of merges gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/multi_pass_selection.hpp"

namespace reprep::detail {

// The rows and columns every process read, ahead of the state itself.
struct SourceHead {
    std::uint64_t rows = 0;
    std::vector<std::string> names;
    void save(ArchiveWriter& w) const {
        w.u64(rows);
        w.strs(names);
    }
    static SourceHead load(ArchiveReader& r) {
        SourceHead h;
        h.rows = r.u64();
        h.names = r.strs();
        return h;
    }
};

// Which side of a merge carries the state: the one that read rows; InvalidInput when
// both did and chose other columns (the processes' sources differ in their columns).
inline int merge_heads(const char* component, SourceHead& a, const SourceHead& b) {
    if (b.rows == 0) {
        if (a.names.empty()) a.names = b.names;
        return 0;  // keep a
    }
    if (a.rows == 0) {
        const auto names = a.names.empty() || !b.names.empty() ? b.names : a.names;
        a = b;
        a.names = names;
        return 1;  // take b
    }
    if (a.names != b.names)
        fail<InvalidInput>({.component = component,
                            .problem = "two processes chose other columns from their chunks",
                            .fix = "give every process chunks with the same columns, or set the columns parameter"});
    a.rows += b.rows;
    return 2;  // merge
}

template <class Acc>
std::string pack_accumulator(const SourceHead& h, const Acc& acc) {
    ArchiveWriter w;
    h.save(w);
    acc.save(w);
    return std::move(w).bytes();
}

template <class Acc>
std::string merge_accumulators(const char* component, std::string_view x, std::string_view y) {
    ArchiveReader rx(x, "accumulator state"), ry(y, "accumulator state");
    SourceHead hx = SourceHead::load(rx);
    const SourceHead hy = SourceHead::load(ry);
    Acc ax = Acc::load(rx);
    const Acc ay = Acc::load(ry);
    switch (merge_heads(component, hx, hy)) {
        case 1: return pack_accumulator(hx, ay);
        case 2: ax.merge(ay); break;
        default: break;
    }
    return pack_accumulator(hx, ax);
}

inline void save_passes(ArchiveWriter& w, const std::vector<MultiPassSelection::Pass>& passes) {
    w.size(passes.size());
    for (const auto& p : passes) p.save(w);
}
inline std::vector<MultiPassSelection::Pass> load_passes(ArchiveReader& r) {
    const std::size_t n = r.size(20);  // a pass takes at least 20 bytes
    std::vector<MultiPassSelection::Pass> passes;
    for (std::size_t j = 0; j < n; ++j) passes.push_back(MultiPassSelection::Pass::load(r));
    return passes;
}

inline std::string pack_first_pass(const SourceHead& h, const std::vector<MultiPassSelection::Pass>& passes) {
    ArchiveWriter w;
    h.save(w);
    save_passes(w, passes);
    return std::move(w).bytes();
}

inline std::string merge_first_passes(const char* component, std::string_view x, std::string_view y) {
    ArchiveReader rx(x, "selection pass"), ry(y, "selection pass");
    SourceHead hx = SourceHead::load(rx);
    const SourceHead hy = SourceHead::load(ry);
    auto px = load_passes(rx);
    const auto py = load_passes(ry);
    const int how = merge_heads(component, hx, hy);
    if (how == 1) return pack_first_pass(hx, py);
    if (how == 2 && px.size() == py.size())
        for (std::size_t j = 0; j < px.size(); ++j) px[j].merge(py[j]);
    else if (how == 2 && !py.empty())
        px = py;  // x read rows of no column: an empty selection
    return pack_first_pass(hx, px);
}

inline std::string pack_passes(const std::vector<MultiPassSelection::Pass>& passes) {
    ArchiveWriter w;
    save_passes(w, passes);
    return std::move(w).bytes();
}

// Later passes: every process begun each pass from the same selection state.
inline std::string merge_later_passes(std::string_view x, std::string_view y) {
    ArchiveReader rx(x, "selection pass"), ry(y, "selection pass");
    auto px = load_passes(rx);
    const auto py = load_passes(ry);
    if (px.size() != py.size()) rx.fail("two processes sent passes of different widths");
    for (std::size_t j = 0; j < px.size(); ++j) px[j].merge(py[j]);
    return pack_passes(px);
}

}  // namespace reprep::detail
