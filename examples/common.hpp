// Shared by the train/serve examples: the one definition of where files go, so the
// two programs agree without passing paths around.
#pragma once

#include <filesystem>
#include <string>

namespace example {
inline std::filesystem::path out_dir(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : ".";
    std::filesystem::create_directories(dir);
    return dir;
}
inline const char* artifact_name = "penguins.rpp";
inline const char* holdout_name = "holdout.csv";            // raw hold-out rows (serving requests)
inline const char* expected_name = "holdout_expected.csv";  // their transform on the training side
}  // namespace example
