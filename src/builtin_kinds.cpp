// The compiled mode's one unit (CMake option REPREP_COMPILED): the built-in kinds (compose/builtin_kinds.hpp)
// are instantiated and registered here, once, instead of in every unit of a user's
// program that loads a pipeline. The headers then only declare
// BuiltinKinds::register_all (compose/registry.hpp). Both modes run the same code, so
// they give the same bits; the repro matrix's gcc-O2 configuration is built this way.
#define REPREP_BUILDING_LIBRARY
#include <reprep/compose/registry.hpp>

#if !defined(REPREP_COMPILED_LIB)
#error "src/builtin_kinds.cpp is built only in compiled mode (REPREP_COMPILED_LIB defined)"
#endif

namespace reprep::detail {

void BuiltinKinds::register_all() {
    static std::once_flag once;
    std::call_once(once, [] { register_each_builtin_kind(); });
}

}  // namespace reprep::detail
