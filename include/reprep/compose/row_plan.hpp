// reprep::RowPlan — a compiled Pipeline that maps one record at a time.
//
//   auto plan = pipe.compile();                   // allocates here, once; one plan per thread
//   plan.run(record, std::span<double>(out));     // no heap allocation per row
//
// A plan owns everything it reads: it shares the pipeline's fitted steps (immutable
// once fitted; a later fit of the pipeline replaces them, it never edits them) and
// keeps its own copy of the step names and kinds it names in errors. Moving or
// destroying the pipeline after compile() leaves the plan valid.
//
// Also here, because Pipeline and RowPlan both use them: SchemaColumn, the column
// bookkeeping both share (apply_columns) and the rethrow that names a failing step.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/table.hpp"
#include "row_record.hpp"
#include "serving_policy.hpp"
#include "step.hpp"

namespace reprep {

// SchemaColumn (a column of a pipeline's input schema) is in core/table.hpp, so that
// read_csv can read with a schema.

namespace detail {

// A fitted step, shared by a Pipeline, its copies and the plans compiled from it.
using SharedStep = std::shared_ptr<const StepBase>;

// Raises `e` again with its own type, prefixed by the step that raised it:
//   Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'sex', row 3: ...
// The step's component, column, row, parameter, problem and fix each appear once.
// `single_row`: the error came from the single-row path, which has one record and so
// no row index; the "row 0" of the one-row batch kernel would mislead, so it goes.
[[noreturn]] inline void rethrow_in_step(std::string_view step_name, std::string_view kind, const Error& e,
                                         bool single_row) {
    ErrorContext ctx = e.context();
    std::string where = "Pipeline step '" + std::string(step_name) + "' (" + std::string(kind) + ")";
    ctx.component = ctx.component.empty() ? std::move(where) : std::move(where) + ": " + ctx.component;
    if (single_row) ctx.row.reset();
    e.rethrow_with(std::move(ctx));
    // Not reached: every rethrow_with throws. Compilers do not carry [[noreturn]] through
    // a virtual call (an override could drop it), so say it for them.
    std::abort();
}

// Simulates how a step rewrites the list of live columns, exactly as the components'
// Table transforms do: outputs named like the inputs replace them in place; otherwise
// the inputs are removed and the outputs appended (or replace a same-named column).
inline void apply_columns(std::vector<std::string>& live, const std::vector<std::string>& in,
                          const std::vector<std::string>& out) {
    if (out != in)
        for (const auto& name : in) {
            const auto it = std::find(live.begin(), live.end(), name);
            // Only a corrupted or hand-made artifact can name a column nothing provides.
            if (it == live.end())
                fail<FormatError>({.component = "Pipeline",
                                   .problem = "a step reads column '" + name +
                                              "', which neither the input schema nor an earlier step provides",
                                   .fix = "the artifact is inconsistent; save the pipeline again from the training job"});
            live.erase(it);
        }
    for (const auto& name : out)
        if (std::find(live.begin(), live.end(), name) == live.end()) live.push_back(name);
}

// Every column of `expected` (anything with .name and .type: a profile) that t holds
// with another type, as one "; "-separated list; empty if t matches. Absent columns are
// not listed: the pipeline's serving policy decides about those (serving_policy.hpp).
template <class Columns>
std::string type_mismatches(const Table& t, const Columns& expected) {
    std::string problems;
    for (const auto& c : expected) {
        if (t.has_column(c.name) && t.type(c.name) != c.type)
            problems += (problems.empty() ? "" : "; ") + ("column '" + c.name + "' is " + std::string(to_string(t.type(c.name))) +
                                                          ", expected " + std::string(to_string(c.type)));
    }
    return problems;
}

}  // namespace detail

// Maps one record (values in input_schema() order) to the pipeline's output cells
// (feature_names_out() order). Construction does every allocation; run() does none.
// A value the request lacks is passed as Cell::absent_column(): filled with the
// pipeline's fill value under MissingColumns::fill, refused (SchemaError) otherwise.
// A plan is not shareable between threads (it owns scratch space): compile one each.
class RowPlan {
public:
    using Record = RowRecord;  // a record filled by column name (row_record.hpp)
    using Slot = RowSlot;

    // An empty plan (no inputs, no outputs), to be assigned from compile() later.
    RowPlan() = default;

