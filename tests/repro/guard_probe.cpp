// The repro probe of the forced-contraction configuration (repro-fp-contract): this
// unit is compiled with -ffp-contract=fast -mfma after reprep's -ffp-contract=off, as a
// user who overrides reprep's flags would compile a unit, and must be refused by the FP
// guard before it computes anything (exit 3 and an EnvironmentError line, which is what
// the matrix expects of it).
//
// It includes what probe.cpp includes and calls the guard as probe.cpp's main does
// first. The guard's contraction probe is per translation unit (fp_tu_contracts in
// core/fp_env.hpp), so a unit with only this main is refused exactly as the full probe
// is; the full probe's fits would be compiled only to be refused at start-up, at about
// 60 s of CPU per run (docs/ci.md).
#include <iostream>

#include <reprep/reprep.hpp>

int main() {
    try {
        reprep::check_fp_environment();
    } catch (const reprep::EnvironmentError& e) {
        std::cout << "fp_environment refused EnvironmentError: " << e.what() << "\n";
        return 3;
    }
    // Not refused: this build would compute with contracted arithmetic. Exit 1, as the
    // full probe exits on a mismatch, so that the configuration fails.
    std::cout << "fp_environment accepted a unit built with -ffp-contract=fast\n";
    return 1;
}
