"""partial_fit and accumulators: chunks through the C++ Accumulator give the state of one
fit on all rows, bit for bit, for every kind that has one (docs/python.md)."""
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import reprep

# Every kind whose C++ component has a mergeable Accumulator (numeric or Table).
ACCUMULATING = [
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "SimpleImputer", "MissingIndicator",
    "EndTailImputer", "LogTransformer", "QuantileTransformer", "CyclicalFeatures", "KBinsDiscretizer", "Winsorizer",
    "SplineTransformer", "OneHotEncoder", "OrdinalEncoder", "CountFrequencyEncoder", "RareLabelEncoder",
    "HashingEncoder", "TargetEncoder", "WoEEncoder", "CategoricalImputer", "RandomSampleImputer",
    "DropConstantFeatures", "DropDuplicateFeatures", "DropCorrelatedFeatures", "DropHighPSIFeatures",
]
# Those whose accumulator is a few numbers per column: fit() keeps it, so partial_fit
# after fit continues from fit's rows.
KEEP_IN_FIT = ["StandardScaler", "MinMaxScaler", "MaxAbsScaler", "MissingIndicator", "LogTransformer",
               "CyclicalFeatures"]

ROWS = 90


def _rng():
    return np.random.RandomState(23)


def numeric_frame(nan=True):
    """Three numeric columns (positive, so LogTransformer's default fits) around a
    categorical one that numeric kinds pass through."""
    rng = _rng()
    df = pd.DataFrame({
        "a": rng.gamma(2.0, 3.0, ROWS) + 0.5,
        "b": rng.normal(size=ROWS) * 10.0 + 40.0,
        "cat": rng.choice(["u", "v", None], size=ROWS),
        "c": rng.gamma(1.0, 1.0, ROWS) + 0.5,
    })
    if nan:
        for col in "abc":
            df.loc[rng.rand(ROWS) < 0.1, col] = np.nan
    return df


def categorical_frame(missing=True):
    rng = _rng()
    s = rng.choice(["a", "b", "c", "d"], size=ROWS).astype(object)
    t = rng.choice(["x", "yy", "z"], size=ROWS).astype(object)
    if missing:
        s[rng.rand(ROWS) < 0.1] = None
        t[rng.rand(ROWS) < 0.1] = None
    return pd.DataFrame({"s": s, "n": rng.normal(size=ROWS), "t": t})


def mixed_frame():
    """What the selectors examine: a duplicate, a constant, a correlated and a split column."""
    rng = _rng()
    a = rng.normal(size=ROWS)
    return pd.DataFrame({
        "t": np.arange(ROWS, dtype=np.float64)[rng.permutation(ROWS)],
        "a": a,
        "a_dup": a.copy(),
        "const": np.ones(ROWS),
        "corr": 2.0 * a + rng.normal(size=ROWS) * 0.01,
        "b": rng.gamma(2.0, 1.0, ROWS) + np.where(np.arange(ROWS) % 2 == 0, 0.0, 3.0),
        "cat": rng.choice(["p", "q", "r"], size=ROWS).astype(object),
    })


def target():
    return (_rng().rand(ROWS) < 0.4).astype(np.float64)


