"""partial_fit: chunks through the C++ Accumulator give the state of one fit on all rows."""
import numpy as np
import pandas as pd
import pytest

import reprep

# The kinds whose C++ Accumulator holds a few numbers per column (docs/python.md).
ACCUMULATING = ["StandardScaler", "MinMaxScaler", "MaxAbsScaler", "MissingIndicator", "LogTransformer",
                "CyclicalFeatures"]


@pytest.fixture
def X():
    rng = np.random.RandomState(23)
    X = rng.gamma(2.0, 3.0, size=(90, 3)) + 0.5  # positive: LogTransformer's default C = 0
    X[rng.rand(*X.shape) < 0.1] = np.nan
    return X


def test_which_kinds_have_partial_fit():
    have = {name for name, cls in vars(reprep).items() if isinstance(cls, type) and hasattr(cls, "partial_fit")}
    assert have == set(ACCUMULATING)


@pytest.mark.parametrize("name", ACCUMULATING)
def test_chunks_in_any_order_give_the_table_fit_of_all_rows(name, X):
    cls = getattr(reprep, name)
    # The reference is C++ fit over a Table (a DataFrame takes that path), with the
    # names an array gets.
    df = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    table_fit = cls().fit(df)
    assert cls().fit(X).fingerprint() == table_fit.fingerprint()
    chunks = np.array_split(X, 3)
    for order in ([0, 1, 2], [2, 0, 1]):
        est = cls()
        for i in order:
            assert est.partial_fit(chunks[i]) is est
        assert est.fingerprint() == table_fit.fingerprint()
        np.testing.assert_array_equal(est.transform(X), table_fit.transform(df))


def test_partial_fit_after_fit_continues(X):
    est = reprep.StandardScaler().fit(X[:40])
    est.partial_fit(X[40:])
    assert est.fingerprint() == reprep.StandardScaler().fit(X).fingerprint()
    np.testing.assert_array_equal(est.n_samples_seen_, (~np.isnan(X)).sum(axis=0))  # NaN not counted, as sklearn
    # fit starts over.
    assert est.fit(X[:40]).fingerprint() == reprep.StandardScaler().fit(X[:40]).fingerprint()


def test_refusals(X):
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    with pytest.raises(reprep.InvalidParameter, match="NumPy arrays"):
        reprep.StandardScaler().partial_fit(df)
    with pytest.raises(reprep.InvalidParameter, match="NumPy arrays"):
        reprep.StandardScaler(columns=["x0"]).partial_fit(X)
    with pytest.raises(reprep.InvalidParameter, match="kept no accumulator"):
        reprep.StandardScaler().fit(df).partial_fit(X)
    est = reprep.StandardScaler().partial_fit(X)
    with pytest.raises(reprep.SchemaError):
        est.partial_fit(X[:, :2])  # another width than the first chunk
    before = X.copy()
    bad = X.copy()
    bad[3, 1] = np.inf
    with pytest.raises(reprep.InvalidInput, match="x1"):
        reprep.MinMaxScaler().partial_fit(bad)
    np.testing.assert_array_equal(X, before)
