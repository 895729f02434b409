// The bad-input catalogue's harness. Each Case names the input, the error type it
// must raise and a fragment of the message (the rule that was broken), and owns the
// object and the input it works on. run_catalogue() checks, for every case, that
//   * exactly that reprep error type is thrown (nothing else, no success),
//   * the message contains the fragment (and, when a case sets them, does not contain
//     `absent` and contains `once` exactly once: the wording of the situation, not of
//     another one, and context said once),
//   * the input and the object's fitted state hash the same afterwards, and any
//     output buffer the call was given still holds its sentinel (no partial output).
#pragma once

#include <doctest/doctest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "../fuzz/zoo.hpp"

namespace catalogue {

using namespace reprep;

struct Case {
    std::string name;
    std::string expected;  // error type name, e.g. "InvalidInput"
    std::string fragment;
    std::function<void()> act;
    std::function<std::string()> digest;  // input + state + outputs, compared before/after
    std::string absent = {};  // must not be in the message (e.g. "row 0" on the single-row path)
    std::string once = {};    // must be in the message exactly once (context not repeated)
};

// Sets the two optional message checks of a case.
inline Case with_message(Case c, std::string absent, std::string once = {}) {
    c.absent = std::move(absent);
    c.once = std::move(once);
    return c;
}

inline std::string type_name(const Error& e) {
    if (dynamic_cast<const InvalidParameter*>(&e)) return "InvalidParameter";
    if (dynamic_cast<const NotFitted*>(&e)) return "NotFitted";
    if (dynamic_cast<const SchemaError*>(&e)) return "SchemaError";
    if (dynamic_cast<const UnknownCategory*>(&e)) return "UnknownCategory";
    if (dynamic_cast<const InvalidInput*>(&e)) return "InvalidInput";
    if (dynamic_cast<const FormatError*>(&e)) return "FormatError";
    if (dynamic_cast<const EnvironmentError*>(&e)) return "EnvironmentError";
    if (dynamic_cast<const IoError*>(&e)) return "IoError";
    return "Error";
}

// ---- digests: exact bits of whatever a case holds ------------------------------
inline std::string bits(const void* p, std::size_t n) { return std::string(static_cast<const char*>(p), n); }
template <class T>
std::string digest_of(const Matrix<T>& m) {
    return std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + ":" +
           xxh3_128(bits(m.data(), static_cast<std::size_t>(m.size()) * sizeof(T))).hex();
}
inline std::string digest_of(const Table& t) { return zoo::output_hash(t); }
inline std::string digest_of(const std::string& s) { return xxh3_128(s).hex(); }
inline std::string digest_of(const std::vector<double>& v) { return xxh3_128(bits(v.data(), v.size() * 8)).hex(); }
inline std::string digest_of(const std::vector<Cell>& rec) {
    std::string s;
    for (const auto& c : rec) s += std::to_string(static_cast<int>(c.type)) + bits(&c.number, 8) + (c.text ? "1" + std::string(*c.text) : "0");
    return xxh3_128(s).hex();
}
template <class... T>
std::string digest_of(const std::tuple<T...>& t) {
    return std::apply([](const auto&... x) { return ((digest_of(x) + "|") + ...); }, t);
}
// A component's (or pipeline's) params + fitted state.
template <class C>
    requires Saveable<C>
std::string digest_of(const C& c) {
    return fingerprint(c);
}

// The single-row paths' inputs and output buffers (the buffers start as sentinels), for
// the encoders' transform_row (RecordIO) and the table imputers' single-row paths
// (RowIO). Here rather than in their test files so that `make` finds their digest_of
// by ADL in this one namespace, also when the files are compiled together.
struct RecordIO {
    std::vector<std::optional<std::string_view>> in, texts_out;
    std::vector<double> numbers_out;
};
struct RowIO {
    std::vector<double> numbers, numbers_out;
    std::vector<std::optional<std::string_view>> texts, texts_out;
};
inline std::string digest_of_texts(const std::vector<std::optional<std::string_view>>& v) {
    std::string s;
    for (const auto& t : v) s += t ? "1" + std::string(*t) + "|" : "0|";
    return s;
}
inline std::string digest_of(const RecordIO& r) {
    return xxh3_128(digest_of(r.numbers_out) + digest_of_texts(r.in) + digest_of_texts(r.texts_out)).hex();
}
inline std::string digest_of(const RowIO& r) {
    return xxh3_128(digest_of(r.numbers) + digest_of(r.numbers_out) + digest_of_texts(r.texts) + digest_of_texts(r.texts_out)).hex();
}

// A case on `obj` and `input` (both owned by the case): act(obj, input) must throw.
//
// Why the two layers: the catalogue holds thousands of cases, and a template on each
// case's own lambda type compiled the case's wrapper lambdas and their std::function
// machinery once per case, which was most of a bad-input unit's compile time. A
// captureless act (nearly all of them) is turned into a plain function pointer first,
// so make_with<> is compiled once per (object, input) type pair; an act that captures
// keeps its own type, as before. The cases themselves do not change.
template <class Obj, class Input, class Act>
Case make_with(std::string name, std::string expected, std::string fragment, Obj obj, Input input, Act act) {
    auto o = std::make_shared<Obj>(std::move(obj));
    auto in = std::make_shared<Input>(std::move(input));
    return {std::move(name), std::move(expected), std::move(fragment), [o, in, act] { act(*o, *in); },
            [o, in] { return digest_of(*o) + "/" + digest_of(*in); }};
}
template <class Obj, class Input, class Act>
Case make(std::string name, std::string expected, std::string fragment, Obj obj, Input input, Act act) {
    // The mutable form first: it is how the act is called, so a generic lambda's body is
    // instantiated exactly as before (the const form could instantiate it ill-formed).
    using Mut = void (*)(Obj&, Input&);
    using Const = void (*)(Obj&, const Input&);
    if constexpr (std::is_convertible_v<Act, Mut>)
        return make_with(std::move(name), std::move(expected), std::move(fragment), std::move(obj), std::move(input),
                         static_cast<Mut>(act));
    else if constexpr (std::is_convertible_v<Act, Const>)
        return make_with(std::move(name), std::move(expected), std::move(fragment), std::move(obj), std::move(input),
                         static_cast<Const>(act));
    else
        return make_with(std::move(name), std::move(expected), std::move(fragment), std::move(obj), std::move(input),
                         std::move(act));
}
// A case with no object (constructors, readers): only the input is checked.
template <class Input, class Act>
Case make_free_with(std::string name, std::string expected, std::string fragment, Input input, Act act) {
    auto in = std::make_shared<Input>(std::move(input));
    return {std::move(name), std::move(expected), std::move(fragment), [in, act] { act(*in); },
            [in] { return digest_of(*in); }};
}
template <class Input, class Act>
Case make_free(std::string name, std::string expected, std::string fragment, Input input, Act act) {
    using Mut = void (*)(Input&);
    using Const = void (*)(const Input&);
    if constexpr (std::is_convertible_v<Act, Mut>)
        return make_free_with(std::move(name), std::move(expected), std::move(fragment), std::move(input),
                              static_cast<Mut>(act));
    else if constexpr (std::is_convertible_v<Act, Const>)
        return make_free_with(std::move(name), std::move(expected), std::move(fragment), std::move(input),
                              static_cast<Const>(act));
    else
        return make_free_with(std::move(name), std::move(expected), std::move(fragment), std::move(input), std::move(act));
}

inline void run_catalogue(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        const std::string before = c.digest();
        std::string got = "no error", msg;
        try {
            c.act();
        } catch (const Error& e) {
            got = type_name(e);
            msg = e.what();
        } catch (const std::exception& e) {
            got = std::string("std::exception (") + e.what() + ")";
        }
        CHECK_MESSAGE(got == c.expected, c.name << ": expected " << c.expected << ", got " << got << " — " << msg);
        CHECK_MESSAGE(msg.find(c.fragment) != std::string::npos,
                      c.name << ": message lacks '" << c.fragment << "': " << msg);
        if (!c.absent.empty())
            CHECK_MESSAGE(msg.find(c.absent) == std::string::npos, c.name << ": message holds '" << c.absent << "': " << msg);
        if (!c.once.empty()) {
            const auto first = msg.find(c.once);
            CHECK_MESSAGE((first != std::string::npos && msg.find(c.once, first + 1) == std::string::npos),
                          c.name << ": '" << c.once << "' is not in the message exactly once: " << msg);
        }
        CHECK_MESSAGE(c.digest() == before, c.name << ": input, state or output buffer changed");
    }
}

