// reprep::describe_artifact — any artifact as readable text: envelope (kind, versions,
// metadata), fingerprints, and for registered kinds the columns each step reads and
// writes and its fitted state (describe.hpp: medians, caps, categories, encodings,
// lambdas, edges; long lists shortened unless DescribeOptions::full); for a pipeline
// also its input schema, lineage and training profile. Used by reprep-inspect.
#pragma once

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>

#include "describe.hpp"
#include "pipeline.hpp"

namespace reprep {

// How much describe_artifact prints of a step's fitted state.
struct DescribeOptions {
    bool full = false;  // every item of every list (reprep-inspect --full)
    // Items shown of a long list (categories, edges, quantiles) when not full.
    std::size_t max_items = 8;
};

namespace detail {
inline std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
}

// The fingerprint of a saved object, computed from its artifact bytes alone (the
// same value fingerprint(obj) gives for the loaded object).
inline std::string fingerprint_of_payload(std::string_view kind, std::uint32_t schema_version, std::string_view payload) {
    ArchiveWriter w;
    w.str(kind);
    w.u32(schema_version);
    std::string bytes = std::move(w).bytes();
    bytes.append(payload.data(), payload.size());
    return xxh3_128(bytes).hex();
}

// The kinds whose state describe_artifact<Kinds> summarises: those a Kinds<C...> names
// (so that a unit that names its kinds instantiates no others), else every built-in one.
template <class K>
struct described_kinds {
    using type = builtin_kinds;
};
template <class... C>
struct described_kinds<Kinds<C...>> {
    using type = std::tuple<C...>;
};

// The columns a step reads and writes, then its fitted state, one item a line.
template <class List>
void describe_step(std::ostringstream& o, const StepBase& s, const std::string& indent, std::size_t max_items) {
    if (!s.is_fitted()) {
        o << indent << "state: not fitted\n";
        return;
    }
    const auto type = [&](ColumnType t) { return s.mixed_types() ? std::string_view("mixed") : to_string(t); };
    o << indent << "reads (" << type(s.type_in()) << "): " << join(s.columns_in()) << "\n";
    o << indent << "writes (" << type(s.type_out()) << "): " << join(s.columns_out()) << "\n";
    const auto lines = describe_step_state<List>(s, max_items);
    if (!lines) {
        o << indent << "state: no summary for kind " << s.kind() << " (not among the kinds this binary describes)\n";
        return;
    }
    o << indent << "state:\n";
    for (const auto& l : *lines) o << indent << "  " << l << "\n";
}
inline std::string short_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

// The training profile, one line per column (the 5 most frequent categories).
inline void describe_profile(std::ostringstream& o, const Profile& prof) {
    o << "profile (training data):\n";
    for (const auto& c : prof.columns()) {
        o << "  " << c.name << ": " << c.count << " rows, " << c.missing << " missing";
        if (c.type != ColumnType::categorical) {  // a datetime's as nanoseconds since the epoch
            o << ", min " << short_number(c.min) << ", max " << short_number(c.max) << ", mean " << short_number(c.mean)
              << ", std " << short_number(c.std) << "; decile edges";
            for (double e : c.edges) o << " " << short_number(e);
            o << "\n";
            continue;
        }
        o << ", " << c.distinct << " categories; top";
        for (std::size_t i = 0; i < c.categories.size() && i < 5; ++i) o << " " << c.categories[i] << " (" << c.counts[i] << ")";
        if (c.categories.size() > 5 || c.other > 0) o << " ...";
        o << "\n";
    }
}
}  // namespace detail

// A template only so that the built-in kinds are instantiated where it is called
// (Pipeline::load_state says why).
template <class Kinds = detail::BuiltinKinds>
std::string describe_artifact(std::string_view bytes, const DescribeOptions& options = {}) {
    if (!options.full && options.max_items == 0)
        detail::fail<InvalidParameter>({.component = "describe_artifact",
                                        .problem = "max_items must be at least 1",
                                        .fix = "leave it at 8, or set full = true for every item",
                                        .parameter = "max_items"});
    const std::size_t max_items = options.full ? SIZE_MAX : options.max_items;
    using List = typename detail::described_kinds<Kinds>::type;
    Kinds::register_all();
    const Artifact a = decode_artifact(bytes);
    const auto& h = a.header;
    std::ostringstream o;
    o << "kind: " << h.kind << " (schema version " << h.schema_version << ")\n";
    o << "format version: " << h.format_version << ", written by reprep " << h.library_major << "." << h.library_minor << "."
      << h.library_patch << "\n";
    o << "size: " << bytes.size() << " bytes, payload " << a.payload.size() << " bytes\n";
    o << "fingerprint: " << detail::fingerprint_of_payload(h.kind, h.schema_version, a.payload) << "\n";
    if (h.kind == Pipeline::kind_name()) {
        const Pipeline p = load_bytes<Pipeline, Kinds>(bytes);
        o << "steps: " << p.size() << "\n";
        for (std::size_t i = 0; i < p.size(); ++i) {
            o << "  " << i + 1 << ". " << p.step_names()[i] << ": " << p.step_kind(i) << ", fingerprint " << p.step_fingerprint(i)
              << "\n";
            detail::describe_step<List>(o, p.step_at(i), "     ", max_items);
        }
        if (p.is_fitted()) {
            const ServingPolicy& sp = p.serving_policy();
            const bool fills = sp.missing_columns == MissingColumns::fill;
            o << "serving policy: absent columns " << (fills ? "filled" : "refused") << ", extra columns "
              << (sp.extra_columns == ExtraColumns::pass ? "passed through"
                  : sp.extra_columns == ExtraColumns::drop ? "dropped"
                                                           : "refused")
              << "\n";
            o << "input schema:\n";
            for (std::size_t j = 0; j < p.input_schema().size(); ++j) {
                const auto& c = p.input_schema()[j];
                o << "  " << detail::printable(c.name) << ": " << to_string(c.type);
                if (fills) {
                    const FillValue& f = p.fill_values()[j];
                    o << ", filled with "
                      << (c.type == ColumnType::numeric ? detail::exact_number(f.number)
                          : f.category && c.type == ColumnType::categorical                 ? detail::printable(*f.category)
                                                        : std::string("missing"));
                }
                o << "\n";
            }
            o << "features out: " << detail::join(p.feature_names_out()) << "\n";
            o << "lineage: training rows " << p.lineage().rows << ", data fingerprint " << p.lineage().data_fingerprint.hex()
              << ", seed " << p.lineage().seed << "\n";
            if (p.has_profile()) detail::describe_profile(o, p.profile());
            else o << "profile: none (saved before reprep recorded one)\n";
        }
        o << "metadata:" << (p.metadata().empty() ? " none" : "") << "\n";
        for (const auto& [k, v] : p.metadata()) o << "  " << k << " = " << v << "\n";
        return o.str();
    }
    o << "metadata:" << (h.metadata.empty() ? " none" : "") << "\n";
    for (const auto& [k, v] : h.metadata) o << "  " << k << " = " << v << "\n";
    detail::StepLoader loader;
    {
        auto& reg = detail::registry();
        std::lock_guard lock(reg.mutex);
        if (auto it = reg.loaders.find(h.kind); it != reg.loaders.end()) loader = it->second;
    }
    if (!loader) {
        o << "state: kind not registered in this binary; payload not decoded\n";
        return o.str();
    }
    ArchiveReader r(a.payload, h.kind);
    const auto step = loader(r, h.schema_version);
    r.expect_end();
    detail::describe_step<List>(o, *step, "", max_items);
    return o.str();
}

}  // namespace reprep
