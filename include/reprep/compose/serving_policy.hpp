// reprep::ServingPolicy — what a fitted Pipeline does when a request's columns differ
// from its input_schema(): a column it reads is absent, or the request carries columns
// it does not read (docs/monitoring.md, "The serving-schema policy").
//
//   pipe.set_serving_policy({.missing_columns = reprep::MissingColumns::fill,
//                            .extra_columns = reprep::ExtraColumns::drop});
//   pipe.fit(train);            // fill values come from these rows
//
//   missing_columns  error  SchemaError naming every absent column (the default)
//                    fill   the training median of a numeric column (numpy's median of its
//                           non-missing values, as SimpleImputer(strategy=median)), the most
//                           frequent category of a categorical one (ties: the smallest in
//                           byte order, as most_frequent); a column that was entirely
//                           missing in training is filled with missing
//   extra_columns    pass   columns no step reads pass through transform untouched (default)
//                    drop   they are removed before the steps run
//                    error  SchemaError naming every one of them
// A column present with the wrong type (e.g. a numeric column that arrived as text) is
// refused under every policy. The policy governs transform() and the row plan, the
// serving side; fit and fit_transform read the training table as it is (under `drop`,
// fit_transform leaves out the columns transform would drop, so the two agree).
//
// The policy and the fill values change outputs, so both are in the artifact, inside the
// fingerprint: an optional section after the input schema, written only when the policy
// is not the default, so every pipeline saved before the policy existed (or saved with the
// default) keeps its bytes and its fingerprint.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/quantile.hpp"
#include "../core/table.hpp"

