// The errors an Accumulator raises when it cannot take a chunk or another accumulator,
// written once so that a mismatch is the same error type in every component, numeric or
// categorical:
//   - made for other settings (another strategy, with or without a target ...): InvalidInput,
//     the same whether merge() or fit(acc) finds it;
//   - other columns (another width, other names or types): SchemaError, as a Table or
//     matrix of the wrong shape is everywhere else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "../core/error.hpp"

namespace reprep::detail {

// `setting` names what differs: "strategy", "capping_method", "target" ...
[[noreturn]] inline void accumulator_settings_differ(std::string_view component, std::string_view setting) {
    fail<InvalidInput>({.component = std::string(component),
                        .problem = "the accumulator was made for another " + std::string(setting),
                        .fix = "make every accumulator with this component's accumulator()"});
}

// The accumulators (or a chunk and the accumulator) saw different columns.
[[noreturn]] inline void accumulator_columns_differ(std::string_view component, std::string problem) {
    fail<SchemaError>({.component = std::string(component),
                       .problem = std::move(problem),
                       .fix = "give every chunk and every shard the same columns"});
}

// A chunk of `got` columns where earlier chunks (or the merged accumulator) had `expected`.
inline void check_chunk_width(std::string_view component, std::size_t got, std::size_t expected) {
    if (got != expected)
        accumulator_columns_differ(component, "a chunk has " + std::to_string(got) + " columns, earlier chunks had " +
                                                  std::to_string(expected));
}

}  // namespace reprep::detail
