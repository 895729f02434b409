// A unit that only includes the umbrella header: what every file of a user's program
// that writes #include <reprep/reprep.hpp> pays before its own code (docs/ci.md).
#include <reprep/reprep.hpp>

int main() { return 0; }