    std::size_t n_inputs() const { return inputs_ ? inputs_->names.size() : 0; }
    // The record index of input column `name` (input_schema() order), for a caller that
    // fills positional records itself. SchemaError naming the inputs if the pipeline
    // reads no such column. No allocation (the names were hashed at compile()).
    std::size_t input_index(std::string_view name) const { return inputs().find(name, "RowPlan"); }
    // The same, as a handle for Record::set(slot, ...), which then skips the lookup.
    Slot slot(std::string_view name) const { return {input_index(name)}; }
    // A record for this plan (and any plan reading the same inputs), every column absent.
    // Allocates; create one per thread at start-up and clear() it per request.
    Record record() const { return Record(inputs_ ? inputs_ : empty_inputs()); }

    std::size_t n_outputs() const { return output_slots_.size(); }
    const std::vector<std::string>& output_names() const& { return output_names_; }
    // On a temporary (pipe.compile().output_names()) a reference would dangle at the
    // end of the full expression, so this overload returns a copy.
    std::vector<std::string> output_names() const&& { return output_names_; }

    // General form: any mix of numeric and categorical outputs.
    void run(std::span<const Cell> record, std::span<Cell> out) {
        check_out(out.size(), 1);
        compute(record);
        store(out);
    }
    // All-numeric outputs straight into doubles (SchemaError if an output is categorical).
    void run(std::span<const Cell> record, std::span<double> out) {
        check_out(out.size(), 1);
        compute(record);
        check_numeric_outputs();
        store(out);
    }
    // A record filled by name; SchemaError if it was made for a plan with other inputs.
    void run(const Record& record, std::span<Cell> out) { run(cells_of(record), out); }
    void run(const Record& record, std::span<double> out) { run(cells_of(record), out); }

    // Counts the record into a drift monitor (monitor.hpp; any type with observe(record))
    // first, so a row the pipeline then refuses is still seen, and runs it. No allocation.
    // Out is double or Cell, as for the two forms above.
    template <class Out, class Observer>
        requires requires(Observer& o, std::span<const Cell> r) { o.observe(r); }
    void run(std::span<const Cell> record, std::span<Out> out, Observer& observer) {
        observer.observe(record);
        run(record, out);
        // Then, for a row the pipeline took, what its encoders met that they never learnt.
        if constexpr (requires { observer.observe_steps(*this); }) observer.observe_steps(*this);
    }
    template <class Out, class Observer>
        requires requires(Observer& o, std::span<const Cell> r) { o.observe(r); }
    void run(const Record& record, std::span<Out> out, Observer& observer) {
        run(cells_of(record), out, observer);
    }

    // Batches: n records in, n rows of n_outputs() values out, row-major (row i at
    // out[i * n_outputs()]). The same bits as run() on each record in turn, with the
    // per-call costs (the FP-environment check, the size and output-type checks) paid
    // once per batch. An error names the failing record as its row; the rows before it
    // are written, the rest of `out` is untouched. No allocation.
    //   records: n * n_inputs() cells, record i at records[i * n_inputs()].
    void run_batch(std::span<const Cell> records, std::span<double> out) { batch<double>(records, out); }
    void run_batch(std::span<const Cell> records, std::span<Cell> out) { batch<Cell>(records, out); }
    void run_batch(std::span<const Record> records, std::span<double> out) { batch<double>(records, out); }
    void run_batch(std::span<const Record> records, std::span<Cell> out) { batch<Cell>(records, out); }
    // The numeric fast path, for a pipeline whose inputs are all numeric (SchemaError
    // otherwise): n * n_inputs() doubles, record i at values[i * n_inputs()], NaN for a
    // missing value. Absent columns cannot be expressed here; use Cells for those.
    void run_batch(std::span<const double> values, std::span<double> out) { batch<double>(values, out); }

    // After a run: f(step index, input index k) for each value of the last row that an
    // encoder step read without having learnt it (StepBase::knows_category). No allocation.
    template <class F>
    void for_each_unseen(F&& f) const {
        for (std::size_t i = 0; i < steps_.size(); ++i) {
            const StepPlan& p = steps_[i];
            if (!p.counts_unseen) continue;
            // The step's input slots still hold what it read: outputs take fresh slots.
            for (std::size_t k = 0; k < p.in_slots.size(); ++k) {
                const auto& text = text_[p.in_slots[k]];
                if (p.in_types[k] == ColumnType::categorical && text && !p.step->knows_category(k, *text)) f(i, k);
            }
        }
    }

private:
    friend class Pipeline;

