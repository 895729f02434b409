"""reprep.dask: fit a reprep estimator or Pipeline on a Dask DataFrame's partitions.

    import dask.dataframe as dd, reprep, reprep.dask
    ddf = dd.read_csv("train-*.csv")
    pipe = reprep.Pipeline([...])
    reprep.dask.fit(pipe, ddf)        # pipe is fitted: the bits of pipe.fit(ddf.compute())

The fitted state is the same bits as an in-memory fit on every row, for any number of
partitions, any partition sizes and any number of workers (docs/distributed.md, "Dask").

How. reprep's chunked fit (C++ fit(source, combiner), the one reprep::mpi::fit runs on
MPI ranks) is a sequence of passes; in each, every process turns its rows into a state
(exact counts and sums, histograms of the exact-quantile passes, or whole rows for the
kinds without a mergeable state), the states are merged exactly, and every process goes
on from the merged state. Here the client plays one process with no rows, and every
partition is a process run as a Dask task:
  - pass k: one task per partition re-runs the fit on its partition, is handed the merged
    states of passes 0..k-1 (so it takes the same plan as the client), and returns its
    state of pass k, as framed bytes (a reprep error inside the task becomes an error
    state, typed, "on partition <i>");
  - the client merges the partition states over a fixed binary tree (partition order;
    exact integer merges, so the tree's shape changes no bit), and the fit goes on.
The merges run in the client process: the states of bounded-memory fits are small, but a
kind that gathers rows (RandomSampleImputer; docs/distributed.md) brings every row to the
client. PowerTransformer takes one round per evaluation of its objective.

Not yet: y (TargetEncoder, WOEEncoder and pipelines holding them), and Dask arrays
(pass a Dask DataFrame: dd.from_dask_array(arr)).
"""
import dask
import pandas as pd
from sklearn.base import clone

from ._errors import InvalidParameter

__all__ = ["fit"]


class _PassState(Exception):
    """Carries a partition's state out of the C++ fit once its pass is reached."""

    def __init__(self, state):
        super().__init__("partition state")
        self.state = state


def _partition_state(spec, partition, index, merged):
    """The framed state of pass len(merged) on one partition (runs in a Dask task)."""
    from ._table import to_table

    table, _ = to_table(partition)
    calls = [0]

    def combine(local, merge):
        k = calls[0]
        calls[0] += 1
        if k < len(merged):
            return merged[k]
        raise _PassState(local(index))

    try:
        spec._new_cpp().fit_combined(table, combine)
    except _PassState as s:
        return s.state
    # The client asked for a pass the partition's fit did not take: every process's fit
    # takes the passes the merged states plan, so this is a bug, not bad data.
    raise RuntimeError(f"reprep.dask: partition {index} finished its fit before pass {len(merged)}")


def _merge_tree(states, merge):
    """Fixed shape: neighbours merged level by level, in partition order."""
    states = list(states)
    while len(states) > 1:
        states = [merge(states[i], states[i + 1]) if i + 1 < len(states) else states[i]
                  for i in range(0, len(states), 2)]
    return states[0]


def fit(estimator, data, y=None, **compute_kwargs):
    """Fits `estimator` (a reprep estimator or reprep.Pipeline) on a Dask DataFrame.

    Returns the estimator, fitted exactly as estimator.fit(data.compute()) would be: the
    same artifact bytes and fingerprint. Extra keyword arguments go to dask.compute
    (scheduler=..., or the default: the current distributed Client if there is one).
    """
    from . import _reprep  # noqa: F401  (the extension: fail here, not in a task)
    from ._base import _ArtifactBacked
    from ._table import to_table

    if not isinstance(estimator, _ArtifactBacked):
        raise InvalidParameter(
            f"reprep.dask.fit: {type(estimator).__name__} is not a reprep estimator or Pipeline. "
            "Fix: pass reprep.<Kind>(...) or reprep.Pipeline([...])")
    if y is not None or estimator._uses_target():
        raise InvalidParameter(
            f"reprep.dask.fit: {type(estimator).__name__} needs a target y, which reprep.dask does not "
            "take yet. Fix: fit it in memory (estimator.fit(X, y)), or in C++ with reprep::mpi::fit")
    meta = getattr(data, "_meta", None)
    if not isinstance(meta, pd.DataFrame) or not hasattr(data, "to_delayed"):
        raise InvalidParameter(
            f"reprep.dask.fit: data is a {type(data).__name__}; it takes a dask.dataframe.DataFrame. "
            "Fix: dd.from_pandas(df, npartitions=...), dd.read_csv(...), or dd.from_dask_array(arr)")
    if len(meta.columns) == 0:
        raise InvalidParameter("reprep.dask.fit: data has no column. Fix: pass the training columns")

    spec = clone(estimator)  # unfitted params only: what each task rebuilds
    parts = data.to_delayed(optimize_graph=True)
    task = dask.delayed(_partition_state, pure=True)
    merged = []

    def combine(_local, merge):
        # The client's own shard has no row: its state is never asked for.
        states = dask.compute(*[task(spec, part, i, tuple(merged)) for i, part in enumerate(parts)],
                              **compute_kwargs)
        out = _merge_tree(states, merge)
        merged.append(out)
        return out

    table, _ = to_table(meta)  # the columns with no row
    obj = estimator._new_cpp()
    obj.fit_combined(table, combine)
    estimator._fitted(meta, obj, table)
    if hasattr(estimator, "_fill_steps"):
        estimator._fill_steps()
    return estimator
