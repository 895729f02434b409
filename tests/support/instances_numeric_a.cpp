// One share of the explicit instantiations declared in instances.hpp; the kinds are
// split over a few units so that both cores build them.
#define REPREP_TEST_INSTANCES_DEFINE
#include "instances.hpp"

REPREP_TEST_NUMERIC_INSTANCE(StandardScaler)
REPREP_TEST_NUMERIC_INSTANCE(MinMaxScaler)
REPREP_TEST_NUMERIC_INSTANCE(MaxAbsScaler)
REPREP_TEST_NUMERIC_INSTANCE(RobustScaler)
REPREP_TEST_NUMERIC_INSTANCE(Normalizer)
REPREP_TEST_NUMERIC_INSTANCE(Binarizer)
