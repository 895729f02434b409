// The result type shared by every splitter: row indices into the data, each list in
// increasing order (so a split reads the rows in their original order).
#pragma once

#include <cstddef>
#include <vector>

namespace reprep {
struct Split {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
};
}  // namespace reprep
