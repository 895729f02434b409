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

With a target: fit(est, ddf, y=dask_series) for TargetEncoder and WoEEncoder (not yet
OrdinalEncoder(order="ordered")): y's partitions must line up with ddf's (the same number
of partitions, the same rows in each: a partition whose row counts or index differ is
refused); each task turns its partition and its piece of y into the kind's accumulator
(exact counts and target sums), merged exactly as above. fit_transform(est, ddf, y) gives
TargetEncoder's cross-fitted (out-of-fold) encodings with fold_assignment="row_hash": each
task splits its rows by fold (a row's fold is a hash of its values and target, so it does
not depend on the partition), the per-fold accumulators are merged exactly, and a second
round of tasks encodes each partition's rows with the merge of the other folds: a row's
encodings are the bits the in-memory fit_transform gives it.

Not yet: pipelines fitted with y, and Dask arrays (pass a Dask DataFrame:
dd.from_dask_array(arr)).
"""
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from sklearn.base import clone

from ._errors import InvalidInput, InvalidParameter

__all__ = ["fit", "fit_transform"]


class _PassState(Exception):
    """Carries a partition's state out of the C++ fit once its pass is reached."""

    def __init__(self, state):
        super().__init__("partition state")
        self.state = state


class _TaskError:
    """A partition's refusal raised in Python inside its task (y not lining up with the rows),
    carried back as a value: tasks run in no fixed order, so the client raises the lowest
    partition's, as C++ errors (error states) and MPI's lowest rank are raised."""

    def __init__(self, error):
        self.error = error


def _raise_lowest(states):
    for s in states:  # partition order
        if isinstance(s, _TaskError):
            raise s.error
    return states


def _partition_target(spec, partition, target, index):
    """A partition's piece of y as float64, after checking that it lines up with the rows."""
    from ._base import _target

    name = type(spec).__name__
    if len(target) != len(partition):
        raise InvalidInput(
            f"{name}: column 'y': on partition {index}: y holds {len(target)} values for the partition's "
            f"{len(partition)} rows. Fix: pass a y whose partitions line up with the data's (e.g. a column of "
            "the same Dask DataFrame)")
    if not target.index.equals(partition.index):
        raise InvalidInput(
            f"{name}: column 'y': on partition {index}: y's index is not the partition's. Fix: pass a y whose "
            "partitions line up with the data's (e.g. a column of the same Dask DataFrame)")
    return _target(name, target, len(partition))


