// reprep version and artifact format version: the single place they are defined.
// CMake parses this file, so keep each #define on its own line.
#pragma once

#define REPREP_VERSION_MAJOR 0
#define REPREP_VERSION_MINOR 1
#define REPREP_VERSION_PATCH 0

// Version of the binary artifact envelope (docs/format.md). Readers accept every
// version up to this one and refuse newer ones with FormatError.
#define REPREP_FORMAT_VERSION 1

namespace reprep {
inline constexpr unsigned version_major = REPREP_VERSION_MAJOR;
inline constexpr unsigned version_minor = REPREP_VERSION_MINOR;
inline constexpr unsigned version_patch = REPREP_VERSION_PATCH;
inline constexpr unsigned format_version = REPREP_FORMAT_VERSION;
}  // namespace reprep
