// reprep::Pipeline — an ordered list of named steps over a Table.
//
//   auto pipe = reprep::Pipeline{}
//       .add("impute", reprep::SimpleImputer<>({...}))
//       .add("onehot", reprep::OneHotEncoder({...}))
//       .add("scale",  reprep::StandardScaler<>());
//   pipe.fit(train);                          // or fit(train, y) with target encoders
//   reprep::Table out = pipe.transform(request);
//   reprep::save(pipe, "model.rpp");  auto served = reprep::load_pipeline("model.rpp");
//
// fit(X, y) runs fit_transform on every step but the last (scikit-learn's Pipeline),
// so a target encoder feeds later steps its cross-fitted, out-of-fold encoding.
//
// The artifact records the input schema (every column the pipeline reads from its
// input, with its type), checked on every transform; lineage (an order-independent
// fingerprint of the training rows, their count, a seed) and user metadata. The
// fingerprint covers the steps' names, kinds, params and state and the input schema;
// lineage and metadata are excluded, so the same fitted state has one fingerprint.
//
// Columns no step reads pass through transform(Table) untouched; they are not part of
// the input schema, of feature_names_out() or of the single-row record
// (output_columns(X) names everything transform(X) returns, pass-through included).
// set_serving_policy (serving_policy.hpp) can fill absent columns instead of refusing
// them, and drop or refuse extra ones; the policy is inside the fingerprint.
//
// Serving: transform(table) for batches; compile() returns a RowPlan (row_plan.hpp)
// that maps one record into a caller buffer with no heap allocation per row (one plan
// per thread). transform and compile are const and safe to call from many threads at
// once. load_pipeline checks the floating-point environment before reading anything,
// so a service built or run in a non-reproducible environment fails at start-up.
#pragma once

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/chunk_source.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/hash.hpp"
#include "../core/shard_combiner.hpp"
#include "../core/table.hpp"
#include "monitor.hpp"
#include "profile.hpp"
#include "row_plan.hpp"
#include "serving_policy.hpp"
#include "step.hpp"

namespace reprep {

namespace detail {
// Every reprep component kind, registered for loading (defined in registry.hpp).
struct BuiltinKinds;
// Their list, for Pipeline::fit(ChunkSource) (defined in builtin_kinds.hpp).
struct BuiltinKindList;
}  // namespace detail

// Where the fitted state came from (excluded from the fingerprint).
struct Lineage {
    Hash128 data_fingerprint;  // order-independent: the same multiset of rows, the same value
    std::uint64_t rows = 0;
    std::uint64_t seed = 0;
};

class Pipeline {
public:
    static constexpr std::string_view kind_name() { return "pipeline"; }
    static constexpr std::uint32_t schema_version = 1;

    // Copies share the fitted steps: a step is never modified once it is in a pipeline
    // (fit works on clones and swaps them in), so sharing is safe and copies are cheap.
    Pipeline() = default;

    // Appends a step. Names must be unique and non-empty.
    template <class C>
    Pipeline&& add(std::string name, C component) && {
        add_step(std::move(name), std::make_unique<detail::StepModel<C>>(std::move(component)));
        return std::move(*this);
    }
    template <class C>
    Pipeline& add(std::string name, C component) & {
        add_step(std::move(name), std::make_unique<detail::StepModel<C>>(std::move(component)));
        return *this;
    }

    Pipeline& fit(const Table& X) { return fit_impl(X, std::nullopt, nullptr); }
    Pipeline& fit(const Table& X, std::span<const double> y) { return fit_impl(X, y, nullptr); }
    // opts.n_jobs > 1: each step whose statistics merge exactly fits on that many threads
    // (FitOptions, core/parallel.hpp), and the steps' transforms between fits run on them
    // too; the fitted pipeline is the same bytes for any count.
    Pipeline& fit(const Table& X, const FitOptions& opts) { return fit_impl(X, std::nullopt, nullptr, opts); }
    Pipeline& fit(const Table& X, std::span<const double> y, const FitOptions& opts) {
        return fit_impl(X, y, nullptr, opts);
    }
    Table fit_transform(const Table& X) {
        Table out;
        fit_impl(X, std::nullopt, &out);
        return out;
    }
    Table fit_transform(const Table& X, std::span<const double> y) {
        Table out;
        fit_impl(X, y, &out);
        return out;
    }

