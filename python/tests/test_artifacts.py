"""Artifacts: Python fit == C++ fit, byte for byte; save/load/pickle round trips."""
import os
import pickle
import subprocess
import sys
import threading

import numpy as np
import pytest

import reprep
from reprep import _reprep

from conftest import CATEGORICAL, DATA, GOLDEN, NUMERIC, SOURCE_DIR, penguins_pipeline

# The C++ golden recipes (tests/fuzz/zoo.hpp), written in Python.
RECIPES = {
    "standard_scaler.rpp": lambda: reprep.StandardScaler(columns=NUMERIC),
    "min_max_scaler.rpp": lambda: reprep.MinMaxScaler(columns=NUMERIC, feature_range=(-1.0, 2.0), clip=True),
    "max_abs_scaler.rpp": lambda: reprep.MaxAbsScaler(columns=NUMERIC),
    "robust_scaler.rpp": lambda: reprep.RobustScaler(columns=NUMERIC, quantile_range=(10.0, 90.0)),
    "simple_imputer.rpp": lambda: reprep.SimpleImputer(columns=NUMERIC, strategy="median", add_indicator=True),
    "one_hot_encoder.rpp": lambda: reprep.OneHotEncoder(columns=CATEGORICAL, handle_unknown="ignore"),
    "ordinal_encoder.rpp": lambda: reprep.OrdinalEncoder(columns=CATEGORICAL, handle_unknown="use_encoded_value",
                                                         unknown_value=-1.0),
    "categorical_imputer.rpp": lambda: reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent"),
    "missing_indicator.rpp": lambda: reprep.MissingIndicator(columns=NUMERIC, features="all", error_on_new=False),
    "end_tail_imputer.rpp": lambda: reprep.EndTailImputer(columns=NUMERIC, imputation_method="iqr", tail="left"),
    "hashing_encoder.rpp": lambda: reprep.HashingEncoder(columns=["island", "sex"], n_components=5,
                                                         alternate_sign=True),
    "random_sample_imputer.rpp": lambda: reprep.RandomSampleImputer(
        columns=["bill_length_mm", "sex"], variables_seed=["island"], seeding_method="observation", seed=11),
}


