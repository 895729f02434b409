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
};

class Error : public std::runtime_error {
public:
    explicit Error(ErrorContext ctx) : std::runtime_error(format(ctx)), ctx_(std::move(ctx)) {}

    const std::string& component() const noexcept { return ctx_.component; }
    const std::string& column() const noexcept { return ctx_.column; }
    const std::optional<std::size_t>& row() const noexcept { return ctx_.row; }
    const std::string& problem() const noexcept { return ctx_.problem; }
    const std::string& fix() const noexcept { return ctx_.fix; }

private:
    static std::string format(const ErrorContext& c) {
        std::string m = c.component.empty() ? std::string("reprep") : c.component;
        m += ": ";
        if (!c.column.empty()) m += "column '" + c.column + "'" + (c.row ? ", " : ": ");
        if (c.row) m += "row " + std::to_string(*c.row) + ": ";
        m += c.problem;
        if (!c.fix.empty()) m += ". Fix: " + c.fix;
        return m;
    }
    ErrorContext ctx_;
};

// A Params field is out of its domain; `column` holds the field name.
class InvalidParameter : public Error { using Error::Error; };
// transform()/accessors called before fit().
class NotFitted : public Error { using Error::Error; };
// Missing, extra or mistyped column; wrong matrix width.
class SchemaError : public Error { using Error::Error; };
// A category not seen in fit under handle_unknown = error.
class UnknownCategory : public Error { using Error::Error; };
// Data the component cannot accept: NaN/Inf where forbidden, empty data, x <= 0 for Box-Cox ...
class InvalidInput : public Error { using Error::Error; };
// An artifact that is corrupt, truncated, hostile, of another kind or of a newer format.
class FormatError : public Error { using Error::Error; };
// The floating-point environment would break bit-reproducibility (FTZ, rounding, contraction).
class EnvironmentError : public Error { using Error::Error; };

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
        fail<SchemaError>(
            {.component = component, .problem = e.problem(), .fix = e.fix(), .column = e.column(), .row = e.row()});
    }
}
}  // namespace detail
}  // namespace reprep
