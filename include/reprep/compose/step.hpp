// Type-erased pipeline steps and the registry of component kinds.
//
// A Pipeline holds its steps behind the small StepBase interface so that a serving
// binary can load (through the registry) and run a pipeline it never constructed.
// StepModel<C> adapts any reprep component C — numeric (NumericComponent) or
// categorical (CategoricalComponent) — to that interface. A user registers their own
// component kind with register_component<C>() (see examples/custom_component.cpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/chunk_source.hpp"
#include "../core/error.hpp"
#include "../core/parallel.hpp"
#include "../core/shard_combiner.hpp"
#include "../core/table.hpp"

namespace reprep {

// One value of a record for the single-row path: a number, a category, a missing
// category or a datetime. Strings are views: they must outlive the call that reads them.
// A datetime's int64 nanoseconds (kNaT = missing) travel in the 8 bytes of `number`, as
// a bit pattern, so that a Cell stays 40 bytes: build it with Cell::dt and read it with
// nanos(), never through `number`.
// An absent cell stands for a column the request does not carry at all (not a missing
// value): the plan fills it under the fill policy and refuses it otherwise
// (ServingPolicy, serving_policy.hpp), and a monitor counts it as absent.
struct Cell {
    ColumnType type = ColumnType::numeric;
    bool absent = false;  // in the padding after `type`: a Cell stays 40 bytes
    double number = 0.0;
    std::optional<std::string_view> text = {};

    static Cell num(double x) { return {.type = ColumnType::numeric, .number = x}; }
    static Cell cat(std::string_view s) { return {.type = ColumnType::categorical, .text = s}; }
    static Cell missing_cat() { return {.type = ColumnType::categorical}; }
    static Cell absent_column() { return {.absent = true}; }
    static Cell dt(std::int64_t nanos) { return {.type = ColumnType::datetime, .number = std::bit_cast<double>(nanos)}; }
    std::int64_t nanos() const { return std::bit_cast<std::int64_t>(number); }
};

namespace detail {
// How an error names what a cell holds: "a number", "a string", "a datetime".
inline const char* value_word(ColumnType t) {
    return t == ColumnType::numeric ? "a number" : t == ColumnType::categorical ? "a string" : "a datetime";
}
}  // namespace detail

namespace detail {

// Scratch buffers a step uses on the single-row path: sized once when a plan is
// compiled, reused for every row, so rows allocate nothing.
struct RowScratch {
    std::vector<double> num_in, num_out;
    std::vector<std::optional<std::string_view>> cat_in, cat_out;
    std::vector<std::int64_t> dt_in;
};

// A RowPlan's values between steps, one slot per column a step reads or writes, typed
// once at compile(): a numeric slot lives in num, a categorical one in text, a datetime
// one in num as the bits of its int64 nanoseconds (as in Cell). Plain doubles and views
// instead of 40-byte Cells, copied twice per step, with their types checked per step.
struct RowValues {
    double* num = nullptr;
    std::optional<std::string_view>* text = nullptr;
};

// The slots of one step: in[k] holds columns_in()[k], out[k] receives columns_out()[k].
// A run flag says the slots lie side by side (in[k] == in[0] + k): the step then reads
// or writes them in place, with no gather into its scratch.
struct SlotMap {
    std::span<const std::size_t> in, out;
    bool in_run = false, out_run = false;
};

class StepBase {
public:
    virtual ~StepBase() = default;
    virtual std::unique_ptr<StepBase> clone() const = 0;

    virtual std::string_view kind() const = 0;
    virtual std::uint32_t schema_version() const = 0;
    virtual void save_state(ArchiveWriter& w) const = 0;
    virtual std::string fingerprint() const = 0;

