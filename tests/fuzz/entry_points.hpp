// The fuzz targets' entry points, defined once in targets.cpp (see there why).
#pragma once
#include <cstddef>
#include <cstdint>

namespace fuzz {
int entry_artifact(const std::uint8_t* data, std::size_t size);
int entry_csv(const std::uint8_t* data, std::size_t size);
int entry_row(const std::uint8_t* data, std::size_t size);
}  // namespace fuzz
