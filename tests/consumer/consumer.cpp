// A tiny outside program: it only uses the umbrella header and the public API.
#include <cstdio>
#include <reprep/reprep.hpp>

int main() {
    reprep::check_fp_environment();
    std::printf("consumer ok: reprep %u.%u.%u, format %u\n", reprep::version_major, reprep::version_minor,
                reprep::version_patch, reprep::format_version);
    return 0;
}
