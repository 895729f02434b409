"""The selectors, creation and datetime kinds through Python, and datetime columns.

Parity claims are those of the C++ suites: PolynomialFeatures and SplineTransformer bit
for bit with scikit-learn 1.2.1 (tests/contract/test_create.cpp, test_spline.cpp; the
spline cases avoid linear extrapolation at degree <= 1 on several columns, where
scikit-learn 1.2 treats the columns after the first differently); DatetimeFeatures and
DatetimeSubtraction as pandas computes them (tests/golden/golden_datetime.py).
"""
import datetime
import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn.preprocessing as skp

import reprep

NS_MIN = np.iinfo(np.int64).min


def same_bits(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def gaussian(seed, rows, cols):
    return np.random.default_rng(seed).normal(size=(rows, cols)) * [1.0, 10.0, 0.01, 3.0][:cols]


# ---- scikit-learn parity ------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"degree": 2},
    {"degree": 3, "include_bias": False},
    {"degree": (2, 3), "interaction_only": True},
    {"degree": (0, 2)},
], ids=str)
def test_polynomial_features_is_sklearn_bit_for_bit(params):
    X, T = gaussian(1, 80, 3), gaussian(2, 30, 3) * 7.0
    ours = reprep.PolynomialFeatures(**params).fit(X)
    theirs = skp.PolynomialFeatures(**params).fit(X)
    assert same_bits(ours.transform(T), theirs.transform(T))
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert ours.n_features_out_ == theirs.n_output_features_


@pytest.mark.parametrize("params", [
    {},
    {"n_knots": 6, "degree": 2, "knots": "quantile", "extrapolation": "periodic", "include_bias": False},
    {"n_knots": 7, "degree": 3, "extrapolation": "continue"},
    {"n_knots": 5, "degree": 2, "knots": "quantile", "extrapolation": "linear"},
    {"n_knots": 4, "degree": 3, "extrapolation": "error"},
], ids=str)
def test_spline_transformer_is_sklearn_bit_for_bit(params):
    X = gaussian(3, 60, 3)
    lo, hi = X.min(axis=0), X.max(axis=0)
    inside = params.get("extrapolation") == "error"
    T = np.vstack([lo, hi, np.random.default_rng(4).uniform(lo - (0 if inside else 1), hi + (0 if inside else 1),
                                                            size=(40, 3))])
    ours = reprep.SplineTransformer(**params).fit(X)
    theirs = skp.SplineTransformer(**params).fit(X)
    assert same_bits(ours.transform(T), theirs.transform(T))
    assert same_bits(ours.knots_, np.vstack([b.t for b in theirs.bsplines_]))
    assert ours.n_features_out_ == theirs.n_features_out_
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())


# ---- datetime columns ---------------------------------------------------------------