    // The fit of every row a re-readable source yields, step by step: step k's passes
    // read the chunks through the steps fitted before it. The fitted state, and so the
    // fingerprint, equals fit(X) on the rows concatenated, and so does the training
    // profile (read in a few more passes). No target (a step that needs one is refused);
    // lineage().rows is the row count, its data fingerprint is left empty (it needs
    // every row's hash at once; docs/distributed.md, "Pipelines").
    // A template on the list of kinds whose own chunk fit it may use (the built-in ones;
    // a user's kind outside it fits from its rows gathered), so that only the units that
    // call it compile those fits; the list is reprep/compose/builtin_kinds.hpp's.
    template <class Kinds = detail::BuiltinKindList>
    Pipeline& fit(const ChunkSource& source) { return fit_source<Kinds>(source, LocalCombiner{}); }
    // The same where each process reads its own source and `combiner` merges their
    // states (reprep::mpi::fit in reprep/distributed/mpi.hpp): every process ends with
    // the fit of the union of the sources' rows.
    template <class Kinds = detail::BuiltinKindList>
    Pipeline& fit(const ChunkSource& source, const ShardCombiner& combiner) { return fit_source<Kinds>(source, combiner); }

    // Checks the input schema (naming every missing or mistyped column at once), applies
    // the serving policy (fills absent columns, drops extra ones), then runs every step.
    // Columns the pipeline does not read pass through unchanged under the default policy.
    // opts.n_jobs > 1 runs each step's rows in blocks on that many threads, with the
    // same output bits as one thread (core/parallel.hpp).
    Table transform(const Table& X, const TransformOptions& opts = {}) const {
        require_fitted();
        Table t = detail::conform(X, detail::conformance(X, schema_, policy_), schema_, fills());
        for (std::size_t i = 0; i < steps_.size(); ++i) t = run_step(i, [&] { return steps_[i]->transform(t, opts); });
        return t;
    }

    // transform(X), written over `out`, reusing the buffers of the last call: the batch
    // path of a serving loop that allocates nothing and takes no fresh memory per batch
    // (compose/pipeline_into.hpp, docs/pipeline.md "Batches into reused buffers"). `ws`
    // keeps each step's result between calls; pass the same workspace and the same `out`
    // every time. The first call, or one after the pipeline, the input's columns or their
    // types changed, runs transform(X) and keeps its buffers; later calls rewrite them in
    // place, except a buffer that something else (a copy of `out`, say) still refers to.
    // The bits are transform(X, opts)'s. On an error `out` is left empty.
    class Workspace;
    void transform_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts = {}) const;

    // The single-row path. The plan shares the fitted steps and copies the names it
    // needs, so it stays valid after this pipeline is moved, refitted or destroyed.
    RowPlan compile() const {
        require_fitted();
        return RowPlan(schema_, names_, steps_, fills_);  // fills_ is set only under MissingColumns::fill
    }

    // The features the pipeline computes: the columns the last step leaves, starting from
    // input_schema() (the single-row record); what plan.output_names() holds and a model
    // reads. Columns of the input that no step reads are not in it, though transform(X)
    // keeps them: output_columns(X) names those too.
    std::vector<std::string> feature_names_out() const;
    // Every column transform(X) returns, in its order: X's columns as the steps rewrite
    // them, pass-through columns included. SchemaError as transform(X) if X does not match
    // input_schema(). The second form takes the input's column names (types unchecked).
    std::vector<std::string> output_columns(const Table& X) const {
        require_fitted();
        const auto c = detail::conformance(X, schema_, policy_);
        std::vector<std::string> names;
        for (const auto& n : X.column_names())
            if (std::find(c.drop.begin(), c.drop.end(), n) == c.drop.end()) names.push_back(n);
        for (const std::size_t j : c.fill) names.push_back(schema_[j].name);
        return output_columns(std::move(names));
    }
    std::vector<std::string> output_columns(std::vector<std::string> input_columns) const;

