// Leakage-safe cross-validation: the preprocessing pipeline is refitted inside every
// fold, on that fold's training rows only. Fitting it once on all rows and then
// splitting would let each test fold's values shape the statistics (means, medians,
// vocabularies) applied to it — information the model will not have in production.
#include <cstdio>
#include <reprep/reprep.hpp>

int main() {
    using namespace reprep;
    const Table data = read_csv(REPREP_EXAMPLES_DATA "/penguins.csv");
    const std::vector<std::string> numeric = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    const auto make = [&] {
        return Pipeline{}
            .add("impute", SimpleImputer<>({.columns = numeric, .strategy = ImputeStrategy::median}))
            .add("onehot", OneHotEncoder({.columns = {"island"}, .handle_unknown = HandleUnknown::ignore}))
            .add("scale", StandardScaler<>({.columns = numeric}));
    };
    const auto folds = StratifiedKFold({.n_splits = 5, .shuffle = true, .seed = 11}).split(data, "species");
    for (std::size_t f = 0; f < folds.size(); ++f) {
        const Table train = data.rows(folds[f].train), test = data.rows(folds[f].test);
        auto pipe = make();
        pipe.fit(train);  // statistics from this fold's training rows only
        const Table z = pipe.transform(test);
        ExactSum s;
        for (double x : z.numeric("body_mass_g")) s.add(x);
        std::printf("fold %zu: train %zu rows, test %zu rows, mean scaled body_mass_g on test %+.6f, fingerprint %s\n", f,
                    train.num_rows(), test.num_rows(), s.value() / static_cast<double>(test.num_rows()),
                    fingerprint(pipe).c_str());
    }
    return 0;
}
