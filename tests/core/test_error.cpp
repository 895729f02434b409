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
    check(IoError({.component = "", .problem = ""}));
}

TEST_CASE("a parameter is named as a parameter, before the column and row") {
    try {
        detail::fail<InvalidParameter>({.component = "OrdinalEncoder",
                                        .problem = "is the code of a known category",
                                        .fix = "pick an unused code",
                                        .column = "sex",
                                        .parameter = "unknown_value"});
        FAIL("no throw");
    } catch (const InvalidParameter& e) {
        CHECK(std::string(e.what()) ==
              "OrdinalEncoder: parameter 'unknown_value', column 'sex': is the code of a known category. Fix: pick an unused code");
        CHECK(e.parameter() == "unknown_value");
        CHECK(e.column() == "sex");  // both given: both kept
    }
}

TEST_CASE("InvalidParameter moves a field name given as `column` to `parameter`") {
    // Component headers name the Params field in `column`; the message must not call it a column.
    const InvalidParameter e({.component = "OneHotEncoder", .problem = "holds an unknown value", .column = "handle_unknown"});
    CHECK(std::string(e.what()) == "OneHotEncoder: parameter 'handle_unknown': holds an unknown value");
    CHECK(e.parameter() == "handle_unknown");
    CHECK(e.column().empty());
    // Other error types keep `column` as it is.
    const InvalidInput i({.component = "X", .problem = "p", .column = "c"});
    CHECK(i.column() == "c");
    CHECK(i.parameter().empty());
}

namespace {
// A user's error type that does not override rethrow_with.
class MyError : public Error {
    using Error::Error;
};

template <class E>
std::string rethrown_type(const E& original) {
    try {
        const Error& base = original;
        ErrorContext ctx = base.context();
        ctx.component = "Outer: " + ctx.component;
        base.rethrow_with(std::move(ctx));
    } catch (const InvalidParameter&) {
        return "InvalidParameter";
    } catch (const NotFitted&) {
        return "NotFitted";
    } catch (const SchemaError&) {
        return "SchemaError";
    } catch (const UnknownCategory&) {
        return "UnknownCategory";
    } catch (const InvalidInput&) {
        return "InvalidInput";
    } catch (const FormatError&) {
        return "FormatError";
    } catch (const EnvironmentError&) {
        return "EnvironmentError";
    } catch (const IoError&) {
        return "IoError";
    } catch (const Error& e) {
        return std::string("Error:") + e.what();
    }
    return "no throw";
}
}  // namespace

TEST_CASE("rethrow_with raises the same type with the new context, through a reference to the base") {
    const ErrorContext c{.component = "C", .problem = "p", .column = "x", .row = 2};
    CHECK(rethrown_type(InvalidParameter(c)) == "InvalidParameter");
    CHECK(rethrown_type(NotFitted(c)) == "NotFitted");
    CHECK(rethrown_type(SchemaError(c)) == "SchemaError");
    CHECK(rethrown_type(UnknownCategory(c)) == "UnknownCategory");
    CHECK(rethrown_type(InvalidInput(c)) == "InvalidInput");
    CHECK(rethrown_type(FormatError(c)) == "FormatError");
    CHECK(rethrown_type(EnvironmentError(c)) == "EnvironmentError");
    CHECK(rethrown_type(IoError(c)) == "IoError");
    // A type that does not override it comes back as a plain Error, with the new context.
    CHECK(rethrown_type(MyError(c)) == "Error:Outer: C: column 'x', row 2: p");
    try {
        SchemaError(c).rethrow_with({.component = "Outer", .problem = "q", .row = 5});
    } catch (const SchemaError& e) {
        CHECK(std::string(e.what()) == "Outer: row 5: q");
    }
}

TEST_CASE("NotFitted says what to do") {
    CHECK_THROWS_WITH_AS(detail::not_fitted("MinMaxScaler"),
                         doctest::Contains("MinMaxScaler: this instance is not fitted yet. Fix: call fit()"), NotFitted);
}
