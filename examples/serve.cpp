// Serving side, a separate program as a production binary would be: load the
// artifact (it never constructed the pipeline), read the hold-out requests with its
// schema, transform them one record at a time through the zero-allocation row plan
// (counting each into a drift monitor) and as a batch, and compare the bits with what
// the training side computed.
//
//   example_serve [dir]
#include <cstdio>
#include <cstring>
#include <reprep/reprep.hpp>

#include "common.hpp"

int main(int argc, char** argv) {
    using namespace reprep;
    const auto dir = example::out_dir(argc, argv);
    const Pipeline served = load_pipeline(dir / example::artifact_name);

    // Read the requests with the types the pipeline expects, whatever the data looks like
    // (a request lacking columns is refused, naming every one of them, unless the
    // pipeline was fitted with the fill policy: docs/monitoring.md).
    const Table requests = read_csv(dir / example::holdout_name, served.input_schema());
    const Table expected = read_csv(dir / example::expected_name);

    const auto names = served.feature_names_out();
    const Table batch = served.transform(requests);
    auto plan = served.compile();
    Monitor monitor = served.monitor();  // one per thread in a service; merge() them to report
    // Requests arrive keyed by column name. The plan resolved its input names once, at
    // compile(); a record filled by name allocates nothing per request.
    auto record = plan.record();
    std::vector<double> row(plan.n_outputs());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < requests.num_rows(); ++i) {
        record.clear();  // a column the request lacks stays absent: filled, or refused, by the policy
        for (const auto& c : served.input_schema()) {
            if (!requests.has_column(c.name)) continue;
            if (c.type == ColumnType::numeric) record.set(c.name, requests.numeric(c.name)[i]);
            else if (auto v = requests.category(c.name, i)) record.set(c.name, *v);
            else record.set_missing(c.name);
        }
        plan.run(record, std::span<double>(row), monitor);  // counted for drift, then transformed
        for (std::size_t j = 0; j < names.size(); ++j) {
            const double want = expected.numeric(names[j])[i];
            const double got_batch = batch.numeric(names[j])[i];
            mismatches += std::memcmp(&row[j], &want, sizeof(double)) != 0;
            mismatches += std::memcmp(&got_batch, &want, sizeof(double)) != 0;
        }
    }
    std::printf("serve: %zu requests x %zu features, single-row and batch\n", requests.num_rows(), names.size());
    std::printf("serve: fingerprint %s\n", fingerprint(served).c_str());
    // The report itself (monitor.report()) needs a few hundred live rows before its PSI
    // means more than sampling noise (docs/monitoring.md); 69 requests are too few.
    std::printf("serve: the drift monitor counted %llu requests against the training profile\n",
                static_cast<unsigned long long>(monitor.rows()));
    if (mismatches != 0) {
        std::printf("serve: FAILED: %zu values differ from the training side\n", mismatches);
        return 1;
    }
    std::printf("serve: identical to the training side, bit for bit\n");
    return 0;
}