// ---- common inputs ---------------------------------------------------------------
inline const double kNaN = std::numeric_limits<double>::quiet_NaN();
inline const double kInf = std::numeric_limits<double>::infinity();

// A 6x3 matrix of positive values, with `v` at (r, c) when given.
inline Matrix<double> mat(double v = 1.0, Eigen::Index r = -1, Eigen::Index c = -1, Eigen::Index rows = 6, Eigen::Index cols = 3) {
    Matrix<double> m(rows, cols);
    for (Eigen::Index j = 0; j < cols; ++j)
        for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = 1.0 + static_cast<double>(i * cols + j) * 0.5;
    if (r >= 0) m(r, c) = v;
    return m;
}
inline Matrix<double> all_nan_column() {
    Matrix<double> m = mat();
    for (Eigen::Index i = 0; i < m.rows(); ++i) m(i, 1) = kNaN;
    return m;
}
// An output buffer full of a sentinel, to prove a refused transform wrote nothing.
inline Matrix<double> sentinel(Eigen::Index rows, Eigen::Index cols) { return Matrix<double>::Constant(rows, cols, -12345.0); }

// Fits a copy of c on X and returns it.
template <class C, class X>
C fitted(C c, const X& x) {
    c.fit(x);
    return c;
}

inline Table penguins() { return zoo::penguins(REPREP_TEST_DATA_DIR); }
inline Table complete() { return zoo::complete_rows(penguins()); }

}  // namespace catalogue
