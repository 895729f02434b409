// The built-in component kinds, registered for load_pipeline. Pipelines work on
// Tables, whose numeric columns are double, so numeric components register as <double>.
// The kinds are those of reprep::builtin_kinds (builtin_kinds.hpp), the one list that
// the test zoo and the repro probe are driven by too.
#pragma once

#include <mutex>

#include "step.hpp"

#include "builtin_kinds.hpp"  // the list of kinds, and every component header

namespace reprep::detail {

inline void register_builtin_components() {
    static std::once_flag once;
    std::call_once(once, [] { for_each_type<builtin_kinds>([]<class C>() { register_component<C>(); }); });
}

}  // namespace reprep::detail
