// Compiled with -ffp-contract=fast -mfma (see tests/CMakeLists.txt): this translation
// unit is exactly what the guard exists to catch.
#include <doctest/doctest.h>

#include <reprep/core/fp_env.hpp>

TEST_CASE("the probe refuses a translation unit compiled with -ffp-contract=fast -mfma") {
    CHECK_THROWS_WITH_AS(reprep::check_fp_environment(), doctest::Contains("contraction"), reprep::EnvironmentError);
    CHECK_THROWS_WITH_AS(reprep::check_fp_environment(),
                         doctest::Contains("Fix: rebuild that translation unit with -ffp-contract=off"),
                         reprep::EnvironmentError);
}
