// The shared machinery of the datetime family (DatetimeFeatures, DatetimeSubtraction):
// components that read datetime Table columns and write new numeric columns, as
// feature-engine's datetime transformers do.
//
// A component D derives from DatetimeComponent<D> (CRTP) and provides:
//   component_name, params() with `missing_values` (raise | ignore) and `drop_original`,
//   std::vector<std::string> columns_of(const Table&) const   the datetime columns it reads,
//   std::vector<std::string> new_names(const std::vector<std::string>& in) const,
//   void prepare_fit(const std::vector<std::string>& in)      per-fit state from the names,
//   void row_kernel(std::span<const std::int64_t> in, std::span<double> out, std::optional<std::size_t> row) const
//       the new features of one row (every input present unless missing_values = ignore).
// It gets fit, transform (Table), fit_transform, transform_row (the single-row path of a
// pipeline's RowPlan), the names, the missing-value rule and the base of its
// serialisation. The batch transform runs row_kernel on each row, so one row alone gives
// the bits it gets in a batch by construction.
//
// Output columns, as every reprep component writes them (docs/components.md): the inputs
// are removed, then appended again unless drop_original, then the new features are
// appended (feature-engine keeps kept inputs where they were; the values are the same).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "../../component/categorical_component.hpp"  // MissingValues
#include "../../core/archive.hpp"
#include "../../core/datetime.hpp"
#include "../../core/error.hpp"
#include "../../core/fp_env.hpp"
#include "../../core/table.hpp"

namespace reprep::detail {

template <class D>
class DatetimeComponent {
public:
    bool is_fitted() const noexcept { return fitted_; }
    const std::vector<std::string>& feature_names_in() const {
        require_fitted();
        return names_in_;
    }
    // The kept inputs (unless drop_original), then the new features.
    std::vector<std::string> feature_names_out() const {
        require_fitted();
        return feature_names_out_unchecked();
    }
    std::size_t n_new_features() const {
        require_fitted();
        return names_new_.size();
    }

    // Nothing is learnt from the values: fit fixes the columns (and checks them, and
    // refuses a missing value under missing_values = raise). State untouched on error.
    D& fit(const Table& t) {
        D next = self();
        const std::vector<std::string> in = next.columns_of(t);
        if (in.empty())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "the table has no datetime column to read",
                               .fix = "pass a table with datetime columns (read_csv infers ISO 8601 dates), or name them in columns"});
        next.check_columns(t, in);
        next.prepare_fit(in);
        next.names_in_ = in;
        next.names_new_ = next.new_names(in);
        next.check_new_names();
        next.fitted_ = true;
        self() = std::move(next);
        return self();
    }

    Table transform(const Table& t) const {
        require_fitted();
        check_fp_environment();
        check_columns(t, names_in_);
        const std::size_t rows = t.num_rows(), n_in = names_in_.size(), n_new = names_new_.size();
        std::vector<std::span<const std::int64_t>> cols;
        for (const auto& name : names_in_) cols.push_back(t.datetime(name));
        std::shared_ptr<double[]> block(new double[rows * n_new]);
        double* const values = block.get();
        std::vector<std::int64_t> in(n_in);
        std::vector<double> out(n_new);
        const FpCheckedScope fp_checked;
        for (std::size_t i = 0; i < rows; ++i) {
            for (std::size_t k = 0; k < n_in; ++k) in[k] = cols[k][i];
            self().row_kernel(in, out, i);
            for (std::size_t o = 0; o < n_new; ++o) values[o * rows + i] = out[o];
        }
        Table result = t;
        std::vector<std::vector<std::int64_t>> kept;
        if (!self().params().drop_original)
            for (std::size_t k = 0; k < n_in; ++k) kept.emplace_back(cols[k].begin(), cols[k].end());
        for (const auto& name : names_in_) result.remove(name);
        for (std::size_t k = 0; k < kept.size(); ++k) result.add_datetime(names_in_[k], std::move(kept[k]));
        result.set_numeric_block(names_new_, std::shared_ptr<const double[]>(std::move(block)), rows);
        return result;
    }

    Table fit_transform(const Table& t) {
        fit(t);
        return transform(t);
    }

    // One row: `in` holds the nanoseconds of feature_names_in(), `out` receives the
    // n_new_features() new features. No allocation.
    void transform_row(std::span<const std::int64_t> in, std::span<double> out) const {
        require_fitted();
        check_fp_environment();
        if (in.size() != names_in_.size() || out.size() != names_new_.size())
            fail<SchemaError>({.component = D::component_name,
                               .problem = "transform_row got " + std::to_string(in.size()) + " inputs and " +
                                          std::to_string(out.size()) + " outputs, the fit " +
                                          std::to_string(names_in_.size()) + " and " + std::to_string(names_new_.size()),
                               .fix = "pass feature_names_in() values and an output of n_new_features()"});
        self().row_kernel(in, out, std::nullopt);
    }