def _partition_state(spec, partition, index, merged, target=None, mode="fit"):
    """The framed state of pass len(merged) on one partition (runs in a Dask task); with
    mode "encode" (fit_transform's second round) the partition's out-of-fold encodings."""
    from ._table import to_table

    table, _ = to_table(partition)
    calls = [0]

    def combine(local, merge):
        k = calls[0]
        calls[0] += 1
        if k < len(merged):
            return merged[k]
        raise _PassState(local(index))

    obj = spec._new_cpp()
    try:
        if target is None:
            obj.fit_combined(table, combine)
        else:
            try:
                y = _partition_target(spec, partition, target, index)
            except (InvalidInput, InvalidParameter) as e:
                return _TaskError(e)
            if mode == "fit":
                obj.fit_combined_y(table, y, combine)
            else:
                out = obj.fit_transform_combined(table, y, combine)
                if mode == "encode":
                    from ._table import from_table

                    return from_table(out, pandas=True, index=partition.index)
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
    y: for TargetEncoder and WoEEncoder, a Dask Series whose partitions line up with the
    data's (e.g. a column of the same Dask DataFrame); the fit is estimator.fit(X, y)'s.
    """
    from ._table import to_table

    _check_estimator("fit", estimator)
    with_target = y is not None or estimator._uses_target()
    if with_target:
        _check_target_kind("fit", estimator, y, "fit_combined_y")
    meta = _check_data("fit", data)
    parts = data.to_delayed(optimize_graph=True)
    targets = _target_parts("fit", data, y) if with_target else [None] * len(parts)

    spec = clone(estimator)  # unfitted params only: what each task rebuilds
    task = dask.delayed(_partition_state, pure=True)
    merged = []

    def combine(_local, merge):
        # The client's own shard has no row: its state is never asked for.
        states = dask.compute(*[task(spec, part, i, tuple(merged), target)
                                for i, (part, target) in enumerate(zip(parts, targets))], **compute_kwargs)
        out = _merge_tree(_raise_lowest(states), merge)
        merged.append(out)
        return out

    table, _ = to_table(meta)  # the columns with no row
    obj = estimator._new_cpp()
    if with_target:
        obj.fit_combined_y(table, np.empty(0), combine)
    else:
        obj.fit_combined(table, combine)
    estimator._fitted(meta, obj, table)
    if hasattr(estimator, "_fill_steps"):
        estimator._fill_steps()
    return estimator


def fit_transform(estimator, data, y, **compute_kwargs):
    """TargetEncoder(fold_assignment="row_hash")'s fit_transform on a Dask DataFrame.

    Fits `estimator` exactly as estimator.fit(data.compute(), y.compute()) would, and returns
    a Dask DataFrame, partitioned as `data`, of the cross-fitted (out-of-fold) encodings:
    each row's values are the bits estimator.fit_transform(data.compute(), y.compute())
    gives that row, as a pandas DataFrame (set_output(transform="pandas")'s columns). The
    encodings are computed when the result is. fold_assignment="position" is refused: its
    folds follow row positions in one table, which no partition sees.
    """
    from ._table import from_table, to_table

    _check_estimator("fit_transform", estimator)
    _check_target_kind("fit_transform", estimator, y, "fit_transform_combined")
    if estimator.get_params().get("fold_assignment") != "row_hash":
        raise InvalidParameter(
            "reprep.dask.fit_transform: TargetEncoder's fold_assignment='position' assigns folds by row position "
            "in one table, which no partition sees. Fix: TargetEncoder(..., fold_assignment='row_hash') (a row's "
            "fold follows its values and target), or fit_transform it in memory")
    meta = _check_data("fit_transform", data)
    parts = data.to_delayed(optimize_graph=True)
    targets = _target_parts("fit_transform", data, y)
    spec = clone(estimator)
    task = dask.delayed(_partition_state, pure=True)
    merged = []

    def combine(_local, merge):
        states = dask.compute(*[task(spec, part, i, (), target, "split")
                                for i, (part, target) in enumerate(zip(parts, targets))], **compute_kwargs)
        out = _merge_tree(_raise_lowest(states), merge)
        merged.append(out)
        return out

    table, _ = to_table(meta)
    obj = estimator._new_cpp()
    empty = obj.fit_transform_combined(table, np.empty(0), combine)
    estimator._fitted(meta, obj, table)
    out_meta = from_table(empty, pandas=True, index=meta.index)
    encoded = [task(spec, part, i, tuple(merged), target, "encode")
               for i, (part, target) in enumerate(zip(parts, targets))]
    return dd.from_delayed(encoded, meta=out_meta, verify_meta=False)


def _check_estimator(door, estimator):
    from . import _reprep  # noqa: F401  (the extension: fail here, not in a task)
    from ._base import _ArtifactBacked

    if not isinstance(estimator, _ArtifactBacked):
        raise InvalidParameter(
            f"reprep.dask.{door}: {type(estimator).__name__} is not a reprep estimator or Pipeline. "
            "Fix: pass reprep.<Kind>(...) or reprep.Pipeline([...])")


def _check_target_kind(door, estimator, y, method):
    name = type(estimator).__name__
    if not hasattr(getattr(estimator, "_cpp_class", None), method):
        what = "TargetEncoder" if method == "fit_transform_combined" else "TargetEncoder and WoEEncoder"
        raise InvalidParameter(
            f"reprep.dask.{door}: {name} is not fitted with a target here (y is taken for {what}). "
            f"Fix: leave y out, or fit it in memory (estimator.fit(X, y))")
    if y is None:
        raise InvalidParameter(
            f"reprep.dask.{door}: {name} needs a target y. Fix: pass y=, a Dask Series whose partitions line up "
            "with the data's (e.g. ddf['target'])")


def _check_data(door, data):
    meta = getattr(data, "_meta", None)
    if not isinstance(meta, pd.DataFrame) or not hasattr(data, "to_delayed"):
        raise InvalidParameter(
            f"reprep.dask.{door}: data is a {type(data).__name__}; it takes a dask.dataframe.DataFrame. "
            "Fix: dd.from_pandas(df, npartitions=...), dd.read_csv(...), or dd.from_dask_array(arr)")
    if len(meta.columns) == 0:
        raise InvalidParameter(f"reprep.dask.{door}: data has no column. Fix: pass the training columns")
    return meta


def _target_parts(door, data, y):
    """y's partitions, one per partition of data (their rows are checked in the tasks)."""
    y_meta = getattr(y, "_meta", None)
    if isinstance(y_meta, pd.DataFrame) and len(y_meta.columns) == 1:
        y = y[y_meta.columns[0]]
        y_meta = y._meta
    if not isinstance(y_meta, pd.Series) or not hasattr(y, "to_delayed"):
        raise InvalidParameter(
            f"reprep.dask.{door}: y is a {type(y).__name__}; it takes a dask.dataframe.Series whose partitions "
            "line up with the data's. Fix: pass a column of the same Dask DataFrame (ddf['target']), or "
            "dd.from_pandas(y, ...) with the data's partitions")
    if y.npartitions != data.npartitions:
        raise InvalidParameter(
            f"reprep.dask.{door}: y has {y.npartitions} partitions and the data {data.npartitions}. Fix: pass a y "
            "whose partitions line up with the data's (e.g. a column of the same Dask DataFrame)")
    if data.known_divisions and y.known_divisions and tuple(data.divisions) != tuple(y.divisions):
        raise InvalidParameter(
            f"reprep.dask.{door}: y's divisions differ from the data's. Fix: pass a y whose partitions line up "
            "with the data's (e.g. a column of the same Dask DataFrame)")
    return y.to_delayed(optimize_graph=True)
