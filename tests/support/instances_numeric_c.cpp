// One share of the explicit instantiations declared in instances.hpp.
#define REPREP_TEST_INSTANCES_DEFINE
#include "instances.hpp"

REPREP_TEST_NUMERIC_INSTANCE(CyclicalFeatures)
REPREP_TEST_NUMERIC_INSTANCE(KBinsDiscretizer)
REPREP_TEST_NUMERIC_INSTANCE(ArbitraryDiscretiser)
REPREP_TEST_NUMERIC_INSTANCE(Winsorizer)
REPREP_TEST_NUMERIC_INSTANCE(ArbitraryOutlierCapper)