    // Marks a pipeline of steps fitted elsewhere (each added already fitted, e.g. by a
    // component's from_state from scikit-learn's fitted parameters) as fitted, so that it
    // transforms, saves and serves. The input schema comes from the steps; there was no
    // training data here, so the artifact has no training profile and an empty lineage.
    Pipeline& assume_fitted();

    bool is_fitted() const { return fitted_; }
    std::size_t size() const { return steps_.size(); }
    // Accessors returning a reference have a `const&&` overload that returns a copy:
    // on a temporary (load_pipeline(path).step_names()) a reference would dangle at
    // the end of the full expression, e.g. in a range-for.
    const std::vector<std::string>& step_names() const& { return names_; }
    std::vector<std::string> step_names() const&& { return names_; }
    std::string_view step_kind(std::size_t i) const { return steps_.at(i)->kind(); }
    std::string step_fingerprint(std::size_t i) const { return steps_.at(i)->fingerprint(); }
    // Step i behind its type-erased interface, for tools that handle any kind
    // (describe_artifact); deleted on a temporary, whose steps die with it.
    const detail::StepBase& step_at(std::size_t i) const& { return *steps_.at(i); }
    const detail::StepBase& step_at(std::size_t i) const&& = delete;

    // The component behind a step, by name; InvalidParameter if the name or type is wrong.
    template <class C>
    const C& step(std::string_view name) const& {
        const auto* model = dynamic_cast<const detail::StepModel<C>*>(steps_[index_of(name)].get());
        if (!model)
            detail::fail<InvalidParameter>({.component = "Pipeline",
                                    .problem = "step '" + std::string(name) + "' is of kind '" +
                                               std::string(steps_[index_of(name)]->kind()) + "'",
                                    .fix = "ask for the component type that step holds"});
        return model->component();
    }
    template <class C>
    C step(std::string_view name) const&& { return static_cast<const Pipeline&>(*this).step<C>(name); }

    const std::vector<SchemaColumn>& input_schema() const& { require_fitted(); return schema_; }
    std::vector<SchemaColumn> input_schema() const&& { require_fitted(); return schema_; }
    const Lineage& lineage() const& { require_fitted(); return lineage_; }
    Lineage lineage() const&& { require_fitted(); return lineage_; }
    void set_seed(std::uint64_t seed) { lineage_.seed = seed; }

    // The training profile of every input column (profile.hpp), recorded by fit and kept
    // in the artifact outside the fingerprint. Artifacts saved before profiles existed
    // load without one: has_profile() is false and profile()/monitor() say so.
    bool has_profile() const { return profile_ != nullptr; }
    const Profile& profile() const& { require_profile(); return *profile_; }
    // Columns the serving side will not have (computed offline, known only later): fit
    // refuses a pipeline whose steps read one from the input, naming the column and the
    // first step that reads it. A check on the pipeline's design; it changes no output.
    Pipeline& set_offline_columns(std::vector<std::string> columns) {
        offline_ = std::move(columns);
        return *this;
    }
    // What transform and the row plan do with absent and extra columns (serving_policy.hpp).
    // Part of the fitted state and the fingerprint. Filling needs values from the training
    // rows, so MissingColumns::fill is set before fit (InvalidParameter on a fitted pipeline
    // fitted without it); the other changes apply at once.
    Pipeline& set_serving_policy(ServingPolicy policy) {
        detail::check_policy(policy);
        if (fitted_ && policy.missing_columns == MissingColumns::fill && !fills_)
            detail::fail<InvalidParameter>({.component = "Pipeline",
                                            .problem = "missing_columns = fill needs fill values from the training rows, "
                                                       "and this pipeline was fitted without them",
                                            .fix = "set the serving policy before fit, then fit again",
                                            .column = "ServingPolicy"});
        policy_ = policy;
        if (policy.missing_columns != MissingColumns::fill) fills_.reset();  // one state per policy, as a loaded pipeline has
        mark_required();
        return *this;
    }
    const ServingPolicy& serving_policy() const { return policy_; }
    // The value each input_schema() column is filled with (fitted under missing_columns = fill).
    const std::vector<FillValue>& fill_values() const& { require_fitted(); return fills(); }

