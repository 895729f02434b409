"""reprep.dask.fit: the fit over a Dask DataFrame's partitions is the in-memory fit's bits
(issue 16, docs/distributed.md "Dask"): for uneven and empty partitions, any order of the
rows across partitions, the synchronous scheduler and a LocalCluster of 2 worker
processes; errors inside a partition come back typed and leave the estimator unfitted.
With y: the target-fitted kinds' fit, and TargetEncoder's out-of-fold fit_transform."""
import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import reprep  # noqa: E402
import reprep.dask  # noqa: E402
from conftest import CATEGORICAL, NUMERIC, penguins_pipeline  # noqa: E402

SYNC = {"scheduler": "synchronous"}


def partitioned(df, sizes):
    """A Dask DataFrame whose partitions hold `sizes` rows each, in order (0 allowed)."""
    assert sum(sizes) == len(df)
    bounds = np.cumsum([0, *sizes])
    pieces = [dask.delayed(df.iloc[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    return dd.from_delayed(pieces, meta=df.iloc[:0], verify_meta=False)


def uneven(n):
    """Uneven sizes, one empty partition and a single-row one."""
    first = [1, 0, n // 2, 7]
    return [*first, n - sum(first)]


def kinds():
    q = NUMERIC
    return {
        "StandardScaler": reprep.StandardScaler(columns=q),
        "RobustScaler": reprep.RobustScaler(columns=q),  # exact quantiles: multi-pass selection
        "QuantileTransformer": reprep.QuantileTransformer(columns=q, n_quantiles=50),
        "KBinsDiscretizer": reprep.KBinsDiscretizer(columns=q, n_bins=4, strategy="quantile"),  # refuses NaN
        "SimpleImputer": reprep.SimpleImputer(columns=q, strategy="median"),
        # One pass per Lloyd iteration; counts per distinct value; quartiles by selection.
        "KBinsDiscretizer-kmeans": reprep.KBinsDiscretizer(columns=q, n_bins=6, strategy="kmeans"),
        "SimpleImputer-most_frequent": reprep.SimpleImputer(columns=q, strategy="most_frequent"),
        "EndTailImputer-iqr": reprep.EndTailImputer(columns=q, imputation_method="iqr"),
        "PowerTransformer": reprep.PowerTransformer(columns=q),  # one pass per evaluation of its objective
        "OneHotEncoder": reprep.OneHotEncoder(columns=CATEGORICAL, handle_unknown="ignore"),
        "RandomSampleImputer": reprep.RandomSampleImputer(columns=["sex"], seed=3),
    }


@pytest.mark.parametrize("name", list(kinds()))
def test_each_kind_fits_to_the_in_memory_bits(penguins, name):
    df = penguins.dropna(subset=NUMERIC).reset_index(drop=True) if name.startswith("KBinsDiscretizer") else penguins
    want = kinds()[name].fit(df)
    got = reprep.dask.fit(kinds()[name], partitioned(df, uneven(len(df))), **SYNC)
    # A component's artifact has no training metadata: the whole bytes are equal.
    assert got.to_bytes() == want.to_bytes()
    assert got.fingerprint() == want.fingerprint()
    # Object arrays (numbers beside strings) hold NaN, which == does not match: compare frames.
    pd.testing.assert_frame_equal(got.set_output(transform="pandas").transform(df),
                                  want.set_output(transform="pandas").transform(df), check_exact=True)
    assert list(got.feature_names_in_) == list(df.columns)


def profile_text(est):
    """The training profile as reprep-inspect prints it (describe())."""
    text = est.describe()
    return text[text.index("\nprofile"):text.index("\nmetadata:")]


def same_pipeline(got, want, X):
    """The fingerprint (kind, params, every fitted value), each step's artifact bytes, the
    training profile and the transformed bits. The pipeline's artifact bytes differ in
    their metadata only: a chunked fit records no data fingerprint (as reprep::mpi::fit
    and Pipeline::fit(ChunkSource); docs/distributed.md)."""
    assert got.fingerprint() == want.fingerprint()
    assert profile_text(want).startswith("\nprofile (training data):")
    assert profile_text(got) == profile_text(want)
    # The steps are filled from the fitted pipeline, as after Pipeline.fit.
    for (name, g), (_, w) in zip(got.steps, want.steps):
        assert g.to_bytes() == w.to_bytes(), name
    pd.testing.assert_frame_equal(got.set_output(transform="pandas").transform(X),
                                  want.set_output(transform="pandas").transform(X), check_exact=True)


def test_pipeline_for_any_partitioning_and_row_order(penguins):
    want = penguins_pipeline(reprep).fit(penguins)
    shuffled = penguins.sample(frac=1.0, random_state=7).reset_index(drop=True)
    for df, sizes in [(penguins, [len(penguins)]), (penguins, uneven(len(penguins))),
                      (shuffled, [100, 100, 100, len(penguins) - 300]), (shuffled, [0, len(penguins), 0])]:
        got = reprep.dask.fit(penguins_pipeline(reprep), partitioned(df, sizes), **SYNC)
        same_pipeline(got, want, penguins)


def test_kinds_that_learn_nothing_from_the_values_fit_without_gathering_rows(penguins):
    # Their steps fit from one pass of checked chunks, shipping one row (docs/distributed.md):
    # the same fingerprint, steps, profile and bits as in memory, for any partitioning.
    def make():
        return reprep.Pipeline([("impute", reprep.SimpleImputer(columns=NUMERIC)),
                                ("poly", reprep.PolynomialFeatures(columns=NUMERIC[:2], degree=2)),
                                ("binarize", reprep.Binarizer(columns=[NUMERIC[3]], threshold=4000.0)),
                                ("norm", reprep.Normalizer(columns=NUMERIC[1:3]))])
    want = make().fit(penguins)
    for sizes in [uneven(len(penguins)), [0, len(penguins)], [len(penguins) - 1, 1]]:
        got = reprep.dask.fit(make(), partitioned(penguins, sizes), **SYNC)
        same_pipeline(got, want, penguins)


def test_the_example_on_a_local_cluster_of_two_worker_processes():
    """examples/dask_fit.py: a distributed.LocalCluster of 2 worker processes on loopback,
    partitions of uneven size; it prints "identical" only when the fingerprint, every step's
    artifact bytes and the transformed frame equal the in-memory fit's."""
    pytest.importorskip("distributed")
    import os
    import subprocess
    import sys

    from conftest import SOURCE_DIR

    script = SOURCE_DIR / "examples" / "dask_fit.py"
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "dask_fit.py: identical"
    assert "3 partitions of [40, 210, 94] rows" in lines[0]


def test_an_error_in_a_partition_is_raised_typed_and_the_estimator_stays_unfitted(penguins):
    bad = penguins.copy()
    bad.loc[bad.index[200], "body_mass_g"] = np.inf  # StandardScaler refuses infinities
    est = reprep.StandardScaler(columns=NUMERIC)
    # Partition 2 holds rows 150..299: the error names the partition and its own row 50.
    with pytest.raises(reprep.InvalidInput, match="row 50: on partition 2: an infinite value"):
        reprep.dask.fit(est, partitioned(bad, [100, 50, 150, len(bad) - 300]), **SYNC)
    with pytest.raises(reprep.NotFitted):
        est.transform(penguins)
    assert bad.loc[bad.index[200], "body_mass_g"] == np.inf
    # PowerTransformer refuses a value <= 0 under Box-Cox in its first pass, in the partition.
    bad.loc[bad.index[200], "body_mass_g"] = -5.0
    with pytest.raises(reprep.InvalidInput, match="row 50: on partition 2: Box-Cox"):
        reprep.dask.fit(reprep.PowerTransformer(columns=NUMERIC, method="box-cox"),
                        partitioned(bad, [100, 50, 150, len(bad) - 300]), **SYNC)


def with_targets(penguins):
    """penguins with three targets as columns (continuous, 0/1, five classes), so that a
    target taken from the same Dask DataFrame lines up with the data's partitions."""
    i = np.arange(len(penguins))
    return penguins.assign(y=((i * 7919) % 101) / 4.0 - 3.0, y01=((i * 31) % 7 < 3).astype(float),
                           ycls=((i * 13) % 5).astype(float) - 2.0)


TARGETS = ["y", "y01", "ycls"]

TARGET_KINDS = {
    "TargetEncoder": (lambda: reprep.TargetEncoder(columns=CATEGORICAL, cv=3, seed=5), "y"),
    "TargetEncoder binary": (lambda: reprep.TargetEncoder(columns=CATEGORICAL, target_type="binary"), "y01"),
    "TargetEncoder multiclass": (lambda: reprep.TargetEncoder(columns=CATEGORICAL, target_type="multiclass"), "ycls"),
    "WoEEncoder": (lambda: reprep.WoEEncoder(columns=["species", "island"]), "y01"),
}


@pytest.mark.parametrize("name", list(TARGET_KINDS))
def test_fit_with_y_is_the_in_memory_fit(penguins, name):
    make, target = TARGET_KINDS[name]
    full = with_targets(penguins)
    want = make().fit(penguins, full[target])
    shuffled = full.sample(frac=1.0, random_state=3)
    for df, sizes in [(full, uneven(len(full))), (shuffled, [0, 200, len(full) - 200])]:
        ddf = partitioned(df, sizes)
        got = reprep.dask.fit(make(), ddf.drop(columns=TARGETS), y=ddf[target], **SYNC)
        assert got.to_bytes() == want.to_bytes()
        # Object arrays hold NaN, which == does not match: compare frames.
        pd.testing.assert_frame_equal(got.set_output(transform="pandas").transform(penguins),
                                      want.set_output(transform="pandas").transform(penguins), check_exact=True)


def test_fit_transform_gives_each_row_its_out_of_fold_bits(penguins):
    """TargetEncoder(fold_assignment="row_hash"): the Dask result, partition by partition,
    is the in-memory fit_transform's rows, for any partitioning and row order."""
    full = with_targets(penguins)

    def make():
        return reprep.TargetEncoder(columns=["species", "island", "sex"], cv=4, seed=9,
                                    fold_assignment="row_hash").set_output(transform="pandas")

    want_est = make()
    want = want_est.fit_transform(penguins, full["y"])
    shuffled = full.sample(frac=1.0, random_state=11)
    for df, sizes in [(full, uneven(len(full))), (shuffled, [120, 0, len(full) - 121, 1])]:
        ddf = partitioned(df, sizes)
        est = make()
        lazy = reprep.dask.fit_transform(est, ddf.drop(columns=TARGETS), ddf["y"], **SYNC)
        assert est.to_bytes() == want_est.to_bytes()  # fitted on every row
        got = lazy.compute(**SYNC)
        assert list(got.columns) == list(want.columns)
        encoded = ["species", "island", "sex", *NUMERIC]
        pd.testing.assert_frame_equal(got[encoded], want.loc[got.index, encoded], check_exact=True)
    # Out-of-fold: not the full fit's transform.
    assert not np.array_equal(want[["species"]].to_numpy(), want_est.transform(penguins)[["species"]].to_numpy())


def test_target_refusals(penguins):
    full = with_targets(penguins)
    ddf = partitioned(full, [100, 100, len(full) - 200])
    X, y = ddf.drop(columns=TARGETS), ddf["y"]
    with pytest.raises(reprep.InvalidParameter, match="needs a target y"):
        reprep.dask.fit(reprep.TargetEncoder(columns=["island"]), X, **SYNC)
    with pytest.raises(reprep.InvalidParameter, match="takes a dask.dataframe.Series"):
        reprep.dask.fit(reprep.TargetEncoder(columns=["island"]), X, y=full["y"].to_numpy(), **SYNC)
    with pytest.raises(reprep.InvalidParameter, match="y has 2 partitions and the data 3"):
        reprep.dask.fit(reprep.TargetEncoder(columns=["island"]), X,
                        y=partitioned(full[["y"]], [200, len(full) - 200])["y"], **SYNC)
    # The same number of partitions, other rows in them: refused in the task, naming it.
    est = reprep.TargetEncoder(columns=["island"])
    with pytest.raises(reprep.InvalidInput, match="on partition 0: y holds 150 values for the partition's 100 rows"):
        reprep.dask.fit(est, X, y=partitioned(full[["y"]], [150, 50, len(full) - 200])["y"], **SYNC)
    with pytest.raises(reprep.NotFitted):
        est.transform(penguins)
    with pytest.raises(reprep.InvalidParameter, match="not fitted with a target here"):
        reprep.dask.fit(reprep.StandardScaler(columns=NUMERIC), X, y=y, **SYNC)
    with pytest.raises(reprep.InvalidParameter, match="fold_assignment='row_hash'"):
        reprep.dask.fit_transform(reprep.TargetEncoder(columns=["island"]), X, y, **SYNC)
    with pytest.raises(reprep.InvalidParameter, match=r"y is taken for TargetEncoder\)"):
        reprep.dask.fit_transform(reprep.WoEEncoder(columns=["island"]), X, ddf["y01"], **SYNC)
    # A bad label inside a partition comes back typed, naming the partition.
    with pytest.raises(reprep.InvalidInput, match="on partition 0: target_type = binary"):
        reprep.dask.fit(reprep.TargetEncoder(columns=["island"], target_type="binary"), X, y=y, **SYNC)


def test_refusals(penguins):
    ddf = partitioned(penguins, [len(penguins)])
    with pytest.raises(reprep.InvalidParameter, match="dask.dataframe"):
        reprep.dask.fit(reprep.StandardScaler(), penguins, **SYNC)
    from sklearn.preprocessing import StandardScaler

    with pytest.raises(reprep.InvalidParameter, match="not a reprep estimator"):
        reprep.dask.fit(StandardScaler(), ddf, **SYNC)
