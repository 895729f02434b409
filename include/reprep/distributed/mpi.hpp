// reprep::mpi::fit — fit a component or a Pipeline on MPI ranks, each holding its own
// shard of the training rows; every rank ends with the same fitted object, the one a
// single process fits on the union of the shards (docs/distributed.md, "MPI").
// reprep::mpi::fit_transform — TargetEncoder's out-of-fold encodings of each rank's rows
// (fold_assignment = row_hash), the bits one process's fit_transform gives those rows.
//
//   #include <reprep/reprep.hpp>
//   #include <reprep/distributed/mpi.hpp>     // not in the umbrella; link MPI::MPI_CXX
//   reprep::Table shard = ...;                 // this rank's rows (may have no row)
//   auto pipe = make_pipeline();               // the same on every rank
//   reprep::mpi::fit(pipe, shard, MPI_COMM_WORLD);      // or a ChunkSource of the shard
//
// How: each fit pass (one for accumulators, up to four for exact quantiles, one per
// step of a pipeline) produces this rank's state as canonical bytes (the accumulator's
// or selection pass's save(), docs/format.md "Shard states"); the states go up a fixed
// binomial tree (rank r + 2^k sends to rank r when bit k is the lowest set bit of r +
// 2^k), where each receiver merges them exactly (integer addition); rank 0 broadcasts
// the merged bytes and every rank continues from them. The merges are exact, so the
// tree's shape changes nothing; it is fixed so that every run sends the same messages.
//
// Errors: a reprep::Error (or any std::exception) on one rank is shipped, typed, in
// place of that rank's state; whatever merges with an error becomes that error (the
// lowest rank's wins), rank 0 broadcasts it, and every rank throws it as the same
// reprep::Error type, its message starting "on process <rank>:". Every rank calls the
// same reductions in the same order (each pass's plan comes from the merged state), so
// no rank waits for a message that will not come. MPI's own failures (a rank killed)
// are outside this: they are reported as reprep::Error where MPI returns, and MPI may
// abort the job first.
//
// This header is the only one in reprep that includes <mpi.h>.
#pragma once

// reprep uses MPI's C API only: skip the deprecated C++ bindings (OpenMPI's warn
// under -Wextra).
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../compose/builtin_kinds.hpp"
#include "../compose/pipeline.hpp"
#include "../core/chunk_source.hpp"
#include "../core/shard_combiner.hpp"
#include "target_shards.hpp"