    virtual bool is_fitted() const = 0;
    virtual bool needs_target() const = 0;
    // opts: FitOptions for the kinds whose fit takes threads (numeric_component.hpp).
    virtual void fit(const Table& t, std::optional<std::span<const double>> y, const FitOptions& opts = {}) = 0;
    // Pipeline::fit feeds later steps with this: for target encoders it is the
    // cross-fitted (out-of-fold) encoding, for everything else fit then transform.
    virtual Table fit_transform(const Table& t, std::optional<std::span<const double>> y,
                                const FitOptions& opts = {}) = 0;
    // The fit of every row the source yields on every process of the combiner, by
    // gathering the rows into one Table: the way of last resort, for a kind whose type
    // the caller does not know (a user's kind outside the list Pipeline::fit(ChunkSource)
    // is given). Known kinds take fit_step_source (below) instead.
    virtual void fit_gathered(const ChunkSource& source, const ShardCombiner& combiner) = 0;
    // opts.n_jobs: the rows in blocks, one thread each, same bits (core/parallel.hpp).
    virtual Table transform(const Table& t, const TransformOptions& opts = {}) const = 0;

    // Steps whose transform(t) writes one block of doubles, columns_in() replaced by
    // columns_out() (NumericComponent in double; CategoricalComponent with numeric
    // outputs, such as OneHotEncoder): transform_block writes that block into `out`
    // (t.num_rows() x columns_out().size()), the bits of transform(t), so that
    // Pipeline::transform_into can reuse the buffer. `scratch` holds inputs that are not
    // one block of t, and a categorical step's slots. Only called after transform
    // accepted a table of t's columns.
    virtual bool writes_block() const { return false; }
    // The matrix kernel of a numeric block step over some rows, on the calling thread: the
    // bits of those rows in transform_block (Pipeline::transform_into's fused runs).
    // Only steps that read numbers (type_in() numeric) have one.
    virtual void transform_rows(const Eigen::Ref<const Matrix<double>>& /*X*/, Eigen::Ref<Matrix<double>> /*out*/) const {}
    virtual void transform_block(const Table& /*t*/, double* /*out*/, ReuseScratch& /*scratch*/,
                                 const TransformOptions& /*opts*/) const {}
    // Steps whose transform(t) replaces the categorical columns columns_in() by
    // categorical columns of the same names (CategoricalComponent with categorical
    // outputs: CategoricalImputer, RareLabelEncoder): transform_categories overwrites
    // out[k] with transform(t)'s column k, the same dictionary order and codes, reusing
    // its vectors. The same precondition as transform_block.
    virtual bool maps_categories() const { return false; }
    virtual void transform_categories(const Table& /*t*/, CategoricalColumn* const* /*out*/, ReuseScratch& /*scratch*/,
                                      const TransformOptions& /*opts*/) const {}

    // Schema of the step: the columns it reads (and their type) and the ones it writes.
    virtual std::vector<std::string> columns_in() const = 0;
    virtual ColumnType type_in() const = 0;
    virtual std::vector<std::string> columns_out() const = 0;
    virtual ColumnType type_out() const = 0;

    // Single-row path: `in` holds the cells of columns_in(), `out` receives the cells of
    // columns_out(). Allocates nothing once `s` is sized by prepare().
    virtual void prepare(RowScratch& s) const = 0;
    // True when columns_in() mixes numeric and categorical columns (type_in() is then
    // the type of the first one).
    virtual bool mixed_types() const { return false; }
    // Encoders with a fitted vocabulary: whether the value of input column k (columns_in()
    // order) is one the step learnt. The drift monitor counts the others per step, since
    // an encoder absorbs them silently (into "Rare", the target mean, a NaN, ...).
    virtual bool counts_unseen() const { return false; }
    virtual bool knows_category(std::size_t /*k*/, std::string_view /*v*/) const { return true; }
    virtual void transform_cells(std::span<const Cell> in, std::span<Cell> out, RowScratch& s) const = 0;

