// The OS's reason for a failed file operation, for IoError messages (archive save and
// load, read_csv). Level 0: the standard library only.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

namespace reprep::detail {
// The OS's reason for the last failed open/read/write ("No such file or directory",
// "Permission denied"), read right after the failing call; errno is what the standard
// streams leave on POSIX systems, and std::filesystem gives the same text otherwise.
inline std::string os_reason(int err, const std::filesystem::path& path) {
    if (err != 0) return std::generic_category().message(err);
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec) return ec.message();
    if (!std::filesystem::exists(st)) return "no such file or directory";
    return "the stream could not be opened";
}
}  // namespace reprep::detail
