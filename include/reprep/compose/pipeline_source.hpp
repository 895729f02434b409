// Pipeline::fit(ChunkSource[, ShardCombiner]): a pipeline fitted from a re-readable
// source of chunks, step by step, on one process or many (docs/distributed.md). Part of
// pipeline.hpp, which includes it at its end.
//
// Step k fits from a source that reads the original chunks and runs each through the
// steps 0..k-1 already fitted, so its passes see what transform would hand it. Each
// step fits by the best way it has (detail::fit_step_source, compose/step.hpp): its own bounded-memory fit,
// a Table accumulator, or, for the few kinds with no mergeable state, every row
// gathered. The fitted steps are those fit(X) would give on the rows concatenated,
// because each step's fit is a pure function of the multiset of its input rows.
// The training profile is read from the source too, in a few more passes
// (profile_source.hpp), with the bytes fit(X) records.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "pipeline.hpp"

namespace reprep {

namespace detail {

// The chunks of `base`, each run through steps [0, k) (already fitted); counts the
// rows of its first complete read.
class SteppedSource final : public ChunkSource {
public:
    SteppedSource(const ChunkSource& base, const std::vector<std::unique_ptr<StepBase>>& steps,
                  const std::vector<std::string>& names, std::size_t k)
        : base_(base), steps_(steps), names_(names), k_(k) {}

    void for_each(const std::function<void(const Table&)>& visit) const override {
        std::uint64_t rows = 0;
        base_.for_each([&](const Table& chunk) {
            rows += chunk.num_rows();
            if (k_ == 0) return visit(chunk);
            Table t = chunk;
            for (std::size_t i = 0; i < k_; ++i) {
                try {
                    t = steps_[i]->transform(t);
                } catch (const Error& e) {
                    rethrow_in_step(names_[i], steps_[i]->kind(), e, /*single_row=*/false);
                }
            }
            visit(t);
        });
        if (!rows_) rows_ = rows;
    }
    std::uint64_t rows() const { return rows_.value_or(0); }

private:
    const ChunkSource& base_;
    const std::vector<std::unique_ptr<StepBase>>& steps_;
    const std::vector<std::string>& names_;
    std::size_t k_;
    mutable std::optional<std::uint64_t> rows_;
};

// Stops a read after its first chunk.
struct StopReading {};

// Fits `step` by fit_step_source if it holds one of the kinds C..., and says whether it did.
template <class... C>
bool fit_known_step(std::type_identity<std::tuple<C...>>, StepBase& step, const ChunkSource& source,
                    const ShardCombiner& combiner) {
    auto one = [&]<class K>(std::type_identity<K>) {
        auto* model = dynamic_cast<StepModel<K>*>(&step);
        if (model) fit_step_source(*model, source, combiner);
        return model != nullptr;
    };
    return (one(std::type_identity<C>{}) || ...);
}

}  // namespace detail

template <class Kinds>
Pipeline& Pipeline::fit_source(const ChunkSource& source, const ShardCombiner& combiner) {
    if (steps_.empty())
        detail::fail<InvalidParameter>({.component = "Pipeline", .problem = "the pipeline has no steps", .fix = "add() steps before fit()"});
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i]->needs_target())
            detail::fail<InvalidInput>({.component = "Pipeline",
                                        .problem = "step '" + names_[i] + "' (" + std::string(steps_[i]->kind()) +
                                                   ") learns from the target, which a chunk source does not carry",
                                        .fix = "fit this pipeline with fit(X, y) on rows in memory"});
    // The input's column types, from the first chunk any process reads.
    const std::string typed = combiner.combine(
        [&] {
            ArchiveWriter w;
            try {
                source.for_each([&](const Table& t) {
                    w.size(t.num_columns());
                    for (const auto& n : t.column_names()) {
                        w.str(n);
                        w.u8(static_cast<std::uint8_t>(t.type(n)));
                    }
                    throw detail::StopReading{};
                });
                w.size(0);  // no chunk at all
            } catch (const detail::StopReading&) {
            }
            return std::move(w).bytes();
        },
        [](std::string_view a, std::string_view b) { return std::string(a.substr(0, 8) == std::string(8, '\0') ? b : a); });
    std::map<std::string, ColumnType, std::less<>> types;
    {
        ArchiveReader r(typed, "column types");
        const std::size_t n = r.size(9);
        for (std::size_t j = 0; j < n; ++j) {
            std::string name = r.str();
            types[name] = static_cast<ColumnType>(r.u8());
        }
    }
    auto type_of = [&](const std::string& name) {
        const auto it = types.find(name);
        if (it == types.end())
            detail::fail<SchemaError>({.component = "Pipeline",
                                       .problem = "the chunks lack column '" + name + "'",
                                       .fix = "pass chunks with every column the steps read",
                                       .column = name});
        return it->second;
    };

    std::vector<std::unique_ptr<detail::StepBase>> fitted;
    for (const auto& s : steps_) fitted.push_back(s->clone());
    std::vector<std::string> produced;
    std::vector<SchemaColumn> schema;
    std::uint64_t local_rows = 0;
    for (std::size_t i = 0; i < fitted.size(); ++i) {
        const detail::SteppedSource stepped(source, fitted, names_, i);
        run_step(i, [&] {
            if (!detail::fit_known_step(std::type_identity<typename Kinds::type>{}, *fitted[i], stepped, combiner))
                fitted[i]->fit_gathered(stepped, combiner);
            return Table{};
        });
        if (i == 0) local_rows = stepped.rows();
        extend_schema(i, *fitted[i], produced, schema, type_of);
    }
    const std::string rows = combiner.combine(
        [&] {
            ArchiveWriter w;
            w.u64(local_rows);
            return std::move(w).bytes();
        },
        [](std::string_view a, std::string_view b) {
            ArchiveReader ra(a, "row count"), rb(b, "row count");
            ArchiveWriter w;
            w.u64(ra.u64() + rb.u64());
            return std::move(w).bytes();
        });
    detail::FillValues fills;
    if (policy_.missing_columns == MissingColumns::fill) {
        // The fill values need the schema columns' every value (a median, a mode).
        std::vector<std::string> cols;
        for (const auto& c : schema) cols.push_back(c.name);
        const Table X = detail::gather_rows(combiner, [&](auto&& visit) {
            source.for_each([&](const Table& t) { visit(t.select(cols)); });
        });
        fills = std::make_shared<const std::vector<FillValue>>(detail::fill_values(X, schema));
    }
    // The training profile of the input columns, in a few more passes over the source
    // (profile_source.hpp): the bytes Profile::of gives on the rows concatenated.
    auto profile = std::make_shared<const Profile>(Profile::of(source, schema, combiner));
    std::vector<detail::SharedStep> shared(std::make_move_iterator(fitted.begin()), std::make_move_iterator(fitted.end()));
    steps_ = std::move(shared);
    schema_ = std::move(schema);
    mark_required();
    fills_ = std::move(fills);
    profile_ = std::move(profile);
    // The lineage's data fingerprint hashes the sorted list of every row's hash, which
    // needs memory in proportion to the rows: a chunked fit leaves it empty (zero).
    lineage_.data_fingerprint = {};
    lineage_.rows = ArchiveReader(rows, "row count").u64();
    fitted_ = true;
    return *this;
}

}  // namespace reprep