    // The type of each column of columns_in() and of columns_out(), as the single-row
    // path reads and writes them (a RowPlan types its slots with these at compile()).
    virtual std::vector<ColumnType> types_in() const = 0;
    virtual std::vector<ColumnType> types_out() const = 0;
    // transform_cells on typed slots, for a RowPlan that has proved at compile() that
    // every slot in m.in holds the type types_in() names: no type is checked here. The
    // same values, the same errors otherwise. Allocates nothing once `s` is prepared.
    virtual void transform_slots(RowValues v, const SlotMap& m, RowScratch& s) const = 0;
};

// A loader rebuilds a step from its payload.
using StepLoader = std::function<std::unique_ptr<StepBase>(ArchiveReader&, std::uint32_t)>;

struct Registry {
    std::mutex mutex;
    std::map<std::string, StepLoader, std::less<>> loaders;
};
inline Registry& registry() {
    static Registry r;
    return r;
}

template <class C>
concept NumericStep = requires(const C& c, std::span<const double> in, std::span<double> out) {
    typename C::Scalar;
    c.transform_row(in, out);
    { c.feature_names_in() };
};

template <class C>
concept CategoricalStep = requires(const C& c) {
    { C::numeric_output } -> std::convertible_to<bool>;
    { c.feature_names_in() };
};

// Components that read and write numeric and categorical columns side by side
// (RandomSampleImputer): column k is numeric or categorical as column_types()[k] says.
template <class C>
concept MixedStep = requires(const C& c, std::span<const double> n, std::span<const std::optional<std::string_view>> t,
                             std::span<double> no, std::span<std::optional<std::string_view>> to) {
    c.transform_row(n, t, no, to);
    { c.column_types() } -> std::convertible_to<std::vector<ColumnType>>;
};

// Components that read datetime columns and write numbers (datetime/): transform_row maps
// the nanoseconds of feature_names_in() to the n_new_features() new features. When they
// keep their inputs (drop_original = false), the inputs lead feature_names_out(), in
// feature_names_in() order, and the row path forwards their cells untouched.
template <class C>
concept DatetimeStep = requires(const C& c, std::span<const std::int64_t> in, std::span<double> out) {
    c.transform_row(in, out);
    { c.n_new_features() } -> std::convertible_to<std::size_t>;
};

// Feature selectors (select/): they read numeric and categorical columns side by side
// and forward the kept ones untouched, kept_index()[o] being the input of output o.
template <class C>
concept SelectorStep = MixedStep<C> && requires(const C& c) {
    { c.kept_index() } -> std::convertible_to<std::vector<std::size_t>>;
};

// Components whose Accumulator takes Table chunks, merges and round-trips through bytes
// (categorical components, selectors, RandomSampleImputer). Two requires-expressions,
// so that the second is not formed for a C without an Accumulator (clang 14 does not
// treat an invalid parameter type as unsatisfied).
template <class C>
concept TableAccumulated = requires { typename C::Accumulator; } &&
                           requires(const C& c, const typename C::Accumulator& a, typename C::Accumulator& m,
                                    const Table& t, ArchiveWriter& w, ArchiveReader& r, C& d) {
                               { c.accumulator() } -> std::same_as<typename C::Accumulator>;
                               m.update(t);
                               m.merge(a);
                               a.save(w);
                               { C::Accumulator::load(r) } -> std::same_as<typename C::Accumulator>;
                               d.fit(a);
                           };

// Kinds whose fitted state does not depend on the values: fit checks them (refusing
// NaN, say) and records the columns and what the parameters give, so fit on any
// non-empty chunk with the union's columns is fit on the union. A kind opts in with
//   static constexpr bool fit_learns_from_values = false;
// (Normalizer, Binarizer, the arbitrary capper and discretiser, the feature creators,
// the datetime kinds) and fit_step_source then reads its chunks once in bounded memory
// instead of gathering them.
template <class C>
concept FitIgnoresValues = requires { requires !C::fit_learns_from_values; };

template <class C>
class StepModel final : public StepBase {
public:
    explicit StepModel(C c) : c_(std::move(c)) {}

    const C& component() const { return c_; }
    C& component() { return c_; }

    std::unique_ptr<StepBase> clone() const override { return std::make_unique<StepModel>(c_); }
    std::string_view kind() const override { return C::kind_name(); }
    std::uint32_t schema_version() const override { return C::schema_version; }
    void save_state(ArchiveWriter& w) const override { c_.save_state(w); }
    std::string fingerprint() const override { return reprep::fingerprint(c_); }
    bool is_fitted() const override { return c_.is_fitted(); }

    bool needs_target() const override {
        if constexpr (requires { c_.needs_target(); }) return c_.needs_target();
        else return false;
    }