    struct StepPlan {
        detail::SharedStep step;
        std::string name, kind;  // the plan's own copies, for errors
        std::vector<std::size_t> in_slots, out_slots;
        std::vector<ColumnType> in_types;  // of the input slots, fixed at compile()
        bool in_run = false, out_run = false;  // detail::SlotMap: the slots lie side by side
        bool counts_unseen = false;  // an encoder with a fitted vocabulary (for_each_unseen)
        // False when a slot's type is not the one the step reads (only a pipeline of
        // hand-fitted steps can chain them so): the step then gets Cells and refuses
        // them with its own error, as on every record.
        bool proven = true;
        std::vector<Cell> in_cells, out_cells;  // sized only for a step that is not proven
        detail::RowScratch scratch;
    };

    // Built by Pipeline::compile() from its fitted state.
    RowPlan(const std::vector<SchemaColumn>& schema, const std::vector<std::string>& names,
            const std::vector<detail::SharedStep>& steps, detail::FillValues fills);

    const detail::InputIndex& inputs() const { return inputs_ ? *inputs_ : *empty_inputs(); }
    static const std::shared_ptr<const detail::InputIndex>& empty_inputs() {
        static const auto none = std::make_shared<const detail::InputIndex>(std::vector<std::string>{}, std::vector<ColumnType>{});
        return none;
    }

    std::span<const Cell> cells_of(const Record& r) const {
        // The same object for records of this plan and its copies; compared by content
        // (no allocation) for a record of another plan.
        if (r.inputs_ != inputs_ && !(r.inputs_ && r.inputs_->same_as(inputs())))
            detail::fail<SchemaError>({.component = "RowPlan",
                                       .problem = "the record was made for a plan with other input columns",
                                       .fix = "make the record with this plan's record()"});
        return r.cells();
    }

    // Moves one record into the slots, refusing a record the plan cannot take.
    void load(std::span<const Cell> record) {
        const auto& names = inputs().names;
        const auto& types = inputs().types;
        if (record.size() != names.size())
            detail::fail<SchemaError>({.component = "RowPlan",
                                       .problem = "the record holds " + std::to_string(record.size()) +
                                                  " values, the input schema " + std::to_string(names.size()),
                                       .fix = "pass one value per input_schema() column, in that order"});
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (record[k].absent) {
                if (fill_cells_.empty())
                    detail::fail<SchemaError>({.component = "RowPlan",
                                               .problem = "the record marks this column absent (record value " +
                                                          std::to_string(k) + "), and the pipeline's serving policy "
                                                          "refuses absent columns",
                                               .fix = "pass a value (a NaN or missing category for a missing value), or fit "
                                                      "with set_serving_policy({.missing_columns = MissingColumns::fill})",
                                               .column = names[k]});
                put(k, fill_cells_[k]);
                continue;
            }
            if (record[k].type != types[k])
                detail::fail<SchemaError>({.component = "RowPlan",
                                           .problem = std::string(detail::value_word(record[k].type)) + " was given where " +
                                                      detail::value_word(types[k]) + " belongs (record value " +
                                                      std::to_string(k) + ")",
                                           .fix = "pass each column with the type it had in fit, in input_schema() order",
                                           .column = names[k]});
            put(k, record[k]);
        }
    }
    void load(std::span<const double> values) { std::copy(values.begin(), values.end(), num_.begin()); }
    // Slot k takes cell c, whose type is the slot's (checked by the caller).
    void put(std::size_t k, const Cell& c) {
        if (c.type == ColumnType::categorical) text_[k] = c.text;
        else num_[k] = c.number;  // a datetime's bits travel as they are
    }
    Cell cell_at(std::size_t slot, ColumnType t) const {
        if (t == ColumnType::numeric) return Cell::num(num_[slot]);
        if (t == ColumnType::categorical) return text_[slot] ? Cell::cat(*text_[slot]) : Cell::missing_cat();
        return {.type = ColumnType::datetime, .number = num_[slot]};
    }
    // The steps in order, inside the caller's FP-checked scope.
    void run_steps() {
        const detail::RowValues v{num_.data(), text_.data()};
        for (StepPlan& p : steps_) {
            try {
                if (p.proven) {
                    p.step->transform_slots(v, {p.in_slots, p.out_slots, p.in_run, p.out_run}, p.scratch);
                } else {
                    for (std::size_t k = 0; k < p.in_slots.size(); ++k) p.in_cells[k] = cell_at(p.in_slots[k], p.in_types[k]);
                    p.step->transform_cells(p.in_cells, p.out_cells, p.scratch);
                    // Not reached for a mismatch (the step refused it above); kept so that
                    // the slots always hold what the step wrote.
                    for (std::size_t k = 0; k < p.out_slots.size(); ++k) put(p.out_slots[k], p.out_cells[k]);
                }
            } catch (const Error& e) {
                detail::rethrow_in_step(p.name, p.kind, e, /*single_row=*/true);
            }
        }
    }
    void compute(std::span<const Cell> record) {
        load(record);
        // The FP state once per record; the steps' own checks skip it inside the scope.
        check_fp_environment();
        const detail::FpCheckedScope fp_checked;
        run_steps();
    }
    void store(std::span<Cell> out) const {
        for (std::size_t k = 0; k < out.size(); ++k) out[k] = cell_at(output_slots_[k], output_types_[k]);
    }
    void store(std::span<double> out) const {
        for (std::size_t k = 0; k < out.size(); ++k) out[k] = num_[output_slots_[k]];
    }
    void check_numeric_outputs() const {
        for (std::size_t k = 0; k < output_slots_.size(); ++k)
            if (output_types_[k] != ColumnType::numeric)
                detail::fail<SchemaError>({.component = "RowPlan",
                                           .problem = "output " + std::to_string(k) + " is " +
                                                      std::string(to_string(output_types_[k])),
                                           .fix = "use run(record, std::span<Cell>) for pipelines with categorical outputs",
                                           .column = output_names_[k]});
    }
    void check_out(std::size_t n, std::size_t rows) const {
        if (n != rows * output_slots_.size())
            detail::fail<SchemaError>({.component = "RowPlan",
                                       .problem = "the output buffer holds " + std::to_string(n) +
                                                  " values, the pipeline writes " + std::to_string(output_slots_.size()) +
                                                  (rows == 1 ? "" : " per record for " + std::to_string(rows) + " records"),
                                       .fix = rows == 1 ? "size it as n_outputs()" : "size it as n_outputs() times the records"});
    }

