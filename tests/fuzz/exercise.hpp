// What the fuzz targets do with an object that loaded: use it the way a serving
// binary would, and check the invariants that hold for any accepted artifact.
//
// Any reprep::Error is an accepted outcome (a typed refusal). Anything else — another
// exception type, a sanitizer report, or a broken invariant (FUZZ_CHECK) — is a bug.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "zoo.hpp"

#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                  \
        }                                                                                  \
    } while (0)

namespace fuzz {

using namespace reprep;

inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Inputs for a loaded step: a few rows of plausible and hostile values.
inline const std::vector<double>& probe_numbers() {
    static const std::vector<double> v = {0.0, -1.5, std::nan(""), 4200.0, 1e300, -0.0};
    return v;
}
inline const std::vector<std::optional<std::string>>& probe_texts() {
    static const std::vector<std::optional<std::string>> v = {"Adelie", std::nullopt, "Biscoe", "", "male", "zz\xff"};
    return v;
}

// Saving what loaded and loading it again gives the same fingerprint and bytes.
template <class C>
void check_round_trip(const C& obj) {
    const std::string fp = fingerprint(obj);
    const std::string bytes = save_bytes(obj);
    try {
        const C again = load_bytes<C>(bytes);
        FUZZ_CHECK(fingerprint(again) == fp);
        FUZZ_CHECK(save_bytes(again) == bytes);
    } catch (const Error& e) {
        std::fprintf(stderr, "an accepted artifact does not reload after saving: %s\n", e.what());
        std::abort();
    }
}

// Batch transform of each probe row and the single-row path must agree: both refuse
// (with a reprep::Error) or both give the same bits.
template <class C>
void exercise_step(const C& c) {
    // Mixed steps (RandomSampleImputer, the selectors) read column k with column_types()[k].
    constexpr bool mixed = reprep::detail::MixedStep<C>;
    if constexpr (reprep::detail::NumericStep<C> || reprep::detail::CategoricalStep<C> || mixed) {
        if constexpr (reprep::detail::NumericStep<C>)
            if constexpr (!std::is_same_v<typename C::Scalar, double>) return;
        const reprep::detail::StepModel<C> step(c);
        if (!step.is_fitted()) return;
        std::vector<std::string> in, out;
        try {
            in = step.columns_in();
            out = step.columns_out();
        } catch (const Error&) {
            return;
        }
        // Hostile state can claim absurd widths; stay within what a request could hold.
        if (in.size() > 64 || out.size() > 4096) return;
        auto numeric_in = [&](std::size_t k) {
            if constexpr (mixed) return c.column_types()[k] == ColumnType::numeric;
            else return step.type_in() == ColumnType::numeric;
        };
        reprep::detail::RowScratch scratch;
        step.prepare(scratch);
        const std::size_t n_rows = probe_numbers().size();
        for (std::size_t r = 0; r < n_rows; ++r) {
            Table t;
            std::vector<Cell> cells;
            std::vector<std::string> keep;  // owns the strings the cells view
            keep.reserve(in.size());
            for (std::size_t k = 0; k < in.size(); ++k) {
                if (t.has_column(in[k])) return;  // duplicate input names: no table can hold them
                if (numeric_in(k)) {
                    const double x = probe_numbers()[(r + k) % n_rows];
                    t.add_numeric(in[k], {x});
                    cells.push_back(Cell::num(x));
                } else {
                    const auto& v = probe_texts()[(r + k) % n_rows];
                    t.add_categorical(in[k], {v});
                    if (v) {
                        keep.push_back(*v);
                        cells.push_back(Cell::cat(keep.back()));
                    } else {
                        cells.push_back(Cell::missing_cat());
                    }
                }
            }
            bool batch_ok = true, row_ok = true;
            Table batch;
            try {
                batch = step.transform(t);
            } catch (const Error&) {
                batch_ok = false;
            }
            std::vector<Cell> row(out.size());
            try {
                step.transform_cells(cells, row, scratch);
            } catch (const Error&) {
                row_ok = false;
            }
            FUZZ_CHECK(batch_ok == row_ok);
            if (!batch_ok) continue;
            for (std::size_t k = 0; k < out.size(); ++k) {
                FUZZ_CHECK(batch.has_column(out[k]));
                FUZZ_CHECK(batch.type(out[k]) == row[k].type);
                if constexpr (!mixed) FUZZ_CHECK(row[k].type == step.type_out());
                if (row[k].type == ColumnType::numeric) FUZZ_CHECK(same_bits(batch.numeric(out[k])[0], row[k].number));
                else FUZZ_CHECK(batch.category(out[k], 0) == row[k].text);
            }
        }
    }
}

// The datetime kinds (datetime/): a one-row table of probe instants against the cells
// path, refused by both or equal in every bit.
template <class C>
    requires reprep::detail::DatetimeStep<C>
void exercise_step(const C& c) {
    const reprep::detail::StepModel<C> step(c);
    if (!step.is_fitted()) return;
    const auto in = step.columns_in();
    const auto out = step.columns_out();
    if (in.size() > 64 || out.size() > 4096) return;
    static const std::int64_t probe[] = {0, reprep::kNaT, reprep::kNaT + 1, std::numeric_limits<std::int64_t>::max(), -1,
                                         951'782'400'000'000'000, -5'000'000'000'000'000'123};
    reprep::detail::RowScratch scratch;
    step.prepare(scratch);
    constexpr std::size_t n = std::size(probe);
    for (std::size_t r = 0; r < n; ++r) {
        Table t;
        std::vector<Cell> cells;
        for (std::size_t k = 0; k < in.size(); ++k) {
            if (t.has_column(in[k])) return;
            t.add_datetime(in[k], {probe[(r + k) % n]});
            cells.push_back(Cell::dt(probe[(r + k) % n]));
        }
        bool batch_ok = true, row_ok = true;
        Table batch;
        try {
            batch = step.transform(t);
        } catch (const Error&) {
            batch_ok = false;
        }
        std::vector<Cell> row(out.size());
        try {
            step.transform_cells(cells, row, scratch);
        } catch (const Error&) {
            row_ok = false;
        }
        FUZZ_CHECK(batch_ok == row_ok);
        if (!batch_ok) continue;
        for (std::size_t k = 0; k < out.size(); ++k) {
            FUZZ_CHECK(batch.type(out[k]) == row[k].type);
            if (row[k].type == ColumnType::numeric) FUZZ_CHECK(same_bits(batch.numeric(out[k])[0], row[k].number));
            else FUZZ_CHECK(batch.datetime(out[k])[0] == row[k].nanos());
        }
    }
}

// A loaded pipeline: names, schema, row plan on a synthetic record, batch transform.
inline void exercise_pipeline(const Pipeline& p) {
    check_round_trip(p);
    if (!p.is_fitted()) return;
    const auto& schema = p.input_schema();
    if (schema.size() > 256) return;
    Table t;
    std::vector<Cell> rec;
    for (const auto& c : schema) {
        if (t.has_column(c.name)) return;
        if (c.type == ColumnType::numeric) {
            t.add_numeric(c.name, {1.25});
            rec.push_back(Cell::num(1.25));
        } else if (c.type == ColumnType::datetime) {
            t.add_datetime(c.name, {951'782'400'000'000'000});
            rec.push_back(Cell::dt(951'782'400'000'000'000));
        } else {
            t.add_categorical(c.name, {std::optional<std::string>("Adelie")});
            rec.push_back(Cell::cat("Adelie"));
        }
    }
    std::vector<std::string> names;
    try {
        names = p.feature_names_out();
    } catch (const Error&) {
    }
    try {
        auto plan = p.compile();
        if (plan.n_outputs() > 100000) return;
        std::vector<double> out(plan.n_outputs());
        plan.run(rec, std::span<double>(out));
    } catch (const Error&) {
    }
    try {
        (void)p.transform(t);
    } catch (const Error&) {
    }
    // A loaded profile: a monitor counts the synthetic record both ways (the input, then
    // what each encoder step did not learn), and the two agree when both paths agree.
    if (p.has_profile()) {
        try {
            Monitor by_table = p.monitor(), by_row = p.monitor();
            bool table_ok = true, row_ok = true;
            try {
                (void)p.transform(t, by_table);
            } catch (const Error&) {
                table_ok = false;
            }
            try {
                auto plan = p.compile();
                if (plan.n_outputs() > 100000) return;
                std::vector<Cell> cells(plan.n_outputs());
                plan.run(rec, std::span<Cell>(cells), by_row);
            } catch (const Error&) {
                row_ok = false;
            }
            if (table_ok && row_ok) FUZZ_CHECK(save_bytes(by_table) == save_bytes(by_row));
            (void)by_table.report().to_json();
            (void)by_row.report().to_text();
        } catch (const Error&) {
        }
    }
}

// Loads `bytes` as C; on success, checks and uses it.
template <class C>
void load_and_exercise(std::string_view bytes) {
    try {
        const C obj = load_bytes<C>(bytes);
        check_round_trip(obj);
        exercise_step(obj);
    } catch (const Error&) {
    }
}

// Dispatches on the artifact's kind: every component type with that kind name (double
// and float variants), or the pipeline.
inline void load_any(std::string_view bytes) {
    ArtifactHeader h;
    try {
        h = read_artifact_header(bytes);
    } catch (const Error&) {
        return;
    }
    if (h.kind == Monitor::kind_name()) {
        try {
            const Monitor m = load_bytes<Monitor>(bytes);
            check_round_trip(m);
            const DriftReport r = m.report();
            for (const auto& c : r.columns) FUZZ_CHECK(std::isnan(c.js) || (c.js >= 0.0 && c.js <= 1.0));
            (void)r.to_text();
        } catch (const Error&) {
        }
        return;
    }
    if (h.kind == Pipeline::kind_name()) {
        try {
            exercise_pipeline(load_pipeline_bytes(bytes));
        } catch (const Error&) {
        }
        return;
    }
    zoo::for_each_kind([&]<class C>() {
        if (h.kind == C::kind_name()) load_and_exercise<C>(bytes);
    });
}

}  // namespace fuzz