    void fit(const Table& t, std::optional<std::span<const double>> y, const FitOptions& opts = {}) override {
        if constexpr (requires { c_.fit(t, *y); }) {
            if (y) {
                c_.fit(t, *y);
                return;
            }
        }
        if constexpr (requires { c_.fit(t, opts); }) c_.fit(t, opts);
        else c_.fit(t);
    }

    void fit_gathered(const ChunkSource& source, const ShardCombiner& combiner) override {
        c_.fit(gather_rows(combiner, [&](auto&& visit) { source.for_each(visit); }));
    }

    Table fit_transform(const Table& t, std::optional<std::span<const double>> y, const FitOptions& opts = {}) override {
        if constexpr (requires { { c_.fit_transform(t, *y) } -> std::same_as<Table>; }) {
            if (y) return c_.fit_transform(t, *y);
        }
        fit(t, y, opts);
        return transform(t, TransformOptions{.n_jobs = opts.n_jobs});
    }

    Table transform(const Table& t, const TransformOptions& opts = {}) const override {
        if constexpr (requires { { c_.transform(t, opts) } -> std::same_as<Table>; }) {
            return c_.transform(t, opts);
        } else {
            // A kind without row blocks (RandomSampleImputer, TargetEncoder, a user's
            // own) runs on the calling thread; n_jobs is still checked, so a bad value
            // fails the same way for every pipeline.
            (void)detail::thread_count(opts.n_jobs, C::component_name);
            return c_.transform(t);
        }
    }

    bool writes_block() const override { return BlockKernel || CategoryBlock; }
    void transform_rows(const Eigen::Ref<const Matrix<double>>& X, Eigen::Ref<Matrix<double>> out) const override {
        if constexpr (BlockKernel) c_.transform_into(X, out);
    }
    void transform_block(const Table& t, double* out, ReuseScratch& scratch, const TransformOptions& opts) const override {
        if constexpr (BlockKernel) c_.transform_block(t, out, scratch.values, opts);
        else if constexpr (CategoryBlock) c_.transform_block(t, out, scratch, opts);
    }
    bool maps_categories() const override { return CategoryMap; }
    void transform_categories(const Table& t, CategoricalColumn* const* out, ReuseScratch& scratch,
                              const TransformOptions& opts) const override {
        if constexpr (CategoryMap) c_.transform_categories(t, out, scratch, opts);
    }

    std::vector<std::string> columns_in() const override { return c_.feature_names_in(); }
    std::vector<std::string> columns_out() const override { return c_.feature_names_out(); }
    ColumnType type_in() const override {
        if constexpr (MixedStep<C>) return c_.column_types().empty() ? ColumnType::numeric : c_.column_types()[0];
        else if constexpr (DatetimeStep<C>) return ColumnType::datetime;
        else return NumericStep<C> ? ColumnType::numeric : ColumnType::categorical;
    }
    ColumnType type_out() const override {
        if constexpr (SelectorStep<C>) {
            const auto& k = c_.kept_index();
            return k.empty() ? ColumnType::numeric : c_.column_types()[k[0]];
        } else if constexpr (MixedStep<C>) return type_in();
        else if constexpr (DatetimeStep<C>) return ColumnType::numeric;  // the new features; kept inputs stay datetime
        else if constexpr (NumericStep<C>) return ColumnType::numeric;
        else return C::numeric_output ? ColumnType::numeric : ColumnType::categorical;
    }
    bool mixed_types() const override { return MixedStep<C>; }
    bool counts_unseen() const override {
        return requires(const C& c, std::size_t k, std::string_view v) { c.knows_category(k, v); };
    }
    bool knows_category(std::size_t k, std::string_view v) const override {
        if constexpr (requires { c_.knows_category(k, v); }) return c_.knows_category(k, v);
        else return true;
    }