def dates_frame():
    """A naive column over 1700..2250 with NaT, a UTC+05:30 column, a Europe/Paris one
    (daylight saving time), all the same instants, and a later 'end' column."""
    rng = np.random.default_rng(5)
    lo, hi = np.datetime64("1700-01-01", "ns").astype(np.int64), np.datetime64("2250-12-31", "ns").astype(np.int64)
    ns = rng.integers(lo, hi, size=300)
    ns[:6] = np.array(["2000-02-29T23:59:59", "2020-12-31T18:30:00", "2021-01-03T00:00:00", "1900-03-01",
                       "2024-03-31T01:30:00", "2023-10-29T00:30:00"], dtype="datetime64[ns]").astype(np.int64)
    ns[rng.integers(0, 300, size=20)] = NS_MIN  # NaT
    naive = pd.Series(ns.view("datetime64[ns]"))
    later = pd.Series((np.where(ns == NS_MIN, ns, ns + rng.integers(-10**15, 10**15, size=300))).view("datetime64[ns]"))
    later[7] = pd.NaT
    return pd.DataFrame({
        "when": naive,
        "offset": naive.dt.tz_localize("UTC").dt.tz_convert(datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
        "paris": naive.dt.tz_localize("UTC").dt.tz_convert("Europe/Paris"),
        "end": later,
        "x": rng.normal(size=300),
    })


PANDAS_FEATURES = {
    "month": lambda d: d.month, "quarter": lambda d: d.quarter, "semester": lambda d: np.where(d.month <= 6, 1, 2),
    "year": lambda d: d.year, "week": lambda d: d.isocalendar().week, "day_of_week": lambda d: d.dayofweek,
    "day_of_month": lambda d: d.day, "day_of_year": lambda d: d.dayofyear, "weekend": lambda d: d.dayofweek >= 5,
    "month_start": lambda d: d.is_month_start, "month_end": lambda d: d.is_month_end,
    "quarter_start": lambda d: d.is_quarter_start, "quarter_end": lambda d: d.is_quarter_end,
    "year_start": lambda d: d.is_year_start, "year_end": lambda d: d.is_year_end, "leap_year": lambda d: d.is_leap_year,
    "days_in_month": lambda d: d.days_in_month, "hour": lambda d: d.hour, "minute": lambda d: d.minute,
    "second": lambda d: d.second,
}


def test_datetime_columns_enter_as_their_int64_nanoseconds():
    df = dates_frame()
    table, _ = reprep._table.to_table(df)
    assert [table.column_type(c) for c in df.columns] == ["datetime"] * 4 + ["numeric"]
    ns = df["when"].to_numpy().view(np.int64)
    for c in ("when", "offset", "paris"):  # one instant, whatever the zone
        assert np.array_equal(table.datetime(c), ns)
    assert (table.datetime("when") == NS_MIN).sum() == df["when"].isna().sum() > 0
    # datetime64 of other units becomes ns exactly (pandas 1.5 converts on construction,
    # pandas 2 keeps the unit and reprep converts).
    for unit in ("s", "ms", "us"):
        arr = np.array(["1969-12-31T23:59:59", "2262-01-01T00:00:01", "NaT", "1677-09-22"], dtype=f"datetime64[{unit}]")
        t, _ = reprep._table.to_table(pd.DataFrame({"d": arr}))
        assert np.array_equal(t.datetime("d"), arr.astype("datetime64[ns]").view(np.int64))


def test_datetime_pass_through_comes_back_as_datetime64():
    df = dates_frame()
    scaler = reprep.StandardScaler(columns=["x"]).fit(df)
    out = scaler.set_output(transform="pandas").transform(df)
    assert list(out.columns) == ["when", "offset", "paris", "end", "x"]
    assert all(out[c].dtype == np.dtype("datetime64[ns]") for c in ("when", "offset", "paris", "end"))
    # Zone-aware columns come back as their UTC instants, naive.
    assert out["paris"].equals(df["when"]) and out["when"].equals(df["when"])
    # NumPy output: an object array (as with categorical pass-through), Timestamps and NaT.
    arr = scaler.set_output(transform="default").transform(df)
    assert arr.dtype == object
    assert all(isinstance(v, pd.Timestamp) or v is pd.NaT for v in arr[:, 0])
    assert pd.Series(arr[:, 0]).astype("datetime64[ns]").equals(df["when"])


def test_read_csv_reads_datetime_columns(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,t\n1,2024-02-29T12:00:00Z\n2,\n3,2024-03-01T00:00:00+02:00\n")
    df = reprep.read_csv(path)
    assert df["t"].dtype == np.dtype("datetime64[ns]")
    assert list(df["t"].astype(str)) == ["2024-02-29 12:00:00", "NaT", "2024-02-29 22:00:00"]


def test_datetime_features_are_pandas_dt():
    df = dates_frame()
    est = reprep.DatetimeFeatures(columns=["when", "offset", "paris"], features_to_extract=["all"],
                                  missing_values="ignore").set_output(transform="pandas")
    out = est.fit_transform(df)
    assert est.features_to_extract_ == list(PANDAS_FEATURES)
    assert est.variables_ == ["when", "offset", "paris"]
    assert list(out.columns) == ["end", "x"] + [f"{c}_{f}" for c in est.variables_ for f in PANDAS_FEATURES]
    for col in est.variables_:
        s = df[col]
        # reprep's features are those of the UTC instant: pandas' on the column in UTC.
        d = (s.dt.tz_convert("UTC") if s.dt.tz is not None else s).dt
        missing = s.isna().to_numpy()
        for f, of in PANDAS_FEATURES.items():
            got = out[f"{col}_{f}"].to_numpy()
            want = pd.Series(of(d)).to_numpy(dtype=np.float64, na_value=np.nan)
            assert np.isnan(got[missing]).all(), (col, f)
            assert same_bits(got[~missing], want[~missing]), (col, f)
    # The default list is feature-engine's seven.
    default = reprep.DatetimeFeatures(columns=["when"], missing_values="ignore").fit(df)
    assert default.features_to_extract_ == ["month", "year", "day_of_week", "day_of_month", "hour", "minute", "second"]


@pytest.mark.parametrize("unit", ["W", "D", "h", "m", "s", "ms", "us", "ns"])
def test_datetime_subtraction_is_pandas(unit):
    df = dates_frame()
    est = reprep.DatetimeSubtraction(columns=["end", "paris"], reference=["when"], output_unit=unit)
    out = est.set_output(transform="pandas").fit(df).transform(df)
    for v in ("end", "paris"):
        want = ((df[v].dt.tz_convert("UTC").dt.tz_localize(None) if df[v].dt.tz is not None else df[v]) - df["when"]) \
            / np.timedelta64(1, unit)
        assert same_bits(out[f"{v}_sub_when"], want.to_numpy()), v
    assert est.variables_ == ["end", "paris"] and est.reference_ == ["when"]


# ---- selectors ----------------------------------------------------------------------

def selector_frame():
    rng = np.random.default_rng(9)
    a = rng.normal(size=200)
    return pd.DataFrame({
        "a": a,
        "const": np.full(200, 3.0),
        "mostly": np.where(np.arange(200) < 195, 1.0, 2.0),  # 97.5% one value
        "a_copy": a.copy(),
        "a_close": a * 2.0 + rng.normal(scale=0.05, size=200),  # r ~ 0.9997 with a
        "b": rng.normal(size=200),
        "cat": pd.Series(np.where(rng.random(200) < 0.5, "u", "v")),
        "cat_copy": None,
    }).assign(cat_copy=lambda d: d["cat"])


def test_drop_constant_features():
    df = selector_frame()
    est = reprep.DropConstantFeatures().set_output(transform="pandas").fit(df)
    assert est.features_to_drop_ == ["const"]
    out = est.transform(df)
    assert list(out.columns) == [c for c in df.columns if c != "const"]
    assert same_bits(out["a"], df["a"]) and list(out["cat"]) == list(df["cat"])
    quasi = reprep.DropConstantFeatures(tol=0.97).fit(df)
    assert quasi.features_to_drop_ == ["const", "mostly"]
    assert list(quasi.get_feature_names_out()) == ["a", "a_copy", "a_close", "b", "cat", "cat_copy"]


def test_drop_duplicate_features():
    df = selector_frame()
    est = reprep.DropDuplicateFeatures().set_output(transform="pandas").fit(df)
    assert est.features_to_drop_ == ["a_copy", "cat_copy"]
    assert est.duplicated_feature_sets_ == [{"a", "a_copy"}, {"cat", "cat_copy"}]
    assert list(est.transform(df).columns) == ["a", "const", "mostly", "a_close", "b", "cat"]


def test_drop_correlated_features():
    df = selector_frame().drop(columns=["const"])  # a constant column has no correlation
    est = reprep.DropCorrelatedFeatures(method="pearson", threshold=0.8).set_output(transform="pandas").fit(df)
    assert est.features_to_drop_ == ["a_copy", "a_close"]
    assert est.correlated_feature_sets_ == [{"a", "a_copy", "a_close"}]
    out = est.transform(df)
    # Only numeric columns are examined; the kept ones are appended after the others.
    assert list(out.columns) == ["cat", "cat_copy", "a", "mostly", "b"]
    assert list(est.get_feature_names_out()) == list(out.columns)
    # numpy agrees that these are the pairs above the threshold.
    r = np.corrcoef(df[["a", "mostly", "a_copy", "a_close", "b"]].to_numpy(), rowvar=False)
    assert (np.abs(r[np.triu_indices(5, 1)]) > 0.8).sum() == 3


def test_drop_high_psi_features():
    # A column that drifts across the split (its level follows t) and one that does not.
    rng = np.random.default_rng(5)
    t = np.arange(2000, dtype=np.float64)
    df = pd.DataFrame({"t": t, "drifts": t / 2000 + rng.normal(0, 0.05, t.size),
                       "stable": rng.normal(0, 1, t.size), "group": np.where(t % 3 == 0, "a", "b")})
    est = reprep.DropHighPSIFeatures(split_col="t").set_output(transform="pandas").fit(df)
    assert est.cut_off_ == 999.5  # numpy's median of t: split_frac = 0.5
    assert est.features_to_drop_ == ["drifts"]
    assert set(est.psi_values_) == {"drifts", "stable"}
    assert est.psi_values_["drifts"] > 0.25 > est.psi_values_["stable"]
    # The columns it did not examine first, then the kept examined ones (the selectors' rule).
    assert list(est.transform(df).columns) == ["t", "group", "stable"]
    # By a list of categories of a categorical split column; switch swaps the sides.
    by_group = reprep.DropHighPSIFeatures(split_col="group", cut_off=["a"], columns=["drifts", "stable"]).fit(df)
    assert by_group.features_to_drop_ == [] and np.isnan(by_group.cut_off_)
    switched = reprep.DropHighPSIFeatures(split_col="t", switch=True).fit(df)
    assert switched.get_params()["switch"] is True and switched.features_to_drop_ == ["drifts"]
    with pytest.raises(reprep.InvalidParameter, match="split_col"):
        reprep.DropHighPSIFeatures().fit(df)


def test_create_components_on_a_frame():
    df = selector_frame()
    math = reprep.MathFeatures(columns=["a", "b"], func=["sum", "mean", "max"]).set_output(transform="pandas")
    out = math.fit_transform(df)
    assert list(out.columns[-3:]) == ["sum_a_b", "mean_a_b", "max_a_b"]
    assert same_bits(out["sum_a_b"], df["a"] + df["b"])  # two terms: numpy's sum is exact too
    assert same_bits(out["max_a_b"], np.maximum(df["a"], df["b"]))
    rel = reprep.RelativeFeatures(columns=["a", "b"], reference=["mostly"], func=["sub", "div"], drop_original=True)
    out = rel.set_output(transform="pandas").fit_transform(df)
    assert rel.variables_ == ["a", "b"] and rel.reference_ == ["mostly"]
    assert list(out.columns[-4:]) == ["a_sub_mostly", "b_sub_mostly", "a_div_mostly", "b_div_mostly"]
    assert "a" not in out.columns and "mostly" not in out.columns
    assert same_bits(out["b_div_mostly"], df["b"] / df["mostly"])


# ---- a pipeline mixing the families -------------------------------------------------

def test_pipeline_of_datetime_creation_and_older_kinds(tmp_path):
    df = dates_frame()
    pipe = reprep.Pipeline([
        ("dates", reprep.DatetimeFeatures(columns=["when"], features_to_extract=["month", "hour", "weekend"],
                                          drop_original=False, missing_values="ignore")),
        ("gap", reprep.DatetimeSubtraction(columns=["end"], reference=["when"], output_unit="D")),
        ("impute", reprep.SimpleImputer(columns=["when_month", "when_hour", "end_sub_when"], strategy="median")),
        ("poly", reprep.PolynomialFeatures(columns=["when_month", "when_hour"], degree=2, include_bias=False)),
        ("scale", reprep.StandardScaler(columns=["end_sub_when", "x"])),
    ], seed=3).set_output(transform="pandas")
    out = pipe.fit_transform(df)
    assert isinstance(out, pd.DataFrame) and (out.index == df.index).all()
    assert out["offset"].dtype == np.dtype("datetime64[ns]")  # passed through as a datetime
    assert "when_month when_hour" in out.columns and out["when"].dtype == np.dtype("datetime64[ns]")
    assert list(out.columns) == list(pipe.get_feature_names_out())
    # The steps are the estimators fitted alone, one after the other.
    alone = df
    for _, est in pipe.steps:
        alone = type(est)(**est.get_params()).set_output(transform="pandas").fit_transform(alone)
    assert list(alone.columns) == list(out.columns)
    num = [c for c in out.columns if out[c].dtype == np.float64]
    assert same_bits(alone[num], out[num])
    # Artifact: the C++ fit's bytes; save, load and pickle keep bytes and bits.
    cpp = pipe._new_cpp()
    cpp.fit(reprep._table.to_table(df)[0])
    assert cpp.save_bytes() == pipe.to_bytes()
    pipe.save(tmp_path / "p.rpp")
    loaded = reprep.load(tmp_path / "p.rpp").set_output(transform="pandas")
    assert loaded.to_bytes() == pipe.to_bytes()
    assert same_bits(loaded.transform(df)[num], out[num])
    back = pickle.loads(pickle.dumps(pipe))
    assert back.to_bytes() == pipe.to_bytes() and same_bits(back.transform(df)[num], out[num])
    assert pipe.named_steps["dates"].features_to_extract_ == ["month", "hour", "weekend"]


# ---- bad input through Python -------------------------------------------------------

def bad_cases():
    df = selector_frame()
    nan = df.assign(a=df["a"].where(df.index != 4))
    inf = df.assign(a=df["a"].where(df.index != 4, np.inf))
    zero = df.assign(mostly=df["mostly"].where(df.index != 9, 0.0))
    dates = dates_frame()
    far = pd.DataFrame({"a": np.r_[gaussian(7, 30, 1)[:, 0], 100.0]})
    return [
        ("DropConstantFeatures", lambda: reprep.DropConstantFeatures().fit(nan), nan, reprep.InvalidInput, "row 4"),
        ("DropDuplicateFeatures", lambda: reprep.DropDuplicateFeatures(missing_values="include").fit(df), df,
         reprep.InvalidParameter, "missing_values"),
        ("DropCorrelatedFeatures", lambda: reprep.DropCorrelatedFeatures(missing_values="raise").fit(nan), nan,
         reprep.InvalidInput, "'a'"),
        ("PolynomialFeatures", lambda: reprep.PolynomialFeatures(columns=["a", "b"]).fit(inf), inf,
         reprep.InvalidInput, "'a'"),
        ("MathFeatures", lambda: reprep.MathFeatures(columns=["a", "b"]).fit(df).transform(nan), nan,
         reprep.InvalidInput, "'a'"),
        ("RelativeFeatures", lambda: reprep.RelativeFeatures(columns=["a"], reference=["mostly"], func=["div"])
         .fit(df).transform(zero), zero, reprep.InvalidInput, "'mostly'"),
        ("SplineTransformer", lambda: reprep.SplineTransformer(extrapolation="error").fit(far.iloc[:30]).transform(far),
         far, reprep.InvalidInput, "'a'"),
        ("DatetimeFeatures", lambda: reprep.DatetimeFeatures(columns=["when"]).fit(dates), dates,
         reprep.InvalidInput, "'when'"),
        ("DatetimeSubtraction", lambda: reprep.DatetimeSubtraction(columns=["x"], reference=["when"]).fit(dates),
         dates, reprep.SchemaError, "'x'"),
    ]


@pytest.mark.parametrize("case", bad_cases(), ids=lambda c: c[0])
def test_bad_input_raises_the_typed_error_and_leaves_the_input(case):
    name, call, data, error, where = case
    before = data.copy(deep=True)
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(name + ":") and where in str(info.value), str(info.value)
    pd.testing.assert_frame_equal(data, before)


def test_bad_options_name_the_accepted_strings():
    with pytest.raises(reprep.InvalidParameter, match=r"parameter 'extrapolation'.*'periodic'"):
        reprep.SplineTransformer(extrapolation="wrap").fit(gaussian(1, 10, 2))
    with pytest.raises(reprep.InvalidParameter, match=r"parameter 'func'.*'median'.*'sum'"):
        reprep.MathFeatures(func=["sum", "median"]).fit(gaussian(1, 10, 2))
    with pytest.raises(reprep.InvalidParameter, match=r"parameter 'degree'"):
        reprep.PolynomialFeatures(degree=(1, 2, 3)).fit(gaussian(1, 10, 2))
    with pytest.raises(reprep.InvalidParameter, match=r"output_unit"):
        reprep.DatetimeSubtraction(columns=["end"], reference=["when"], output_unit="Y").fit(dates_frame())
    with pytest.raises(reprep.InvalidInput, match="cannot be converted"):  # datetimes come in DataFrames
        reprep.DatetimeFeatures().fit(np.array([["2020-01-01"]], dtype="datetime64[ns]"))


def test_pipeline_of_the_selectors_and_the_other_creation_kinds(tmp_path, penguins):
    # Every new kind not in the pipeline above, as a step: fit, the C++ fit's bytes, the
    # steps' fitted attributes, and a save/load round trip to the same bits.
    num = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    data = penguins.dropna(subset=num).assign(mass_again=lambda d: d["body_mass_g"], one=1.0)
    pipe = reprep.Pipeline([
        ("const", reprep.DropConstantFeatures(columns=["one", "year", "island"], missing_values="ignore")),
        ("dup", reprep.DropDuplicateFeatures(columns=num + ["mass_again"])),
        ("corr", reprep.DropCorrelatedFeatures(columns=num, threshold=0.85)),
        ("math", reprep.MathFeatures(columns=["bill_length_mm", "bill_depth_mm"], func=("mean", "prod"))),
        ("rel", reprep.RelativeFeatures(columns=["bill_depth_mm"], reference=["bill_length_mm"], func=("div",))),
        ("spline", reprep.SplineTransformer(columns=["flipper_length_mm"], n_knots=4, extrapolation="linear")),
    ], seed=5).set_output(transform="pandas")
    out = pipe.fit_transform(data)
    steps = pipe.named_steps
    assert steps["const"].features_to_drop_ == ["one"]
    assert steps["dup"].features_to_drop_ == ["mass_again"]
    assert steps["corr"].features_to_drop_ == ["body_mass_g"]
    assert steps["spline"].n_features_out_ == 6 and steps["spline"].knots_.shape == (1, 10)
    assert {"mean_bill_length_mm_bill_depth_mm", "bill_depth_mm_div_bill_length_mm", "flipper_length_mm_sp_5"} \
        <= set(out.columns)
    assert not {"one", "mass_again", "body_mass_g"} & set(out.columns)
    cpp = pipe._new_cpp()
    cpp.fit(reprep._table.to_table(data)[0])
    assert cpp.save_bytes() == pipe.to_bytes()
    pipe.save(tmp_path / "p.rpp")
    loaded = reprep.load(tmp_path / "p.rpp").set_output(transform="pandas")
    got = loaded.transform(data)
    assert list(got.columns) == list(out.columns)
    num_out = [c for c in out.columns if out[c].dtype == np.float64]
    assert same_bits(got[num_out], out[num_out])
    assert loaded.named_steps["corr"].correlated_feature_sets_ == [{"flipper_length_mm", "body_mass_g"}]