    // A drift monitor of live rows against that profile (monitor.hpp); one per thread. It
    // also watches the inputs of every encoder step, for the values they never learnt.
    Monitor monitor() const { require_profile(); return Monitor(profile_, step_watches()); }
    // transform(X) that also feeds a monitor of this pipeline: monitor.update(X) first, so a
    // batch the pipeline then refuses is still counted, and once every step took it, the
    // values each encoder step met that it never learnt.
    Table transform(const Table& X, Monitor& monitor) const;

    // User metadata, saved in the artifact and excluded from the fingerprint.
    const Metadata& metadata() const& { return metadata_; }
    Metadata metadata() const&& { return metadata_; }
    Pipeline& set_metadata(std::string key, std::string value) {
        metadata_[std::move(key)] = std::move(value);
        return *this;
    }
    void set_metadata(Metadata m) { metadata_ = std::move(m); }

    // ---- serialisation ------------------------------------------------------------
    void save_state(ArchiveWriter& w) const {
        w.boolean(fitted_);
        w.size(steps_.size());
        for (std::size_t i = 0; i < steps_.size(); ++i) {
            w.str(names_[i]);
            w.str(steps_[i]->kind());
            w.u32(steps_[i]->schema_version());
            ArchiveWriter sw;
            steps_[i]->save_state(sw);
            w.str(sw.bytes());
        }
        w.size(schema_.size());
        for (const auto& c : schema_) {
            w.str(c.name);
            w.u8(static_cast<std::uint8_t>(c.type));
        }
        detail::save_serving_policy(w, policy_, fills());
    }
    // Lineage and user metadata travel in the artifact's metadata, outside the
    // fingerprint (save_bytes and load_bytes call these two hooks).
    Metadata artifact_metadata() const {
        Metadata m = metadata_;
        if (fitted_) {
            if (profile_) m["reprep.profile"] = profile_->bytes();
            m["reprep.lineage.data_fingerprint"] = lineage_.data_fingerprint.hex();
            m["reprep.lineage.rows"] = std::to_string(lineage_.rows);
            m["reprep.lineage.seed"] = std::to_string(lineage_.seed);
        }
        return m;
    }
    void restore_metadata(const Metadata& m);

    // A template only so that the built-in kinds (every component, BuiltinKinds in
    // registry.hpp) are instantiated where a pipeline is loaded, not in every unit
    // that includes this header (docs/ci.md, "compile time").
    template <class Kinds = detail::BuiltinKinds>
    static Pipeline load_state(ArchiveReader& r, std::uint32_t /*schema_version*/);

private:
    void add_step(std::string name, std::unique_ptr<detail::StepBase> step) {
        if (name.empty() || std::find(names_.begin(), names_.end(), name) != names_.end())
            detail::fail<InvalidParameter>({.component = "Pipeline",
                                    .problem = name.empty() ? "a step name is empty" : "step name '" + name + "' is used twice",
                                    .fix = "give every step a distinct, non-empty name"});
        names_.push_back(std::move(name));
        steps_.push_back(std::move(step));
        fitted_ = false;
    }

    std::size_t index_of(std::string_view name) const {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return i;
        detail::fail<InvalidParameter>({.component = "Pipeline",
                                .problem = "there is no step named '" + std::string(name) + "'",
                                .fix = names_.empty() ? std::string("add() steps first")
                                                      : "use one of the step names: " + detail::quoted_names(names_)});
    }