    void prepare(RowScratch& s) const override {
        const std::size_t n_in = c_.feature_names_in().size(), n_out = c_.feature_names_out().size();
        if constexpr (MixedStep<C>) {
            s.num_in.assign(n_in, 0.0);
            s.cat_in.assign(n_in, std::nullopt);
            s.num_out.assign(n_out, 0.0);
            s.cat_out.assign(n_out, std::nullopt);
            return;
        }
        if constexpr (DatetimeStep<C>) {
            s.dt_in.assign(n_in, 0);
            s.num_out.assign(c_.n_new_features(), 0.0);
            return;
        }
        if (type_in() == ColumnType::numeric) s.num_in.assign(n_in, 0.0);
        else s.cat_in.assign(n_in, std::nullopt);
        if (type_out() == ColumnType::numeric) s.num_out.assign(n_out, 0.0);
        else s.cat_out.assign(n_out, std::nullopt);
    }

    void transform_cells(std::span<const Cell> in, std::span<Cell> out, RowScratch& s) const override {
        if constexpr (SelectorStep<C>) {
            // A selector only forwards: check each input's type, copy the kept cells.
            const auto& types = c_.column_types();
            for (std::size_t k = 0; k < in.size(); ++k) (void)expect(in[k], types[k], k);
            const auto& kept = c_.kept_index();
            for (std::size_t o = 0; o < out.size(); ++o) out[o] = in[kept[o]];
        } else if constexpr (DatetimeStep<C>) {
            for (std::size_t k = 0; k < in.size(); ++k) s.dt_in[k] = expect(in[k], ColumnType::datetime, k).nanos();
            c_.transform_row(std::span<const std::int64_t>(s.dt_in), std::span<double>(s.num_out));
            const std::size_t kept = out.size() - s.num_out.size();
            for (std::size_t k = 0; k < kept; ++k) out[k] = in[k];
            for (std::size_t k = 0; k < s.num_out.size(); ++k) out[kept + k] = Cell::num(s.num_out[k]);
        } else if constexpr (MixedStep<C>) {
            const auto& types = c_.column_types();
            for (std::size_t k = 0; k < in.size(); ++k) {
                const Cell& c = expect(in[k], types[k], k);
                s.num_in[k] = c.number;
                s.cat_in[k] = c.text;
            }
            c_.transform_row(std::span<const double>(s.num_in), std::span<const std::optional<std::string_view>>(s.cat_in),
                             std::span<double>(s.num_out), std::span<std::optional<std::string_view>>(s.cat_out));
            for (std::size_t k = 0; k < out.size(); ++k)
                out[k] = types[k] == ColumnType::numeric ? Cell::num(s.num_out[k])
                                                         : (s.cat_out[k] ? Cell::cat(*s.cat_out[k]) : Cell::missing_cat());
        } else if constexpr (NumericStep<C>) {
            for (std::size_t k = 0; k < in.size(); ++k) s.num_in[k] = expect(in[k], ColumnType::numeric, k).number;
            c_.transform_row(std::span<const double>(s.num_in), std::span<double>(s.num_out));
            for (std::size_t k = 0; k < out.size(); ++k) out[k] = Cell::num(s.num_out[k]);
        } else {
            for (std::size_t k = 0; k < in.size(); ++k) s.cat_in[k] = expect(in[k], ColumnType::categorical, k).text;
            const std::span<const std::optional<std::string_view>> rec(s.cat_in);
            if constexpr (C::numeric_output) {
                c_.transform_row(rec, std::span<double>(s.num_out));
                for (std::size_t k = 0; k < out.size(); ++k) out[k] = Cell::num(s.num_out[k]);
            } else {
                c_.transform_row(rec, std::span<std::optional<std::string_view>>(s.cat_out));
                for (std::size_t k = 0; k < out.size(); ++k)
                    out[k] = s.cat_out[k] ? Cell::cat(*s.cat_out[k]) : Cell::missing_cat();
            }
        }
    }

    std::vector<ColumnType> types_in() const override {
        if constexpr (MixedStep<C>) return c_.column_types();
        else return std::vector<ColumnType>(c_.feature_names_in().size(), type_in());
    }
    std::vector<ColumnType> types_out() const override {
        const std::size_t n_out = c_.feature_names_out().size();
        if constexpr (SelectorStep<C>) {
            std::vector<ColumnType> t;
            for (const std::size_t k : c_.kept_index()) t.push_back(c_.column_types()[k]);
            return t;
        } else if constexpr (MixedStep<C>) {
            // What transform_cells writes: numbers for numeric columns, strings otherwise.
            auto t = c_.column_types();
            for (auto& x : t) x = x == ColumnType::numeric ? ColumnType::numeric : ColumnType::categorical;
            return t;
        } else if constexpr (DatetimeStep<C>) {
            // Kept inputs first, still datetimes, then the new numeric features.
            std::vector<ColumnType> t(n_out, ColumnType::numeric);
            std::fill(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(n_out - c_.n_new_features()), ColumnType::datetime);
            return t;
        } else {
            return std::vector<ColumnType>(n_out, type_out());
        }
    }

