// Research side: split the penguins data with a seed, fit a preprocessing pipeline on
// the training rows only, and hand over to serving: the artifact, the raw hold-out rows
// and what the training side computes for them.
//
//   example_train [out_dir] [data.csv]
#include <cstdio>
#include <fstream>
#include <reprep/reprep.hpp>

#include "common.hpp"

int main(int argc, char** argv) {
    using namespace reprep;
    const auto dir = example::out_dir(argc, argv);
    const std::filesystem::path data = argc > 2 ? argv[2] : REPREP_EXAMPLES_DATA "/penguins.csv";

    const Table all = read_csv(data);
    // Hold out 20% before anything is fitted: no statistic may see these rows.
    const auto [train, holdout] = train_test_split(all, {.test_size = 0.2, .stratify = "species", .seed = 42});

    const std::vector<std::string> numeric = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    auto pipe = Pipeline{}
        .add("impute", SimpleImputer<>({.columns = numeric, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("cap", Winsorizer<>({.columns = numeric}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("scale", StandardScaler<>({.columns = numeric}));
    pipe.set_seed(42);
    pipe.set_metadata("dataset", "palmerpenguins (CC0)");
    pipe.fit(train);

    save(pipe, dir / example::artifact_name);
    {
        std::ofstream f(dir / example::holdout_name);
        write_csv(holdout, f);
    }
    {
        // The expected outputs, one column per feature, in the shortest text that
        // reads back to the same bits.
        std::ofstream f(dir / example::expected_name);
        write_csv(pipe.transform(holdout).select(pipe.feature_names_out()), f);
    }
    std::printf("train: %zu training rows, %zu hold-out rows, %zu features out\n", train.num_rows(), holdout.num_rows(),
                pipe.feature_names_out().size());
    std::printf("train: saved %s\n", example::artifact_name);
    std::printf("train: fingerprint %s\n", fingerprint(pipe).c_str());
    return 0;
}
