// The built-in component kinds, registered for load_pipeline. Pipelines work on
// Tables, whose numeric columns are double, so numeric components register as <double>.
// The kinds are those of reprep::builtin_kinds (builtin_kinds.hpp), the one list that
// the test zoo and the repro probe are driven by too.
//
// Two modes (docs/ci.md, "compile time"):
//   - header-only (default): BuiltinKinds::register_all is a template defined here, so
//     the 32 kinds are instantiated only in the units that load a pipeline;
//   - compiled (CMake option REPREP_COMPILED, which defines REPREP_COMPILED_LIB for
//     every user of reprep::reprep): it is defined once, in the reprep_compiled
//     library (src/builtin_kinds.cpp), and this header includes no component at all.
#pragma once

#include <mutex>

#include "step.hpp"

#if !defined(REPREP_COMPILED_LIB) || defined(REPREP_BUILDING_LIBRARY)
#include "builtin_kinds.hpp"  // the list of kinds, and every component header
#endif

namespace reprep::detail {

struct BuiltinKinds {
#if defined(REPREP_COMPILED_LIB)
    static void register_all();  // defined once, in src/builtin_kinds.cpp
#else
    template <class = void>
    static void register_all();
#endif
};

#if !defined(REPREP_COMPILED_LIB) || defined(REPREP_BUILDING_LIBRARY)
// The registrations themselves. A template, so that a unit instantiates the 32 kinds
// only if it calls it.
template <class = void>
void register_each_builtin_kind() {
    detail::for_each_type<builtin_kinds>([]<class C>() { register_component<C>(); });
}
#endif

#if !defined(REPREP_COMPILED_LIB)
template <class>
void BuiltinKinds::register_all() {
    static std::once_flag once;
    std::call_once(once, [] { register_each_builtin_kind(); });
}
#endif

// For callers that register the built-in kinds by hand (a loader test, a tool).
template <class Kinds = BuiltinKinds>
void register_builtin_components() {
    Kinds::register_all();
}

}  // namespace reprep::detail

namespace reprep {

// Only the kinds a serving unit names, for load_pipeline<Kinds<...>>(path) (and
// describe_artifact<Kinds<...>>): the unit instantiates those kinds alone, which is the
// header-only road to a serving unit that compiles fast (docs/ci.md, "Compile time of a
// user's units"); compiled mode gets there for every kind at once. A pipeline holding a
// kind not registered (here or elsewhere) is refused with a FormatError naming it.
//   auto served = reprep::load_pipeline<reprep::Kinds<reprep::SimpleImputer<>,
//                                                      reprep::StandardScaler<>>>(path);
template <class... C>
struct Kinds {
    static void register_all() {
        static std::once_flag once;
        std::call_once(once, [] { (register_component<C>(), ...); });
    }
};

}  // namespace reprep