    void transform_slots(RowValues v, const SlotMap& m, RowScratch& s) const override {
        const std::size_t n_in = m.in.size(), n_out = m.out.size();
        // Where a step reads its numbers or strings from, and writes them to: the slots
        // themselves when they lie side by side, the scratch otherwise.
        auto num_src = [&]() -> std::span<const double> {
            if (m.in_run) return {v.num + m.in[0], n_in};
            for (std::size_t k = 0; k < n_in; ++k) s.num_in[k] = v.num[m.in[k]];
            return s.num_in;
        };
        auto text_src = [&]() -> std::span<const std::optional<std::string_view>> {
            if (m.in_run) return {v.text + m.in[0], n_in};
            for (std::size_t k = 0; k < n_in; ++k) s.cat_in[k] = v.text[m.in[k]];
            return s.cat_in;
        };
        auto num_dst = [&]() -> std::span<double> { return m.out_run ? std::span<double>(v.num + m.out[0], n_out) : std::span<double>(s.num_out); };
        auto num_back = [&] {
            if (!m.out_run)
                for (std::size_t k = 0; k < n_out; ++k) v.num[m.out[k]] = s.num_out[k];
        };
        if constexpr (SelectorStep<C>) {
            const auto& types = c_.column_types();
            const auto& kept = c_.kept_index();
            for (std::size_t o = 0; o < n_out; ++o) {
                const std::size_t from = m.in[kept[o]];
                if (types[kept[o]] == ColumnType::categorical) v.text[m.out[o]] = v.text[from];
                else v.num[m.out[o]] = v.num[from];
            }
        } else if constexpr (DatetimeStep<C>) {
            for (std::size_t k = 0; k < n_in; ++k) s.dt_in[k] = std::bit_cast<std::int64_t>(v.num[m.in[k]]);
            c_.transform_row(std::span<const std::int64_t>(s.dt_in), std::span<double>(s.num_out));
            const std::size_t kept = n_out - s.num_out.size();
            for (std::size_t k = 0; k < kept; ++k) v.num[m.out[k]] = v.num[m.in[k]];
            for (std::size_t k = 0; k < s.num_out.size(); ++k) v.num[m.out[kept + k]] = s.num_out[k];
        } else if constexpr (MixedStep<C>) {
            const auto& types = c_.column_types();
            // As transform_cells passes them: a numeric column's text is empty, a
            // categorical column's number 0.
            for (std::size_t k = 0; k < n_in; ++k) {
                const bool cat = types[k] == ColumnType::categorical;
                s.num_in[k] = cat ? 0.0 : v.num[m.in[k]];
                s.cat_in[k] = cat ? v.text[m.in[k]] : std::nullopt;
            }
            c_.transform_row(std::span<const double>(s.num_in), std::span<const std::optional<std::string_view>>(s.cat_in),
                             std::span<double>(s.num_out), std::span<std::optional<std::string_view>>(s.cat_out));
            for (std::size_t k = 0; k < n_out; ++k) {
                if (types[k] == ColumnType::numeric) v.num[m.out[k]] = s.num_out[k];
                else v.text[m.out[k]] = s.cat_out[k];
            }
        } else if constexpr (NumericStep<C>) {
            c_.transform_row(num_src(), num_dst());
            num_back();
        } else if constexpr (C::numeric_output) {
            c_.transform_row(text_src(), num_dst());
            num_back();
        } else {
            if (m.out_run) {
                c_.transform_row(text_src(), std::span<std::optional<std::string_view>>(v.text + m.out[0], n_out));
            } else {
                c_.transform_row(text_src(), std::span<std::optional<std::string_view>>(s.cat_out));
                for (std::size_t k = 0; k < n_out; ++k) v.text[m.out[k]] = s.cat_out[k];
            }
        }
    }

private:
    // A NumericComponent in double: its transform(Table) is the base's, one block.
    static constexpr bool BlockKernel =
        requires(const C& c, const Table& t, double* o, std::vector<double>& m, const TransformOptions& op) {
            c.transform_block(t, o, m, op);
        };
    // A CategoricalComponent whose transform(Table) is the base's: numeric outputs in one
    // block (CategoryBlock), or categorical ones replacing their inputs (CategoryMap).
    static constexpr bool CategoryBlock = [] {
        if constexpr (CategoricalStep<C>) {
            if constexpr (C::numeric_output)
                return requires(const C& c, const Table& t, double* o, ReuseScratch& m, const TransformOptions& op) {
                    c.transform_block(t, o, m, op);
                };
        }
        return false;
    }();
    static constexpr bool CategoryMap = [] {
        if constexpr (CategoricalStep<C>) {
            if constexpr (!C::numeric_output)
                return requires(const C& c, const Table& t, CategoricalColumn* const* o, ReuseScratch& m,
                                const TransformOptions& op) { c.transform_categories(t, o, m, op); };
        }
        return false;
    }();