    // Record i of a batch, whichever way the batch holds its records.
    std::span<const Cell> record_at(std::span<const Cell> records, std::size_t i) const {
        return records.subspan(i * n_inputs(), n_inputs());
    }
    std::span<const Cell> record_at(std::span<const Record> records, std::size_t i) const { return cells_of(records[i]); }
    std::span<const double> record_at(std::span<const double> values, std::size_t i) const {
        return values.subspan(i * n_inputs(), n_inputs());
    }
    template <class In>
    std::size_t batch_rows(std::span<const In> records) const {
        if constexpr (std::is_same_v<In, Record>) {
            return records.size();
        } else {
            const std::size_t per = n_inputs();
            if (per == 0 ? !records.empty() : records.size() % per != 0)
                detail::fail<SchemaError>({.component = "RowPlan",
                                           .problem = "the batch holds " + std::to_string(records.size()) +
                                                      " values, not a whole number of records of " + std::to_string(per),
                                           .fix = "pass n_inputs() values per record, record after record"});
            if constexpr (std::is_same_v<In, double>)
                for (std::size_t k = 0; k < per; ++k)
                    if (inputs().types[k] != ColumnType::numeric)
                        detail::fail<SchemaError>({.component = "RowPlan",
                                                   .problem = "input column " + std::to_string(k) + " is " +
                                                              std::string(to_string(inputs().types[k])) +
                                                              ", and the numeric batch holds numbers only",
                                                   .fix = "pass the records as Cells (run_batch(std::span<const Cell>, ...))",
                                                   .column = inputs().names[k]});
            return per == 0 ? 0 : records.size() / per;
        }
    }
    template <class Out, class In>
    void batch(std::span<const In> records, std::span<Out> out) {
        const std::size_t rows = batch_rows(records), width = n_outputs();
        check_out(out.size(), rows);
        if (rows == 0) return;
        check_fp_environment();  // once for the batch: nothing in it changes the FP state
        const detail::FpCheckedScope fp_checked;
        for (std::size_t i = 0; i < rows; ++i) {
            try {
                load(record_at(records, i));
                run_steps();
            } catch (const Error& e) {
                ErrorContext ctx = e.context();
                ctx.row = i;  // the record's index in the batch
                e.rethrow_with(std::move(ctx));
            }
            if constexpr (std::is_same_v<Out, double>)
                if (i == 0) check_numeric_outputs();  // the output types are the same for every record
            store(out.subspan(i * width, width));
        }
    }

    std::shared_ptr<const detail::InputIndex> inputs_;  // names, types and their hash table, built once
    detail::FillValues fills_;     // owns the strings fill_cells_ view (shared, never modified)
    std::vector<Cell> fill_cells_; // one per input under MissingColumns::fill, else empty
    // The values between steps (detail::RowValues): slot s is num_[s] or text_[s], as
    // its type says; the inputs are slots 0 .. n_inputs() - 1.
    std::vector<double> num_;
    std::vector<std::optional<std::string_view>> text_;
    std::vector<StepPlan> steps_;
    std::vector<std::size_t> output_slots_;
    std::vector<ColumnType> output_types_;
    std::vector<std::string> output_names_;
};

