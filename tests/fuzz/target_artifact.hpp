// libFuzzer target: artifact loading for every kind and for pipelines.
//
// The input is an artifact *without* its trailing checksum: the target appends the
// correct XXH3-64, so mutations reach the envelope and payload parsers instead of
// stopping at the checksum. The raw input is also tried as-is (checksum path).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "exercise.hpp"

namespace fuzz {

inline int run_artifact(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    fuzz::load_any(raw);
    std::string fixed(raw);
    reprep::detail::append_le64(fixed, reprep::xxh3_64(raw));
    fuzz::load_any(fixed);
    return 0;
}

}  // namespace fuzz
