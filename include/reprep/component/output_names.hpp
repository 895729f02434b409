// Output names of a step's batch transform, checked before any column is written.
//
// A batch transform appends its outputs by name with Table::set_numeric, which replaces
// a column of that name. Two outputs of one name, or an output named like a column the
// step does not consume, would therefore drop a column silently, and the batch result
// would no longer match the single-row path (which writes by position). Both are
// refused instead: at fit and load where the state itself holds the names
// (OneHotEncoder's `<column>_<category>`), and here against each input table.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/table.hpp"

namespace reprep::detail {

// The byte-smallest name that occurs more than once, if any (smallest, so that the
// error does not depend on the order of the names).
inline std::optional<std::string> repeated_name(const std::vector<std::string>& names) {
    std::vector<std::string_view> sorted(names.begin(), names.end());
    std::sort(sorted.begin(), sorted.end(), bytes_less);
    const auto it = std::adjacent_find(sorted.begin(), sorted.end());
    if (it == sorted.end()) return std::nullopt;
    return std::string(*it);
}

// SchemaError unless `outputs` are distinct and none of them names a column of `t`
// outside `consumed` (the step's input columns, which it removes or replaces).
inline void check_output_names(const char* component, const Table& t, const std::vector<std::string>& consumed,
                               const std::vector<std::string>& outputs) {
    if (const auto dup = repeated_name(outputs))
        fail<SchemaError>({.component = component,
                           .problem = "two of its output columns are named '" + *dup + "'",
                           .fix = "rename the input column or category that gives this name twice",
                           .column = *dup});
    for (const auto& name : outputs) {
        if (!t.has_column(name)) continue;
        if (std::find(consumed.begin(), consumed.end(), name) != consumed.end()) continue;
        fail<SchemaError>({.component = component,
                           .problem = "its output column '" + name +
                                      "' would overwrite a column of the input table that this step does not transform",
                           .fix = "rename or drop that column before this step",
                           .column = name});
    }
}

}  // namespace reprep::detail
