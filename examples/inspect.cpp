// reprep-inspect: prints any reprep artifact as readable text.
//
//   reprep-inspect FILE.rpp
#include <cstdio>
#include <fstream>
#include <iterator>
#include <reprep/compose/inspect.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: reprep-inspect ARTIFACT\n");
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    if (!f) {
        std::fprintf(stderr, "reprep-inspect: cannot open %s\n", argv[1]);
        return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    try {
        std::fputs(reprep::describe_artifact(bytes).c_str(), stdout);
    } catch (const reprep::Error& e) {
        std::fprintf(stderr, "reprep-inspect: %s\n", e.what());
        return 1;
    }
    return 0;
}
