// reprep-inspect: prints any reprep artifact as readable text, and checks live or
// training data against a pipeline (docs/monitoring.md).
//
//   reprep-inspect ARTIFACT [--full]                          the artifact as text
//       envelope, fingerprints, and each step's columns and fitted state (medians,
//       caps, categories, encodings, lambdas, edges). Lists longer than 8 items are
//       shortened to "a, b, ... (N in all)"; --full prints every item.
//   reprep-inspect drift MODEL.rpp LIVE.csv [--threshold X] [--json]
//       one line per input column: PSI, Jensen-Shannon distance, missing rate training ->
//       live, out-of-range share, unseen-category rate, absent rate, level; then, per
//       encoder step, the values it never learnt. Exit status 3 when a column's PSI
//       reaches the threshold (default 0.25, the "major" level).
//   reprep-inspect verify-data MODEL.rpp DATA.csv
//       whether DATA.csv holds the rows the pipeline was fitted on (any row order).
//       Exit status 3 when it does not.
//
// Exit status: 0 fine, 1 a reprep error (printed), 2 a usage error, 3 drift / mismatch.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <reprep/compose/inspect.hpp>
#include <reprep/core/csv.hpp>

namespace {

int usage() {
    std::fputs("usage: reprep-inspect ARTIFACT [--full]\n"
               "       reprep-inspect drift MODEL.rpp LIVE.csv [--threshold X] [--json]\n"
               "       reprep-inspect verify-data MODEL.rpp DATA.csv\n",
               stderr);
    return 2;
}

int describe(const char* path, bool full) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        std::fprintf(stderr, "reprep-inspect: cannot open %s\n", path);
        return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::fputs(reprep::describe_artifact(bytes, {.full = full}).c_str(), stdout);
    return 0;
}

int drift(int argc, char** argv) {
    if (argc < 4) return usage();
    double threshold = reprep::DriftOptions{}.major;
    bool json = false;
    for (int i = 4; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--threshold" && i + 1 < argc) {
            char* end = nullptr;
            threshold = std::strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' || !(threshold > 0.0)) {
                std::fprintf(stderr, "reprep-inspect: --threshold takes a positive number, got '%s'\n", argv[i]);
                return 2;
            }
        } else {
            return usage();
        }
    }
    const auto served = reprep::load_pipeline(argv[2]);
    // The live file is read with the types the pipeline was fitted with.
    const auto live = reprep::read_csv(argv[3], served.input_schema());
    auto monitor = served.monitor();
    // Transformed too, so that each encoder step's unseen values are counted. The monitor
    // counts the file's columns first, so a file the pipeline refuses (an unseen category
    // under handle_unknown = error, say) is still reported, without per-step counts.
    try {
        (void)served.transform(live, monitor);
    } catch (const reprep::Error& e) {
        if (monitor.rows() == 0) throw;  // the columns themselves were refused
        std::fprintf(stderr, "reprep-inspect: the pipeline refused the file, so no row counts per step: %s\n", e.what());
    }
    const auto report = monitor.report();
    std::fputs(json ? report.to_json().c_str() : report.to_text().c_str(), stdout);
    for (const auto& c : report.columns)
        if (c.psi >= threshold) return 3;
    return 0;
}

int verify_data(int argc, char** argv) {
    if (argc != 4) return usage();
    const auto served = reprep::load_pipeline(argv[2]);
    // Read as the training job reads by default (types inferred), so the rows hash the same.
    const auto data = reprep::read_csv(argv[3]);
    const auto& lineage = served.lineage();
    const auto found = reprep::data_fingerprint(data);
    const bool same = found == lineage.data_fingerprint;
    std::printf("rows: %zu found, %llu recorded at fit\n", data.num_rows(), static_cast<unsigned long long>(lineage.rows));
    std::printf("data fingerprint: %s found, %s recorded\n", found.hex().c_str(), lineage.data_fingerprint.hex().c_str());
    std::puts(same ? "verdict: the training data (same rows, any order)" : "verdict: NOT the training data");
    return same ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string_view cmd = argv[1];
    try {
        if (cmd == "drift") return drift(argc, argv);
        if (cmd == "verify-data") return verify_data(argc, argv);
        if (argc == 2) return describe(argv[1], false);
        if (argc == 3 && std::string_view(argv[2]) == "--full") return describe(argv[1], true);
        return usage();
    } catch (const reprep::Error& e) {
        std::fprintf(stderr, "reprep-inspect: %s\n", e.what());
        return 1;
    }
}
