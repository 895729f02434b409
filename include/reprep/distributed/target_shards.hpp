// Fits with a target over shards, through any ShardCombiner (no MPI here): the bodies of
// reprep::mpi::fit(component, local, y, comm) and reprep::mpi::fit_transform (mpi.hpp),
// which Python's reprep.dask reaches with its own combiner (docs/distributed.md,
// "Target-fitted kinds").
//
//   fit_target_shard      TargetEncoder, WoEEncoder: each process's accumulator of its
//                         rows (exact counts and target sums per category) is merged
//                         exactly; every process fits the merged accumulator.
//   fit_transform_shard   TargetEncoder's out-of-fold encodings: each process splits its
//                         rows by fold (fold_assignment = row_hash: a row's fold follows
//                         its content, not its place) into cv accumulators, shipped as
//                         one state and merged fold by fold; every process then fits the
//                         full encoder and each fold's encoder (the merge of the other
//                         folds) and encodes its own rows: TargetEncoder::fold_split and
//                         fit_folds, the two halves of the in-memory fit_transform.
// Errors inside a process's local part travel through the combiner (every process raises
// the same typed error); what follows the merge depends on the merged state only, so it
// fails alike everywhere too.
#pragma once

#include <concepts>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/shard_combiner.hpp"
#include "../encode/target_encoder.hpp"

namespace reprep {

// Components whose fit(X, y) is the fit of a Table accumulator with target sums.
template <class C>
concept TargetAccumulated = requires { typename C::Accumulator; } &&
                            requires(C& c, typename C::Accumulator& a, const Table& t, std::span<const double> y) {
                                { c.accumulator() } -> std::same_as<typename C::Accumulator>;
                                a.update(t, y);
                                c.fit(a);
                            };

namespace detail {

template <TargetAccumulated C>
C& fit_target_shard(C& component, const Table& local, std::span<const double> y, const ShardCombiner& combiner) {
    using Acc = typename C::Accumulator;
    component.fit(combine_accumulators<Acc>(combiner, [&] {
        // fit(X, y)'s own check of y (finite; TargetEncoder's binary or multiclass
        // labels, WoE's 0/1), which fit(accumulator) cannot make: it sees no row.
        if constexpr (requires { component.check_target(local.num_rows(), y); })
            component.check_target(local.num_rows(), y);
        Acc acc = component.accumulator();
        if (local.num_columns() > 0) acc.update(local, y);
        return acc;
    }));
    return component;
}

// `door` names the caller in the refusal of position folds.
inline Table fit_transform_shard(TargetEncoder& encoder, const Table& local, std::span<const double> y,
                                 const ShardCombiner& combiner, const char* door) {
    if (encoder.params().fold_assignment != FoldAssignment::row_hash)
        fail<InvalidParameter>(
            {.component = door,
             .problem = "TargetEncoder's fold_assignment = position assigns folds by row position in one table, "
                        "which no process sees, so the folds would depend on how the rows are split",
             .fix = "construct the encoder with fold_assignment = row_hash (a row's fold follows its values "
                    "and target, wherever it is), or fit_transform it in one process",
             .column = "fold_assignment"});
    using Acc = TargetEncoder::Accumulator;
    const std::size_t k = encoder.params().cv;
    auto bytes = [](const std::vector<Acc>& accs) {
        ArchiveWriter w;
        w.size(accs.size());
        for (const auto& a : accs) a.save(w);
        return std::move(w).bytes();
    };
    auto load = [k](std::string_view state) {
        ArchiveReader r(state, "fold accumulator states");
        if (r.size(8) != k) r.fail("the number of fold states is not cv");
        std::vector<Acc> accs;
        for (std::size_t f = 0; f < k; ++f) accs.push_back(Acc::load(r));
        r.expect_end();
        return accs;
    };
    TargetEncoder::FoldSplit split;  // this process's rows per fold
    const std::string state = combiner.combine(
        [&] {
            if (local.num_columns() > 0) {
                split = encoder.fold_split(local, y);
            } else {
                CategoryAccumulator::check_target(TargetEncoder::component_name, 0, y);
                split.rows.resize(k);
                for (std::size_t f = 0; f < k; ++f) split.accumulators.push_back(encoder.accumulator());
            }
            return bytes(split.accumulators);
        },
        [&](std::string_view a, std::string_view b) {
            std::vector<Acc> x = load(a);
            const std::vector<Acc> z = load(b);
            for (std::size_t f = 0; f < k; ++f) x[f].merge(z[f]);
            return bytes(x);
        });
    // A combiner may answer without asking for this process's state (the Dask client,
    // a process with no row, never computes one): split its rows now.
    if (split.rows.size() != k) {
        if (local.num_columns() > 0) split = encoder.fold_split(local, y);
        else split.rows.resize(k);
    }
    return encoder.fit_folds(local, split, load(state));
}

}  // namespace detail

}  // namespace reprep
