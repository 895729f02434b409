// Explicit instantiations of the built-in kinds for the test executables (docs/ci.md).
//
// Every test unit used to instantiate and compile, at -O0 under ASan and UBSan, the
// member functions of every kind it touches, and most units touch many: template
// instantiation was about 70 % of a contract unit's compile time. Here each kind is
// instantiated once, in reprep_test_instances (tests/support/instances_*.cpp, built
// with the same flags as the tests, so the sanitizers still see every line), and the
// shared precompiled header declares them `extern`, so the other units only call them.
// At -O0 GCC then compiles none of those members again.
//
// Only the test build uses this; a user's program instantiates what it uses, as before.
// A unit built without the precompiled header (the forced-contraction units) does not
// see these declarations and instantiates its own copies, which is still correct.
#pragma once

#include <reprep/reprep.hpp>

// The numeric kinds: class templates on the scalar type.
#define REPREP_TEST_NUMERIC_KINDS(X)                                                                  \
    X(StandardScaler) X(MinMaxScaler) X(MaxAbsScaler) X(RobustScaler) X(Normalizer) X(Binarizer)      \
    X(SimpleImputer) X(MissingIndicator) X(EndTailImputer) X(LogTransformer) X(PowerTransformer)      \
    X(QuantileTransformer) X(CyclicalFeatures) X(KBinsDiscretizer) X(ArbitraryDiscretiser)            \
    X(Winsorizer) X(ArbitraryOutlierCapper)                                                          \
    X(PolynomialFeatures) X(MathFeatures) X(RelativeFeatures) X(SplineTransformer)

// The categorical kinds and the feature selectors: plain classes with inline members,
// so only their pipeline step wrapper is a template to instantiate. (Their CategoricalComponent base cannot be
// instantiated whole: its record overloads static_assert on the kind's output type.)
#define REPREP_TEST_CATEGORICAL_KINDS(X)                                                              \
    X(OneHotEncoder) X(OrdinalEncoder) X(CountFrequencyEncoder) X(RareLabelEncoder) X(HashingEncoder) \
    X(CategoricalImputer) X(TargetEncoder) X(WoEEncoder) X(DropConstantFeatures) X(DropDuplicateFeatures)   \
    X(DropCorrelatedFeatures) X(DropHighPSIFeatures) X(DatetimeFeatures) X(DatetimeSubtraction)

#ifndef REPREP_TEST_INSTANCES_DEFINE
#define REPREP_TEST_INSTANCE extern template
#else
#define REPREP_TEST_INSTANCE template
#endif

#define REPREP_TEST_NUMERIC_INSTANCE(K)                                                               \
    REPREP_TEST_INSTANCE class reprep::detail::NumericComponent<reprep::K<double>, double>;         \
    REPREP_TEST_INSTANCE class reprep::detail::NumericComponent<reprep::K<float>, float>;           \
    REPREP_TEST_INSTANCE class reprep::K<double>;                                                    \
    REPREP_TEST_INSTANCE class reprep::K<float>;                                                     \
    REPREP_TEST_INSTANCE class reprep::detail::StepModel<reprep::K<double>>;

#define REPREP_TEST_CATEGORICAL_INSTANCE(K)                                                           \
    REPREP_TEST_INSTANCE class reprep::detail::StepModel<reprep::K>;

#ifndef REPREP_TEST_INSTANCES_DEFINE
REPREP_TEST_NUMERIC_KINDS(REPREP_TEST_NUMERIC_INSTANCE)
REPREP_TEST_CATEGORICAL_KINDS(REPREP_TEST_CATEGORICAL_INSTANCE)
#endif