def same_bits(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


# Recipes zoo.hpp fits on the complete rows (no missing value in any column it names).
COMPLETE_ROWS = {
    "winsorizer.rpp": lambda: reprep.Winsorizer(columns=NUMERIC, capping_method="iqr", tail="both"),
    "normalizer.rpp": lambda: reprep.Normalizer(columns=["bill_length_mm", "bill_depth_mm"], norm="l1"),
    "binarizer.rpp": lambda: reprep.Binarizer(columns=["bill_depth_mm"], threshold=17.0),
    "log_transformer.rpp": lambda: reprep.LogTransformer(columns=NUMERIC, base="10"),
    "power_transformer.rpp": lambda: reprep.PowerTransformer(columns=NUMERIC),
    "quantile_transformer.rpp": lambda: reprep.QuantileTransformer(columns=NUMERIC, n_quantiles=50,
                                                                   output_distribution="normal"),
    "cyclical_features.rpp": lambda: reprep.CyclicalFeatures(columns=["flipper_length_mm"]),
    "k_bins_discretizer.rpp": lambda: reprep.KBinsDiscretizer(columns=NUMERIC, n_bins=4),
    "arbitrary_discretiser.rpp": lambda: reprep.ArbitraryDiscretiser(
        columns=["body_mass_g"], binning_dict={"body_mass_g": [2000.0, 3500.0, 4500.0, 7000.0]}),
    "arbitrary_outlier_capper.rpp": lambda: reprep.ArbitraryOutlierCapper(
        columns=["body_mass_g"], max_capping_dict={"body_mass_g": 5000.0}, min_capping_dict={"body_mass_g": 3000.0}),
    "count_frequency_encoder.rpp": lambda: reprep.CountFrequencyEncoder(columns=CATEGORICAL,
                                                                        encoding_method="frequency"),
    "rare_label_encoder.rpp": lambda: reprep.RareLabelEncoder(columns=["island"], tol=0.2, n_categories=2),
    # zoo.hpp's target: 1 for Adelie, else 0.
    "target_encoder.rpp": lambda: reprep.TargetEncoder(columns=["island", "sex"], cv=3, seed=7),
    "woe_encoder.rpp": lambda: reprep.WoEEncoder(columns=["sex"]),
    # create/
    "polynomial_features.rpp": lambda: reprep.PolynomialFeatures(columns=["bill_length_mm", "bill_depth_mm"], degree=2),
    "spline_transformer.rpp": lambda: reprep.SplineTransformer(columns=["bill_length_mm", "flipper_length_mm"],
                                                               n_knots=4, knots="quantile"),
}
RECIPES.update({
    "math_features.rpp": lambda: reprep.MathFeatures(columns=NUMERIC, func=("sum", "std"), missing_values="ignore"),
    "relative_features.rpp": lambda: reprep.RelativeFeatures(columns=["bill_length_mm", "bill_depth_mm"],
                                                             reference=["body_mass_g"], func=("div", "sub")),
    # select/
    "drop_constant_features.rpp": lambda: reprep.DropConstantFeatures(
        columns=["species", "island", "sex", "year"], tol=0.5, missing_values="ignore"),
    "drop_correlated_features.rpp": lambda: reprep.DropCorrelatedFeatures(columns=NUMERIC),
    # zoo.hpp: Biscoe against the other islands, threshold 1.
    "drop_high_psi_features.rpp": lambda: reprep.DropHighPSIFeatures(
        columns=NUMERIC, split_col="island", cut_off=["Biscoe"], threshold=1.0, missing_values="ignore"),
})


def with_dates(df):
    """zoo.hpp's with_dates(): 'observed', a day of the penguin's year at a time of day,
    and 'recorded' up to a month and a few hours later; some of each NaT."""
    i = np.arange(len(df), dtype=np.int64)
    jan1 = df["year"].to_numpy().astype("U4").astype("datetime64[D]").astype(np.int64)  # days since 1970
    day, sec = 86_400 * 10**9, 10**9
    observed = (jan1 + i * 37 % 365) * day + (i * 7919 % 86400) * sec
    recorded = observed + (i * 13 % 30) * day + (i % 5) * 3600 * sec
    observed[i % 17 == 5] = np.iinfo(np.int64).min
    recorded[i % 23 == 7] = np.iinfo(np.int64).min
    out = df.copy()
    out["observed"] = observed.view("datetime64[ns]")
    out["recorded"] = recorded.view("datetime64[ns]")
    return out


def with_sex_as_island(df):
    # zoo.hpp fits DropDuplicateFeatures on a copy whose 'sex' repeats 'island'.
    out = df.copy()
    out["sex"] = out["island"]
    return out


# Recipes fitted on data zoo.hpp derives from penguins: (estimator, data).
DERIVED = {
    "drop_duplicate_features.rpp": lambda df: (
        reprep.DropDuplicateFeatures(columns=["island", "sex", "bill_length_mm", "flipper_length_mm"]),
        with_sex_as_island(df)),
    "datetime_features.rpp": lambda df: (
        reprep.DatetimeFeatures(columns=["observed"], features_to_extract=["all"], drop_original=False,
                                missing_values="ignore"), with_dates(df)),
    "datetime_subtraction.rpp": lambda df: (
        reprep.DatetimeSubtraction(columns=["recorded"], reference=["observed"], output_unit="h"), with_dates(df)),
}
NEW_KINDS = ["polynomial_features.rpp", "math_features.rpp", "relative_features.rpp", "spline_transformer.rpp",
             "drop_constant_features.rpp", "drop_duplicate_features.rpp", "drop_correlated_features.rpp",
             "datetime_features.rpp", "datetime_subtraction.rpp", "drop_high_psi_features.rpp"]


def test_every_kind_has_a_recipe(golden):
    # Python fits every kind to the C++ golden state: one recipe per kind, none missing.
    kinds = {golden[n][0] for n in {**RECIPES, **COMPLETE_ROWS, **DERIVED}}
    assert kinds == set(reprep._estimators.KINDS)
    assert len(kinds) == 36


def fit_recipe(name, penguins):
    if name in DERIVED:
        est, data = DERIVED[name](penguins)
        return est.fit(data), data
    if name in COMPLETE_ROWS:
        rows = penguins.dropna(subset=NUMERIC + CATEGORICAL)
        return COMPLETE_ROWS[name]().fit(rows, (rows["species"] == "Adelie").astype(float)), rows
    return RECIPES[name]().fit(penguins), penguins


@pytest.mark.parametrize("name", sorted(RECIPES) + sorted(COMPLETE_ROWS) + sorted(DERIVED))
def test_component_fingerprint_is_the_cpp_golden(penguins, golden, name):
    if name in DERIVED:
        est, _ = fit_recipe(name, penguins)
    elif name in COMPLETE_ROWS:
        rows = penguins.dropna(subset=NUMERIC + CATEGORICAL)
        est = COMPLETE_ROWS[name]().fit(rows, (rows["species"] == "Adelie").astype(float))
    else:
        est = RECIPES[name]().fit(penguins)
    assert est.fingerprint() == golden[name][1]
    # The golden file, loaded here, holds the same fitted state.
    loaded = reprep.load(GOLDEN / name)
    assert loaded.fingerprint() == golden[name][1]
    # repr: NaN params (encoded_missing_value) compare equal only as text.
    assert type(loaded) is type(est) and repr(loaded.get_params()) == repr(est.get_params())


@pytest.mark.parametrize("name", NEW_KINDS)
def test_new_kind_bytes_are_the_cpp_golden_file(penguins, name):
    # The same steps fitted in C++ alone (the bound object, outside the estimator) on the
    # Table of the same data write the same bytes. (The golden files carry metadata
    # written_by = make_artifacts, so they are compared by fingerprint above.)
    est, data = fit_recipe(name, penguins)
    from reprep._table import to_table
    cpp = est._new_cpp()
    cpp.fit(to_table(data)[0])
    assert cpp.save_bytes() == est.to_bytes()
    # save -> load -> save, pickle: the same bytes and outputs.
    loaded = reprep.load_bytes(est.to_bytes())
    assert type(loaded) is type(est) and loaded.to_bytes() == est.to_bytes()
    back = pickle.loads(pickle.dumps(est))
    assert back.to_bytes() == est.to_bytes()
    for a, b in ((loaded, est), (back, est)):
        assert repr(a.transform(data)) == repr(b.transform(data))
    for attr in ("features_to_drop_", "n_features_out_", "variables_"):
        if hasattr(est, attr):
            assert repr(getattr(back, attr)) == repr(getattr(est, attr))


def test_pipeline_fingerprint_is_the_cpp_golden(penguins, golden):
    pipe = penguins_pipeline(reprep).fit(penguins)
    assert pipe.fingerprint() == golden["pipeline_penguins.rpp"][1]


def test_pipeline_bytes_equal_a_cpp_fit_on_read_csv(penguins):
    # The C++ side: the same steps fitted on reprep::read_csv's Table, in C++ alone.
    pipe = penguins_pipeline(reprep, seed=2026).fit(penguins)
    cpp = pipe._new_cpp()
    cpp.fit(_reprep.read_csv(str(DATA / "penguins.csv")))
    assert pipe.to_bytes() == cpp.save_bytes()  # lineage and training profile included
    assert pipe.fingerprint() == cpp.fingerprint()


def test_golden_cpp_artifact_serves_python_bits(penguins):
    # A C++-saved artifact (golden) loaded in Python gives the Python fit's outputs.
    served = reprep.load(GOLDEN / "pipeline_penguins_profiled.rpp")
    fitted = penguins_pipeline(reprep).fit(penguins)
    assert same_bits(served.transform(penguins), fitted.transform(penguins))
    assert [n for n, _ in served.steps] == ["impute", "sex", "onehot", "scale"]
    assert "pipeline" in served.describe()


def test_save_load_round_trip(tmp_path, penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    path = tmp_path / "penguins.rpp"
    pipe.save(path)
    assert path.read_bytes() == pipe.to_bytes()
    loaded = reprep.load(path)
    assert loaded.fingerprint() == pipe.fingerprint()
    assert loaded.to_bytes() == pipe.to_bytes()
    assert same_bits(loaded.transform(penguins), pipe.transform(penguins))
    # The steps of the loaded pipeline carry their fitted state.
    assert same_bits(loaded.named_steps["scale"].mean_, pipe.named_steps["scale"].mean_)

    scaler = reprep.StandardScaler(columns=NUMERIC).fit(penguins)
    scaler.save(tmp_path / "s.rpp")
    s2 = reprep.load(tmp_path / "s.rpp")
    assert same_bits(s2.mean_, scaler.mean_) and s2.fingerprint() == scaler.fingerprint()
    assert same_bits(s2.transform(penguins[NUMERIC]), scaler.transform(penguins)[:, 2:6])


def test_pickle_goes_through_the_artifact(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    state = pipe.__getstate__()
    assert "_cpp_obj" not in state and state["_artifact"] == pipe.to_bytes()
    back = pickle.loads(pickle.dumps(pipe))
    assert back.to_bytes() == pipe.to_bytes()
    assert same_bits(back.transform(penguins), pipe.transform(penguins))
    scaler = pickle.loads(pickle.dumps(reprep.StandardScaler().fit(penguins[NUMERIC])))
    assert same_bits(scaler.var_, reprep.StandardScaler().fit(penguins[NUMERIC]).var_)


def test_row_order_does_not_change_the_artifact(penguins):
    shuffled = penguins.sample(frac=1.0, random_state=7)
    a = penguins_pipeline(reprep).fit(penguins)
    b = penguins_pipeline(reprep).fit(shuffled)
    assert a.fingerprint() == b.fingerprint()


def test_set_output_pandas(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins).set_output(transform="pandas")
    df = pipe.transform(penguins)
    assert list(df.columns) == list(pipe.get_feature_names_out())
    assert (df.index == penguins.index).all()
    assert "species_Gentoo" in df.columns and df["year"].dtype == np.float64


def test_eight_threads_share_one_pipeline(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    expected = pipe.transform(penguins)
    results = [None] * 8

    def run(i):
        for _ in range(5):
            results[i] = pipe.transform(penguins)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(same_bits(r, expected) for r in results)


@pytest.mark.skipif(not os.environ.get("REPREP_INSPECT"), reason="no reprep-inspect in this build tree (examples off)")
def test_a_cpp_process_reads_the_python_artifact(tmp_path, penguins):
    # reprep-inspect is a C++ program built with other flags (-O3) than the extension:
    # it loads the Python artifact, prints its fingerprint, and verify-data re-reads
    # penguins.csv with reprep::read_csv and checks the lineage fingerprint.
    inspect = os.environ["REPREP_INSPECT"]
    pipe = penguins_pipeline(reprep, seed=2026).fit(penguins)
    path = tmp_path / "python.rpp"
    pipe.save(path)
    out = subprocess.run([inspect, str(path)], capture_output=True, text=True, check=True).stdout
    assert f"fingerprint: {pipe.fingerprint()}" in out
    ok = subprocess.run([inspect, "verify-data", str(path), str(DATA / "penguins.csv")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    short = tmp_path / "short.csv"
    short.write_text("".join((DATA / "penguins.csv").read_text().splitlines(keepends=True)[:-1]))
    bad = subprocess.run([inspect, "verify-data", str(path), str(short)], capture_output=True, text=True)
    assert bad.returncode == 3, bad.stdout + bad.stderr


@pytest.mark.skipif(not os.environ.get("REPREP_EXAMPLE_SERVE"), reason="no example_serve in this build tree (examples off)")
def test_notebook_training_is_served_by_the_cpp_example(tmp_path):
    # examples/train.py (pandas in, reprep.Pipeline, save) -> the C++ serving example,
    # which compares its single-row and batch outputs with Python's, bit for bit.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    train = subprocess.run([sys.executable, str(SOURCE_DIR / "examples" / "train.py"), str(tmp_path)], env=env,
                           capture_output=True, text=True)
    assert train.returncode == 0, train.stderr
    serve = subprocess.run([os.environ["REPREP_EXAMPLE_SERVE"], str(tmp_path)], capture_output=True, text=True)
    assert serve.returncode == 0 and "identical to the training side, bit for bit" in serve.stdout, serve.stdout
    fp = train.stdout.split("fingerprint ")[-1].strip()
    assert f"serve: fingerprint {fp}" in serve.stdout


def test_set_output_pandas_on_a_loaded_pipeline_keeps_pass_through_columns(penguins):
    # A loaded pipeline never saw 'year' (no step reads it) and passes it through.
    served = reprep.load(GOLDEN / "pipeline_penguins.rpp").set_output(transform="pandas")
    df = served.transform(penguins)
    assert "year" in df.columns and len(df.columns) == 13
    assert same_bits(df.to_numpy(dtype=np.float64), served.set_output(transform="default").transform(penguins))
    with pytest.raises(reprep.InvalidParameter, match="transform"):
        served.set_output(transform="polars")


def test_multiclass_target_encoder_is_the_cpp_golden(penguins, golden):
    # zoo.hpp's multiclass_target_encoder: every row, y = species as 0/1/2 (scikit-learn 1.4's
    # target_type="multiclass": one output column per (column, class)).
    y = penguins["species"].map({"Adelie": 0, "Chinstrap": 1, "Gentoo": 2}).to_numpy()
    est = reprep.TargetEncoder(columns=["island", "sex"], target_type="multiclass", cv=3, seed=7).fit(penguins, y)
    assert est.fingerprint() == golden["target_encoder_multiclass.rpp"][1]
    loaded = reprep.load(GOLDEN / "target_encoder_multiclass.rpp")
    assert loaded.fingerprint() == est.fingerprint()
    assert list(loaded.classes_) == [0.0, 1.0, 2.0]
    assert len(loaded.encodings_) == 2 * 3 and len(loaded.target_mean_) == 3
    names = list(est.get_feature_names_out())
    assert names[-6:] == ["island_0", "island_1", "island_2", "sex_0", "sex_1", "sex_2"]
    assert same_bits(loaded.transform(penguins)[:, -6:].astype(np.float64), est.transform(penguins)[:, -6:].astype(np.float64))
