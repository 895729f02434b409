// Quickstart: check the floating-point environment, save an object, reload it and
// compare fingerprints. Grows into the full train -> serve demo as components land.
#include <cstdio>
#include <reprep/reprep.hpp>

int main() {
    reprep::check_fp_environment();
    std::printf("reprep %u.%u.%u (artifact format %u): floating-point environment OK\n", reprep::version_major,
                reprep::version_minor, reprep::version_patch, reprep::format_version);
    return 0;
}
