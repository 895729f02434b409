// A user-defined component in a pipeline, saved and loaded by kind name.
//
// Any type with this surface can be a step: params with `columns`, fit/transform over a
// Table, a single-row transform, feature names, and save_state/load_state with a stable
// kind name. register_component<T>() lets load_pipeline rebuild it.
#include <cmath>
#include <cstdio>
#include <reprep/reprep.hpp>

// Clips selected numeric columns to [0, +inf): a stateless step (fit only records the columns).
class ClipNegative {
public:
    using Scalar = double;
    struct Params {
        std::vector<std::string> columns = {};
    };
    static constexpr std::string_view kind_name() { return "example_clip_negative"; }
    static constexpr std::uint32_t schema_version = 1;

    ClipNegative() = default;
    explicit ClipNegative(Params p) : params_(std::move(p)) {}

    ClipNegative& fit(const reprep::Table& t) {
        for (const auto& c : params_.columns) (void)t.numeric(c);  // SchemaError if absent or not numeric
        fitted_ = true;
        return *this;
    }
    reprep::Table transform(const reprep::Table& t) const {
        reprep::Table out = t;
        for (const auto& c : params_.columns) {
            std::vector<double> v(t.numeric(c).begin(), t.numeric(c).end());
            for (double& x : v) x = clip(x);
            out.set_numeric(c, std::move(v));
        }
        return out;
    }
    void transform_row(std::span<const double> in, std::span<double> out) const {
        for (std::size_t k = 0; k < in.size(); ++k) out[k] = clip(in[k]);
    }
    bool is_fitted() const { return fitted_; }
    std::vector<std::string> feature_names_in() const { return params_.columns; }
    std::vector<std::string> feature_names_out() const { return params_.columns; }

    void save_state(reprep::ArchiveWriter& w) const {
        w.boolean(fitted_);
        w.strs(params_.columns);
    }
    static ClipNegative load_state(reprep::ArchiveReader& r, std::uint32_t) {
        ClipNegative c;
        c.fitted_ = r.boolean();
        c.params_.columns = r.strs();
        return c;
    }

private:
    static double clip(double x) { return x < 0.0 ? 0.0 : x; }  // NaN stays NaN
    Params params_;
    bool fitted_ = false;
};

int main() {
    using namespace reprep;
    reprep::register_component<ClipNegative>();
    Table t;
    t.add_numeric("x", {-2.0, 1.0, 3.0, std::nan("")}).add_numeric("y", {10.0, 20.0, 30.0, 40.0});
    auto pipe = Pipeline{}.add("clip", ClipNegative({.columns = {"x"}})).add("scale", StandardScaler<>({.columns = {"x", "y"}}));
    pipe.fit(t);
    const Pipeline loaded = load_pipeline_bytes(save_bytes(pipe));
    const Table out = loaded.transform(t);
    std::printf("steps: %s, %s\n", std::string(loaded.step_kind(0)).c_str(), std::string(loaded.step_kind(1)).c_str());
    std::printf("x scaled: %.17g %.17g %.17g %.17g\n", out.numeric("x")[0], out.numeric("x")[1], out.numeric("x")[2],
                out.numeric("x")[3]);
    std::printf("fingerprints %s\n", fingerprint(loaded) == fingerprint(pipe) ? "identical" : "DIFFERENT");
    return 0;
}