protected:
    const D& self() const { return static_cast<const D&>(*this); }
    D& self() { return static_cast<D&>(*this); }

    void require_fitted() const {
        if (!fitted_) not_fitted(D::component_name);
    }

    // Refuses a missing input under missing_values = raise; returns whether any is missing.
    bool check_missing(std::span<const std::int64_t> in, std::optional<std::size_t> row) const {
        bool any = false;
        for (std::size_t k = 0; k < in.size(); ++k) {
            if (in[k] != kNaT) continue;
            any = true;
            if (self().params().missing_values == MissingValues::raise)
                fail<InvalidInput>({.component = D::component_name,
                                    .problem = "a missing datetime, and missing_values is raise",
                                    .fix = "impute or drop the missing values first, or set missing_values = ignore "
                                           "(the features of a missing datetime are then NaN)",
                                    .column = names_in_.empty() ? std::string() : names_in_[k],
                                    .row = row});
        }
        return any;
    }

    static void check_missing_values_param(MissingValues m) {
        if (m != MissingValues::raise && m != MissingValues::ignore)
            fail<InvalidParameter>({.component = D::component_name,
                                    .problem = "missing_values must be raise or ignore",
                                    .fix = "use MissingValues::raise or MissingValues::ignore",
                                    .parameter = "missing_values"});
    }

    void save_base(ArchiveWriter& w) const {
        w.boolean(fitted_);
        w.strs(names_in_);
    }
    // The names out are derived again from the names in and the params (and checked).
    void load_base(ArchiveReader& r) {
        fitted_ = r.boolean();
        names_in_ = r.strs();
        if (fitted_ != !names_in_.empty()) r.fail(std::string(D::component_name) + ": fitted flag and columns disagree");
        for (std::size_t j = 0; j < names_in_.size(); ++j)
            for (std::size_t i = 0; i < j; ++i)
                if (names_in_[i] == names_in_[j]) r.fail(std::string(D::component_name) + ": a column is read twice");
        if (fitted_) {
            self().prepare_fit(names_in_);
            names_new_ = self().new_names(names_in_);
            try {
                check_new_names();
            } catch (const InvalidParameter& e) {
                r.fail(std::string(D::component_name) + ": " + e.problem());
            }
        }
    }

private:
    // New names must be distinct, and distinct from the inputs kept beside them.
    void check_new_names() const {
        const auto out = feature_names_out_unchecked();
        for (std::size_t j = 0; j < out.size(); ++j)
            for (std::size_t i = 0; i < j; ++i)
                if (out[i] == out[j])
                    fail<InvalidParameter>({.component = D::component_name,
                                            .problem = "the output column '" + out[j] + "' would be written twice",
                                            .fix = "give every new feature a name of its own, distinct from the kept inputs"});
    }
    std::vector<std::string> feature_names_out_unchecked() const {
        std::vector<std::string> out;
        if (!self().params().drop_original) out = names_in_;
        out.insert(out.end(), names_new_.begin(), names_new_.end());
        return out;
    }

    void check_columns(const Table& t, const std::vector<std::string>& in) const {
        // SchemaError under the component's name for a missing or mistyped column.
        std::vector<std::span<const std::int64_t>> cols;
        for (const auto& name : in) cols.push_back(with_component(D::component_name, [&] { return t.datetime(name); }));
        if (self().params().missing_values != MissingValues::raise) return;
        for (std::size_t k = 0; k < cols.size(); ++k)
            for (std::size_t i = 0; i < cols[k].size(); ++i)
                if (cols[k][i] == kNaT)
                    fail<InvalidInput>({.component = D::component_name,
                                        .problem = "a missing datetime, and missing_values is raise",
                                        .fix = "impute or drop the missing values first, or set missing_values = ignore",
                                        .column = in[k],
                                        .row = i});
    }

    bool fitted_ = false;
    std::vector<std::string> names_in_, names_new_;
};

}  // namespace reprep::detail