    const Cell& expect(const Cell& c, ColumnType t, std::size_t k) const {
        if (c.type != t)
            // The component's own name, as its other errors give it ("OneHotEncoder");
            // the pipeline prefixes the step's name and kind.
            detail::fail<SchemaError>({.component = std::string(C::component_name),
                               .problem = std::string(detail::value_word(c.type)) + " was given where " +
                                          detail::value_word(t) + " belongs",
                               .fix = "pass the column with the type it had in fit",
                               .column = c_.feature_names_in()[k]});
        return c;
    }

    C c_;
};

// What a process hands on in fit_checked_chunks: the rows it read, the state fit gave
// on its chunks (empty when it read no row), and one row to fit on, or, when it read
// none, its first chunk with no row (no column when it read no chunk), which fit then
// refuses as fit(Table) refuses the empty union the gather route would build.
struct CheckedChunks {
    std::uint64_t rows = 0;
    std::string state;
    Table sample;

    std::string bytes() const {
        ArchiveWriter w;
        w.u64(rows);
        w.str(state);
        write_table(w, sample);
        return std::move(w).bytes();
    }
    static CheckedChunks load(std::string_view b) {
        ArchiveReader r(b, "checked chunks");
        CheckedChunks c;
        c.rows = r.u64();
        c.state = r.str();
        c.sample = read_table(r);
        r.expect_end();
        return c;
    }
};

// fit_step_source's way for a FitIgnoresValues kind: one read of the source, each chunk
// fitted by a scratch copy of c, so that it meets fit(Table)'s own checks (an error's
// row moved by the rows before the chunk, as the other chunk routes name it); a later
// chunk is read with the first chunk's columns, as the gathered union would be. The
// processes' passes merge through the combiner (a process with no row gives way; two
// that fitted other states are refused), and c is fitted on the one row kept: the
// state fit gives on the union. Memory: one chunk.
template <class C>
void fit_checked_chunks(C& c, const ChunkSource& source, const ShardCombiner& combiner) {
    auto state_of = [](const C& fitted) {
        ArchiveWriter w;
        fitted.save_state(w);
        return std::move(w).bytes();
    };
    const std::string all = combiner.combine(
        [&] {
            CheckedChunks mine;
            C scratch = c;
            bool first = true;
            std::vector<std::string> names;
            source.for_each([&](const Table& chunk) {
                if (first) {
                    names = chunk.column_names();
                    mine.sample = chunk.rows(std::span<const std::size_t>{});
                    first = false;
                }
                if (chunk.num_rows() == 0) return;
                const Table t = chunk.column_names() == names ? chunk : chunk.select(names);
                try {
                    scratch.fit(t);
                } catch (const Error& e) {
                    ErrorContext ctx = e.context();
                    if (ctx.row) ctx.row = *ctx.row + mine.rows;
                    e.rethrow_with(std::move(ctx));
                }
                std::string state = state_of(scratch);
                if (mine.rows == 0) {
                    mine.state = std::move(state);
                    const std::size_t row0 = 0;
                    mine.sample = t.rows(std::span<const std::size_t>(&row0, 1));
                } else if (state != mine.state) {
                    // Only a kind that opted in wrongly gets here: its state moved with the values.
                    fail<Error>({.component = std::string(C::component_name),
                                 .problem = "fit gave another state on the chunk at row " + std::to_string(mine.rows) +
                                            " than on the first, though the kind says it learns nothing from the values",
                                 .fix = "report this to reprep: the kind must not declare fit_learns_from_values = false"});
                }
                mine.rows += t.num_rows();
            });
            return mine.bytes();
        },
        [](std::string_view x, std::string_view y) {
            CheckedChunks a = CheckedChunks::load(x);
            const CheckedChunks b = CheckedChunks::load(y);
            if (b.rows == 0) return std::string(a.rows == 0 && a.sample.num_columns() == 0 ? y : x);
            if (a.rows == 0) return std::string(y);
            if (a.state != b.state)
                fail<InvalidInput>({.component = std::string(C::component_name),
                                    .problem = "two processes' chunks fit other states (their columns differ)",
                                    .fix = "give every process chunks with the same columns"});
            a.rows += b.rows;
            return a.bytes();
        });
    c.fit(CheckedChunks::load(all).sample);
}

// The fit of step C from every row the source yields on every process of the combiner,
// the best way C has: its own fit(source, combiner) (numeric components with an
// accumulator: bounded memory, multi-pass where ranks are needed); one pass of a Table
// accumulator (categorical components, selectors, RandomSampleImputer), its bytes
// combined; for a kind whose fit learns nothing from the values (FitIgnoresValues), one
// read with every chunk checked (fit_checked_chunks); otherwise every row gathered
// (fit_gathered). A free template, not a virtual
// of StepModel, so that only the units that fit from chunks instantiate it (a virtual
// would be compiled for every kind in every unit that builds a pipeline).
template <class C>
void fit_step_source(StepModel<C>& step, const ChunkSource& source, const ShardCombiner& combiner) {
    C& c = step.component();
    if constexpr (requires { c.fit(source, combiner); }) {
        c.fit(source, combiner);
    } else if constexpr (TableAccumulated<C>) {
        using Acc = typename C::Accumulator;
        c.fit(combine_accumulators<Acc>(combiner, [&] {
            Acc acc = c.accumulator();
            source.for_each([&](const Table& t) { acc.update(t); });
            return acc;
        }));
    } else if constexpr (FitIgnoresValues<C>) {
        fit_checked_chunks(c, source, combiner);
    } else {
        step.fit_gathered(source, combiner);
    }
}

}  // namespace detail

namespace detail {
// The loader of kind C: a class of its own per C, so that the registry can tell which
// type a kind name was registered with (std::function::target).
template <class C>
struct LoaderOf {
    std::unique_ptr<StepBase> operator()(ArchiveReader& rd, std::uint32_t v) const {
        return std::make_unique<StepModel<C>>(C::load_state(rd, v));
    }
};
}  // namespace detail

// Registers component kind C so that load_pipeline can rebuild it. Idempotent;
// registering another type under a kind name already taken throws InvalidParameter
// (a pipeline artifact names kinds, not types, so one name must mean one loader).
template <class C>
void register_component() {
    auto& r = detail::registry();
    std::lock_guard lock(r.mutex);
    const auto [it, inserted] = r.loaders.try_emplace(std::string(C::kind_name()), detail::LoaderOf<C>{});
    if (!inserted && it->second.template target<detail::LoaderOf<C>>() == nullptr)
        detail::fail<InvalidParameter>(
            {.component = "register_component",
             .problem = "kind '" + it->first + "' is already registered by another component type",
             .fix = "give the component a kind_name() of its own (a built-in kind name, or one a user component "
                    "already took, cannot be reused)"});
}

inline bool is_registered(std::string_view kind) {
    auto& r = detail::registry();
    std::lock_guard lock(r.mutex);
    return r.loaders.find(kind) != r.loaders.end();
}

}  // namespace reprep
