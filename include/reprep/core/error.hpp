// The reprep error hierarchy (docs/design.md, "Errors").
//
// Every error a user can trigger is a reprep::Error. Messages start with the
// component (e.g. "StandardScaler:"), then say where (column, row), what rule was
// broken and what to do. The structured fields are kept too, so callers can react
// programmatically without parsing the message.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace reprep {

// Where and why an error happened. Only `component` and `problem` are required.
struct ErrorContext {
    std::string component;             // "StandardScaler", "read_csv", "archive" ...
    std::string problem;               // what rule was broken
    std::string fix = {};              // what the caller should do
    std::string column = {};           // column name (or index as text) if known
    std::optional<std::size_t> row = {};  // 0-based row if known
    // The Params field (or function argument) an InvalidParameter is about. Last, so
    // that adding it broke no designated initializer in existing code.
    std::string parameter = {};
};

class Error : public std::runtime_error {
public:
    explicit Error(ErrorContext ctx) : std::runtime_error(format(ctx)), ctx_(std::move(ctx)) {}

    const std::string& component() const noexcept { return ctx_.component; }
    const std::string& column() const noexcept { return ctx_.column; }
    const std::optional<std::size_t>& row() const noexcept { return ctx_.row; }
    const std::string& parameter() const noexcept { return ctx_.parameter; }
    const std::string& problem() const noexcept { return ctx_.problem; }
    const std::string& fix() const noexcept { return ctx_.fix; }
    const ErrorContext& context() const noexcept { return ctx_; }

    // Throws an error of this one's dynamic type carrying `ctx`, so that a layer that
    // adds context (a Pipeline naming its failing step) keeps the type callers catch.
    // Every reprep error type overrides it; a user type derived from Error that does not
    // is raised again as a plain Error.
    [[noreturn]] virtual void rethrow_with(ErrorContext ctx) const { throw Error(std::move(ctx)); }

private:
    static std::string format(const ErrorContext& c) {
        std::string m = c.component.empty() ? std::string("reprep") : c.component;
        m += ": ";
        std::string where;
        if (!c.parameter.empty()) where = "parameter '" + c.parameter + "'";
        if (!c.column.empty()) where += (where.empty() ? "" : ", ") + ("column '" + c.column + "'");
        if (c.row) where += (where.empty() ? "" : ", ") + ("row " + std::to_string(*c.row));
        if (!where.empty()) m += where + ": ";
        m += c.problem;
        if (!c.fix.empty()) m += ". Fix: " + c.fix;
        return m;
    }
    ErrorContext ctx_;
};

// Defines an Error subclass whose rethrow_with keeps its type.
#define REPREP_ERROR_TYPE(Name)                                                                          \
    class Name : public Error {                                                                          \
    public:                                                                                              \
        using Error::Error;                                                                              \
        [[noreturn]] void rethrow_with(ErrorContext ctx) const override { throw Name(std::move(ctx)); } \
    }

// transform()/accessors called before fit().
REPREP_ERROR_TYPE(NotFitted);
// Missing, extra or mistyped column; wrong matrix width.
REPREP_ERROR_TYPE(SchemaError);
// A category not seen in fit under handle_unknown = error.
REPREP_ERROR_TYPE(UnknownCategory);
// Data the component cannot accept: NaN/Inf where forbidden, empty data, x <= 0 for Box-Cox ...
REPREP_ERROR_TYPE(InvalidInput);
// An artifact that is corrupt, truncated, hostile, of another kind or of a newer format.
REPREP_ERROR_TYPE(FormatError);
// The floating-point environment would break bit-reproducibility (FTZ, rounding, contraction).
REPREP_ERROR_TYPE(EnvironmentError);
// A file could not be opened, read or written; the message carries the OS's reason.
REPREP_ERROR_TYPE(IoError);
#undef REPREP_ERROR_TYPE

// A Params field (or an argument) is out of its domain; parameter() names it.
class InvalidParameter : public Error {
public:
    // Component headers name the field in `column` (written before `parameter`
    // existed); it moves to `parameter` here, once, so that the message reads
    // "parameter 'handle_unknown'", not "column 'handle_unknown'".
    explicit InvalidParameter(ErrorContext ctx) : Error(as_parameter(std::move(ctx))) {}
    [[noreturn]] void rethrow_with(ErrorContext ctx) const override { throw InvalidParameter(std::move(ctx)); }

private:
    static ErrorContext as_parameter(ErrorContext c) {
        if (c.parameter.empty() && !c.column.empty()) c.parameter = std::exchange(c.column, std::string());
        return c;
    }
};

namespace detail {
// Shorthand used throughout the library: throw E with a full context.
template <class E>
[[noreturn]] inline void fail(ErrorContext ctx) { throw E(std::move(ctx)); }

// The standard NotFitted error for accessors and transform.
[[noreturn]] inline void not_fitted(const std::string& component) {
    fail<NotFitted>({.component = component,
                     .problem = "this instance is not fitted yet",
                     .fix = "call fit() (or load a fitted artifact) before transform() or reading fitted state"});
}
// Runs f(). A SchemaError raised by Table itself (which knows no component) is raised
// again under `component`, keeping column, problem and fix, so that the message names
// the component that needed the column (docs/design.md, "The promise", item 5), not just "Table".
template <class F>
decltype(auto) with_component(const std::string& component, F&& f) {
    try {
        return f();
    } catch (const SchemaError& e) {
        if (e.component() != "Table") throw;
        fail<SchemaError>({.component = component,
                           .problem = e.problem(),
                           .fix = e.fix(),
                           .column = e.column(),
                           .row = e.row(),
                           .parameter = e.parameter()});
    }
}
// Runs f(). An Error it raises loses its row: the single-row paths run the batch
// kernel on a one-row view, whose "row 0" would mislead a caller who passed one record
// and no rows (the error keeps its type, column and fix).
template <class F>
decltype(auto) without_row(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        if (!e.row()) throw;
        ErrorContext ctx = e.context();
        ctx.row.reset();
        e.rethrow_with(std::move(ctx));
    }
}
}  // namespace detail
}  // namespace reprep
