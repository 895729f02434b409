// Reader for the scaler/imputer golden files written by tests/golden/golden_scalers.py
// (format described there), shared by test_parity_scalers.cpp and test_parity_imputers.cpp;
// its field helpers (from_hex, split) serve every parity test.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <reprep/core/matrix.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace golden {

inline double from_hex(const std::string& s) { return std::bit_cast<double>(std::stoull(s, nullptr, 16)); }

// The fields of one line, separated by `sep` (empty fields kept).
inline std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

struct Case {
    std::string name, component, dtype, data;
    std::map<std::string, std::vector<std::string>> params;
    std::map<std::string, std::vector<double>> state;  // 'state <attr>' and the Normalizer norm lines
    std::map<std::string, std::vector<std::uint64_t>> ints;
    std::map<std::string, std::vector<std::vector<double>>> rows;  // 'out', 'out_exact', 'row'
    std::vector<std::string> names;

    bool has_param(const std::string& k) const { return params.count(k) != 0; }
    std::string param(const std::string& k, std::string dflt = "") const {
        auto it = params.find(k);
        return it == params.end() ? dflt : it->second.at(0);
    }
    double param_d(const std::string& k, double dflt) const { return has_param(k) ? std::stod(param(k)) : dflt; }
    bool param_b(const std::string& k, bool dflt) const { return has_param(k) ? param(k) == "True" : dflt; }
    bool has_state(const std::string& k) const { return state.count(k) != 0; }
    const std::vector<double>& st(const std::string& k) const {
        auto it = state.find(k);
        REQUIRE_MESSAGE(it != state.end(), name << ": no state " << k);
        return it->second;
    }
    reprep::Matrix<double> matrix(const std::string& key) const {
        const auto& r = rows.at(key);
        reprep::Matrix<double> M(static_cast<Eigen::Index>(r.size()), r.empty() ? 0 : static_cast<Eigen::Index>(r[0].size()));
        for (std::size_t i = 0; i < r.size(); ++i)
            for (std::size_t j = 0; j < r[i].size(); ++j) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = r[i][j];
        return M;
    }
};

inline std::filesystem::path dir() { return std::filesystem::path(REPREP_GOLDEN_DIR) / "scalers"; }

inline Case read(const std::filesystem::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
    Case c;
    c.name = path.stem().string();
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ss(line);
        std::string key, tok;
        ss >> key;
        std::vector<std::string> toks;
        while (ss >> tok) toks.push_back(tok);
        if (key == "component") c.component = toks.at(0);
        else if (key == "dtype") c.dtype = toks.at(0);
        else if (key == "data") c.data = toks.at(0);
        else if (key == "names") c.names = toks;
        else if (key == "param") c.params[toks.at(0)] = std::vector<std::string>(toks.begin() + 1, toks.end());
        else if (key == "ints") {
            auto& v = c.ints[toks.at(0)];
            for (std::size_t i = 1; i < toks.size(); ++i) v.push_back(std::stoull(toks[i]));
        } else if (key == "state") {
            auto& v = c.state[toks.at(0)];
            for (std::size_t i = 1; i < toks.size(); ++i) v.push_back(from_hex(toks[i]));
        } else if (key == "norm_sklearn" || key == "norm_exact") {
            auto& v = c.state[key];
            for (const auto& t : toks) v.push_back(from_hex(t));
        } else {
            std::vector<double> r;
            for (const auto& t : toks) r.push_back(from_hex(t));
            c.rows[key].push_back(std::move(r));
        }
    }
    return c;
}

// The golden cases of one component, sorted by name.
inline std::vector<Case> cases_of(const std::string& component) {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(dir())) {
        const auto stem = e.path().stem().string();
        if (stem.rfind("data_", 0) == 0 || stem.rfind("test_", 0) == 0) continue;
        paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<Case> out;
    for (const auto& p : paths) {
        Case c = read(p);
        if (c.component == component) out.push_back(std::move(c));
    }
    REQUIRE_MESSAGE(!out.empty(), "no golden cases for " << component);
    return out;
}

inline reprep::Matrix<double> train(const Case& c) { return read(dir() / ("data_" + c.data + ".txt")).matrix("row"); }
inline reprep::Matrix<double> test(const Case& c) { return read(dir() / ("test_" + c.data + ".txt")).matrix("row"); }

// Same bits, or both NaN (NaN payloads are not part of the contract with numpy).
inline bool same(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}

inline bool close(double a, double b, double rel) {
    if (same(a, b)) return true;
    if (std::isnan(a) || std::isnan(b)) return false;
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

// Counts cells that differ from `expected` (both given as doubles).
template <class T>
std::size_t count_diff(const reprep::Matrix<T>& ours, const reprep::Matrix<double>& expected) {
    REQUIRE(ours.rows() == expected.rows());
    REQUIRE(ours.cols() == expected.cols());
    std::size_t d = 0;
    for (Eigen::Index i = 0; i < ours.rows(); ++i)
        for (Eigen::Index j = 0; j < ours.cols(); ++j) d += !same(static_cast<double>(ours(i, j)), expected(i, j));
    return d;
}

// Compares one fitted array with scikit-learn's: within rel, and counts exact matches.
struct StateReport {
    std::size_t n = 0, exact = 0, close = 0;
    double worst = 0.0;
};
inline StateReport compare_state(const std::vector<double>& ours, const std::vector<double>& theirs, double rel) {
    StateReport r;
    REQUIRE(ours.size() == theirs.size());
    for (std::size_t j = 0; j < ours.size(); ++j) {
        ++r.n;
        r.exact += same(ours[j], theirs[j]);
        r.close += close(ours[j], theirs[j], rel);
        if (!std::isnan(ours[j]) && !std::isnan(theirs[j]) && theirs[j] != 0.0)
            r.worst = std::max(r.worst, std::abs(ours[j] - theirs[j]) / std::abs(theirs[j]));
    }
    return r;
}

}  // namespace golden
