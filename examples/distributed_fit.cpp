// Fitting on a cluster: every MPI rank reads its own shard of the training rows, and
// reprep::mpi::fit leaves the same fitted pipeline on every rank, the very bits one
// process fits on all the rows, whatever the number of ranks.
//
//   mpirun -np 4 ./example_distributed_fit [penguins.csv]
//
// Here every rank reads the file and keeps the rows i with i % ranks == rank (a real job
// reads its own part of the data); rank 0 then fits alone on every row to show that the
// fingerprints agree, and prints what it found.
#include <mpi.h>

#include <cstdio>
#include <reprep/distributed/mpi.hpp>
#include <reprep/reprep.hpp>
#include <string>
#include <vector>

namespace {
reprep::Pipeline make_pipeline() {
    using namespace reprep;
    const std::vector<std::string> numbers = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = numbers, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("quantile", QuantileTransformer<>({.columns = {"body_mass_g"}}))
        .add("scale", RobustScaler<>({.columns = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm"}}));
}
}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int status = 0;
    try {
        const std::string path = argc > 1 ? argv[1] : REPREP_EXAMPLES_DATA "/penguins.csv";
        const reprep::Table all = reprep::read_csv(path);
        std::vector<std::size_t> mine;
        for (std::size_t i = static_cast<std::size_t>(rank); i < all.num_rows(); i += static_cast<std::size_t>(ranks))
            mine.push_back(i);
        const reprep::Table shard = all.rows(mine);

        auto pipe = make_pipeline();
        reprep::mpi::fit(pipe, shard, MPI_COMM_WORLD);  // collective: every rank calls it

        if (rank == 0) {
            auto alone = make_pipeline();
            alone.fit(all);
            std::printf("fitted on MPI ranks: %llu training rows, %zu output columns\n",
                        static_cast<unsigned long long>(pipe.lineage().rows), pipe.feature_names_out().size());
            std::printf("fingerprint:         %s\n", reprep::fingerprint(pipe).c_str());
            std::printf("same as one process: %s\n", reprep::fingerprint(alone) == reprep::fingerprint(pipe) ? "yes" : "NO");
            if (reprep::fingerprint(alone) != reprep::fingerprint(pipe)) status = 1;
        }
    } catch (const reprep::Error& e) {
        // Raised on every rank alike: an error on one rank reaches all of them.
        std::fprintf(stderr, "rank %d: %s\n", rank, e.what());
        status = 1;
    }
    MPI_Finalize();
    return status;
}
