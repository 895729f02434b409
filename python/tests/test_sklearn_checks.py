"""scikit-learn's own estimator checks on every numeric component (docs/python.md lists tags)."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_estimator

import reprep

# One instance per numeric kind. Defaults where they can fit any data; otherwise the
# nearest setting that can (each says why): the checks feed random data of 1 to 10
# columns named x0, x1, ... with negative values.
NUMERIC = [
    reprep.StandardScaler(), reprep.MinMaxScaler(), reprep.MaxAbsScaler(), reprep.RobustScaler(),
    reprep.Normalizer(), reprep.Binarizer(), reprep.SimpleImputer(), reprep.MissingIndicator(),
    reprep.EndTailImputer(), reprep.PowerTransformer(), reprep.QuantileTransformer(), reprep.CyclicalFeatures(),
    reprep.KBinsDiscretizer(), reprep.Winsorizer(),
    # The default C = 0 refuses x <= 0 (log undefined); 'auto' learns the offset.
    reprep.LogTransformer(C="auto"),
    # These two have no default: the bins and caps are given per column.
    reprep.ArbitraryDiscretiser(binning_dict={"x0": [-np.inf, 0.0, np.inf]}),
    reprep.ArbitraryOutlierCapper(max_capping_dict={"x0": 1.0}, min_capping_dict={"x0": -1.0}),
    # It imputes numeric and categorical columns; the checks cover the numeric side.
    reprep.RandomSampleImputer(seed=7),
    # create/ and select/ (they read plain arrays as columns x0, x1, ...).
    reprep.PolynomialFeatures(), reprep.SplineTransformer(), reprep.MathFeatures(),
    reprep.DropDuplicateFeatures(), reprep.DropCorrelatedFeatures(),
    # No default: at least one reference and one function are required.
    reprep.RelativeFeatures(reference=["x0"], func=("sub",)),
    # The default missing_values='raise' refuses NaN but takes +-inf as values (as
    # feature-engine's does), where check_estimators_nan_inf expects both refused.
    reprep.DropConstantFeatures(missing_values="ignore"),
    # split_col is required (a split by row position would depend on the row order); x0
    # is in every array the checks feed. bins=2: check_estimators_dtypes fits 20 rows of
    # small integers, whose split leaves 4 rows on one side, and each side needs bins.
    # Its check_estimators_nan_inf is skipped under missing_values='raise' (the
    # _xfail_checks tag, with the reason; docs/python.md).
    reprep.DropHighPSIFeatures(split_col="x0", bins=2),
]

# Numeric kinds the checks cannot run on, each with the reason (docs/python.md): none.
NOT_CHECKED = set()


@pytest.mark.parametrize("est", NUMERIC, ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    check_estimator(est)


def test_every_numeric_kind_is_checked():
    # A kind added to C++ and bound but left out of NUMERIC fails here, not silently.
    checked = {type(e).__name__ for e in NUMERIC} | NOT_CHECKED
    numeric = {name for name, cls in vars(reprep).items()
               if isinstance(cls, type) and issubclass(cls, reprep._base._Component) and not cls._categorical
               and not cls._datetime}
    assert numeric <= checked, numeric - checked
    assert len(numeric) == 26


def test_tags_follow_missing_values():
    # allow_nan follows the missing_values parameter where it decides whether fit takes NaN.
    assert reprep.DropConstantFeatures()._get_tags()["allow_nan"] is False
    assert reprep.DropConstantFeatures(missing_values="ignore")._get_tags()["allow_nan"] is True
    assert reprep.MathFeatures()._get_tags()["allow_nan"] is False
    assert reprep.DropCorrelatedFeatures()._get_tags()["allow_nan"] is True
    assert reprep.DatetimeFeatures()._get_tags()["X_types"] == ["datetime"]
    # The one skipped check, only where it does not apply (missing_values='raise').
    assert set(reprep.DropHighPSIFeatures()._get_tags()["_xfail_checks"]) == {"check_estimators_nan_inf"}
    assert not reprep.DropHighPSIFeatures(missing_values="ignore")._get_tags()["_xfail_checks"]
    assert not reprep.StandardScaler()._get_tags()["_xfail_checks"]


def test_clone_and_params():
    est = reprep.SimpleImputer(columns=["a"], strategy="median")
    c = clone(est)
    assert c.get_params() == est.get_params()
    pipe = reprep.Pipeline([("s", reprep.StandardScaler())])
    pipe.set_params(s__with_mean=False)
    assert pipe.named_steps["s"].with_mean is False