    void require_fitted() const {
        if (!fitted_) detail::not_fitted("Pipeline");
    }
    void require_profile() const {
        require_fitted();
        if (!profile_)
            detail::fail<InvalidInput>({.component = "Pipeline",
                                        .problem = "this pipeline has no training profile (its artifact was saved before "
                                                   "reprep recorded one)",
                                        .fix = "fit the pipeline again with this reprep and save it"});
    }

    // Runs one step, prefixing any reprep error with the step's name so that the
    // caller learns which step refused.
    template <class F>
    Table run_step(std::size_t i, F&& f) const {
        try {
            return f();
        } catch (const Error& e) {
            detail::rethrow_in_step(names_[i], steps_[i]->kind(), e, /*single_row=*/false);
        }
    }

    // transform_into's two ways (pipeline_into.hpp): the first call, through transform's
    // steps, keeping their results; and the later ones, rewriting those in place.
    void prepare_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const;
    void run_into(const Table& X, Table& out, Workspace& ws, const TransformOptions& opts) const;
    void run_block_step(std::size_t i, const Table& src, Table& dst, const Table& out, Workspace& ws,
                        const TransformOptions& opts) const;
    void run_category_step(std::size_t i, const Table& src, Table& dst, const Table& out, Workspace& ws,
                           const TransformOptions& opts) const;
    bool run_fused(std::size_t a, std::size_t b, const Table& src, Table& dst, const Table& out, Workspace& ws,
                   const TransformOptions& opts) const;
    double* reuse_buffer(Workspace& ws, std::size_t i, std::size_t need, const Table& out) const;

    Pipeline& fit_impl(const Table& X, std::optional<std::span<const double>> y, Table* out,
                       const FitOptions& opts = {});
    template <class Kinds>
    Pipeline& fit_source(const ChunkSource& source, const ShardCombiner& combiner);

    // The input schema: every column step i reads that no earlier step produced, with
    // its type (type_of); `produced` collects the columns the steps write.
    template <class TypeOf>
    void extend_schema(std::size_t i, const detail::StepBase& step, std::vector<std::string>& produced,
                       std::vector<SchemaColumn>& schema, TypeOf&& type_of) const {
        for (const auto& name : step.columns_in()) {
            const bool from_input = std::find(produced.begin(), produced.end(), name) == produced.end();
            const bool known = std::any_of(schema.begin(), schema.end(), [&](const SchemaColumn& c) { return c.name == name; });
            if (from_input && !known && std::find(offline_.begin(), offline_.end(), name) != offline_.end())
                detail::fail<InvalidInput>({.component = "Pipeline",
                                            .problem = "step '" + names_[i] + "' (" + std::string(step.kind()) +
                                                       ") reads column '" + name + "', which is marked as not available online",
                                            .fix = "drop the column from that step's columns, or compute it from columns "
                                                   "the serving side has",
                                            .column = name});
            if (from_input && !known) schema.push_back({name, type_of(name)});
        }
        for (const auto& name : step.columns_out())
            if (std::find(produced.begin(), produced.end(), name) == produced.end()) produced.push_back(name);
    }
    std::vector<Monitor::StepWatch> step_watches() const {
        std::vector<Monitor::StepWatch> w;
        for (std::size_t i = 0; i < steps_.size(); ++i)
            if (steps_[i]->counts_unseen())
                for (const auto& c : steps_[i]->columns_in()) w.push_back({i, names_[i], c});
        return w;
    }
    const std::vector<FillValue>& fills() const {
        static const std::vector<FillValue> none;
        return fills_ ? *fills_ : none;
    }
    // input_schema() says which columns a request may leave out (read_csv honours it).
    void mark_required() {
        for (auto& c : schema_) c.required = policy_.missing_columns != MissingColumns::fill;
    }