# name, params, frame maker, whether fit uses y, and the inputs the case takes: the
# DataFrame, a NumPy array of its numeric columns (named x0, x1, ...), or both.
CASES = [
    ("StandardScaler", {}, numeric_frame, False, "both"),
    ("StandardScaler", {"columns": ["c", "a"]}, numeric_frame, False, "frame"),
    ("MinMaxScaler", {}, numeric_frame, False, "both"),
    ("MaxAbsScaler", {}, numeric_frame, False, "both"),
    ("RobustScaler", {}, numeric_frame, False, "both"),
    ("SimpleImputer", {}, numeric_frame, False, "both"),
    ("SimpleImputer", {"strategy": "median", "columns": ["b"]}, numeric_frame, False, "frame"),
    ("SimpleImputer", {"strategy": "most_frequent"}, numeric_frame, False, "both"),
    ("MissingIndicator", {}, numeric_frame, False, "both"),
    ("EndTailImputer", {}, numeric_frame, False, "both"),
    ("EndTailImputer", {"imputation_method": "iqr"}, numeric_frame, False, "both"),
    ("LogTransformer", {}, numeric_frame, False, "both"),
    ("QuantileTransformer", {"n_quantiles": 20}, numeric_frame, False, "both"),
    ("CyclicalFeatures", {}, numeric_frame, False, "both"),
    ("CyclicalFeatures", {"columns": ["a", "c"]}, numeric_frame, False, "frame"),
    ("KBinsDiscretizer", {"n_bins": 4}, lambda: numeric_frame(nan=False), False, "both"),
    ("KBinsDiscretizer", {"strategy": "kmeans", "encode": "ordinal"}, lambda: numeric_frame(nan=False), False, "both"),
    ("Winsorizer", {}, numeric_frame, False, "both"),
    ("Winsorizer", {"capping_method": "iqr", "tail": "both"}, numeric_frame, False, "both"),
    ("SplineTransformer", {"knots": "quantile", "n_knots": 4}, lambda: numeric_frame(nan=False), False, "both"),
    ("OneHotEncoder", {}, categorical_frame, False, "frame"),
    ("OrdinalEncoder", {}, categorical_frame, False, "frame"),
    ("OrdinalEncoder", {"order": "ordered", "columns": ["t"]}, categorical_frame, True, "frame"),
    ("CountFrequencyEncoder", {"missing_values": "ignore", "encoding_method": "frequency"}, categorical_frame,
     False, "frame"),
    ("RareLabelEncoder", {"missing_values": "ignore", "tol": 0.3}, categorical_frame, False, "frame"),
    ("HashingEncoder", {}, categorical_frame, False, "frame"),
    ("TargetEncoder", {}, categorical_frame, True, "frame"),
    ("TargetEncoder", {"target_type": "multiclass"}, categorical_frame, True, "frame"),
    ("TargetEncoder", {"target_type": "continuous", "smooth": 2.0}, categorical_frame, True, "frame"),
    ("WoEEncoder", {}, lambda: categorical_frame(missing=False), True, "frame"),
    ("CategoricalImputer", {}, categorical_frame, False, "frame"),
    ("CategoricalImputer", {"imputation_method": "frequent"}, categorical_frame, False, "frame"),
    ("RandomSampleImputer", {"seed": 7}, numeric_frame, False, "both"),
    ("DropConstantFeatures", {"tol": 0.9}, mixed_frame, False, "both"),
    ("DropDuplicateFeatures", {}, mixed_frame, False, "both"),
    ("DropCorrelatedFeatures", {}, mixed_frame, False, "both"),
    ("DropHighPSIFeatures", {"split_col": "t", "bins": 4, "threshold": 0.1}, mixed_frame, False, "frame"),
    ("DropHighPSIFeatures", {"split_col": "x0", "bins": 4}, mixed_frame, False, "array"),
]
IDS = [f"{name}-{'-'.join(map(str, params.values())) or 'default'}" for name, params, *_ in CASES]


def as_array(df):
    return df.select_dtypes("number").to_numpy()


def data(case, frame):
    name, params, make, supervised, takes = case
    df = make()
    return (df if frame else as_array(df)), (target() if supervised else None)


def take(X, rows):
    return X.iloc[rows] if isinstance(X, pd.DataFrame) else X[rows]


def chunks_of(n, k=3):
    return np.array_split(np.arange(n), k)


def assert_same_output(a, b):
    """Equal outputs, float columns bit for bit (NaN payloads included)."""
    if isinstance(a, np.ndarray) and a.dtype == object:
        a, b = pd.DataFrame(a), pd.DataFrame(b)
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns) and a.index.equals(b.index)
        for col in a.columns:
            if a[col].dtype == np.float64:
                assert_same_output(a[col].to_numpy(), b[col].to_numpy())
            else:
                pd.testing.assert_series_equal(a[col], b[col])
    else:
        assert a.dtype == b.dtype == np.float64 and a.shape == b.shape
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64))