namespace reprep::mpi {

// A ShardCombiner over an MPI communicator: reduce up a binomial tree, broadcast down.
// It works on its own duplicate of the communicator (MPI_ERRORS_RETURN), so reprep's
// messages never meet the caller's. Construct and destroy it on every rank (collective).
class Combiner final : public ShardCombiner {
public:
    explicit Combiner(MPI_Comm comm) {
        check(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
        MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
    }
    ~Combiner() override { MPI_Comm_free(&comm_); }
    Combiner(const Combiner&) = delete;
    Combiner& operator=(const Combiner&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    // What this rank sent so far (tree messages and, on rank 0, the broadcasts), and
    // how many reductions it took part in: the figures of docs/distributed.md.
    std::uint64_t bytes_sent() const { return bytes_sent_; }
    std::uint64_t reductions() const { return reductions_; }
    std::uint64_t largest_state() const { return largest_; }

    std::string combine(const Local& local, const Merge& merge) const override {
        ++reductions_;
        std::string mine;
        try {
            mine = detail::state_bytes(local());
        } catch (...) {
            mine = detail::current_error_bytes(rank_);
        }
        // Up the tree: at level k, a rank whose bit k is set sends to rank - 2^k and is
        // done; the others receive from rank + 2^k (if it exists) and merge.
        for (int step = 1; step < size_; step <<= 1) {
            if (rank_ & step) {
                send(mine, rank_ - step);
                break;
            }
            if (rank_ + step < size_) mine = merged(std::move(mine), receive(rank_ + step), merge);
        }
        broadcast(mine);
        if (mine.size() > largest_) largest_ = mine.size();
        if (detail::is_error_bytes(mine)) detail::throw_error_bytes(mine);
        return std::string(detail::state_of(mine));
    }

private:
    static constexpr int tag_size = 16001, tag_bytes = 16002;
    static constexpr std::size_t piece = std::size_t{1} << 30;  // MPI counts are int

    static void check(int rc, const char* what) {
        if (rc == MPI_SUCCESS) return;
        char text[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, text, &len);
        detail::fail<Error>({.component = "reprep::mpi",
                             .problem = std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(len)),
                             .fix = "check the MPI job (every rank alive, the same reprep calls on every rank)"});
    }

    std::string merged(std::string a, const std::string& b, const Merge& merge) const {
        if (detail::is_error_bytes(a)) return a;  // the lower rank's error wins
        if (detail::is_error_bytes(b)) return b;
        try {
            return detail::state_bytes(merge(detail::state_of(a), detail::state_of(b)));
        } catch (...) {
            return detail::current_error_bytes(rank_);
        }
    }

    void send(const std::string& b, int to) const {
        const std::uint64_t n = b.size();
        check(MPI_Send(&n, 1, MPI_UINT64_T, to, tag_size, comm_), "MPI_Send");
        for (std::size_t off = 0; off < b.size(); off += piece)
            check(MPI_Send(b.data() + off, static_cast<int>(std::min(piece, b.size() - off)), MPI_BYTE, to, tag_bytes, comm_),
                  "MPI_Send");
        bytes_sent_ += 8 + n;
    }

    std::string receive(int from) const {
        std::uint64_t n = 0;
        check(MPI_Recv(&n, 1, MPI_UINT64_T, from, tag_size, comm_, MPI_STATUS_IGNORE), "MPI_Recv");
        std::string b(static_cast<std::size_t>(n), '\0');
        for (std::size_t off = 0; off < b.size(); off += piece)
            check(MPI_Recv(b.data() + off, static_cast<int>(std::min(piece, b.size() - off)), MPI_BYTE, from, tag_bytes,
                           comm_, MPI_STATUS_IGNORE),
                  "MPI_Recv");
        return b;
    }

    void broadcast(std::string& b) const {
        std::uint64_t n = b.size();
        check(MPI_Bcast(&n, 1, MPI_UINT64_T, 0, comm_), "MPI_Bcast");
        if (rank_ != 0) b.assign(static_cast<std::size_t>(n), '\0');
        for (std::size_t off = 0; off < b.size(); off += piece)
            check(MPI_Bcast(b.data() + off, static_cast<int>(std::min(piece, b.size() - off)), MPI_BYTE, 0, comm_),
                  "MPI_Bcast");
        if (rank_ == 0) bytes_sent_ += (8 + n) * static_cast<std::uint64_t>(size_ - 1);
    }

    MPI_Comm comm_ = MPI_COMM_NULL;
    int rank_ = 0, size_ = 1;
    mutable std::uint64_t bytes_sent_ = 0, reductions_ = 0, largest_ = 0;
};

// Fits `component` (any reprep component kind, or a Pipeline) on the union of every
// rank's `local` rows. Collective: every rank calls it with the same component params.
// A component with a bounded-memory fit(ChunkSource) ships only its accumulator, its
// selection passes or (PowerTransformer) the exact sums of each pass; a categorical
// component its category counts; RandomSampleImputer, whose accumulator keeps every
// value, every rank's rows (docs/distributed.md lists which).
template <class C>
C& fit(C& component, const ChunkSource& local, const Combiner& combiner) {
    if constexpr (std::is_same_v<C, Pipeline>) {
        component.fit(local, combiner);
    } else {
        detail::StepModel<C> step(component);
        detail::fit_step_source(step, local, combiner);
        component = step.component();
    }
    return component;
}

template <class C>
C& fit(C& component, const ChunkSource& local, MPI_Comm comm) {
    const Combiner combiner(comm);
    return fit(component, local, combiner);
}

// A shard in memory: a Table with this rank's rows. An empty shard may be a Table
// with no column at all (Table{}) or the columns with no row.
inline TableChunks shard_chunks(const Table& local) {
    return local.num_columns() == 0 ? TableChunks({}) : TableChunks({local});
}
template <class C>
C& fit(C& component, const Table& local, const Combiner& combiner) {
    return fit(component, shard_chunks(local), combiner);
}
template <class C>
C& fit(C& component, const Table& local, MPI_Comm comm) {
    return fit(component, shard_chunks(local), comm);
}

// Components fitted with a target (TargetEncoder, WoEEncoder): fit(X, y) on the union of
// the shards, `y` holding one value per row of this rank's shard. Their accumulators
// hold exact integer counts and exact target sums per category, so every rank gets the
// bits of one process's fit(X, y) (distributed/target_shards.hpp). For TargetEncoder's
// out-of-fold encodings see fit_transform below (docs/distributed.md, "Target-fitted kinds").
template <TargetAccumulated C>
C& fit(C& component, const Table& local, std::span<const double> y, const Combiner& combiner) {
    return detail::fit_target_shard(component, local, y, combiner);
}
template <TargetAccumulated C>
C& fit(C& component, const Table& local, std::span<const double> y, MPI_Comm comm) {
    const Combiner combiner(comm);
    return fit(component, local, y, combiner);
}

// TargetEncoder's fit_transform on the union of the shards: returns the cross-fitted
// (out-of-fold) encodings of this rank's rows, in its shard's row order, and leaves
// every rank with the same fitted encoder. Each row gets the bits one process's
// fit_transform gives it on the union, in any order, and the encoder is the one-process
// fit. It needs fold_assignment = row_hash, whose folds a rank can compute from its own
// rows (position folds depend on where a row sits in the one table, which no rank sees);
// position is refused with InvalidParameter, on every rank, before any message. One
// reduction; its state is cv accumulators (distributed/target_shards.hpp says how).
// A shard with no row returns its columns with no row (or Table{} for Table{}).
inline Table fit_transform(TargetEncoder& encoder, const Table& local, std::span<const double> y,
                           const Combiner& combiner) {
    return detail::fit_transform_shard(encoder, local, y, combiner, "reprep::mpi::fit_transform");
}
inline Table fit_transform(TargetEncoder& encoder, const Table& local, std::span<const double> y, MPI_Comm comm) {
    const Combiner combiner(comm);
    return fit_transform(encoder, local, y, combiner);
}

}  // namespace reprep::mpi