    std::vector<std::string> names_;
    std::vector<detail::SharedStep> steps_;
    std::vector<SchemaColumn> schema_;
    Lineage lineage_;
    std::shared_ptr<const Profile> profile_;  // shared by copies, never modified
    std::vector<std::string> offline_;        // set_offline_columns
    ServingPolicy policy_;
    detail::FillValues fills_;                // under missing_columns = fill; shared by copies and plans
    Metadata metadata_;
    bool fitted_ = false;
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------


inline Pipeline& Pipeline::fit_impl(const Table& X, std::optional<std::span<const double>> y, Table* out,
                                    const FitOptions& opts) {
    detail::thread_count(opts.n_jobs, "Pipeline");  // refused here, whatever the steps are
    if (steps_.empty())
        detail::fail<InvalidParameter>({.component = "Pipeline", .problem = "the pipeline has no steps", .fix = "add() steps before fit()"});
    if (y && y->size() != X.num_rows())
        detail::fail<InvalidInput>({.component = "Pipeline",
                            .problem = "y has " + std::to_string(y->size()) + " values for " + std::to_string(X.num_rows()) + " rows",
                            .fix = "pass one target value per row"});
    // Refused here, where the caller's mistake is: inside the step the hint would name
    // the step's own API (an accumulator's update(chunk, y)), not the call to fix.
    for (std::size_t i = 0; !y && i < steps_.size(); ++i)
        if (steps_[i]->needs_target())
            detail::fail<InvalidInput>({.component = "Pipeline",
                                        .problem = "step '" + names_[i] + "' (" + std::string(steps_[i]->kind()) +
                                                   ") learns from the target, and fit was given none",
                                        .fix = "call fit(X, y) (or fit_transform(X, y)) with one target value per row"});
    // Fit copies of the steps, so a failing fit leaves this pipeline as it was.
    std::vector<std::unique_ptr<detail::StepBase>> fitted;
    for (const auto& s : steps_) fitted.push_back(s->clone());
    Table t = X;
    std::vector<std::string> produced;  // columns created by earlier steps
    std::vector<SchemaColumn> schema;
    for (std::size_t i = 0; i < fitted.size(); ++i) {
        const bool last = i + 1 == fitted.size();
        if (last && !out) {
            run_step(i, [&] { fitted[i]->fit(t, y, opts); return Table{}; });
        } else {
            t = run_step(i, [&] { return fitted[i]->fit_transform(t, y, opts); });
        }
        extend_schema(i, *fitted[i], produced, schema, [&](const std::string& name) { return X.type(name); });
    }
    std::vector<detail::SharedStep> shared(std::make_move_iterator(fitted.begin()), std::make_move_iterator(fitted.end()));
    steps_ = std::move(shared);
    schema_ = std::move(schema);
    mark_required();
    fills_ = policy_.missing_columns == MissingColumns::fill
                 ? std::make_shared<const std::vector<FillValue>>(detail::fill_values(X, schema_))
                 : nullptr;
    // What transform(X) would drop must not survive fit_transform(X) either: the columns
    // of X that no step reads or writes.
    if (out && policy_.extra_columns == ExtraColumns::drop)
        for (const auto& n : X.column_names()) {
            const bool in_schema = std::any_of(schema_.begin(), schema_.end(), [&](const SchemaColumn& c) { return c.name == n; });
            if (!in_schema && std::find(produced.begin(), produced.end(), n) == produced.end() && t.has_column(n)) t.remove(n);
        }
    profile_ = std::make_shared<const Profile>(Profile::of(X, schema_));
    lineage_.data_fingerprint = detail::multiset_fingerprint(X);
    lineage_.rows = X.num_rows();
    fitted_ = true;
    if (out) *out = std::move(t);
    return *this;
}

inline Pipeline& Pipeline::assume_fitted() {
    if (steps_.empty())
        detail::fail<InvalidParameter>({.component = "Pipeline", .problem = "the pipeline has no steps", .fix = "add() fitted steps first"});
    if (policy_.missing_columns == MissingColumns::fill)
        detail::fail<InvalidParameter>({.component = "Pipeline",
                                        .problem = "missing_columns = fill needs fill values learnt from training data",
                                        .fix = "use the default serving policy, or fit the pipeline"});
    std::vector<std::string> produced;
    std::vector<SchemaColumn> schema;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        const auto& step = *steps_[i];
        if (!step.is_fitted() || step.mixed_types())
            detail::fail<InvalidParameter>({.component = "Pipeline",
                                            .problem = "step '" + names_[i] + "' (" + std::string(step.kind()) + ") is " +
                                                       (step.is_fitted() ? "of mixed column types" : "not fitted"),
                                            .fix = "add fitted steps that read one column type each, or fit the pipeline"});
        extend_schema(i, step, produced, schema, [&](const std::string&) { return step.type_in(); });
    }
    schema_ = std::move(schema);
    mark_required();
    profile_ = nullptr;
    lineage_ = {};
    fitted_ = true;
    return *this;
}