def test_which_kinds_have_partial_fit():
    have = {name for name, cls in vars(reprep).items() if isinstance(cls, type) and hasattr(cls, "partial_fit")}
    assert have == set(ACCUMULATING)
    keep = {name for name in have if getattr(reprep, name)._keep_accumulator}
    assert keep == set(KEEP_IN_FIT)
    assert {c[0] for c in CASES} == set(ACCUMULATING)  # every kind has a case below


INPUTS = [(case, frame) for case in CASES for frame in (True, False)
          if case[4] in ("both", "frame" if frame else "array")]


@pytest.mark.parametrize("case,frame", INPUTS,
                         ids=[f"{i}-{'DataFrame' if f else 'array'}" for c, f in INPUTS for i in [IDS[CASES.index(c)]]])
def test_chunks_in_any_order_give_the_fit_of_all_rows(case, frame):
    name, params = case[0], case[1]
    cls = getattr(reprep, name)
    X, y = data(case, frame)
    before = X.copy()
    ref = cls(**params).fit(X, y)
    parts = chunks_of(len(X))
    for order in ([0, 1, 2], [2, 0, 1]):
        est = cls(**params)
        for i in order:
            assert est.partial_fit(take(X, parts[i]), None if y is None else y[parts[i]]) is est
        assert est.fingerprint() == ref.fingerprint()
        assert est.to_bytes() == ref.to_bytes()  # the artifact: kind, params, state and names
        assert list(est.get_feature_names_out()) == list(ref.get_feature_names_out())
        assert_same_output(est.transform(X), ref.transform(X))
        if frame:
            est.set_output(transform="pandas")
            ref.set_output(transform="pandas")
            assert_same_output(est.transform(X), ref.transform(X))
            ref.set_output(transform="default")
    # The caller's data is untouched.
    assert_same_output(X, before)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_accumulators_merge_through_bytes(case):
    name, params = case[0], case[1]
    cls = getattr(reprep, name)
    X, y = data(case, case[4] != "array")
    ref = cls(**params).fit(X, y)
    half = len(X) // 3
    first, second = np.arange(half), np.arange(half, len(X))
    a = cls(**params).accumulator().update(take(X, first), None if y is None else y[first])
    b = cls(**params).accumulator().update(take(X, second), None if y is None else y[second])
    assert isinstance(a, reprep.Accumulator) and type(a) is cls.Accumulator
    assert (a.n_rows, b.n_rows) == (len(first), len(second))
    blob = b.to_bytes()
    assert isinstance(blob, bytes)
    b2 = cls.Accumulator.from_bytes(blob)
    assert b2 == b and b2.to_bytes() == blob
    assert pickle.loads(pickle.dumps(b)) == b
    # Merged either way round, the same state: the fit of every row.
    ab = a.copy().merge(b2)
    ba = b2.copy().merge(a)
    assert ab == ba and ab.n_rows == len(X)
    est = cls(**params).fit_accumulator(ab)
    assert est.fingerprint() == ref.fingerprint()
    assert est.to_bytes() == ref.to_bytes()
    # fit_accumulator keeps a copy: partial_fit goes on from its rows.
    est2 = cls(**params).fit_accumulator(a.copy())
    est2.partial_fit(take(X, second), None if y is None else y[second])
    assert est2.fingerprint() == ref.fingerprint()
    # accumulator() of a partially fitted estimator is what it has seen.
    assert est2.accumulator() == ab


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy on the numbers of a corrupt state
@pytest.mark.parametrize("case", [c for c in CASES if c[1] == {}] + [CASES[-2]], ids=lambda c: c[0])
def test_bad_accumulator_bytes_raise_format_error(case):
    name, params = case[0], case[1]
    cls = getattr(reprep, name)
    X, y = data(case, case[4] != "array")
    blob = cls(**params).accumulator().update(X, y).to_bytes()
    for bad in [b"", b"\x00", blob + b"\x00", b"not an accumulator at all"] + \
            [blob[:n] for n in range(0, len(blob), max(1, len(blob) // 40))]:
        with pytest.raises(reprep.FormatError):
            cls.Accumulator.from_bytes(bad)
    # Flipped bytes: refused, or read as some other valid state; never a crash.
    rng = np.random.RandomState(5)
    for _ in range(60):
        flipped = bytearray(blob)
        flipped[rng.randint(len(blob))] ^= 1 << rng.randint(8)
        try:
            acc = cls.Accumulator.from_bytes(bytes(flipped))
        except reprep.FormatError:
            continue
        for use in (lambda: cls(**params).fit_accumulator(acc),
                    lambda: acc.copy().merge(cls.Accumulator.from_bytes(blob)),
                    lambda: acc.copy().update(X, y)):
            try:
                use()
            except reprep.ReprepError:
                pass
    with pytest.raises(reprep.InvalidParameter):
        cls.Accumulator.from_bytes("text")


def test_another_kinds_accumulator_is_refused():
    X = numeric_frame()
    scaler = reprep.StandardScaler().accumulator().update(X)
    with pytest.raises(reprep.InvalidParameter, match="MinMaxScaler.Accumulator"):
        reprep.MinMaxScaler().fit_accumulator(scaler)
    with pytest.raises(reprep.InvalidParameter, match="same kind"):
        reprep.MinMaxScaler().accumulator().merge(scaler)
    # A blob of another kind: refused where its layout differs (a RobustScaler keeps
    # every value where a StandardScaler keeps moments).
    with pytest.raises(reprep.FormatError):
        reprep.RobustScaler.Accumulator.from_bytes(scaler.to_bytes())
    onehot = reprep.OneHotEncoder().accumulator().update(categorical_frame())
    with pytest.raises(reprep.FormatError):
        reprep.StandardScaler.Accumulator.from_bytes(onehot.to_bytes())


def test_partial_fit_after_fit_continues_where_fit_keeps_its_accumulator():
    X = numeric_frame()
    est = reprep.StandardScaler().fit(X.iloc[:40])
    est.partial_fit(X.iloc[40:])
    assert est.fingerprint() == reprep.StandardScaler().fit(X).fingerprint()
    arr = as_array(X)
    np.testing.assert_array_equal(est.n_samples_seen_, (~np.isnan(arr)).sum(axis=0))  # NaN not counted, as sklearn
    # fit starts over.
    assert est.fit(X.iloc[:40]).fingerprint() == reprep.StandardScaler().fit(X.iloc[:40]).fingerprint()
    # A kind that keeps every value does not keep it in fit: partial_fit starts over, and says so.
    rob = reprep.RobustScaler().fit(X.iloc[:40])
    with pytest.warns(UserWarning, match="starts over"):
        rob.partial_fit(X.iloc[40:])
    assert rob.fingerprint() == reprep.RobustScaler().fit(X.iloc[40:]).fingerprint()
    with pytest.raises(reprep.InvalidParameter, match="kept no accumulator"):
        reprep.RobustScaler().fit(X).accumulator()
    # An artifact holds the fitted state, not the rows: the same.
    loaded = reprep.load_bytes(reprep.StandardScaler().fit(X.iloc[:40]).to_bytes())
    with pytest.warns(UserWarning, match="starts over"):
        loaded.partial_fit(X.iloc[40:])
    assert loaded.fingerprint() == reprep.StandardScaler().fit(X.iloc[40:]).fingerprint()


def test_schema_mismatch_between_chunks():
    X = numeric_frame()
    est = reprep.StandardScaler().partial_fit(X.iloc[:30])
    fp = est.fingerprint()
    with pytest.raises(reprep.SchemaError, match="feature names should match"):
        est.partial_fit(X.iloc[30:60].drop(columns=["b"]))
    with pytest.raises(reprep.SchemaError, match="feature names should match"):
        est.partial_fit(X.iloc[30:60].rename(columns={"a": "A"}))
    arr = reprep.StandardScaler().partial_fit(as_array(X)[:30])
    with pytest.raises(reprep.SchemaError, match="X has 2 features, but StandardScaler is expecting 3"):
        arr.partial_fit(as_array(X)[30:, :2])
    cat = reprep.OneHotEncoder().partial_fit(categorical_frame().iloc[:30])
    with pytest.raises(reprep.SchemaError):
        cat.partial_fit(categorical_frame().iloc[30:].drop(columns=["t"]))
    assert est.fingerprint() == fp  # a refused chunk changes nothing
    # A column that changes type between chunks (numeric, then strings).
    bad = X.iloc[30:60].copy()
    bad["a"] = bad["a"].astype(str)
    with pytest.raises(reprep.SchemaError, match="'a'"):
        est.partial_fit(bad)
    # Accumulators of other columns do not merge.
    a = reprep.StandardScaler().accumulator().update(X[["a", "b"]])
    b = reprep.StandardScaler().accumulator().update(X[["a", "c"]])
    with pytest.raises(reprep.SchemaError, match=r"other columns: \['a', 'b'\] and \['a', 'c'\]"):
        a.merge(b)
    with pytest.raises(reprep.SchemaError, match="other columns than columns="):
        reprep.StandardScaler(columns=["a", "c"]).fit_accumulator(a)
    with pytest.raises(reprep.SchemaError):
        reprep.OneHotEncoder().accumulator().update(categorical_frame()[["s"]]).merge(
            reprep.OneHotEncoder().accumulator().update(categorical_frame()[["t"]]))


def test_refusals_leave_the_estimator_and_data_unchanged():
    X = numeric_frame()
    est = reprep.MinMaxScaler().partial_fit(X.iloc[:30])
    fp, acc = est.fingerprint(), est.accumulator()
    bad = X.iloc[30:60].copy()
    bad.iloc[3, 1] = np.inf
    before = bad.copy()
    with pytest.raises(reprep.InvalidInput, match="'b'"):  # the DataFrame's name, not x1
        est.partial_fit(bad)
    pd.testing.assert_frame_equal(bad, before)
    assert est.fingerprint() == fp and est.accumulator() == acc
    arr = as_array(X)
    arr[3, 1] = np.inf
    with pytest.raises(reprep.InvalidInput, match="x1"):
        reprep.MinMaxScaler().partial_fit(arr)
    # A fit C++ refuses on the rows so far (a too small first chunk) changes nothing either.
    spline = reprep.SplineTransformer()
    with pytest.raises(reprep.InvalidInput):
        spline.partial_fit(as_array(numeric_frame(nan=False))[:1])
    with pytest.raises(reprep.NotFitted):
        spline.transform(as_array(numeric_frame(nan=False)))
    # The accumulator does take it: fit once at the end.
    acc = reprep.SplineTransformer().accumulator()
    rows = as_array(numeric_frame(nan=False))
    for i in range(len(rows)):
        acc.update(rows[i:i + 1])
    assert reprep.SplineTransformer().fit_accumulator(acc).fingerprint() == \
        reprep.SplineTransformer().fit(rows).fingerprint()
    # A supervised kind needs y in every chunk.
    with pytest.raises(reprep.InvalidInput, match="target"):
        reprep.TargetEncoder().partial_fit(categorical_frame())


def test_pickled_estimator_goes_on():
    X = numeric_frame()
    est = reprep.QuantileTransformer(n_quantiles=20).partial_fit(X.iloc[:50])
    again = pickle.loads(pickle.dumps(est))
    again.partial_fit(X.iloc[50:])
    assert again.fingerprint() == reprep.QuantileTransformer(n_quantiles=20).fit(X).fingerprint()


@pytest.mark.parametrize("est", [reprep.WoEEncoder(), reprep.TargetEncoder(target_type="binary")],
                         ids=lambda e: type(e).__name__)
def test_partial_fit_checks_labels_as_fit_does(est):
    # fit(accumulator) cannot see single rows; partial_fit checks each chunk with fit's rule.
    X, y = categorical_frame(missing=False), target()
    y[50] = 2.0
    with pytest.raises(reprep.InvalidInput, match="row 50"):
        est.fit(X, y)
    with pytest.raises(reprep.InvalidInput, match="row 20"):
        est.partial_fit(X.iloc[30:], y[30:])
    est.partial_fit(X.iloc[:30], y[:30])
    with pytest.raises(reprep.InvalidInput, match="row 20"):
        est.partial_fit(X.iloc[30:], y[30:])


@pytest.mark.parametrize("name,X", [("StandardScaler", numeric_frame()), ("MissingIndicator", numeric_frame()),
                                    ("OneHotEncoder", categorical_frame()),
                                    ("DropCorrelatedFeatures", mixed_frame())], ids=lambda v: v if isinstance(v, str) else "")
def test_the_bytes_are_those_the_distributed_fit_ships(name, X):
    # reprep.dask and MPI combine each process's state as these bytes (after the shard
    # message's 5-byte header: kind of message, version), for a kind that fits in one pass.
    from reprep._table import to_table
    cls = getattr(reprep, name)
    shipped = []

    def combine(local, merge):
        shipped.append(bytes(local(0)))
        return shipped[-1]

    cls._cpp_class(cls().get_params(deep=False)).fit_combined(to_table(X)[0], combine)
    assert shipped[0][5:] == cls().accumulator().update(X).to_bytes()


def test_category_chunks_with_their_own_dictionaries():
    # Each chunk as pandas 'category' columns knows only its own categories (other
    # codes, other order): the accumulators count strings, so the fit is the same.
    X = categorical_frame()
    for est in [reprep.OneHotEncoder(), reprep.OrdinalEncoder(), reprep.CategoricalImputer(),
                reprep.DropConstantFeatures(missing_values="include", tol=0.5)]:
        ref = clone(est).fit(X)
        for rows in chunks_of(len(X))[::-1]:
            chunk = X.iloc[rows].copy()
            chunk["s"] = chunk["s"].astype("category")
            chunk["t"] = chunk["t"].astype(pd.CategoricalDtype(["zz", "z", "yy", "x"]))  # unused and reversed
            est.partial_fit(chunk)
        assert est.to_bytes() == ref.to_bytes(), type(est).__name__


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_refused_update_leaves_the_accumulator_unchanged(case):
    # C++ checks a whole chunk before it counts any of it, so Accumulator.update needs
    # no copy (partial_fit works on one anyway, for its fit). Bad chunks: the last column
    # of another type, a missing value or an infinity in the last column of a type.
    name, params = case[0], case[1]
    cls = getattr(reprep, name)
    X, y = data(case, case[4] != "array")
    X = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    acc = cls(**params).accumulator().update(X.iloc[:40], None if y is None else y[:40])
    read = params.get("columns") or list(X.columns)  # the columns the kind reads
    last = read[-1]
    numeric = [c for c in read if X[c].dtype != object]
    bads = [X.iloc[40:].assign(**{last: X[last].iloc[40:].astype(str) if last in numeric
                                  else np.arange(len(X) - 40, dtype=np.float64)}),
            X.iloc[40:].assign(**{last: [np.nan if last in numeric else None] * (len(X) - 40)})]
    if numeric:
        bads.append(X.iloc[40:].assign(**{numeric[-1]: np.inf}))
    refused = 0
    for bad in bads:
        before = acc.to_bytes()
        try:
            acc.update(bad, None if y is None else y[40:])
        except reprep.ReprepError:
            refused += 1
            assert acc.to_bytes() == before
    assert refused >= 1  # the column of another type at least
