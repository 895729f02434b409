#include <doctest/doctest.h>

#include <reprep/core/error.hpp>

using namespace reprep;

TEST_CASE("error messages start with the component and carry column, row and fix") {
    try {
        detail::fail<InvalidInput>({.component = "StandardScaler",
                                    .problem = "NaN is not allowed here",
                                    .fix = "impute it first",
                                    .column = "body_mass_g",
                                    .row = 17});
        FAIL("no throw");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()) ==
              "StandardScaler: column 'body_mass_g', row 17: NaN is not allowed here. Fix: impute it first");
        CHECK(e.component() == "StandardScaler");
        CHECK(e.column() == "body_mass_g");
        REQUIRE(e.row().has_value());
        CHECK(*e.row() == 17);
    }
}

TEST_CASE("every error type is a reprep::Error and a std::runtime_error") {
    auto check = [](auto tag) {
        using E = decltype(tag);
        try {
            detail::fail<E>({.component = "X", .problem = "p"});
        } catch (const Error& e) {
            CHECK(std::string(e.what()) == "X: p");
            CHECK(dynamic_cast<const std::runtime_error*>(&e) != nullptr);
            CHECK(dynamic_cast<const E*>(&e) != nullptr);
            return;
        }
        FAIL("not caught as reprep::Error");
    };
    check(InvalidParameter({.component = "", .problem = ""}));
    check(NotFitted({.component = "", .problem = ""}));
    check(SchemaError({.component = "", .problem = ""}));
    check(UnknownCategory({.component = "", .problem = ""}));
    check(InvalidInput({.component = "", .problem = ""}));
    check(FormatError({.component = "", .problem = ""}));
    check(EnvironmentError({.component = "", .problem = ""}));
}

TEST_CASE("NotFitted says what to do") {
    CHECK_THROWS_WITH_AS(detail::not_fitted("MinMaxScaler"),
                         doctest::Contains("MinMaxScaler: this instance is not fitted yet. Fix: call fit()"), NotFitted);
}