inline Table Pipeline::transform(const Table& X, Monitor& monitor) const {
    require_fitted();
    const auto watches = step_watches();
    if (monitor.watches_ != watches)
        detail::fail<InvalidInput>({.component = "Pipeline",
                                    .problem = "the monitor watches other steps than this pipeline's encoders",
                                    .fix = "feed a monitor created by this pipeline's monitor()"});
    monitor.update(X);
    Table t = detail::conform(X, detail::conformance(X, schema_, policy_), schema_, fills());
    std::vector<std::uint64_t> unseen;  // per watch, in step order as monitor() lists them
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        if (steps_[i]->counts_unseen()) {
            const auto cols = steps_[i]->columns_in();
            for (std::size_t k = 0; k < cols.size(); ++k) {
                std::uint64_t n = 0;
                if (t.has_column(cols[k]) && t.type(cols[k]) == ColumnType::categorical) {
                    // Each distinct value is looked up once, then its rows are counted.
                    const CategoricalColumn& col = t.categorical(cols[k]);
                    std::vector<char> unknown(col.dictionary.size());
                    for (std::size_t d = 0; d < unknown.size(); ++d) unknown[d] = !steps_[i]->knows_category(k, col.dictionary[d]);
                    for (const std::int32_t code : col.codes) n += code >= 0 && unknown[static_cast<std::size_t>(code)];
                }
                unseen.push_back(n);
            }
        }
        t = run_step(i, [&] { return steps_[i]->transform(t, TransformOptions{}); });
    }
    monitor.add_step_counts(unseen, X.num_rows());
    return t;
}

inline std::vector<std::string> Pipeline::feature_names_out() const {
    require_fitted();
    std::vector<std::string> live;
    for (const auto& c : schema_) live.push_back(c.name);
    for (const auto& s : steps_) detail::apply_columns(live, s->columns_in(), s->columns_out());
    return live;
}

inline std::vector<std::string> Pipeline::output_columns(std::vector<std::string> input_columns) const {
    require_fitted();
    for (const auto& c : schema_)
        if (std::find(input_columns.begin(), input_columns.end(), c.name) == input_columns.end())
            detail::fail<SchemaError>({.component = "Pipeline",
                                       .problem = "the input columns lack '" + c.name + "', which the pipeline reads",
                                       .fix = "pass every column of input_schema()",
                                       .column = c.name});
    for (const auto& s : steps_) detail::apply_columns(input_columns, s->columns_in(), s->columns_out());
    return input_columns;
}

}  // namespace reprep

// Pipeline::transform_into and its Workspace.
#include "pipeline_into.hpp"
// Loading: Pipeline::load_state, the lineage and profile read back from metadata, and
// load_pipeline (pipeline_load.hpp).
#include "pipeline_load.hpp"
// Pipeline::fit(ChunkSource).
#include "pipeline_source.hpp"

// Header-only mode: the built-in kinds' definitions, instantiated only where a
// pipeline is loaded. Compiled mode (REPREP_COMPILED): registry.hpp only declares them.
#include "registry.hpp"
