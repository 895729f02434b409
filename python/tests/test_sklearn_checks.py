"""scikit-learn's own estimator checks on the numeric components (docs/python.md lists tags)."""
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_estimator

import reprep


@pytest.mark.parametrize("est", [reprep.StandardScaler(), reprep.MinMaxScaler(), reprep.MaxAbsScaler(),
                                 reprep.RobustScaler(), reprep.SimpleImputer()],
                         ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    check_estimator(est)


def test_clone_and_params():
    est = reprep.SimpleImputer(columns=["a"], strategy="median")
    c = clone(est)
    assert c.get_params() == est.get_params()
    pipe = reprep.Pipeline([("s", reprep.StandardScaler())])
    pipe.set_params(s__with_mean=False)
    assert pipe.named_steps["s"].with_mean is False
