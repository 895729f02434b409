// One share of the explicit instantiations declared in instances.hpp.
#define REPREP_TEST_INSTANCES_DEFINE
#include "instances.hpp"

REPREP_TEST_CATEGORICAL_KINDS(REPREP_TEST_CATEGORICAL_INSTANCE)
