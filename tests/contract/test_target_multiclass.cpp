// Multiclass TargetEncoder beyond the contract suite (test_target_encoders.cpp runs it
// on two multiclass instances): the accumulator's class counts, their bytes, and kinds
// of accumulator that do not mix; fit_transform's widened output.
#include "categorical_contract.hpp"

#include <reprep/encode/target_encoder.hpp>

using namespace reprep;

namespace {

Table train_data() { return contract::categorical_data(401, 31); }

// Four classes, labels -2, 0, 5, 11, from the row's color and x (as the contract's cases).
std::vector<double> class_target(const Table& t) {
    static const double labels[] = {-2.0, 0.0, 5.0, 11.0};
    std::vector<double> y(t.num_rows());
    const auto x = t.numeric("x");
    for (std::size_t i = 0; i < y.size(); ++i) {
        const auto c = t.category("color", i);
        const int digit = c ? (*c)[1] - '0' : 3;
        y[i] = labels[(digit + (x[i] > 0 ? 1 : 0)) % 4];
    }
    return y;
}

}  // namespace

TEST_CASE("TargetEncoder multiclass: class counts in the accumulator, its bytes, and kinds that do not mix") {
    const Table t = train_data();
    const auto y = class_target(t);
    TargetEncoder m({.target_type = TargetType::multiclass});
    auto acc = m.accumulator();
    CHECK(acc.by_class());
    acc.update(t, y);
    // Its bytes round-trip and merge like the object that wrote them.
    ArchiveWriter w;
    acc.save(w);
    const std::string bytes = std::move(w).bytes();
    ArchiveReader r(bytes, "accumulator");
    const auto back = detail::CategoryAccumulator::load(r);
    CHECK(back == acc);
    TargetEncoder a({.target_type = TargetType::multiclass}), b({.target_type = TargetType::multiclass});
    a.fit(back);
    b.fit(t, y);
    CHECK(fingerprint(a) == fingerprint(b));
    // A binary/continuous accumulator holds no class counts, and the reverse: neither
    // merges into the other, nor fits the other kind (InvalidInput, state untouched).
    TargetEncoder c;
    auto plain = c.accumulator();
    CHECK_FALSE(plain.by_class());
    plain.update(t, y);
    CHECK_THROWS_AS(plain.merge(acc), InvalidInput);
    CHECK_THROWS_AS(acc.merge(plain), InvalidInput);
    CHECK_THROWS_AS(a.fit(plain), InvalidInput);
    CHECK(fingerprint(a) == fingerprint(b));
    CHECK_THROWS_AS(c.fit(acc), InvalidInput);
    CHECK_FALSE(c.is_fitted());
    // A binary/continuous accumulator's bytes are those of before class counts: the target
    // flag is still a boolean 1.
    ArchiveWriter pw;
    plain.save(pw);
    const std::string plain_bytes = std::move(pw).bytes();
    ArchiveReader pr(plain_bytes, "accumulator");
    (void)pr.str();
    (void)pr.strs();
    CHECK(pr.u8() == 1);
}

TEST_CASE("TargetEncoder multiclass: fit_transform leaves the full-data fit, its outputs replace the column") {
    const Table t = train_data();
    const auto y = class_target(t);
    TargetEncoder a({.columns = {"color"}, .target_type = TargetType::multiclass, .seed = 3});
    TargetEncoder b({.columns = {"color"}, .target_type = TargetType::multiclass, .seed = 3});
    const Table oof = a.fit_transform(t, y);
    b.fit(t, y);
    CHECK(fingerprint(a) == fingerprint(b));
    const Table full = b.transform(t);
    CHECK(oof.column_names() == full.column_names());
    CHECK_FALSE(oof.has_column("color"));
    bool any_differs = false;
    for (const auto& name : b.feature_names_out())
        for (std::size_t i = 0; i < t.num_rows(); ++i) any_differs |= oof.numeric(name)[i] != full.numeric(name)[i];
    CHECK(any_differs);
}
