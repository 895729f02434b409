// Your own component, built on reprep's numeric base (docs/extending.md walks through it).
//
// MeanCentre subtracts each column's training mean: y = x - mean. By deriving from
// reprep::detail::NumericComponent it writes only its statistic and its formula; the
// base supplies the rest: fit/transform on Eigen matrices and on a Table (with column
// selection), the single-row path, the FP-environment check, NaN/Inf checks that name
// the column and the row, the width check, and fitting on a copy so that a failed fit
// leaves the fitted state as it was. register_component lets load_pipeline rebuild it.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <reprep/reprep.hpp>
#include <span>
#include <string>
#include <vector>

class MeanCentre : public reprep::detail::NumericComponent<MeanCentre, double> {
    using Base = reprep::detail::NumericComponent<MeanCentre, double>;
    friend Base;  // the base calls the private fit_matrix/transform_kernel below

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to centre (empty = all numeric)
    };

    // What the base and the artifact code read. The kind name is stored in artifacts:
    // never change it once artifacts exist; bump schema_version when the payload changes.
    static constexpr const char* component_name = "MeanCentre";  // starts every error message
    static constexpr std::string_view kind_name() { return "example_mean_centre"; }
    static constexpr std::uint32_t schema_version = 1;
    // NaN is missing: skipped by the mean, passed through by transform. Inf is refused.
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    MeanCentre() = default;
    explicit MeanCentre(Params p) : params_(std::move(p)) {}
    const Params& params() const { return params_; }  // the base reads params().columns

    const std::vector<double>& mean() const { this->require_fitted(); return mean_; }  // NotFitted before fit
    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(mean_.size()); }

    // Params and state, field by field; save_base first (fitted flag, column names).
    // The same bytes feed save(), load_pipeline() and fingerprint().
    void save_state(reprep::ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.f64s(mean_);
    }
    static MeanCentre load_state(reprep::ArchiveReader& r, std::uint32_t /*schema_version*/) {
        MeanCentre c;
        c.load_base(r);
        c.params_.columns = r.strs();
        c.mean_ = r.f64s();
        // A hostile artifact gets a FormatError here, never a transform that reads past the end.
        if (c.mean_.size() != (c.is_fitted() ? c.feature_names_in().size() : 0))
            r.fail("MeanCentre: one mean per fitted column expected");
        return c;
    }

private:
    // X is already checked (non-empty, no Inf). The mean comes from ColumnMoments, whose
    // sums are exact: the same bits for any row order, chunking or thread count.
    // A plain loop would not: its rounding depends on the order of the rows.
    void fit_matrix(const reprep::detail::MatrixRef<double>& X) {
        reprep::ColumnMoments<double> m(X.cols());
        m.update(X);
        mean_.resize(static_cast<std::size_t>(X.cols()));
        for (Eigen::Index j = 0; j < X.cols(); ++j) mean_[static_cast<std::size_t>(j)] = m.mean(j);
    }

    // One formula for the batch and the single-row path (the base runs both through
    // here), so a served row gets the bits of the same row in a batch.
    void transform_kernel(const reprep::detail::MatrixRef<double>& X, reprep::detail::OutRef<double> out) const {
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i) out(i, j) = X(i, j) - mean_[static_cast<std::size_t>(j)];
    }

    Params params_;
    std::vector<double> mean_;
};

int main() {
    using reprep::Matrix;
    const double nan = std::numeric_limits<double>::quiet_NaN();

    // 1. Order independence. The exact mean of {1e16, 1, -1e16, 1} is 0.5; a naive sum
    //    gives 1 in this order and 0 in reverse order.
    Matrix<double> X(4, 1), R(4, 1);
    X << 1e16, 1.0, -1e16, 1.0;
    R = X.colwise().reverse();
    MeanCentre a, b;
    a.fit(X);
    b.fit(R);
    std::printf("mean: %.17g, reversed rows: %.17g, fingerprints %s\n", a.mean()[0], b.mean()[0],
                reprep::fingerprint(a) == reprep::fingerprint(b) ? "identical" : "DIFFERENT");

    // 2. Checks the base does for free. Each error names the component, column and row.
    const std::string before = reprep::fingerprint(a);
    Matrix<double> bad(2, 1), wide(1, 2);
    bad << 2.0, std::numeric_limits<double>::infinity();
    wide << 1.0, 2.0;
    try { a.fit(bad); } catch (const reprep::InvalidInput& e) { std::printf("fit: %s\n", e.what()); }
    std::printf("state after the failed fit: %s\n", reprep::fingerprint(a) == before ? "unchanged" : "CHANGED");
    try { (void)a.transform(wide); } catch (const reprep::SchemaError& e) { std::printf("transform: %s\n", e.what()); }
    try { (void)MeanCentre().transform(X); } catch (const reprep::NotFitted& e) { std::printf("transform: %s\n", e.what()); }

    // 3. In a pipeline, saved and loaded by kind name: the serving binary registers the
    //    kind before load_pipeline (built-in kinds are registered already).
    reprep::register_component<MeanCentre>();
    reprep::Table t;
    t.add_numeric("x", {1.0, 2.0, 4.0, nan}).add_numeric("y", {10.0, 20.0, 30.0, 40.0});
    auto pipe = reprep::Pipeline{}
                    .add("centre", MeanCentre({.columns = {"x"}}))
                    .add("scale", reprep::StandardScaler<>({.columns = {"x", "y"}}));
    pipe.fit(t);
    const reprep::Pipeline served = reprep::load_pipeline_bytes(reprep::save_bytes(pipe));
    const reprep::Table out = served.transform(t);
    std::printf("steps: %s, %s\n", std::string(served.step_kind(0)).c_str(), std::string(served.step_kind(1)).c_str());
    std::printf("x out: %.17g %.17g %.17g %.17g\n", out.numeric("x")[0], out.numeric("x")[1], out.numeric("x")[2],
                out.numeric("x")[3]);

    // The single-row path (no allocation per row) gives the batch's bits for row 1.
    auto plan = served.compile();
    const std::vector<reprep::Cell> record = {reprep::Cell::num(2.0), reprep::Cell::num(20.0)};
    std::vector<double> row(plan.n_outputs());
    plan.run(record, std::span<double>(row));
    const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
    const bool same = bits(row[0]) == bits(out.numeric("x")[1]) && bits(row[1]) == bits(out.numeric("y")[1]);
    std::printf("row 1 alone: %s\n", same ? "same bits as the batch" : "DIFFERENT");
    std::printf("fingerprints %s\n", reprep::fingerprint(served) == reprep::fingerprint(pipe) ? "identical" : "DIFFERENT");
    return 0;
}