inline RowPlan::RowPlan(const std::vector<SchemaColumn>& schema, const std::vector<std::string>& names,
                        const std::vector<detail::SharedStep>& steps, detail::FillValues fills)
    : fills_(std::move(fills)) {
    std::size_t n_slots = 0;  // a name may get a new slot when a step rewrites it
    std::vector<ColumnType> slot_types;  // what each slot holds, proved here once
    std::vector<std::pair<std::string, std::size_t>> live;
    std::vector<std::string> input_names;
    std::vector<ColumnType> input_types;
    for (const auto& c : schema) {
        input_names.push_back(c.name);
        input_types.push_back(c.type);
    }
    inputs_ = std::make_shared<const detail::InputIndex>(std::move(input_names), std::move(input_types));
    for (std::size_t k = 0; k < schema.size(); ++k) {
        const auto& c = schema[k];
        live.emplace_back(c.name, n_slots++);
        slot_types.push_back(c.type);
        if (!fills_) continue;
        // Views into the shared fill values: they live as long as fills_, wherever the plan moves.
        const FillValue& f = (*fills_)[k];
        // An absent datetime column is filled with missing (serving_policy.hpp).
        fill_cells_.push_back(c.type == ColumnType::numeric    ? Cell::num(f.number)
                              : c.type == ColumnType::datetime ? Cell::dt(kNaT)
                              : f.category                     ? Cell::cat(*f.category)
                                                               : Cell::missing_cat());
    }
    auto slot_of = [&](const std::string& name) {
        for (const auto& [n, s] : live)
            if (n == name) return s;
        // Only an inconsistent artifact names a column nothing provides (apply_columns
        // refuses it first); kept so that slot_of never returns garbage.
        detail::fail<FormatError>({.component = "Pipeline",
                                   .problem = "column '" + name + "' is not available to the row plan",
                                   .fix = "the artifact is inconsistent; save the pipeline again from the training job",
                                   .column = name});
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        StepPlan p;
        p.step = s;
        p.name = names[i];
        p.kind = std::string(s->kind());
        p.counts_unseen = s->counts_unseen();
        const auto in = s->columns_in(), out = s->columns_out();
        const auto types_in = s->types_in(), types_out = s->types_out();
        for (const auto& name : in) p.in_slots.push_back(slot_of(name));
        for (const std::size_t sl : p.in_slots) p.in_types.push_back(slot_types[sl]);
        // The record's types are checked as it is loaded, and each step writes the types
        // it declares: so the types a step reads are known here, once for every record.
        p.proven = p.in_types == types_in && types_out.size() == out.size();
        // Outputs always get fresh slots, so a step never reads what it is writing; side
        // by side in columns_out() order, so that the step writes them in place (and the
        // next step, reading them in that order, reads them in place).
        for (std::size_t k = 0; k < out.size(); ++k) {
            p.out_slots.push_back(n_slots++);
            slot_types.push_back(k < types_out.size() ? types_out[k] : ColumnType::numeric);
        }
        std::vector<std::string> cols;
        for (const auto& [n, sl] : live) cols.push_back(n);
        detail::apply_columns(cols, in, out);
        std::vector<std::pair<std::string, std::size_t>> next;
        for (const auto& name : cols) {
            const auto at = std::find(out.begin(), out.end(), name);
            next.emplace_back(name, at != out.end() ? p.out_slots[static_cast<std::size_t>(at - out.begin())] : slot_of(name));
        }
        live = std::move(next);
        auto side_by_side = [](const std::vector<std::size_t>& sl) {
            for (std::size_t k = 1; k < sl.size(); ++k)
                if (sl[k] != sl[0] + k) return false;
            return !sl.empty();
        };
        p.in_run = side_by_side(p.in_slots);
        p.out_run = side_by_side(p.out_slots);
        if (!p.proven) {
            p.in_cells.resize(p.in_slots.size());
            p.out_cells.resize(p.out_slots.size());
        }
        s->prepare(p.scratch);
        steps_.push_back(std::move(p));
    }
    num_.resize(n_slots);
    text_.resize(n_slots);
    for (const auto& [n, sl] : live) {
        output_slots_.push_back(sl);
        output_types_.push_back(slot_types[sl]);
        output_names_.push_back(n);
    }
}

}  // namespace reprep
