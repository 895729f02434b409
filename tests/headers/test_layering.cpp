// The include graph of include/reprep follows docs/design.md, "Layers": every include
// points down a level or stays in its folder, sibling component families never include
// each other, and so no folder-level cycle exists. This test reads the headers' own
// #include lines, so a new header or a new include is checked the day it is written.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kInclude = fs::path(REPREP_SOURCE_DIR) / "include" / "reprep";

// The level of a header, from its path under include/reprep. Lower levels never include
// higher ones. version.hpp is a leaf (no includes) that any level may read.
struct Place {
    std::string folder;  // "core", "core/detail", "encode", "." ...
    int level = -1;
};

const std::set<std::string> kFamilies = {"impute", "scale", "encode", "discretise", "transform",
                                         "outliers", "model_selection", "datetime", "create", "select"};

Place place_of(const fs::path& header) {
    const fs::path rel = fs::relative(header, kInclude);
    std::string folder = rel.parent_path().generic_string();
    if (folder.empty()) folder = ".";
    if (rel == "version.hpp") return {"version", 0};
    if (folder == "core/detail") return {folder, 0};
    if (folder == "core") return {folder, 1};
    if (folder == "component") return {folder, 2};
    // A family's own detail/ folder belongs to that family, one step below it.
    if (folder.ends_with("/detail") && kFamilies.count(folder.substr(0, folder.size() - 7))) return {folder, 3};
    if (kFamilies.count(folder)) return {folder, 4};
    if (folder == "compose") return {folder, 5};  // the profile and the monitor live here (docs/design.md)
    if (folder == "distributed") return {folder, 6};
    if (folder == ".") return {folder, 7};  // the umbrella header
    return {folder, -1};
}

struct Edge {
    fs::path from, to;
};

std::vector<Edge> read_edges() {
    std::vector<Edge> edges;
    const std::regex quoted(R"re(^\s*#\s*include\s*"([^"]+)")re");
    const std::regex angled(R"re(^\s*#\s*include\s*<reprep/([^>]+)>)re");
    for (const auto& entry : fs::recursive_directory_iterator(kInclude)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".hpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        while (std::getline(in, line)) {
            std::smatch m;
            if (std::regex_search(line, m, quoted)) {
                edges.push_back({entry.path(), fs::weakly_canonical(entry.path().parent_path() / m[1].str())});
            } else if (std::regex_search(line, m, angled)) {
                edges.push_back({entry.path(), fs::weakly_canonical(kInclude / m[1].str())});
            }
        }
    }
    return edges;
}

std::string show(const fs::path& p) { return fs::relative(p, kInclude).generic_string(); }

}  // namespace

TEST_CASE("every header has a place in the layering") {
    int headers = 0;
    for (const auto& entry : fs::recursive_directory_iterator(kInclude)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".hpp") continue;
        ++headers;
        INFO("header ", show(entry.path()), " is in no known layer: add its folder to docs/design.md and here");
        CHECK(place_of(entry.path()).level >= 0);
    }
    CHECK(headers > 50);
}

TEST_CASE("includes point down the layers and never between sibling families") {
    const auto edges = read_edges();
    REQUIRE(edges.size() > 100);
    for (const auto& e : edges) {
        INFO(show(e.from), " includes ", show(e.to));
        REQUIRE(fs::exists(e.to));
        const Place a = place_of(e.from), b = place_of(e.to);
        if (a.folder == b.folder) continue;
        CHECK(b.level < a.level);
        // A family's detail/ folder is that family's alone.
        if (b.level == 3) CHECK(b.folder == a.folder + "/detail");
    }
}

TEST_CASE("the folder graph has no cycle") {
    std::map<std::string, std::set<std::string>> graph;
    for (const auto& e : read_edges()) {
        const std::string a = place_of(e.from).folder, b = place_of(e.to).folder;
        if (a != b) graph[a].insert(b);
    }
    // Depth-first search with colours; a grey node reached again closes a cycle.
    std::map<std::string, int> colour;
    std::vector<std::string> stack;
    std::string cycle;
    std::function<void(const std::string&)> visit = [&](const std::string& n) {
        colour[n] = 1;
        stack.push_back(n);
        for (const auto& m : graph[n]) {
            if (!cycle.empty()) return;
            if (colour[m] == 1) {
                std::ostringstream out;
                for (auto it = std::find(stack.begin(), stack.end(), m); it != stack.end(); ++it) out << *it << " -> ";
                cycle = out.str() + m;
                return;
            }
            if (colour[m] == 0) visit(m);
        }
        stack.pop_back();
        colour[n] = 2;
    };
    for (const auto& [n, _] : graph)
        if (colour[n] == 0 && cycle.empty()) visit(n);
    INFO("folder cycle: ", cycle);
    CHECK(cycle.empty());
}

TEST_CASE("the checker sees a cycle and an upward include when there is one") {
    // The rules above are only worth something if they can fail: a header in core/
    // that included a component base would be an upward include.
    CHECK(place_of(kInclude / "core" / "table.hpp").level < place_of(kInclude / "component" / "x.hpp").level);
    CHECK(place_of(kInclude / "encode" / "x.hpp").level == place_of(kInclude / "scale" / "x.hpp").level);
    CHECK(place_of(kInclude / "core" / "detail" / "x.hpp").level < place_of(kInclude / "core" / "x.hpp").level);
}
