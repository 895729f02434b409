"""reprep.dask.fit: the fit over a Dask DataFrame's partitions is the in-memory fit's bits
(issue 16, docs/distributed.md "Dask"): for uneven and empty partitions, any order of the
rows across partitions, the synchronous scheduler and a LocalCluster of 2 worker
processes; errors inside a partition come back typed and leave the estimator unfitted."""
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


def same_pipeline(got, want, X):
    """The fingerprint (kind, params, every fitted value), each step's artifact bytes and
    the transformed bits. The pipeline's artifact bytes differ in their metadata only: a
    chunked fit records no training profile or data fingerprint (as reprep::mpi::fit and
    Pipeline::fit(ChunkSource); docs/distributed.md)."""
    assert got.fingerprint() == want.fingerprint()
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


def test_refusals(penguins):
    ddf = partitioned(penguins, [len(penguins)])
    with pytest.raises(reprep.InvalidParameter, match="target"):
        reprep.dask.fit(reprep.TargetEncoder(columns=["island"]), ddf, y=np.zeros(len(penguins)), **SYNC)
    with pytest.raises(reprep.InvalidParameter, match="dask.dataframe"):
        reprep.dask.fit(reprep.StandardScaler(), penguins, **SYNC)
    from sklearn.preprocessing import StandardScaler

    with pytest.raises(reprep.InvalidParameter, match="not a reprep estimator"):
        reprep.dask.fit(StandardScaler(), ddf, **SYNC)
