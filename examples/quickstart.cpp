// Quickstart: a scaler on an Eigen matrix, fitted whole and fitted from merged shards
// (same bits), saved, reloaded and applied with identical results.
#include <cstdio>
#include <cstring>
#include <reprep/reprep.hpp>

int main() {
    using namespace reprep;
    // 1000 rows x 3 columns of seeded synthetic data (reprep's portable Rng).
    Rng rng(7);
    Matrix<double> X(1000, 3);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        X(i, 0) = 1e9 + rng.normal();         // a huge offset: naive sums lose the noise
        X(i, 1) = 5.0 * rng.normal() - 2.0;
        X(i, 2) = rng.uniform() < 0.1 ? std::numeric_limits<double>::quiet_NaN() : rng.uniform();  // 10% missing
    }

    StandardScaler<> scaler;
    scaler.fit(X);
    std::printf("mean  = [%.17g, %.17g, %.17g]\n", scaler.mean()[0], scaler.mean()[1], scaler.mean()[2]);
    std::printf("scale = [%.17g, %.17g, %.17g]\n", scaler.scale()[0], scaler.scale()[1], scaler.scale()[2]);

    // Three shards, merged in another order: the very same fitted state.
    auto a = scaler.accumulator(), b = scaler.accumulator(), c = scaler.accumulator();
    a.update(X.topRows(400));
    b.update(X.middleRows(400, 350));
    c.update(X.bottomRows(250));
    c.merge(a);
    c.merge(b);
    StandardScaler<> sharded;
    sharded.fit(c);
    std::printf("fingerprint (whole)   %s\n", fingerprint(scaler).c_str());
    std::printf("fingerprint (sharded) %s\n", fingerprint(sharded).c_str());

    // Save, load, transform: identical bits.
    const std::string bytes = save_bytes(scaler);
    const auto loaded = load_bytes<StandardScaler<>>(bytes);
    const Matrix<double> Z1 = scaler.transform(X), Z2 = loaded.transform(X);
    const bool same = std::memcmp(Z1.data(), Z2.data(), sizeof(double) * static_cast<std::size_t>(Z1.size())) == 0;
    std::printf("artifact: %zu bytes; reloaded transform %s\n", bytes.size(), same ? "identical" : "DIFFERENT");
    std::printf("z[0] = [%.17g, %.17g, %.17g]\n", Z1(0, 0), Z1(0, 1), Z1(0, 2));
    return same && fingerprint(scaler) == fingerprint(sharded) ? 0 : 1;
}