namespace reprep {

enum class MissingColumns : std::uint8_t { error, fill };
enum class ExtraColumns : std::uint8_t { pass, drop, error };

struct ServingPolicy {
    MissingColumns missing_columns = MissingColumns::error;
    ExtraColumns extra_columns = ExtraColumns::pass;
    friend bool operator==(const ServingPolicy&, const ServingPolicy&) = default;
};

// What the fill policy puts in an absent column, one per input_schema() column.
struct FillValue {
    double number = std::numeric_limits<double>::quiet_NaN();  // numeric columns
    std::optional<std::string> category;                       // categorical; nullopt = missing
};

namespace detail {

using FillValues = std::shared_ptr<const std::vector<FillValue>>;  // shared by copies and plans

inline void check_policy(const ServingPolicy& p) {
    if (static_cast<std::uint8_t>(p.missing_columns) > 1 || static_cast<std::uint8_t>(p.extra_columns) > 2)
        fail<InvalidParameter>({.component = "Pipeline",
                                .problem = "the serving policy holds a value outside its enumeration",
                                .fix = "use MissingColumns::error or fill, and ExtraColumns::pass, drop or error",
                                .column = "ServingPolicy"});
}

// The fill value of every schema column of the training table X (see the header comment).
inline std::vector<FillValue> fill_values(const Table& X, const std::vector<SchemaColumn>& schema) {
    std::vector<FillValue> fills(schema.size());
    for (std::size_t j = 0; j < schema.size(); ++j) {
        if (schema[j].type == ColumnType::numeric) {
            ValueAccumulator acc;  // sorts in the total order, so -0.0 and +0.0 never depend on row order
            acc.update(X.numeric(schema[j].name));
            fills[j].number = numpy_median_sorted<double>(acc.sorted());
            continue;
        }
        if (schema[j].type == ColumnType::datetime) continue;  // filled with missing (kNaT)
        const CategoricalColumn& col = X.categorical(schema[j].name);
        std::vector<std::uint64_t> count(col.dictionary.size(), 0);
        for (const std::int32_t code : col.codes)
            if (code >= 0) ++count[static_cast<std::size_t>(code)];
        std::optional<std::size_t> best;
        for (std::size_t d = 0; d < count.size(); ++d) {
            if (count[d] == 0) continue;
            if (!best || count[d] > count[*best] ||
                (count[d] == count[*best] && bytes_less(col.dictionary[d], col.dictionary[*best])))
                best = d;
        }
        if (best) fills[j].category = col.dictionary[*best];
    }
    return fills;
}

// How X differs from the schema, once checked against the policy: the schema columns to
// fill (indices into the schema) and the extra columns to drop (names, in X's order).
struct Conformance {
    std::vector<std::size_t> fill;
    std::vector<std::string> drop;
};

// SchemaError naming every problem at once: mistyped columns always, absent columns
// under `error`, extra columns under `error`.
inline Conformance conformance(const std::vector<std::string>& names, const std::vector<ColumnType>* types,
                               const std::vector<SchemaColumn>& schema, const ServingPolicy& policy) {
    Conformance c;
    std::string problems;
    const auto add = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
    for (std::size_t j = 0; j < schema.size(); ++j) {
        const auto it = std::find(names.begin(), names.end(), schema[j].name);
        if (it == names.end()) {
            if (policy.missing_columns == MissingColumns::fill) c.fill.push_back(j);
            else add("column '" + schema[j].name + "' is missing");
            continue;
        }
        if (!types) continue;
        const ColumnType t = (*types)[static_cast<std::size_t>(it - names.begin())];
        if (t != schema[j].type)
            add("column '" + schema[j].name + "' is " + std::string(to_string(t)) + ", expected " +
                std::string(to_string(schema[j].type)));
    }
    if (policy.extra_columns != ExtraColumns::pass)
        for (const auto& n : names) {
            const bool known = std::any_of(schema.begin(), schema.end(), [&](const SchemaColumn& s) { return s.name == n; });
            if (known) continue;
            if (policy.extra_columns == ExtraColumns::drop) c.drop.push_back(n);
            else add("column '" + n + "' is not read by the pipeline");
        }
    if (!problems.empty()) {
        std::string fix = "pass every column of input_schema() with its type";
        fix += policy.extra_columns == ExtraColumns::error ? " and no other column (the serving policy refuses extra columns)"
                                                            : " (extra columns " +
                                                                  std::string(policy.extra_columns == ExtraColumns::drop
                                                                                  ? "are dropped)"
                                                                                  : "pass through)");
        if (policy.missing_columns == MissingColumns::error)
            fix += ", or (in C++) fit with set_serving_policy({.missing_columns = MissingColumns::fill})";
        fail<SchemaError>({.component = "Pipeline",
                           .problem = "the input does not match the schema seen in fit: " + problems,
                           .fix = std::move(fix)});
    }
    return c;
}

inline Conformance conformance(const Table& X, const std::vector<SchemaColumn>& schema, const ServingPolicy& policy) {
    std::vector<ColumnType> types;
    for (const auto& n : X.column_names()) types.push_back(X.type(n));
    return conformance(X.column_names(), &types, schema, policy);
}

// X as the steps must see it: extras dropped, absent columns appended with their fill.
inline Table conform(const Table& X, const Conformance& c, const std::vector<SchemaColumn>& schema,
                     const std::vector<FillValue>& fills) {
    Table t = X;
    for (const auto& n : c.drop) t.remove(n);
    for (const std::size_t j : c.fill) {
        if (schema[j].type == ColumnType::numeric) {
            t.add_numeric(schema[j].name, std::vector<double>(X.num_rows(), fills[j].number));
            continue;
        }
        if (schema[j].type == ColumnType::datetime) {
            t.add_datetime(schema[j].name, std::vector<std::int64_t>(X.num_rows(), kNaT));
            continue;
        }
        CategoricalColumn col;
        if (fills[j].category) col.dictionary.push_back(*fills[j].category);
        col.codes.assign(X.num_rows(), fills[j].category ? 0 : -1);
        t.add_categorical(schema[j].name, std::move(col));
    }
    return t;
}

// The optional artifact section (see the header comment): tag 1, the two enums, and for
// `fill` one value per schema column. Absent for the default policy, so that the
// default has exactly one encoding (and old artifacts their old fingerprints).
inline void save_serving_policy(ArchiveWriter& w, const ServingPolicy& p, const std::vector<FillValue>& fills) {
    if (p == ServingPolicy{}) return;
    w.u8(1);
    w.u8(static_cast<std::uint8_t>(p.missing_columns));
    w.u8(static_cast<std::uint8_t>(p.extra_columns));
    if (p.missing_columns != MissingColumns::fill) return;
    w.size(fills.size());
    for (const auto& f : fills) {
        w.f64(f.number);
        w.boolean(f.category.has_value());
        if (f.category) w.str(*f.category);
    }
}

inline void load_serving_policy(ArchiveReader& r, const std::vector<SchemaColumn>& schema, ServingPolicy& p,
                                std::vector<FillValue>& fills) {
    if (r.remaining() == 0) return;  // the default policy
    if (r.u8() != 1) r.fail("unknown pipeline section after the input schema");
    const auto missing = r.u8(), extra = r.u8();
    if (missing > 1 || extra > 2) r.fail("the serving policy holds a value outside its enumeration");
    p = {static_cast<MissingColumns>(missing), static_cast<ExtraColumns>(extra)};
    if (p == ServingPolicy{}) r.fail("the default serving policy is written as a section (it has no section)");
    if (p.missing_columns != MissingColumns::fill) return;
    const std::size_t n = r.size(9);
    if (n != schema.size()) r.fail("the serving policy has " + std::to_string(n) + " fill values for " +
                                   std::to_string(schema.size()) + " input columns");
    fills.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        fills[j].number = r.f64();
        if (r.boolean()) fills[j].category = r.str();
        const bool numeric = schema[j].type == ColumnType::numeric;
        // A categorical or datetime column's number is the one default NaN (a datetime fill
        // has no category either), so that one policy has one encoding.
        const bool ok = numeric ? !fills[j].category.has_value()
                                : std::bit_cast<std::uint64_t>(fills[j].number) ==
                                          std::bit_cast<std::uint64_t>(FillValue{}.number) &&
                                      (schema[j].type != ColumnType::datetime || !fills[j].category.has_value());
        if (!ok)
            r.fail("the fill value of column '" + schema[j].name + "' does not match its type");
    }
}

}  // namespace detail
}  // namespace reprep
