// One share of the explicit instantiations declared in instances.hpp.
#define REPREP_TEST_INSTANCES_DEFINE
#include "instances.hpp"

REPREP_TEST_NUMERIC_INSTANCE(SimpleImputer)
REPREP_TEST_NUMERIC_INSTANCE(MissingIndicator)
REPREP_TEST_NUMERIC_INSTANCE(EndTailImputer)
REPREP_TEST_NUMERIC_INSTANCE(LogTransformer)
REPREP_TEST_NUMERIC_INSTANCE(PowerTransformer)
REPREP_TEST_NUMERIC_INSTANCE(QuantileTransformer)
