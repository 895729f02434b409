// Loading a Pipeline: Pipeline::load_state (steps through the registry of kinds, the
// input schema, the serving policy), restore_metadata (lineage and the training profile
// from the artifact's metadata), and the load_pipeline functions. Part of pipeline.hpp,
// which includes it at its end; kept apart so that each file reads top to bottom.
#pragma once

#include <charconv>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "pipeline.hpp"

namespace reprep {

inline void Pipeline::restore_metadata(const Metadata& m) {
    auto number = [](const std::string& key, const std::string& v) {
        std::uint64_t x = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || end != v.data() + v.size() || v.empty())
            detail::fail<FormatError>({.component = "load_pipeline",
                                       .problem = "metadata '" + key + "' is not a number: '" + v + "'",
                                       .fix = "the reprep.* metadata keys are reserved for the lineage; save the pipeline "
                                              "again without setting them by hand"});
        return x;
    };
    for (const auto& [k, v] : m) {
        if (k == "reprep.profile") {
            auto prof = std::make_shared<const Profile>(Profile::from_bytes(v));
            bool matches = prof->columns().size() == schema_.size();
            for (std::size_t j = 0; matches && j < schema_.size(); ++j)
                matches = prof->columns()[j].name == schema_[j].name && prof->columns()[j].type == schema_[j].type;
            if (!matches)
                detail::fail<FormatError>({.component = "load_pipeline",
                                           .problem = "the training profile does not describe the pipeline's input schema",
                                           .fix = "the reprep.* metadata keys are reserved; save the pipeline again without "
                                                  "setting them by hand"});
            profile_ = std::move(prof);
        } else if (k == "reprep.lineage.rows") lineage_.rows = number(k, v);
        else if (k == "reprep.lineage.seed") lineage_.seed = number(k, v);
        else if (k == "reprep.lineage.data_fingerprint") {
            if (v.size() != 32 || v.find_first_not_of("0123456789abcdef") != std::string::npos)
                detail::fail<FormatError>({.component = "load_pipeline",
                                           .problem = "the lineage data fingerprint is not 32 lowercase hex digits",
                                           .fix = "the reprep.* metadata keys are reserved for the lineage; save the "
                                                  "pipeline again without setting them by hand"});
            lineage_.data_fingerprint.high = std::stoull(v.substr(0, 16), nullptr, 16);
            lineage_.data_fingerprint.low = std::stoull(v.substr(16), nullptr, 16);
        } else {
            metadata_[k] = v;
        }
    }
}

template <class Kinds>
Pipeline Pipeline::load_state(ArchiveReader& r, std::uint32_t) {
    Kinds::register_all();
    Pipeline p;
    p.fitted_ = r.boolean();
    const std::size_t n = r.size(8 + 8 + 4 + 8);
    for (std::size_t i = 0; i < n; ++i) {
        std::string name = r.str();
        std::string kind = r.str();
        const std::uint32_t version = r.u32();
        const std::string payload = r.str();
        detail::StepLoader loader;
        {
            auto& reg = detail::registry();
            std::lock_guard lock(reg.mutex);
            auto it = reg.loaders.find(kind);
            if (it == reg.loaders.end())
                detail::fail<FormatError>({.component = "load_pipeline",
                                   .problem = "step '" + name + "' is of kind '" + kind + "', which is not registered",
                                   .fix = "call reprep::register_component<YourType>() before loading, or update reprep"});
            loader = it->second;
        }
        ArchiveReader sr(payload, kind);
        auto step = loader(sr, version);
        sr.expect_end();
        if (std::find(p.names_.begin(), p.names_.end(), name) != p.names_.end()) r.fail("duplicate step name '" + name + "'");
        p.names_.push_back(std::move(name));
        p.steps_.push_back(std::move(step));
    }
    const std::size_t ns = r.size(9);
    for (std::size_t i = 0; i < ns; ++i) {
        SchemaColumn c;
        c.name = r.str();
        const auto t = r.u8();
        if (t > 2) r.fail("a schema column has type " + std::to_string(t));
        c.type = static_cast<ColumnType>(t);
        p.schema_.push_back(std::move(c));
    }
    std::vector<FillValue> fills;
    detail::load_serving_policy(r, p.schema_, p.policy_, fills);
    if (p.policy_.missing_columns == MissingColumns::fill)
        p.fills_ = std::make_shared<const std::vector<FillValue>>(std::move(fills));
    p.mark_required();
    if (p.fitted_)
        for (const auto& s : p.steps_)
            if (!s->is_fitted()) r.fail("a fitted pipeline holds an unfitted step");
    return p;
}

}  // namespace reprep

namespace reprep {
// Loads a pipeline saved by reprep::save(pipeline, ...), whatever steps it holds, as
// long as their kinds are registered (every reprep component is).
// Templates for the same reason as Pipeline::load_state; call them as plain functions.
// Each checks the floating-point environment first (EnvironmentError), so that a service
// built with -ffp-contract=fast, or running with FTZ/DAZ or another rounding mode, stops
// at start-up rather than on its first request (transform checks again: the state can
// change later).
// Kinds is the registry the steps are looked up in: every built-in kind by default, or
// only those a serving unit names (reprep::Kinds<...>, registry.hpp).
template <class Kinds = detail::BuiltinKinds>
Pipeline load_pipeline(const std::filesystem::path& path) {
    check_fp_environment();
    return load<Pipeline, Kinds>(path);
}
template <class Kinds = detail::BuiltinKinds>
Pipeline load_pipeline(std::istream& in) {
    check_fp_environment();
    return load<Pipeline, Kinds>(in);
}
template <class Kinds = detail::BuiltinKinds>
Pipeline load_pipeline_bytes(std::string_view bytes) {
    check_fp_environment();
    return load_bytes<Pipeline, Kinds>(bytes);
}

// Loads only the artifact that was validated: its fingerprint(pipeline) (32 hex digits,
// what reprep-inspect prints) must equal `expected`, else FormatError naming both, so
// a service cannot start on a swapped or retrained model by mistake.
template <class Kinds = detail::BuiltinKinds>
Pipeline load_pipeline(const std::filesystem::path& path, std::string_view expected_fingerprint) {
    Pipeline p = load_pipeline<Kinds>(path);
    const std::string got = fingerprint(p);
    if (got != expected_fingerprint)
        detail::fail<FormatError>({.component = "load_pipeline",
                                   .problem = "'" + path.string() + "' has fingerprint " + got + ", expected " +
                                              std::string(expected_fingerprint),
                                   .fix = "deploy the artifact that was validated, or update the expected fingerprint"});
    return p;
}

}  // namespace reprep
