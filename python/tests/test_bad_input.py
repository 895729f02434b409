"""Bad input through Python (issue 15): the C++ bad-input catalogue, case by case.

tests/bad_input/*.cpp holds the catalogue; each case below carries the C++ case's name in
its id ("<catalogue file>: <C++ case>"), with a suffix where Python reaches the same
situation in more than one way. Every case checks what run_catalogue() checks in C++:

  * exactly the mapped Python exception (reprep.InvalidInput for C++ InvalidInput, ...),
    which also derives from ValueError (NotFitted: from scikit-learn's NotFittedError;
    IoError: from OSError; EnvironmentError: from RuntimeError), as docs/python.md says;
  * the message names the component, holds the C++ case's fragment (and the column and
    row where C++ names them) and a "Fix:";
  * the caller's input is unchanged: a NumPy array's dtype, shape, layout and bits, a
    DataFrame's values, dtypes and index, bytes, a file on disk;
  * the estimator is unchanged: a fitted one keeps its fingerprint, artifact, parameters
    and input columns (a failed refit or transform leaves the old fit); an unfitted one
    stays unfitted.

Where Python refuses before C++ (empty data, scikit-learn's feature-name rule, a target
of the wrong length), the fragment is Python's wording of the same rule; where a fitted
estimator's name check hides the C++ message, a "(loaded artifact)" variant reaches it
through reprep.load_bytes, which checks columns by name as C++ serving does.

C++ catalogue cases NOT expressible through the Python API, and why:

  * every "output buffer one column short" (scalers, transforms, imputers, discretisers)
    and CategoricalImputer's "an output buffer of 2": Python's transform allocates its own
    output; the only caller-given buffer is RowPlan.run's `out` (the pipeline cases, the
    encoders' "an output buffer one too long" and TargetEncoder's "multiclass record into
    a one-value buffer"); the single-row cases ("a record of 2 values", "row spans of 2")
    go through a one-step Pipeline's row plan;
  * from_state cases of kinds from_sklearn does not convert (LogTransformer,
    CyclicalFeatures, ArbitraryDiscretiser, Winsorizer, ArbitraryOutlierCapper), and
    "PowerTransformer from_state without scale" / "QuantileTransformer from_state ragged"
    (scikit-learn's fitted arrays cannot be shaped so); the others go through from_sklearn;
  * unknown enum values cast from integers (static_cast<Norm>(9), ...): a C++ type-level
    case; Python's options are strings, so an unknown string stands in for each;
  * "read_csv" with column_types or separator: reprep.read_csv takes a path only;
  * "double quantile_transformer loaded as float": the float instances are C++ only (a
    C++ float artifact loaded here is covered); the bit-flip sweep flips one bit of every
    byte here, all 8 in C++ (bad_input_archive_every_byte);
  * the pipeline's serving policy (extra_columns = error, missing_columns = fill, "set
    missing_columns = fill after fit"), offline columns ("a step reads a column marked
    offline"), RowPlan's "an absent column" (Cell::absent_column), the drift Monitor and
    the training profile (its cases and "load_pipeline: ... profile"), "output_columns of
    an input without a schema column": not bound in Python;
  * "step<C> with an unknown name" / "with the wrong type": a C++ template lookup; Python's
    is pipe.named_steps[name], a dict, which raises KeyError as scikit-learn's does;
  * (not a gap) the transform_row cases ("LogTransformer auto: transform_row ...", the
    encoders' "unknown category in transform_row") are reached through a one-step
    Pipeline's row_plan(), the single-row path Python has, so the message starts with
    the pipeline step.
"""
import copy
import ctypes
import dataclasses
import ctypes.util
import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

import reprep
from reprep._base import Accumulator

from conftest import DATA, GOLDEN

INF, NAN = np.inf, np.nan


# ---- inputs (the C++ catalogue's, tests/bad_input/catalogue.hpp) --------------------
def mat(v=1.0, r=-1, c=-1, rows=6, cols=3):
    """A rows x cols matrix of positive values, with v at (r, c) when given (C++ mat())."""
    m = np.array([[1.0 + (i * cols + j) * 0.5 for j in range(cols)] for i in range(rows)]).reshape(rows, cols)
    if r >= 0:
        m[r, c] = v
    return m


def with_nan(m, r, c):
    m = m.copy()
    m[r, c] = NAN
    return m


def column_of(v):
    m = mat()
    m[:, 1] = v
    return m


def all_nan_column():
    return column_of(NAN)


_PENGUINS = pd.read_csv(DATA / "penguins.csv")  # as conftest's fixture reads it


def penguins():
    return _PENGUINS.copy(deep=True)


def complete():
    return penguins().dropna()


def without(df, col):
    return df.drop(columns=[col])


def categorical_body_mass(df):
    # The numeric column replaced, in place, by the species strings.
    df = df.copy()
    df["body_mass_g"] = df["species"]
    return df


def cats(values):
    """A categorical column "c" and a numeric column "n" (the encoders' C++ cats())."""
    return pd.DataFrame({"c": pd.Series(values, dtype=object), "n": np.ones(len(values))})


AB = ["a", "b", "a", "b"]
Y4 = [1.0, 0.0, 0.0, 1.0]


def fitted(est, X, y=None):
    return est.fit(X) if y is None else est.fit(X, y)


def loaded(est):
    """The same fit through its artifact: it checks columns by name, as C++ serving."""
    return reprep.load_bytes(est.to_bytes())


# ---- actions --------------------------------------------------------------------
def FIT(est, X):
    est.fit(X)


def FIT_Y(est, XY):
    est.fit(*XY)


def FIT_TRANSFORM(est, X):
    est.fit_transform(X)


def FIT_TRANSFORM_Y(est, XY):
    est.fit_transform(*XY)


def TRANSFORM(est, X):
    est.transform(X)


def INVERSE(est, Y):
    est.inverse_transform(Y)


def PARTIAL_FIT(est, X):
    est.partial_fit(X)


def ROW(est, record):
    est.row_plan().run(record)


def ROW_VALUES(est, record):
    est.row_plan().run_values(record)


def ROW_INTO(est, record_out):
    est.row_plan().run(*record_out)


def FIT_ACC(est, acc):
    est.fit_accumulator(acc)


def ACC_UPDATE(acc, X):
    acc.update(X)


def ACC_UPDATE_Y(acc, XY):
    acc.update(*XY)


def FROM_SKLEARN(_, sk):
    reprep.from_sklearn(sk)


def LOAD_BYTES(_, b):
    reprep.load_bytes(b)


def READ_CSV(_, path):
    reprep.read_csv(path)


# ---- the harness ----------------------------------------------------------------
@dataclass
class Case:
    id: str
    setup: Callable[[], tuple]  # -> (estimator or None, input): fresh for each run
    act: Callable[[Any, Any], Any]
    error: type
    component: str
    fragments: tuple = ()
    absent: Optional[str] = None  # must not be in the message
    once: Optional[str] = None  # must be in the message exactly once
    xfail: Optional[str] = None  # why a known bug needs a C++ / binding change ...
    gaps: frozenset = frozenset()  # ... and what it is: "type", "component", "fix"
    gap_type: Optional[str] = None  # the exception type raised instead, for a "type" gap
    needs_xxh3: bool = False  # resealed after a change: skipped without libxxhash
    refit: Optional[Callable[[], tuple]] = None  # params(): the setup of the refit variant
    skip: Optional[str] = None  # why the case cannot run on this platform


BASES = {
    reprep.InvalidParameter: ValueError, reprep.SchemaError: ValueError, reprep.UnknownCategory: ValueError,
    reprep.InvalidInput: ValueError, reprep.FormatError: ValueError, reprep.NotFitted: NotFittedError,
    reprep.IoError: OSError, reprep.EnvironmentError: RuntimeError,
}


def snapshot(x):
    """An exact, comparable copy of an input."""
    if isinstance(x, np.ndarray):
        return ("ndarray", x.dtype.str, x.shape, x.flags.c_contiguous, x.flags.f_contiguous, x.tobytes(order="A"))
    if isinstance(x, pd.DataFrame):
        return ("frame", x.copy(deep=True))
    if isinstance(x, (tuple, list)):
        return (type(x).__name__, [snapshot(v) for v in x])
    if isinstance(x, (bytes, bytearray)):
        return (type(x).__name__, bytes(x))
    if isinstance(x, Path):
        return ("file", str(x), x.read_bytes() if x.is_file() else None)
    if isinstance(x, Accumulator):
        return ("accumulator", x.to_bytes())
    if type(x).__module__.startswith("sklearn."):
        return ("sklearn", copy.deepcopy(x))
    return ("value", copy.deepcopy(x))


def assert_same(before, after_value):
    now = snapshot(after_value)
    assert before[0] == now[0]
    if before[0] == "frame":
        df0, df1 = before[1], now[1]
        pd.testing.assert_frame_equal(df1, df0, check_exact=True)
        assert df1.index.equals(df0.index) and list(df1.dtypes) == list(df0.dtypes)
    elif before[0] in ("tuple", "list"):
        assert len(before[1]) == len(now[1])
        for b, v in zip(before[1], after_value):
            assert_same(b, v)
    elif before[0] == "sklearn":
        a, b = vars(before[1]), vars(after_value)
        assert a.keys() == b.keys()
        for k in a:
            assert repr(a[k]) == repr(b[k]), k
    elif before[0] == "value":
        assert repr(before[1]) == repr(after_value)
    else:
        assert before == now


def state_of(est):
    """Parameters, fitted state and input columns of an estimator or pipeline."""
    if est is None:
        return None
    if isinstance(est, Accumulator):  # the rows it has seen, exactly
        return ("accumulator", est.to_bytes())
    params = repr(sorted(est.get_params(deep=False).items(), key=lambda kv: kv[0]))
    if est.__dict__.get("_artifact") is None:
        return ("unfitted", params, sorted(k for k in vars(est) if k.endswith("_") and not k.startswith("_")))
    return ("fitted", params, est.fingerprint(), est.to_bytes(), getattr(est, "n_features_in_", None),
            list(getattr(est, "feature_names_in_", [])), list(est._input_columns),
            [s.fingerprint() for _, s in est.steps] if isinstance(est, reprep.Pipeline) else None)


class KnownGap(pytest.fail.Exception):
    """Raised, after every other check has passed, when a case shows exactly the gaps it
    declares (a wrong exception type, no component or no "Fix:" in the message): the
    xfail(strict=True, raises=KnownGap) of a bug that needs a C++ or binding change. A
    pytest failure without a traceback (pytrace=False): rendering one per xfail took
    two thirds of this file's run time."""


def run_case(case):
    est, data = case.setup()
    data_before, est_before = snapshot(data), state_of(est)
    with pytest.raises(reprep.ReprepError) as info:
        case.act(est, data)
    err = info.value
    msg = str(err)
    gaps = set()
    if type(err) is not case.error:
        gaps.add(f"type ({type(err).__name__})")
    assert isinstance(err, BASES[type(err)])
    if case.component not in msg:
        gaps.add("component")
    for frag in case.fragments:
        assert frag in msg, f"message lacks {frag!r}: {msg}"
    if "Fix:" not in msg:
        gaps.add("fix")
    if case.absent is not None:
        assert case.absent not in msg, f"message holds {case.absent!r}: {msg}"
    if case.once is not None:
        assert msg.count(case.once) == 1, f"{case.once!r} is not in the message exactly once: {msg}"
    assert_same(data_before, data)
    assert state_of(est) == est_before, "the estimator's parameters or fitted state changed"
    if est_before is not None and est_before[0] == "unfitted":
        with pytest.raises(reprep.NotFitted):  # a failed fit leaves nothing fitted behind
            est.fingerprint()
    expected_gaps = {g if g != "type" else f"type ({case.gap_type})" for g in case.gaps}
    assert gaps == expected_gaps, (f"expected {case.error.__name__} naming {case.component!r} with a Fix "
                                   f"(known gaps: {sorted(expected_gaps)}), got {type(err).__name__}: {msg}")
    if gaps:
        raise KnownGap(f"{sorted(gaps)}: {msg}", pytrace=False)


def params(id_, cls, kwargs, field, data=None, extra=(), refit=True):
    """A parameter C++ refuses in the constructor: refused by fit, naming the field. With
    `refit` (True: the default parameters; or a dict of them), expand() adds a case that
    sets the bad parameter on an estimator fitted with those and refits: the refusal must
    leave the old fit in place."""
    data = data or mat
    case = Case(id_, lambda: (cls(**kwargs), data()), FIT, reprep.InvalidParameter, cls.__name__, (field, *extra))
    if refit is False:
        return case
    good = {} if refit is True else refit
    return dataclasses.replace(case, refit=lambda: (fitted(cls(**good), data()).set_params(**kwargs), data()))


def expand(cases):
    """The cases with their refit variants."""
    out = []
    for c in cases:
        out.append(c)
        if c.refit is not None:
            out.append(dataclasses.replace(c, id=f"{c.id} (refit of a fitted estimator)", setup=c.refit, refit=None))
    return out


# ==== test_scalers.cpp ==============================================================
def scaler_cases(cls, nan_in_fit_ok, nan_in_transform_ok, inf_in_transform_ok):
    n = cls.__name__
    f = "scalers"
    cols = ["bill_length_mm", "body_mass_g"]
    v = [
        Case(f"{f}: {n}: fit on 0 rows", lambda: (cls(), np.empty((0, 3))), FIT, reprep.InvalidInput, n,
             ("0 sample(s)",)),
        Case(f"{f}: {n}: fit on 0 columns", lambda: (cls(), np.empty((5, 0))), FIT, reprep.InvalidInput, n,
             ("0 feature(s)",)),
        Case(f"{f}: {n}: +Inf in fit", lambda: (cls(), mat(INF, 2, 1)), FIT, reprep.InvalidInput, n,
             ("infinite value in fit", "column 'x1', row 2")),
        Case(f"{f}: {n}: -Inf in fit names column and row", lambda: (cls(), mat(-INF, 4, 0)), FIT,
             reprep.InvalidInput, n, ("column 'x0', row 4",)),
        Case(f"{f}: {n}: transform with 4 columns, fit saw 3", lambda: (fitted(cls(), mat()), mat(1.0, -1, -1, 6, 4)),
             TRANSFORM, reprep.SchemaError, n, ("4 features", "expecting 3 features")),
        Case(f"{f}: {n}: transform before fit", lambda: (cls(), mat()), TRANSFORM, reprep.NotFitted, n,
             ("not fitted",)),
        Case(f"{f}: {n}: fit on a table without a selected column",
             lambda: (cls(columns=cols), without(penguins(), "body_mass_g")), FIT, reprep.SchemaError, n,
             ("body_mass_g",)),
        Case(f"{f}: {n}: fit on a categorical column", lambda: (cls(columns=cols), categorical_body_mass(complete())),
             FIT, reprep.SchemaError, n, ("body_mass_g",)),
        Case(f"{f}: {n}: transform a table without a fitted column",
             lambda: (fitted(cls(columns=cols), complete()), without(penguins(), "body_mass_g")), TRANSFORM,
             reprep.SchemaError, n, ("body_mass_g",)),
        Case(f"{f}: {n}: transform a table without a fitted column (loaded artifact)",
             lambda: (loaded(fitted(cls(columns=cols), complete())), without(penguins(), "body_mass_g")), TRANSFORM,
             reprep.SchemaError, n, ("column 'body_mass_g'",)),
    ]
    if not nan_in_fit_ok:
        v.append(Case(f"{f}: {n}: NaN in fit", lambda: (cls(), mat(NAN, 1, 2)), FIT, reprep.InvalidInput, n,
                      ("NaN in fit", "column 'x2', row 1")))
    if not inf_in_transform_ok:
        v.append(Case(f"{f}: {n}: Inf in transform", lambda: (fitted(cls(), mat()), mat(INF, 3, 2)), TRANSFORM,
                      reprep.InvalidInput, n, ("infinite value in transform", "column 'x2', row 3")))
    if not nan_in_transform_ok:
        v.append(Case(f"{f}: {n}: NaN in transform", lambda: (fitted(cls(), mat()), mat(NAN, 5, 0)), TRANSFORM,
                      reprep.InvalidInput, n, ("NaN in transform", "column 'x0', row 5")))
    return v


SCALERS = [
    *scaler_cases(reprep.StandardScaler, True, True, True),
    *scaler_cases(reprep.MinMaxScaler, True, True, True),
    *scaler_cases(reprep.MaxAbsScaler, True, True, True),
    *scaler_cases(reprep.RobustScaler, True, True, True),
    *scaler_cases(reprep.Normalizer, False, False, False),
    *scaler_cases(reprep.Binarizer, False, False, False),
    params("scalers: MinMaxScaler feature_range min == max", reprep.MinMaxScaler, {"feature_range": (1.0, 1.0)},
           "feature_range"),
    params("scalers: MinMaxScaler feature_range min > max", reprep.MinMaxScaler, {"feature_range": (2.0, -1.0)},
           "feature_range"),
    params("scalers: MinMaxScaler feature_range NaN", reprep.MinMaxScaler, {"feature_range": (NAN, 1.0)},
           "feature_range"),
    params("scalers: RobustScaler quantile_range reversed", reprep.RobustScaler, {"quantile_range": (75.0, 25.0)},
           "quantile_range"),
    params("scalers: RobustScaler quantile_range beyond 100", reprep.RobustScaler, {"quantile_range": (25.0, 175.0)},
           "quantile_range"),
    params("scalers: Normalizer unknown norm", reprep.Normalizer, {"norm": "l3"}, "norm"),
    params("scalers: Binarizer NaN threshold", reprep.Binarizer, {"threshold": NAN}, "threshold"),
]


# ==== test_transforms.cpp ===========================================================
def transform_cases(label, make):
    n = type(make()).__name__
    f = "transforms"
    cols = ["bill_length_mm", "body_mass_g"]

    def inf_after_nan():
        return with_nan(mat(-INF, 4, 0), 1, 0)

    return [
        Case(f"{f}: {label}: fit on 0 rows", lambda: (make(), np.empty((0, 3))), FIT, reprep.InvalidInput, n,
             ("0 sample(s)",)),
        Case(f"{f}: {label}: fit on 0 columns", lambda: (make(), np.empty((5, 0))), FIT, reprep.InvalidInput, n,
             ("0 feature(s)",)),
        Case(f"{f}: {label}: +Inf in fit", lambda: (make(), mat(INF, 2, 1)), FIT, reprep.InvalidInput, n,
             (f"{n}: column 'x1', row 2",)),
        Case(f"{f}: {label}: -Inf in fit after a NaN", lambda: (make(), inf_after_nan()), FIT, reprep.InvalidInput, n,
             ("infinite value in fit", "column 'x0', row 4")),
        Case(f"{f}: {label}: transform with 4 columns, fit saw 3",
             lambda: (fitted(make(), mat()), mat(1.0, -1, -1, 6, 4)), TRANSFORM, reprep.SchemaError, n,
             ("expecting 3 features",)),
        Case(f"{f}: {label}: +Inf in transform", lambda: (fitted(make(), mat()), mat(INF, 3, 2)), TRANSFORM,
             reprep.InvalidInput, n, (f"{n}: column 'x2', row 3",)),
        Case(f"{f}: {label}: -Inf in transform", lambda: (fitted(make(), mat()), mat(-INF, 0, 0)), TRANSFORM,
             reprep.InvalidInput, n, ("infinite value in transform", "column 'x0', row 0")),
        Case(f"{f}: {label}: transform before fit", lambda: (make(), mat()), TRANSFORM, reprep.NotFitted, n,
             ("not fitted",)),
        Case(f"{f}: {label}: fit on a table without a selected column",
             lambda: (make().set_params(columns=cols), without(penguins(), "body_mass_g")), FIT, reprep.SchemaError,
             n, ("body_mass_g",)),
        Case(f"{f}: {label}: fit on a categorical column",
             lambda: (make().set_params(columns=cols), categorical_body_mass(penguins())), FIT, reprep.SchemaError, n,
             ("body_mass_g",)),
        Case(f"{f}: {label}: transform a table without a fitted column",
             lambda: (fitted(make().set_params(columns=cols), penguins()), without(penguins(), "body_mass_g")),
             TRANSFORM, reprep.SchemaError, n, ("body_mass_g",)),
        Case(f"{f}: {label}: transform a table without a fitted column (loaded artifact)",
             lambda: (loaded(fitted(make().set_params(columns=cols), penguins())), without(penguins(), "body_mass_g")),
             TRANSFORM, reprep.SchemaError, n, ("column 'body_mass_g'",)),
    ]


def log_tail_below_minimum():
    return fitted(reprep.LogTransformer(C="auto"), mat(-4.0, 3, 1))


def one_step(name, est):
    return reprep.Pipeline([(name, est)])


def x_frame(m):
    return pd.DataFrame(m, columns=[f"x{j}" for j in range(m.shape[1])])


def overflow_yj():
    m = mat(1e300, 0, 1)
    m[1, 1] = -1e300
    return m


def overflow_bc():
    m = mat(1e300, 0, 1)
    m[1, 1] = 1e-300
    return m


def fitted_max(mx):
    m = column_of(-1.0)
    m[3, 1] = mx
    return m


def sk_power(**state):
    from sklearn.preprocessing import PowerTransformer

    sk = PowerTransformer().fit(mat())
    for k, v in state.items():
        setattr(sk, k, v)
    return sk


def sk_quantiles(q):
    from sklearn.preprocessing import QuantileTransformer

    sk = QuantileTransformer(n_quantiles=3).fit(mat(rows=3, cols=1))
    sk.quantiles_ = np.asarray(q, dtype=np.float64).reshape(-1, 1)
    return sk


Log, Pow, Qt, Cyc = reprep.LogTransformer, reprep.PowerTransformer, reprep.QuantileTransformer, reprep.CyclicalFeatures
TRANSFORMS = [
    *transform_cases("LogTransformer", lambda: Log()),
    *transform_cases("PowerTransformer", lambda: Pow()),
    *transform_cases("PowerTransformer (Box-Cox)", lambda: Pow(method="box-cox")),
    *transform_cases("QuantileTransformer", lambda: Qt(n_quantiles=4)),
    *transform_cases("CyclicalFeatures", lambda: Cyc()),
    Case("transforms: CyclicalFeatures: an output named like a passthrough column",
         lambda: (fitted(Cyc(columns=["x"]), pd.DataFrame({"x": [1.0, 2.0]})),
                  pd.DataFrame({"x": [1.0, 2.0], "x_sin": [5.0, 6.0]})), TRANSFORM, reprep.SchemaError,
         "CyclicalFeatures", ("x_sin",)),
    Case("transforms: CyclicalFeatures: an output named like a passthrough column (loaded artifact)",
         lambda: (loaded(fitted(Cyc(columns=["x"]), pd.DataFrame({"x": [1.0, 2.0]}))),
                  pd.DataFrame({"x": [1.0, 2.0], "x_sin": [5.0, 6.0]})), TRANSFORM, reprep.SchemaError,
         "CyclicalFeatures", ("CyclicalFeatures: column 'x_sin': its output column 'x_sin' would overwrite",)),
    *[Case(f"transforms: LogTransformer: fit on {x}", lambda x=x: (Log(), mat(x, 2, 1)), FIT, reprep.InvalidInput,
           "LogTransformer", ("column 'x1', row 2",)) for x in (0.0, -3.0)],
    *[Case(f"transforms: LogTransformer: transform {x}", lambda x=x: (fitted(Log(), mat()), mat(x, 5, 0)), TRANSFORM,
           reprep.InvalidInput, "LogTransformer", ("LogTransformer: column 'x0', row 5",)) for x in (0.0, -1e-300)],
    Case("transforms: LogTransformer base 10: transform with x + C = 0",
         lambda: (fitted(Log(base="10", C=2.0), mat()), mat(-2.0, 1, 2)), TRANSFORM, reprep.InvalidInput,
         "LogTransformer", ("log is undefined", "column 'x2', row 1")),
    Case("transforms: LogTransformer auto: transform below the training minimum",
         lambda: (log_tail_below_minimum(), mat(-9.0, 0, 1)), TRANSFORM, reprep.InvalidInput, "LogTransformer",
         ("column 'x1', row 0",), absent="C = 'auto'", once="below the training minimum"),
    Case("transforms: LogTransformer auto: transform_row below the training minimum (one-step Pipeline row plan)",
         lambda: (fitted(one_step("log", Log(C="auto")), x_frame(mat(-4.0, 3, 1))), (1.0, -9.0, 1.0)), ROW,
         reprep.InvalidInput, "LogTransformer", ("LogTransformer: column 'x1': in transform",), absent="row 0"),
    Case("transforms: LogTransformer fixed C: transform with x + C <= 0",
         lambda: (fitted(Log(C=2.0), mat()), mat(-5.0, 1, 2)), TRANSFORM, reprep.InvalidInput, "LogTransformer",
         ("Fix: use a larger C",)),
    Case("transforms: LogTransformer: fit(acc) on a non-positive column names it (partial_fit)",
         lambda: (Log(), mat(-1.0, 0, 2)), PARTIAL_FIT, reprep.InvalidInput, "LogTransformer", ("column 'x2'",)),
    Case("transforms: LogTransformer: fit(acc) on a non-positive column names it",
         lambda: (Log(), Log().accumulator().update(mat(-1.0, 0, 2))), FIT_ACC, reprep.InvalidInput,
         "LogTransformer", ("column 'x2'",)),
    Case("transforms: LogTransformer: inverse with 2 columns",
         lambda: (fitted(Log(), mat()), mat(1.0, -1, -1, 6, 2)), INVERSE, reprep.SchemaError, "LogTransformer",
         ("transform makes 3 columns",)),
    *[params(f"transforms: LogTransformer C = {C}", Log, {"C": C}, "C must be finite") for C in (NAN, INF)],
    params("transforms: LogTransformer unknown base", Log, {"base": "2"}, "base"),
    *[Case(f"transforms: Box-Cox: fit on {x}", lambda x=x: (Pow(method="box-cox"), mat(x, 4, 1)), FIT,
           reprep.InvalidInput, "PowerTransformer", ("PowerTransformer: column 'x1', row 4",))
      for x in (0.0, -2.5, -0.0)],
    Case("transforms: Box-Cox: transform 0", lambda: (fitted(Pow(method="box-cox"), mat()), mat(0.0, 1, 2)),
         TRANSFORM, reprep.InvalidInput, "PowerTransformer", ("column 'x2', row 1",)),
    Case("transforms: Box-Cox: a constant column", lambda: (Pow(method="box-cox"), column_of(2.0)), FIT,
         reprep.InvalidInput, "PowerTransformer", ("column 'x1': Box-Cox cannot fit a constant column",)),
    Case("transforms: Box-Cox: a single row (constant)", lambda: (Pow(method="box-cox"), mat(1.0, -1, -1, 1, 3)),
         FIT, reprep.InvalidInput, "PowerTransformer", ("constant column",)),
    *[Case(f"transforms: PowerTransformer: an all-NaN column ({m})", lambda m=m: (Pow(method=m), all_nan_column()),
           FIT, reprep.InvalidInput, "PowerTransformer", ("column 'x1': the column holds only NaN",))
      for m in ("yeo-johnson", "box-cox")],
    Case("transforms: Yeo-Johnson: values that overflow the transform", lambda: (Pow(), overflow_yj()), FIT,
         reprep.InvalidInput, "PowerTransformer", ("column 'x1', row 0: the power transform overflows",)),
    Case("transforms: Box-Cox: values that overflow the transform", lambda: (Pow(method="box-cox"), overflow_bc()),
         FIT, reprep.InvalidInput, "PowerTransformer", ("column 'x1', row 0: the power transform overflows",)),
    params("transforms: PowerTransformer unknown method", Pow, {"method": "box-muller"}, "method"),
    Case("transforms: PowerTransformer from_state with an Inf lambda (from_sklearn)",
         lambda: (None, sk_power(lambdas_=np.array([INF, 1.0, 1.0]))), FROM_SKLEARN, reprep.InvalidParameter,
         "PowerTransformer", ("lambda",)),
    *[params(f"transforms: QuantileTransformer n_quantiles = {q}", Qt, {"n_quantiles": q},
             f"n_quantiles must be >= 1, got {q}") for q in (0, -1, -2**63)],
    Case("transforms: QuantileTransformer n_quantiles: named as a parameter", lambda: (Qt(n_quantiles=0), mat()), FIT,
         reprep.InvalidParameter, "QuantileTransformer", ("QuantileTransformer: parameter 'n_quantiles': ",),
         absent="column '"),
    params("transforms: QuantileTransformer unknown output", Qt, {"output_distribution": "poisson"},
           "output_distribution"),
    Case("transforms: QuantileTransformer from_state decreasing (from_sklearn)",
         lambda: (None, sk_quantiles([1.0, 3.0, 2.0])), FROM_SKLEARN, reprep.InvalidParameter, "QuantileTransformer",
         ("non-decreasing",)),
    Case("transforms: QuantileTransformer from_state with Inf (from_sklearn)",
         lambda: (None, sk_quantiles([1.0, 2.0, INF])), FROM_SKLEARN, reprep.InvalidParameter, "QuantileTransformer",
         ("finite",)),
    Case("transforms: QuantileTransformer: fit on an empty accumulator", lambda: (Qt(), Qt().accumulator()), FIT_ACC,
         reprep.InvalidInput, "QuantileTransformer", ("seen no data",)),
    # Python's accumulators read Tables: a narrower chunk lacks a named column.
    Case("transforms: QuantileTransformer: accumulator chunks of different widths",
         lambda: (Qt().accumulator().update(mat()), mat(1.0, -1, -1, 6, 2)), ACC_UPDATE, reprep.SchemaError,
         "QuantileTransformer", ("column 'x2'",)),
    *[params(f"transforms: CyclicalFeatures max_values {mx}", Cyc, {"max_values": {"x0": mx}}, 'max_values["x0"]')
      for mx in (0.0, NAN, INF, 5e-324)],
    *[Case(f"transforms: CyclicalFeatures: a fitted maximum of {mx}", lambda mx=mx: (Cyc(), fitted_max(mx)), FIT,
           reprep.InvalidInput, "CyclicalFeatures", ("CyclicalFeatures: column 'x1': the column's maximum",))
      for mx in (0.0, 5e-324)],
    Case("transforms: CyclicalFeatures: an all-NaN column (no maximum)", lambda: (Cyc(), all_nan_column()), FIT,
         reprep.InvalidInput, "CyclicalFeatures", ("column 'x1'",)),
    Case("transforms: CyclicalFeatures: max_values without this column",
         lambda: (Cyc(max_values={"x0": 7.0, "x1": 7.0}), mat()), FIT, reprep.SchemaError, "CyclicalFeatures",
         ("column 'x2'",)),
    # Python names an array's columns x0, x1, ...: columns=["a", "b"] selects columns the
    # array does not have (C++'s Params::columns would rename the matrix's columns).
    Case("transforms: CyclicalFeatures: 2 column names for a 3-column matrix", lambda: (Cyc(columns=["a", "b"]), mat()),
         FIT, reprep.SchemaError, "CyclicalFeatures", ("'a'",)),
]


# ==== test_imputers.cpp =============================================================
def numeric_imputer_cases(label, make, inf_in_transform_ok):
    n = type(make()).__name__
    f = "imputers"
    cols = ["bill_length_mm", "body_mass_g"]

    def nan_everywhere():
        m = mat()
        for j in range(3):
            m[j, j] = NAN
        return m

    def cat_body_mass():
        df = penguins()
        df["body_mass_g"] = df["species"]
        return df

    v = [
        Case(f"{f}: {label}: fit on 0 rows", lambda: (make(), np.empty((0, 3))), FIT, reprep.InvalidInput, n,
             ("0 sample(s)",)),
        Case(f"{f}: {label}: fit on 0 columns", lambda: (make(), np.empty((5, 0))), FIT, reprep.InvalidInput, n,
             ("0 feature(s)",)),
        Case(f"{f}: {label}: +Inf in fit", lambda: (make(), mat(INF, 2, 1)), FIT, reprep.InvalidInput, n,
             (f"{n}: column 'x1', row 2",)),
        Case(f"{f}: {label}: -Inf in fit after a NaN", lambda: (make(), with_nan(mat(-INF, 4, 0), 1, 0)), FIT,
             reprep.InvalidInput, n, ("infinite value in fit", "column 'x0', row 4")),
        Case(f"{f}: {label}: transform with 4 columns, fit saw 3",
             lambda: (fitted(make(), nan_everywhere()), mat(1.0, -1, -1, 6, 4)), TRANSFORM, reprep.SchemaError, n,
             ("expecting 3 features",)),
        Case(f"{f}: {label}: transform before fit", lambda: (make(), mat()), TRANSFORM, reprep.NotFitted, n,
             ("not fitted",)),
        Case(f"{f}: {label}: fit on a table without a selected column",
             lambda: (make().set_params(columns=cols), without(penguins(), "body_mass_g")), FIT, reprep.SchemaError,
             n, ("body_mass_g",)),
        Case(f"{f}: {label}: transform a table whose column became categorical",
             lambda: (fitted(make().set_params(columns=cols), penguins()), cat_body_mass()), TRANSFORM,
             reprep.SchemaError, n, ("body_mass_g",)),
    ]
    if not inf_in_transform_ok:
        v.append(Case(f"{f}: {label}: Inf in transform",
                      lambda: (fitted(make(), nan_everywhere()), mat(INF, 3, 2)), TRANSFORM, reprep.InvalidInput, n,
                      ("column 'x2', row 3",)))
    return v


def sk_simple_imputer_indicator_beyond():
    from sklearn.impute import SimpleImputer

    sk = SimpleImputer(add_indicator=True).fit(with_nan(mat(rows=6, cols=2), 0, 1))
    sk.indicator_.features_ = np.array([2])
    return sk


def penguins_with_numeric_sex():
    df = penguins()
    df["sex"] = 1.0
    return df


RS_FIT = dict(columns=["bill_length_mm", "sex"], variables_seed=["island"], seeding_method="observation")
SI, MI, ETI = reprep.SimpleImputer, reprep.MissingIndicator, reprep.EndTailImputer
CI, RS = reprep.CategoricalImputer, reprep.RandomSampleImputer
IMPUTERS = [
    *numeric_imputer_cases("SimpleImputer", lambda: SI(add_indicator=True), False),
    *numeric_imputer_cases("MissingIndicator", lambda: MI(), False),
    *numeric_imputer_cases("EndTailImputer", lambda: ETI(), True),
    Case("imputers: MissingIndicator: NaN in a column without NaN in fit",
         lambda: (fitted(MI(), mat(NAN, 0, 1)), mat(NAN, 3, 0)), TRANSFORM, reprep.InvalidInput, "MissingIndicator",
         ("MissingIndicator: column 'x0', row 3",)),
    Case("imputers: SimpleImputer: fit on an empty accumulator", lambda: (SI(), SI().accumulator()), FIT_ACC,
         reprep.InvalidInput, "SimpleImputer", ("seen no data",)),
    Case("imputers: SimpleImputer: accumulator of another strategy",
         lambda: (SI(), SI(strategy="median").accumulator().update(mat())), FIT_ACC, reprep.InvalidInput,
         "SimpleImputer", ("another strategy",)),
    Case("imputers: EndTailImputer: accumulator of another method",
         lambda: (ETI(), ETI(imputation_method="iqr").accumulator().update(mat())), FIT_ACC, reprep.InvalidInput,
         "EndTailImputer", ("another imputation_method",)),
    Case("imputers: SimpleImputer: inverse without the indicator", lambda: (fitted(SI(), mat()), mat()), INVERSE,
         reprep.InvalidParameter, "SimpleImputer", ("add_indicator",)),
    params("imputers: SimpleImputer unknown strategy", SI, {"strategy": "avg"}, "strategy"),
    params("imputers: SimpleImputer constant with NaN fill_value", SI, {"strategy": "constant", "fill_value": NAN},
           "fill_value"),
    Case("imputers: SimpleImputer from_state indicator beyond the columns (from_sklearn)",
         lambda: (None, sk_simple_imputer_indicator_beyond()), FROM_SKLEARN, reprep.InvalidParameter, "SimpleImputer",
         ("indicator_features",)),
    params("imputers: MissingIndicator unknown features", MI, {"features": "some"}, "features"),
    *[params(f"imputers: EndTailImputer fold {fold}", ETI, {"fold": fold}, "fold") for fold in (0.0, -1.0, NAN, INF)],
    params("imputers: EndTailImputer unknown method", ETI, {"imputation_method": "mad"}, "imputation_method"),
    params("imputers: EndTailImputer unknown tail", ETI, {"tail": "middle"}, "tail"),
    # Table imputers.
    Case("imputers: CategoricalImputer: fit on 0 rows", lambda: (CI(imputation_method="frequent"), cats([])), FIT,
         reprep.InvalidInput, "CategoricalImputer", ("0 sample(s)",)),
    Case("imputers: CategoricalImputer: frequent on an all-missing column",
         lambda: (CI(imputation_method="frequent"), cats([None, None])), FIT, reprep.InvalidInput,
         "CategoricalImputer", ("CategoricalImputer: column 'c'",)),
    Case("imputers: CategoricalImputer: a table without categorical columns",
         lambda: (CI(imputation_method="frequent"), pd.DataFrame({"n": [1.0, 2.0]})), FIT, reprep.SchemaError,
         "CategoricalImputer", ("no categorical column",)),
    Case("imputers: CategoricalImputer: a selected column that is numeric", lambda: (CI(columns=["n"]), cats(["a"])),
         FIT, reprep.SchemaError, "CategoricalImputer", ("'n'",)),
    Case("imputers: CategoricalImputer: transform without the fitted column",
         lambda: (fitted(CI(columns=["c"]), cats(["a", None])), pd.DataFrame({"n": [1.0]})), TRANSFORM,
         reprep.SchemaError, "CategoricalImputer", ("c",)),
    Case("imputers: CategoricalImputer: transform without the fitted column (loaded artifact)",
         lambda: (loaded(fitted(CI(columns=["c"]), cats(["a", None]))), pd.DataFrame({"n": [1.0]})), TRANSFORM,
         reprep.SchemaError, "CategoricalImputer", ("'c'",)),
    Case("imputers: CategoricalImputer: transform before fit", lambda: (CI(), cats(["a"])), TRANSFORM,
         reprep.NotFitted, "CategoricalImputer", ("not fitted",)),
    Case("imputers: CategoricalImputer: a record of 2 values for 1 column (one-step Pipeline row plan)",
         lambda: (fitted(one_step("ci", CI(columns=["c"])), cats(["a", None])), ("a", "b")), ROW_VALUES,
         reprep.SchemaError, "RowPlan", ("the record holds 2",)),
    params("imputers: CategoricalImputer unknown imputation_method", CI, {"imputation_method": "mode"},
           "imputation_method", data=lambda: cats(["a"])),
    params("imputers: CategoricalImputer a column named twice", CI, {"columns": ["c", "c"]}, "more than once",
           data=lambda: cats(["a"])),
    Case("imputers: RandomSampleImputer: fit on 0 rows", lambda: (RS(), cats([])), FIT, reprep.InvalidInput,
         "RandomSampleImputer", ("0 sample(s)",)),
    Case("imputers: RandomSampleImputer: an all-missing categorical column", lambda: (RS(), cats([None])), FIT,
         reprep.InvalidInput, "RandomSampleImputer", ("RandomSampleImputer: column 'c'",)),
    Case("imputers: RandomSampleImputer: an all-NaN numeric column", lambda: (RS(), pd.DataFrame({"x": [NAN, NAN]})),
         FIT, reprep.InvalidInput, "RandomSampleImputer", ("column 'x'",)),
    Case("imputers: RandomSampleImputer: fit without a selected column",
         lambda: (RS(columns=["bill_length_mm", "sex"]), without(penguins(), "sex")), FIT, reprep.SchemaError,
         "RandomSampleImputer", ("'sex'",)),
    Case("imputers: RandomSampleImputer: a column whose type changed",
         lambda: (fitted(RS(**RS_FIT), penguins()), penguins_with_numeric_sex()), TRANSFORM, reprep.SchemaError,
         "RandomSampleImputer", ("column 'sex'",)),
    Case("imputers: RandomSampleImputer: transform without a seed column",
         lambda: (fitted(RS(**RS_FIT), penguins()), without(penguins(), "island")), TRANSFORM, reprep.SchemaError,
         "RandomSampleImputer", ("island",)),
    Case("imputers: RandomSampleImputer: transform without a seed column (loaded artifact)",
         lambda: (loaded(fitted(RS(**RS_FIT), penguins())), without(penguins(), "island")), TRANSFORM,
         reprep.SchemaError, "RandomSampleImputer", ("'island'",)),
    Case("imputers: RandomSampleImputer: row spans of 2 for 3 columns (one-step Pipeline row plan)",
         lambda: (fitted(one_step("rs", RS(**RS_FIT)), penguins()), (NAN, None)), ROW_VALUES, reprep.SchemaError,
         "RowPlan", ("the record holds 2 values, the input schema 3",)),
    Case("imputers: RandomSampleImputer: transform before fit", lambda: (RS(), penguins()), TRANSFORM,
         reprep.NotFitted, "RandomSampleImputer", ("not fitted",)),
    params("imputers: RandomSampleImputer observation without seed columns", RS, {"seeding_method": "observation"},
           "variables_seed", data=penguins),
    params("imputers: RandomSampleImputer seed columns with general seeding", RS, {"variables_seed": ["island"]},
           "variables_seed", data=penguins),
    params("imputers: RandomSampleImputer unknown seeding_method", RS, {"seeding_method": "row"}, "seeding_method",
           data=penguins),
]


# ==== test_imputers.cpp: the feature selectors ======================================
def penguin_rows(rows):
    return penguins().iloc[rows]


DC, DD, DR, DP = (reprep.DropConstantFeatures, reprep.DropDuplicateFeatures, reprep.DropCorrelatedFeatures,
                  reprep.DropHighPSIFeatures)
DC_GOOD = {"missing_values": "ignore"}
DP_GOOD = {"split_col": "year", "missing_values": "ignore"}
DC_FIT = dict(columns=["island", "sex", "year"], tol=0.5, missing_values="ignore")
DP_ISLAND = dict(columns=["bill_length_mm", "body_mass_g"], split_col="island", cut_off=["Biscoe"])
SELECTORS = [
    Case("selectors: DropConstantFeatures: fit on 0 rows", lambda: (DC(), cats([])), FIT, reprep.InvalidInput,
         "DropConstantFeatures", ("0 sample(s)",)),
    Case("selectors: DropConstantFeatures: a missing value under raise",
         lambda: (DC(columns=["island", "sex"]), penguins()), FIT, reprep.InvalidInput, "DropConstantFeatures",
         ("DropConstantFeatures: column 'sex', row 3",)),
    Case("selectors: DropConstantFeatures: every column constant",
         lambda: (DC(), pd.DataFrame({"k": [2.0, 2.0], "s": ["a", "a"]})), FIT, reprep.InvalidInput,
         "DropConstantFeatures", ("none would be left",)),
    Case("selectors: DropConstantFeatures: fit without a selected column",
         lambda: (DC(columns=["sex"]), without(penguins(), "sex")), FIT, reprep.SchemaError, "DropConstantFeatures",
         ("'sex'",)),
    Case("selectors: DropConstantFeatures: a column whose type changed",
         lambda: (fitted(DC(**DC_FIT), penguins()), penguins_with_numeric_sex()), TRANSFORM, reprep.SchemaError,
         "DropConstantFeatures", ("column 'sex'",)),
    Case("selectors: DropConstantFeatures: transform without a fitted column",
         lambda: (fitted(DC(**DC_FIT), penguins()), without(penguins(), "year")), TRANSFORM, reprep.SchemaError,
         "DropConstantFeatures", ("year",)),
    Case("selectors: DropConstantFeatures: transform without a fitted column (loaded artifact)",
         lambda: (loaded(fitted(DC(**DC_FIT), penguins())), without(penguins(), "year")), TRANSFORM,
         reprep.SchemaError, "DropConstantFeatures", ("'year'",)),
    Case("selectors: DropConstantFeatures: row spans of 2 for 3 columns (one-step Pipeline row plan)",
         lambda: (fitted(one_step("dc", DC(**DC_FIT)), penguins()), (None, None)), ROW_VALUES, reprep.SchemaError,
         "RowPlan", ("the record holds 2 values, the input schema 3",)),
    Case("selectors: DropConstantFeatures: transform before fit", lambda: (DC(), penguins()), TRANSFORM,
         reprep.NotFitted, "DropConstantFeatures", ("not fitted",)),
    params("selectors: DropConstantFeatures tol above 1", DC, {"tol": 1.25}, "tol", data=penguins, refit=DC_GOOD),
    params("selectors: DropConstantFeatures unknown missing_values", DC, {"missing_values": "drop"}, "missing_values",
           data=penguins, refit=DC_GOOD),
    Case("selectors: DropDuplicateFeatures: a missing value under raise",
         lambda: (DD(missing_values="raise"), penguins()), FIT, reprep.InvalidInput, "DropDuplicateFeatures",
         ("DropDuplicateFeatures: column 'bill_length_mm', row 3",)),
    Case("selectors: DropDuplicateFeatures: a table without columns", lambda: (DD(), pd.DataFrame(index=range(3))),
         FIT, reprep.SchemaError, "DropDuplicateFeatures", ("0 feature(s)",)),
    Case("selectors: DropDuplicateFeatures: transform without a fitted column",
         lambda: (fitted(DD(columns=["island", "sex"]), penguins()), without(penguins(), "island")), TRANSFORM,
         reprep.SchemaError, "DropDuplicateFeatures", ("island",)),
    Case("selectors: DropDuplicateFeatures: transform without a fitted column (loaded artifact)",
         lambda: (loaded(fitted(DD(columns=["island", "sex"]), penguins())), without(penguins(), "island")),
         TRANSFORM, reprep.SchemaError, "DropDuplicateFeatures", ("'island'",)),
    params("selectors: DropDuplicateFeatures missing_values include", DD, {"missing_values": "include"},
           "missing_values", data=penguins),
    Case("selectors: DropCorrelatedFeatures: an infinite value",
         lambda: (DR(), pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, INF, 2.0]})), FIT, reprep.InvalidInput,
         "DropCorrelatedFeatures", ("DropCorrelatedFeatures: column 'b', row 1",)),
    Case("selectors: DropCorrelatedFeatures: a missing value under raise",
         lambda: (DR(missing_values="raise"), penguins()), FIT, reprep.InvalidInput, "DropCorrelatedFeatures",
         ("column 'bill_length_mm', row 3",)),
    Case("selectors: DropCorrelatedFeatures: a categorical column named",
         lambda: (DR(columns=["island", "body_mass_g"]), penguins()), FIT, reprep.SchemaError,
         "DropCorrelatedFeatures", ("'island'",)),
    Case("selectors: DropCorrelatedFeatures: a table without numeric columns",
         lambda: (DR(), pd.DataFrame({"c": ["a", "b"]})), FIT, reprep.SchemaError, "DropCorrelatedFeatures",
         ("no numeric column",)),
    params("selectors: DropCorrelatedFeatures threshold NaN", DR, {"threshold": NAN}, "threshold", data=penguins),
    params("selectors: DropCorrelatedFeatures unknown method", DR, {"method": "kendall-tau"}, "method",
           data=penguins),
    Case("selectors: DropHighPSIFeatures: a missing value under raise", lambda: (DP(**DP_ISLAND), penguins()), FIT,
         reprep.InvalidInput, "DropHighPSIFeatures", ("DropHighPSIFeatures: column 'bill_length_mm', row 3",)),
    Case("selectors: DropHighPSIFeatures: a missing split value",
         lambda: (DP(columns=["year"], split_col="sex", cut_off=["male"]), penguins()), FIT, reprep.InvalidInput,
         "DropHighPSIFeatures", ("DropHighPSIFeatures: column 'sex', row 3",)),
    Case("selectors: DropHighPSIFeatures: an infinite value",
         lambda: (DP(split_col="a", bins=2), pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, INF, 2.0, 3.0]})),
         FIT, reprep.InvalidInput, "DropHighPSIFeatures", ("DropHighPSIFeatures: column 'b', row 1",)),
    Case("selectors: DropHighPSIFeatures: fewer rows on a side than bins",
         lambda: (DP(split_col="year", cut_off=2007.0, missing_values="ignore"),
                  penguin_rows(list(range(10)) + [200, 201])), FIT, reprep.InvalidInput, "DropHighPSIFeatures",
         ("12 sample(s)",)),
    Case("selectors: DropHighPSIFeatures: fewer rows on a side than bins (past Python's row minimum)",
         lambda: (DP(split_col="year", cut_off=2007.0, missing_values="ignore"),
                  penguin_rows(list(range(18)) + [200, 201])), FIT, reprep.InvalidInput, "DropHighPSIFeatures",
         ("at least bins",)),
    Case("selectors: DropHighPSIFeatures: a categorical split_col without a list",
         lambda: (DP(split_col="island", missing_values="ignore"), penguins()), FIT, reprep.SchemaError,
         "DropHighPSIFeatures", ("column 'island'",)),
    Case("selectors: DropHighPSIFeatures: fit without the split column",
         lambda: (DP(**DP_ISLAND), without(penguins(), "island")), FIT, reprep.SchemaError, "DropHighPSIFeatures",
         ("'island'",)),
    Case("selectors: DropHighPSIFeatures: fit without split_col", lambda: (DP(), penguins()), FIT,
         reprep.InvalidParameter, "DropHighPSIFeatures", ("split_col",)),
    Case("selectors: DropHighPSIFeatures: transform without a fitted column",
         lambda: (fitted(DP(**DP_ISLAND, missing_values="ignore"), penguins()), without(penguins(), "bill_length_mm")),
         TRANSFORM, reprep.SchemaError, "DropHighPSIFeatures", ("bill_length_mm",)),
    Case("selectors: DropHighPSIFeatures: transform without a fitted column (loaded artifact)",
         lambda: (loaded(fitted(DP(**DP_ISLAND, missing_values="ignore"), penguins())),
                  without(penguins(), "bill_length_mm")), TRANSFORM, reprep.SchemaError, "DropHighPSIFeatures",
         ("'bill_length_mm'",)),
    params("selectors: DropHighPSIFeatures split_col among the columns", DP,
           {"columns": ["bill_length_mm", "year"], "split_col": "year"}, "split_col", data=penguins, refit=DP_GOOD),
    params("selectors: DropHighPSIFeatures split_frac 0", DP, {"split_col": "year", "split_frac": 0.0}, "split_frac",
           data=penguins, refit=DP_GOOD),
    params("selectors: DropHighPSIFeatures bins 1", DP, {"split_col": "year", "bins": 1}, "bins", data=penguins,
           refit=DP_GOOD),
    params("selectors: DropHighPSIFeatures unknown strategy", DP, {"split_col": "year", "strategy": "equal_mass"},
           "strategy", data=penguins, refit=DP_GOOD),
    params("selectors: DropHighPSIFeatures missing_values include", DP,
           {"split_col": "year", "missing_values": "include"}, "missing_values", data=penguins, refit=DP_GOOD),
]


# ==== test_encoders.cpp =============================================================
def kab():
    return cats(AB)


def mistyped_c():
    df = kab()
    df["c"] = [1.0, 2.0, 3.0, 4.0]  # in place: the column order of fit
    return df


def out_one_too_long(pipe):
    return np.full(pipe.row_plan().n_outputs + 1, -12345.0)


def ROW_OUT(est, record_out):
    # RowPlan.run(record, out) with an out buffer made for the fitted pipeline.
    record, make_out = record_out
    est.row_plan().run(record, make_out(est))


def encoder_cases(cls, row_act):
    n = cls.__name__
    f = "encoders"
    v = [
        Case(f"{f}: {n}: fit on 0 rows", lambda: (cls(), cats([])), FIT, reprep.InvalidInput, n, ("0 sample(s)",)),
        Case(f"{f}: {n}: a table without categorical columns", lambda: (cls(), pd.DataFrame({"n": [1.0]})), FIT,
             reprep.SchemaError, n, ("no categorical column",)),
        Case(f"{f}: {n}: a numeric column selected", lambda: (cls(columns=["n"]), kab()), FIT, reprep.SchemaError, n,
             (f"{n}: column 'n'",)),
        Case(f"{f}: {n}: fit without a selected column",
             lambda: (cls(columns=["island", "sex"]), without(penguins(), "sex")), FIT, reprep.SchemaError, n,
             (f"{n}: column 'sex'",)),
        Case(f"{f}: {n}: transform before fit", lambda: (cls(), kab()), TRANSFORM, reprep.NotFitted, n,
             ("not fitted",)),
        Case(f"{f}: {n}: transform a column that became numeric",
             lambda: (fitted(cls(columns=["c"]), kab()), mistyped_c()), TRANSFORM, reprep.SchemaError, n,
             (f"{n}: column 'c'",)),
        Case(f"{f}: {n}: transform without the fitted column",
             lambda: (fitted(cls(columns=["c"]), kab()), pd.DataFrame({"n": [1.0]})), TRANSFORM, reprep.SchemaError, n,
             ("c",)),
        Case(f"{f}: {n}: transform without the fitted column (loaded artifact)",
             lambda: (loaded(fitted(cls(columns=["c"]), kab())), pd.DataFrame({"n": [1.0]})), TRANSFORM,
             reprep.SchemaError, n, ("'c'",)),
        Case(f"{f}: {n}: a record of 2 values for 1 column (one-step Pipeline row plan)",
             lambda: (fitted(one_step("enc", cls(columns=["c"])), kab()), ("a", "b")), row_act, reprep.SchemaError,
             "RowPlan", ("the record holds 2",)),
        params(f"{f}: {n}: a column named twice", cls, {"columns": ["c", "c"]}, "more than once", data=kab),
    ]
    if row_act is ROW:  # a numeric output: RowPlan.run takes an out buffer
        v.append(Case(f"{f}: {n}: an output buffer one too long (one-step Pipeline row plan)",
                      lambda: (fitted(one_step("enc", cls(columns=["c"])), kab()), (("a",), out_one_too_long)),
                      ROW_OUT, reprep.SchemaError, "RowPlan", ("the output buffer holds",)))
    return v


def unknown_cases(make, error, y=None):
    n = type(make()).__name__
    f = "encoders"
    return [
        Case(f"{f}: {n}: unknown category in transform", lambda: (make(), cats(["a", "b", "z", "a"])), TRANSFORM,
             error, n, (f"{n}: column 'c', row 2: category 'z'",)),
        Case(f"{f}: {n}: unknown category in transform_row (one-step Pipeline row plan)",
             lambda: (fitted(one_step("enc", make().set_params(columns=["c"])), kab(), y), ("z",)), ROW, error, n,
             ("category 'z'", f"{n}: column 'c'"), absent="row 0"),
    ]


def kab_with(col, values):
    df = kab()
    df[col] = values
    return df


OHE, OE, CFE, RLE, HE = (reprep.OneHotEncoder, reprep.OrdinalEncoder, reprep.CountFrequencyEncoder,
                         reprep.RareLabelEncoder, reprep.HashingEncoder)
TE, WOE = reprep.TargetEncoder, reprep.WoEEncoder
ENCODERS = [
    *encoder_cases(OHE, ROW),
    *encoder_cases(OE, ROW),
    *encoder_cases(CFE, ROW),
    *encoder_cases(RLE, ROW_VALUES),
    *encoder_cases(HE, ROW),
    *unknown_cases(lambda: fitted(OHE(), kab()), reprep.UnknownCategory),
    *unknown_cases(lambda: fitted(OE(), kab()), reprep.UnknownCategory),
    *unknown_cases(lambda: fitted(CFE(unseen="raise"), kab()), reprep.UnknownCategory),
    Case("encoders: OneHotEncoder: a missing value fit never saw", lambda: (fitted(OHE(), kab()), cats(["a", None])),
         TRANSFORM, reprep.UnknownCategory, "OneHotEncoder", ("column 'c', row 1: a missing value",)),
    Case("encoders: OneHotEncoder: handle_missing = error, missing in fit",
         lambda: (OHE(handle_missing="error"), cats(["a", None])), FIT, reprep.InvalidInput, "OneHotEncoder",
         ("column 'c': 1 missing values in fit",)),
    Case("encoders: OrdinalEncoder: a training value outside the given categories",
         lambda: (OE(columns=["c"], order="given", categories=[["a"]]), kab()), FIT, reprep.UnknownCategory,
         "OrdinalEncoder", ("category 'b' found in fit",)),
    Case("encoders: OrdinalEncoder: unknown_value is a known code",
         lambda: (OE(handle_unknown="use_encoded_value", unknown_value=1.0), kab()), FIT, reprep.InvalidParameter,
         "OrdinalEncoder", ("is the code of a known category in column 'c'",)),
    Case("encoders: OrdinalEncoder: order = ordered without y", lambda: (OE(order="ordered"), kab()), FIT,
         reprep.InvalidInput, "OrdinalEncoder", ("needs the target y",)),
    Case("encoders: OrdinalEncoder: order = ordered, y of the wrong length",
         lambda: (OE(order="ordered"), (kab(), np.array([1.0, 0.0, 1.0]))), FIT_Y, reprep.InvalidInput,
         "OrdinalEncoder", ("the target has 3 values for 4 rows",)),
    Case("encoders: CountFrequencyEncoder: missing in fit", lambda: (CFE(), cats(["a", None])), FIT,
         reprep.InvalidInput, "CountFrequencyEncoder", ("CountFrequencyEncoder: column 'c': 1 missing values",)),
    Case("encoders: CountFrequencyEncoder: missing in transform",
         lambda: (fitted(CFE(), kab()), cats(["a", "b", "a", None])), TRANSFORM, reprep.InvalidInput,
         "CountFrequencyEncoder", ("column 'c', row 3: a missing value",)),
    Case("encoders: RareLabelEncoder: missing in transform", lambda: (fitted(RLE(), kab()), cats([None])), TRANSFORM,
         reprep.InvalidInput, "RareLabelEncoder", ("RareLabelEncoder: column 'c', row 0",)),
    Case("encoders: OneHotEncoder: a category 'nan' beside missing values", lambda: (OHE(), cats(["nan", None])), FIT,
         reprep.InvalidInput, "OneHotEncoder", ("two outputs would both be named 'c_nan'",)),
    Case("encoders: OneHotEncoder: columns a (category b_c) and a_b (category c)",
         lambda: (OHE(), pd.DataFrame({"a": ["b_c"], "a_b": ["c"]})), FIT, reprep.InvalidInput, "OneHotEncoder",
         ("column 'a_b_c': two outputs would both be named",)),
    Case("encoders: OneHotEncoder: an output named like a passthrough column",
         lambda: (fitted(OHE(columns=["c"]), kab()), kab_with("c_a", [1.0, 2.0, 3.0, 4.0])), TRANSFORM,
         reprep.SchemaError, "OneHotEncoder", ("c_a",)),
    Case("encoders: OneHotEncoder: an output named like a passthrough column (loaded artifact)",
         lambda: (loaded(fitted(OHE(columns=["c"]), kab())), kab_with("c_a", [1.0, 2.0, 3.0, 4.0])), TRANSFORM,
         reprep.SchemaError, "OneHotEncoder",
         ("OneHotEncoder: column 'c_a': its output column 'c_a' would overwrite",)),
    Case("encoders: OneHotEncoder: an accumulator of other columns",
         lambda: (OHE(columns=["c"]), OHE(columns=["island"]).accumulator().update(penguins())), FIT_ACC,
         reprep.SchemaError, "OneHotEncoder", ("the accumulator's columns differ",)),
    *[params(f"encoders: OneHotEncoder min_frequency {m}", OHE, {"min_frequency": m}, "min_frequency", data=kab)
      for m in (0.0, 1.5, -1.0, NAN, INF)],
    params("encoders: OneHotEncoder max_categories 1", OHE, {"max_categories": 1}, "max_categories", data=kab),
    params("encoders: OneHotEncoder top_categories 0", OHE, {"top_categories": 0}, "top_categories", data=kab),
    params("encoders: OneHotEncoder top_categories with min_frequency", OHE,
           {"min_frequency": 2.0, "top_categories": 3}, "top_categories", data=kab),
    params("encoders: OneHotEncoder use_encoded_value", OHE, {"handle_unknown": "use_encoded_value"}, "handle_unknown",
           data=kab),
    params("encoders: OneHotEncoder unknown drop", OHE, {"drop": "last"}, "'drop'", data=kab),
    params("encoders: OneHotEncoder unknown handle_unknown", OHE, {"handle_unknown": "warn"}, "handle_unknown",
           data=kab),
    params("encoders: OneHotEncoder unknown handle_missing", OHE, {"handle_missing": "drop"}, "handle_missing",
           data=kab),
    params("encoders: OrdinalEncoder unknown order", OE, {"order": "random"}, "'order'", data=kab),
    params("encoders: OrdinalEncoder ignore", OE, {"handle_unknown": "ignore"}, "handle_unknown", data=kab),
    params("encoders: OrdinalEncoder use_encoded_value without a value", OE, {"handle_unknown": "use_encoded_value"},
           "unknown_value", data=kab),
    params("encoders: OrdinalEncoder fractional unknown_value", OE,
           {"handle_unknown": "use_encoded_value", "unknown_value": 0.5}, "unknown_value", data=kab),
    params("encoders: OrdinalEncoder Inf encoded_missing_value", OE, {"encoded_missing_value": INF},
           "encoded_missing_value", data=kab),
    params("encoders: OrdinalEncoder given with one list for two columns", OE,
           {"columns": ["c", "n"], "order": "given", "categories": [["x"]]}, "categories", data=kab),
    params("encoders: OrdinalEncoder given list naming a value twice", OE,
           {"columns": ["c"], "order": "given", "categories": [["x", "x"]]}, "categories", data=kab),
    params("encoders: CountFrequencyEncoder unknown encoding_method", CFE, {"encoding_method": "ratio"},
           "encoding_method", data=kab),
    params("encoders: CountFrequencyEncoder unknown missing_values", CFE, {"missing_values": "fill"}, "missing_values",
           data=kab),
    params("encoders: CountFrequencyEncoder unknown unseen", CFE, {"unseen": "zero"}, "unseen", data=kab),
    *[params(f"encoders: RareLabelEncoder tol {t}", RLE, {"tol": t}, "tol", data=kab) for t in (-0.1, 1.5, NAN)],
    params("encoders: RareLabelEncoder max_n_categories 0", RLE, {"max_n_categories": 0}, "max_n_categories",
           data=kab),
    params("encoders: RareLabelEncoder unknown missing_values", RLE, {"missing_values": "fill"}, "missing_values",
           data=kab),
    *[params(f"encoders: HashingEncoder n_components {k}", HE, {"n_components": k}, "n_components", data=kab)
      for k in (0, 2**16 + 1, 2**64 - 1)],
]


def fitted_te(**kw):
    return fitted(TE(**kw), kab(), np.array(Y4))


def fitted_mc():
    return fitted(TE(target_type="multiclass", cv=2), kab(), np.array([0.0, 1.0, 2.0, 1.0]))


def ty(y, df=None):
    return (kab() if df is None else df, np.asarray(y, dtype=np.float64))


def supervised_fit(id_, make, y, error, component, fragments, df=None):
    return Case(f"supervised encoders: {id_}", lambda: (make(), ty(y, None if df is None else df())), FIT_Y, error,
                component, fragments)


def both(what, error, frag, y):
    return [
        supervised_fit(f"TargetEncoder: {what}", fitted_te, y, error, "TargetEncoder", (f"TargetEncoder: {frag}",)),
        supervised_fit(f"WoEEncoder: {what}", lambda: fitted(WOE(), kab(), np.array(Y4)), y, error, "WoEEncoder",
                       (f"WoEEncoder: {frag}",)),
    ]


SUPERVISED = [
    *both("target of the wrong length", reprep.InvalidInput, "column 'y': the target has 3 values for 4 rows",
          [1.0, 0.0, 1.0]),
    *both("empty target", reprep.InvalidInput, "column 'y': the target has 0 values", []),
    *both("NaN in the target", reprep.InvalidInput, "column 'y', row 2: NaN in the target", [1.0, 0.0, NAN, 1.0]),
    *both("Inf in the target", reprep.InvalidInput, "column 'y', row 1: an infinite value", [1.0, -INF, 0.0, 1.0]),
    supervised_fit("TargetEncoder: binary target_type with y = 2", lambda: TE(target_type="binary"),
                   [1.0, 0.0, 0.0, 2.0], reprep.InvalidInput, "TargetEncoder", ("column 'y', row 3",)),
    supervised_fit("TargetEncoder: a target mean that overflows", TE, [1e308, 1e308, 1e308, 0.0], reprep.InvalidInput,
                   "TargetEncoder", ("mean overflows",)),
    supervised_fit("TargetEncoder: a target variance that overflows", TE, [1e200, -1e200, 3e200, 0.0],
                   reprep.InvalidInput, "TargetEncoder", ("variance overflows",)),
    supervised_fit("WoEEncoder: a non-binary target", WOE, [1.0, 0.5, 0.0, 1.0], reprep.InvalidInput, "WoEEncoder",
                   ("WoEEncoder: column 'y', row 1: the target must be binary",)),
    supervised_fit("WoEEncoder: a target of one class", WOE, [0.0] * 4, reprep.InvalidInput, "WoEEncoder",
                   ("column 'c': the target holds only y = 0",)),
    supervised_fit("WoEEncoder: a category pure in one class", WOE, [1.0, 1.0, 1.0, 0.0], reprep.InvalidInput,
                   "WoEEncoder", ("category 'a' holds only rows with y = 1",)),
    supervised_fit("WoEEncoder: missing in fit", WOE, Y4, reprep.InvalidInput, "WoEEncoder",
                   ("WoEEncoder: column 'c': 1 missing values",), df=lambda: cats(["a", "b", None, "b"])),
    supervised_fit("WoEEncoder: a numeric column selected", lambda: WOE(columns=["n"]), Y4, reprep.SchemaError,
                   "WoEEncoder", ("WoEEncoder: column 'n'",)),
    supervised_fit("TargetEncoder: a numeric column selected", lambda: TE(columns=["n"]), Y4, reprep.SchemaError,
                   "TargetEncoder", ("TargetEncoder: column 'n'",)),
    Case("supervised encoders: TargetEncoder: fit without y", lambda: (TE(), kab()), FIT, reprep.InvalidInput,
         "TargetEncoder", ("needs the target y. Fix: call fit(X, y)",), absent="update("),
    Case("supervised encoders: WoEEncoder: fit without y", lambda: (WOE(), kab()), FIT, reprep.InvalidInput,
         "WoEEncoder", ("needs the target y. Fix: call fit(X, y)",), absent="update("),
    Case("supervised encoders: TargetEncoder: accumulator updated without y", lambda: (TE().accumulator(), kab()),
         ACC_UPDATE, reprep.InvalidInput, "TargetEncoder", ("Fix: call update(chunk, y)",)),
    Case("supervised encoders: TargetEncoder: multiclass accumulator, a fractional label",
         lambda: (TE(target_type="multiclass", cv=2).accumulator(), ty([0, -0.25, 2, 1])), ACC_UPDATE_Y,
         reprep.InvalidInput, "TargetEncoder", ("column 'y', row 1",)),
    Case("supervised encoders: TargetEncoder: fit_transform with 4 rows and cv = 5", lambda: (TE(), ty(Y4)),
         FIT_TRANSFORM_Y, reprep.InvalidInput, "TargetEncoder", ("cv = 5 folds needs at least",)),
    Case("supervised encoders: TargetEncoder: fit_transform, y of the wrong length",
         lambda: (fitted_te(cv=2), ty([1, 0, 1, 0, 1])), FIT_TRANSFORM_Y, reprep.InvalidInput, "TargetEncoder",
         ("the target has 5 values",)),
    supervised_fit("TargetEncoder: multiclass, a fractional label", fitted_mc, [0.0, 1.0, 2.5, 1.0],
                   reprep.InvalidInput, "TargetEncoder",
                   ("TargetEncoder: column 'y', row 2: target_type = multiclass needs integer class labels",)),
    supervised_fit("TargetEncoder: multiclass, a label beyond 2^53", fitted_mc, [1e300, 1.0, 2.0, 1.0],
                   reprep.InvalidInput, "TargetEncoder", ("column 'y', row 0: target_type = multiclass",)),
    supervised_fit("TargetEncoder: multiclass, NaN", fitted_mc, [0.0, 1.0, 2.0, NAN], reprep.InvalidInput,
                   "TargetEncoder", ("column 'y', row 3: NaN in the target",)),
    supervised_fit("TargetEncoder: multiclass, one class", fitted_mc, [4.0] * 4, reprep.InvalidInput, "TargetEncoder",
                   ("column 'y': target_type = multiclass needs at least two classes",)),
    Case("supervised encoders: TargetEncoder: multiclass fit_transform, a fractional label",
         lambda: (fitted_mc(), ty([0, 1, 2, 0.5])), FIT_TRANSFORM_Y, reprep.InvalidInput, "TargetEncoder",
         ("column 'y', row 3: target_type = multiclass",)),
    Case("supervised encoders: TargetEncoder: multiclass output named like a passed-through column",
         lambda: (fitted_mc(), kab_with("c_1", 0.0)), TRANSFORM, reprep.SchemaError, "TargetEncoder", ("c_1",)),
    Case("supervised encoders: TargetEncoder: multiclass output named like a passed-through column (loaded artifact)",
         lambda: (loaded(fitted_mc()), kab_with("c_1", 0.0)), TRANSFORM, reprep.SchemaError, "TargetEncoder",
         ("TargetEncoder: column 'c_1': its output column 'c_1' would overwrite",)),
    Case("supervised encoders: TargetEncoder: multiclass record into a one-value buffer (one-step Pipeline row plan)",
         lambda: (fitted(one_step("te", TE(columns=["c"], target_type="multiclass", cv=2)), kab(),
                         np.array([0.0, 1.0, 2.0, 1.0])), (("a",), lambda pipe: np.full(1, -12345.0))), ROW_OUT,
         reprep.SchemaError, "RowPlan", ("the output buffer holds 1 values, the pipeline writes 3",)),
    Case("supervised encoders: TargetEncoder: multiclass fit_transform output named like a passed-through column",
         lambda: (fitted_mc(), ty([0, 1, 2, 1], kab_with("c_2", 0.0))),
         FIT_TRANSFORM_Y, reprep.SchemaError, "TargetEncoder", ("its output column 'c_2' would overwrite",)),
    *unknown_cases(lambda: fitted(WOE(unseen="raise"), kab(), np.array(Y4)), reprep.UnknownCategory, np.array(Y4)),
    Case("supervised encoders: WoEEncoder: missing in transform",
         lambda: (fitted(WOE(unseen="raise"), kab(), np.array(Y4)), cats(["a", None])), TRANSFORM,
         reprep.InvalidInput, "WoEEncoder", ("WoEEncoder: column 'c', row 1: a missing value",)),
    Case("supervised encoders: TargetEncoder: transform before fit", lambda: (TE(), kab()), TRANSFORM,
         reprep.NotFitted, "TargetEncoder", ("not fitted",)),
    *[params(f"supervised encoders: TargetEncoder cv {cv}", TE, {"cv": cv}, "'cv'", data=kab, refit=False)
      for cv in (0, 1, 2**30 + 1)],
    *[params(f"supervised encoders: TargetEncoder smooth {m}", TE, {"smooth": m}, "smooth", data=kab, refit=False)
      for m in (-1.0, NAN, INF)],
    params("supervised encoders: TargetEncoder unknown target_type", TE, {"target_type": "ordinal"}, "target_type",
           data=kab, refit=False),
    *[params(f"supervised encoders: WoEEncoder fill_value {v}", WOE, {"fill_value": v}, "fill_value", data=kab,
             refit=False) for v in (0.0, -1.0, NAN, INF)],
    params("supervised encoders: WoEEncoder unknown unseen", WOE, {"unseen": "zero"}, "unseen", data=kab, refit=False),
    params("supervised encoders: WoEEncoder unknown missing_values", WOE, {"missing_values": "fill"}, "missing_values",
           data=kab, refit=False),
]


# ==== test_discretisers_outliers.cpp ================================================
KB, AD, WIN, AOC = (reprep.KBinsDiscretizer, reprep.ArbitraryDiscretiser, reprep.Winsorizer,
                    reprep.ArbitraryOutlierCapper)


AD_GOOD = {"binning_dict": {"x0": [0.0, 3.0, 20.0], "x1": [0.0, 5.0, 20.0], "x2": [0.0, 9.0, 20.0]}}
AOC_GOOD = {"max_capping_dict": {"x0": 4.0, "x2": 6.0}, "min_capping_dict": {"x1": 2.0}}


def discretiser():
    return AD(**AD_GOOD)


def capper():
    return AOC(**AOC_GOOD)


def discretiser_cases(make, make_with_cols, inf_in_fit_ok, nan_in_transform_ok):
    n = type(make()).__name__
    f = "discretisers/outliers"
    v = [
        Case(f"{f}: {n}: fit on 0 rows", lambda: (make(), np.empty((0, 3))), FIT, reprep.InvalidInput, n,
             ("0 sample(s)",)),
        Case(f"{f}: {n}: transform with 4 columns, fit saw 3", lambda: (fitted(make(), mat()), mat(1.0, -1, -1, 6, 4)),
             TRANSFORM, reprep.SchemaError, n, ("expecting 3 features",)),
        Case(f"{f}: {n}: transform before fit", lambda: (make(), mat()), TRANSFORM, reprep.NotFitted, n,
             ("not fitted",)),
        Case(f"{f}: {n}: fit on a table without a selected column",
             lambda: (make_with_cols(), without(penguins(), "body_mass_g")), FIT, reprep.SchemaError, n,
             (f"{n}: column 'body_mass_g'",)),
        Case(f"{f}: {n}: fit on a categorical column", lambda: (make_with_cols(), categorical_body_mass(complete())),
             FIT, reprep.SchemaError, n, (f"{n}: column 'body_mass_g'",)),
        Case(f"{f}: {n}: transform a column that became categorical",
             lambda: (fitted(make_with_cols(), complete()), categorical_body_mass(complete())), TRANSFORM,
             reprep.SchemaError, n, (f"{n}: column 'body_mass_g'",)),
    ]
    if not inf_in_fit_ok:
        v.append(Case(f"{f}: {n}: +Inf in fit", lambda: (make(), mat(INF, 2, 1)), FIT, reprep.InvalidInput, n,
                      (f"{n}: column 'x1', row 2",)))
    if not nan_in_transform_ok:
        v.append(Case(f"{f}: {n}: NaN in transform", lambda: (fitted(make(), mat()), mat(NAN, 5, 0)), TRANSFORM,
                      reprep.InvalidInput, n, (f"{n}: column 'x0', row 5",)))
    return v


def bad_bin_code():
    y = np.zeros((6, 3))
    y[4, 1] = 7.0
    return y


def sk_kbins(edges):
    from sklearn.preprocessing import KBinsDiscretizer

    sk = KBinsDiscretizer(n_bins=2, encode="ordinal").fit(mat(rows=6, cols=1))
    sk.bin_edges_ = np.array([np.asarray(edges, dtype=np.float64)], dtype=object)
    return sk


CB = ["bill_length_mm", "body_mass_g"]
DISCRETISERS = [
    *discretiser_cases(KB, lambda: KB(columns=CB), False, False),
    *discretiser_cases(discretiser, lambda: AD(columns=CB, binning_dict={"body_mass_g": [0.0, 4000.0, 9000.0]}),
                       True, True),
    *discretiser_cases(WIN, lambda: WIN(columns=CB), False, True),
    *discretiser_cases(capper, lambda: AOC(columns=CB, max_capping_dict={"body_mass_g": 5000.0}), True, True),
    Case("discretisers/outliers: KBinsDiscretizer: NaN in fit", lambda: (KB(), mat(NAN, 1, 2)), FIT,
         reprep.InvalidInput, "KBinsDiscretizer", ("KBinsDiscretizer: column 'x2', row 1",)),
    Case("discretisers/outliers: KBinsDiscretizer: kmeans with 6 values for 7 bins",
         lambda: (KB(n_bins=7, strategy="kmeans"), mat()), FIT, reprep.InvalidInput, "KBinsDiscretizer",
         ("column 'x0': kmeans needs at least n_bins = 7",)),
    Case("discretisers/outliers: KBinsDiscretizer: inverse of a bin code out of range",
         lambda: (fitted(KB(n_bins=3, encode="ordinal"), mat()), bad_bin_code()), INVERSE, reprep.InvalidInput,
         "KBinsDiscretizer", ("column 'x1', row 4: a bin code",)),
    Case("discretisers/outliers: ArbitraryDiscretiser: edges for a column not fitted",
         lambda: (AD(binning_dict={"x7": [0.0, 1.0]}), mat()), FIT, reprep.SchemaError, "ArbitraryDiscretiser",
         ("column 'x7'",)),
    Case("discretisers/outliers: ArbitraryOutlierCapper: a cap for a column not fitted",
         lambda: (AOC(min_capping_dict={"x7": 0.0}), mat()), FIT, reprep.SchemaError, "ArbitraryOutlierCapper",
         ("column 'x7'",)),
    Case("discretisers/outliers: KBinsDiscretizer: an empty accumulator", lambda: (KB(), KB().accumulator()),
         FIT_ACC, reprep.InvalidInput, "KBinsDiscretizer", ("seen no data",)),
    Case("discretisers/outliers: Winsorizer: accumulator of another capping_method",
         lambda: (WIN(), WIN(capping_method="iqr").accumulator().update(mat())), FIT_ACC, reprep.InvalidInput,
         "Winsorizer", ("another capping_method",)),
    # As CyclicalFeatures above: Python's columns select (an array's are x0, x1, ...).
    Case("discretisers/outliers: ArbitraryDiscretiser: Params::columns of another width",
         lambda: (AD(columns=["a", "b"], binning_dict={"a": [0.0, 1.0]}), mat()), FIT, reprep.SchemaError,
         "ArbitraryDiscretiser", ("'a'",)),
    *[params(f"discretisers/outliers: KBinsDiscretizer n_bins {k}", KB, {"n_bins": k}, "n_bins")
      for k in (1, 0, -3, 65537, 2**31 - 1)],
    params("discretisers/outliers: KBinsDiscretizer unknown encode", KB, {"encode": "binary"}, "encode"),
    params("discretisers/outliers: KBinsDiscretizer unknown strategy", KB, {"strategy": "median"}, "strategy"),
    Case("discretisers/outliers: KBinsDiscretizer from_state unsorted edges (from_sklearn)",
         lambda: (None, sk_kbins([0.0, 2.0, 1.0])), FROM_SKLEARN, reprep.InvalidParameter, "KBinsDiscretizer",
         ("from_state",)),
    Case("discretisers/outliers: KBinsDiscretizer from_state one edge (from_sklearn)",
         lambda: (None, sk_kbins([0.0])), FROM_SKLEARN, reprep.InvalidParameter, "KBinsDiscretizer", ("from_state",)),
    *[params(f"discretisers/outliers: ArbitraryDiscretiser edges {len(e)} {e}", AD, {"binning_dict": {"x0": e}},
             "binning_dict", refit=AD_GOOD) for e in ([3.0, 1.0, 2.0], [0.0, NAN, 2.0], [0.0, 1.0, 1.0], [1.0], [])],
    params("discretisers/outliers: ArbitraryDiscretiser empty binning_dict", AD, {"binning_dict": None},
           "binning_dict", refit=AD_GOOD),
    *[params(f"discretisers/outliers: Winsorizer fold {fold}", WIN, {"fold": fold}, "fold")
      for fold in (0.0, -1.0, NAN, INF)],
    params("discretisers/outliers: Winsorizer quantiles fold 0.25", WIN, {"capping_method": "quantiles", "fold": 0.25},
           "fold"),
    params("discretisers/outliers: Winsorizer unknown tail", WIN, {"tail": "middle"}, "tail"),
    params("discretisers/outliers: Winsorizer unknown capping_method", WIN, {"capping_method": "mad"},
           "capping_method"),
    params("discretisers/outliers: ArbitraryOutlierCapper min above max", AOC,
           {"max_capping_dict": {"x0": 1.0}, "min_capping_dict": {"x0": 2.0}}, "min_capping_dict", refit=AOC_GOOD),
    params("discretisers/outliers: ArbitraryOutlierCapper NaN cap", AOC, {"max_capping_dict": {"x0": NAN}},
           "max_capping_dict", refit=AOC_GOOD),
    params("discretisers/outliers: ArbitraryOutlierCapper no caps", AOC,
           {"max_capping_dict": None, "min_capping_dict": None}, "max_capping_dict", refit=AOC_GOOD),
]


# ==== test_pipeline.cpp =============================================================
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def penguins_pipeline():
    """tests/fuzz/zoo.hpp's penguins_pipeline() (conftest.py's)."""
    from conftest import penguins_pipeline as make

    return make(reprep)


def fitted_penguins():
    return fitted(penguins_pipeline(), penguins())


def good_record(pipe):
    df = penguins()
    return [40.0 if pd.api.types.is_numeric_dtype(df[c]) else "Adelie" for c in pipe.row_plan().input_names]


def record_where(pipe, k, value):
    rec = good_record(pipe)
    rec[k] = value
    return tuple(rec)


def penguins_with_numeric_island():
    df = penguins()
    df["island"] = 1.0
    return df


def with_emperor():
    df = penguins().iloc[[0, 1, 2]].copy()
    df["species"] = ["Adelie", "Emperor", "Adelie"]
    return df


def onehot_species():
    return fitted(one_step("onehot", OHE(columns=["species"])), penguins())


def column_x(values):
    return pd.DataFrame({"x": values})


def first_categorical(pipe):
    return next(k for k, c in enumerate(pipe.row_plan().input_names) if c in ("species", "island", "sex"))


FE_UPWARD = {"x86_64": 0x800, "aarch64": 0x400000}.get(platform.machine())  # glibc's <fenv.h>


def LOAD_UNDER_UPWARD_ROUNDING(_, artifact):
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    mode = libm.fegetround()
    assert libm.fesetround(FE_UPWARD) == 0
    try:
        reprep.load_bytes(artifact)
    finally:
        libm.fesetround(mode)


PIPELINE = [
    Case("pipeline: transform without a schema column", lambda: (fitted_penguins(), without(penguins(), "sex")),
         TRANSFORM, reprep.SchemaError, "Pipeline", ("sex",)),
    Case("pipeline: transform without a schema column (loaded artifact)",
         lambda: (loaded(fitted_penguins()), without(penguins(), "sex")), TRANSFORM, reprep.SchemaError, "Pipeline",
         ("column 'sex' is missing",)),
    Case("pipeline: transform with a mistyped column", lambda: (fitted_penguins(), penguins_with_numeric_island()),
         TRANSFORM, reprep.SchemaError, "Pipeline", ("column 'island' is numeric, expected categorical",)),
    Case("pipeline: transform before fit", lambda: (penguins_pipeline(), penguins()), TRANSFORM, reprep.NotFitted,
         "Pipeline", ("not fitted",)),
    Case("pipeline: fit with no steps", lambda: (reprep.Pipeline([]), penguins()), FIT, reprep.InvalidParameter,
         "Pipeline", ("steps",)),
    Case("pipeline: a failing step is named (Inf in a log transform)",
         lambda: (one_step("log", Log(columns=["x"])), column_x([1.0, INF, 2.0])), FIT, reprep.InvalidInput,
         "Pipeline", ("Pipeline step 'log'", "column 'x', row 1")),
    Case("pipeline: target of the wrong length", lambda: (penguins_pipeline(), (penguins(), np.array([1.0, 0.0, 1.0]))),
         FIT_Y, reprep.InvalidInput, "Pipeline", ("y has 3 values",)),
    Case("pipeline: duplicate step name",
         lambda: (reprep.Pipeline([("scale", reprep.StandardScaler()), ("scale", reprep.MaxAbsScaler())]), penguins()),
         FIT, reprep.InvalidParameter, "Pipeline", ("used twice",)),
    Case("pipeline: RowPlan: a record one value short",
         lambda: (fitted_penguins(), tuple(good_record(fitted_penguins())[:-1])), ROW, reprep.SchemaError, "RowPlan",
         ("the record holds 6 values",)),
    Case("pipeline: RowPlan: a string where a number belongs",
         lambda: (fitted_penguins(), record_where(fitted_penguins(), 0, "40")), ROW, reprep.SchemaError, "RowPlan",
         ("column 'bill_length_mm'", "a string was given where a number belongs (record value 0)")),
    Case("pipeline: RowPlan: an output buffer of the wrong size",
         lambda: (fitted_penguins(), (tuple(good_record(fitted_penguins())),
                                      np.full(fitted_penguins().row_plan().n_outputs + 1, -12345.0))), ROW_INTO,
         reprep.SchemaError, "RowPlan", ("the output buffer holds 13 values, the pipeline writes 12",)),
    Case("pipeline: RowPlan: a number where a string belongs",
         lambda: (fitted_penguins(), record_where(fitted_penguins(), first_categorical(fitted_penguins()), 40.0)), ROW,
         reprep.SchemaError, "RowPlan", ("column 'sex'", "a number was given where a string belongs")),
    Case("pipeline: a failing step is named once, then the component's column and row",
         lambda: (onehot_species(), with_emperor()), TRANSFORM, reprep.UnknownCategory, "Pipeline",
         ("Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species', row 1: ",), once="row 1"),
    Case("pipeline: RowPlan: an unknown category names the step and column, and no row",
         lambda: (onehot_species(), ("Emperor",)), ROW, reprep.UnknownCategory, "Pipeline",
         ("Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species': ",), absent="row 0",
         once="column 'species'"),
    Case("pipeline: RowPlan: a value the log cannot take names no row",
         lambda: (fitted(one_step("log", Log(columns=["x"])), column_x([1.0, 2.0, 3.0])), (-2.0,)), ROW,
         reprep.InvalidInput, "Pipeline",
         ("Pipeline step 'log' (log_transformer): LogTransformer: column 'x': in transform",), absent="row 0"),
    Case("pipeline: a target-learning step, fit without y",
         lambda: (one_step("te", TE(columns=["island"])), penguins()),
         FIT, reprep.InvalidInput, "Pipeline",
         ("step 'te' (target_encoder) learns from the target, and fit was given none. Fix: call fit(X, y)",),
         absent="update(chunk"),
    # The floating-point environment, set through libm as a badly built library would.
    Case("pipeline: load_pipeline under a non-nearest rounding mode",
         lambda: (None, bytearray(fitted_penguins().to_bytes())), LOAD_UNDER_UPWARD_ROUNDING,
         reprep.EnvironmentError, "fp_env", ("rounding mode",), skip=None if FE_UPWARD and ctypes.util.find_library("m")
         else "no glibc fesetround on this platform"),
    Case("pipeline: a target-learning step, fit_transform without y",
         lambda: (reprep.Pipeline([("impute", CI(columns=["sex"])), ("woe", WOE(columns=["sex"]))]), penguins()),
         FIT_TRANSFORM, reprep.InvalidInput, "Pipeline", ("Fix: call fit(X, y)",), absent="update(chunk"),
]


# ==== test_csv.cpp ===================================================================
CSV_TEXTS = [
    ("ragged: a row with too many fields", "fields but the", b"a,b\n1,2\n3,4,5\n"),
    ("ragged: a row with too few fields", "fields but the", b"a,b,c\n1,2,3\n4,5\n"),
    ("ragged rows name the line", "line 3", b"a,b\n1,2\n3\n"),
    ("bad quotes: unterminated", "unterminated quote", b'a,b\n1,"open\n2,3\n'),
    ("bad quotes: quote inside an unquoted field", "a quote inside an unquoted field", b'a,b\n1,x"y\n'),
    ("bad quotes: text after the closing quote", "after a closing quote", b'a,b\n"x"y,1\n'),
    ("lone carriage return", "carriage return", b"a,b\r1,2\n"),
    ("invalid UTF-8: stray continuation byte", "invalid UTF-8", b"a,b\n\x80,1\n"),
    ("invalid UTF-8: 0xFF", "invalid UTF-8", b"a,b\nx\xff,1\n"),
    ("invalid UTF-8: overlong NUL", "invalid UTF-8", b"a,b\n\xc0\x80,1\n"),
    ("invalid UTF-8: surrogate", "invalid UTF-8", b"a,b\n\xed\xa0\x80,1\n"),
    ("invalid UTF-8: truncated sequence at the end", "invalid UTF-8", b"a,b\n1,\xe2\x82"),
    ("invalid UTF-8 in the header", "invalid UTF-8", b"a\xfe,b\n1,2\n"),
    ("duplicate header names", "repeats the column name", b"a,b,a\n1,2,3\n"),
]


def csv_file(tmp, text):
    path = tmp / "train.csv"
    path.write_bytes(text)
    return path


CSV = [
    *[Case(f"csv: {name}", lambda tmp, text=text: (None, csv_file(tmp, text)), READ_CSV, reprep.InvalidInput,
           "read_csv", (frag,)) for name, frag, text in CSV_TEXTS],
    Case("csv: read_csv of a missing file", lambda tmp: (None, tmp / "no-such-dir" / "train.csv"), READ_CSV,
         reprep.IoError, "read_csv", ("read_csv: cannot open '", "no-such-dir/train.csv': No such file or directory")),
]


# ==== test_archive.cpp ================================================================
def golden_artifacts():
    """(kind, file name) of every golden artifact Python loads: each bound kind (double
    instances) and the pipelines."""
    out = []
    for line in (GOLDEN / "expected.tsv").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, kind = line.split("\t")[:2]
        if (kind in reprep._KINDS or kind == "pipeline") and not name.endswith("_f32.rpp"):
            out.append((kind, name))
    return out


def _xxh3_64():
    """XXH3-64 from the system's libxxhash (the checksum the artifact's last 8 bytes hold),
    to reseal a modified artifact; None where the library is missing."""
    name = ctypes.util.find_library("xxhash")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.XXH3_64bits.restype = ctypes.c_uint64
    lib.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return lambda b: lib.XXH3_64bits(bytes(b), len(b))


XXH3 = _xxh3_64()
needs_xxh3 = pytest.mark.skipif(XXH3 is None, reason="libxxhash (to reseal modified artifacts) is not installed")


def sealed(body):
    body = bytearray(body[:-8])
    return bytes(body + XXH3(body).to_bytes(8, "little"))


def put_u64(b, at, value):
    b[at:at + 8] = int(value).to_bytes(8, "little")


FORMAT_AT, KIND_LEN_AT = 4, 20  # docs/format.md: magic 4, format u32, library 3 x u32, kind (u64 + bytes)


def golden_bytes(name):
    return (GOLDEN / name).read_bytes()


def newer_format(good):
    b = bytearray(good)
    put_u64(b, FORMAT_AT, 0)  # clears the format u32 and the library major
    b[FORMAT_AT] = good[FORMAT_AT] + 1
    return sealed(b)


def huge_kind(good):
    b = bytearray(good)
    put_u64(b, KIND_LEN_AT, 1 << 62)
    return sealed(b)


def huge_payload(good):
    # The payload length field: the u64 whose value is the bytes that follow it, less the
    # 8-byte checksum (test_archive.cpp finds it the same way).
    b = bytearray(good)
    for at in range(KIND_LEN_AT, len(good) - 15):
        if int.from_bytes(good[at:at + 8], "little") == len(good) - at - 16:
            put_u64(b, at, 2**64 - 1 - 3)
            return sealed(b)
    raise AssertionError("no payload length field found")


def newer_schema(good, kind):
    b = bytearray(good)
    at = KIND_LEN_AT + 8 + len(kind)
    b[at] = (b[at] + 1) % 256
    return sealed(b)


def load_as_standard_scaler(_, b):
    # reprep.load_bytes dispatches on the artifact's kind; the binding's class loader is
    # the C++ load_bytes<StandardScaler<double>>.
    reprep.StandardScaler._cpp_class.load_bytes(bytes(b))


def load_as_pipeline(_, b):
    reprep.Pipeline._cpp_class.load_bytes(bytes(b))


def archive_cases():
    v = []
    for kind, name in golden_artifacts():
        label = f"archive: {kind} ({name})"
        v += [
            Case(f"{label}: bad magic", lambda name=name: (None, bytearray(b"RPRQ" + golden_bytes(name)[4:])),
                 LOAD_BYTES, reprep.FormatError, "archive", ("bad magic",)),
            Case(f"{label}: empty input", lambda: (None, bytearray()), LOAD_BYTES, reprep.FormatError, "archive",
                 ("bad magic",)),
        ]
        resealed = [
            Case(f"{label}: newer format version", lambda name=name: (None, newer_format(golden_bytes(name))),
                 LOAD_BYTES, reprep.FormatError, "archive", ("is not supported by this library",)),
            Case(f"{label}: huge kind length", lambda name=name: (None, huge_kind(golden_bytes(name))), LOAD_BYTES,
                 reprep.FormatError, "archive", ("too long",)),
            Case(f"{label}: huge payload length", lambda name=name: (None, huge_payload(golden_bytes(name))),
                 LOAD_BYTES, reprep.FormatError, "archive", ("length field",)),
        ]
        if kind != "pipeline":
            resealed.append(Case(f"{label}: newer schema version",
                                 lambda name=name, kind=kind: (None, newer_schema(golden_bytes(name), kind)),
                                 LOAD_BYTES, reprep.FormatError, f"{kind}: ", ("schema version",)))
        v += [dataclasses.replace(c, needs_xxh3=True) for c in resealed]
        if kind != "standard_scaler":
            v.append(Case(f"{label}: loaded as standard_scaler", lambda name=name: (None, golden_bytes(name)),
                          load_as_standard_scaler, reprep.FormatError, "standard_scaler: ",
                          (f"holds kind '{kind}'",)))
        else:
            v.append(Case(f"{label}: loaded as a pipeline", lambda name=name: (None, golden_bytes(name)),
                          load_as_pipeline, reprep.FormatError, "pipeline: ", ("holds kind 'standard_scaler'",)))
    return v


def flipped_standard_scaler():
    b = bytearray(golden_bytes("standard_scaler.rpp"))
    b[len(b) // 2] ^= 0x10
    return b


def LOAD(_, path):
    reprep.load(path)


def SAVE(est, path):
    est.save(path)


ARCHIVE = [
    *archive_cases(),
    Case("archive: checksum mismatch", lambda: (None, flipped_standard_scaler()), LOAD_BYTES, reprep.FormatError,
         "archive",
         ("checksum mismatch: the last 8 bytes record XXH3-64 ",), absent="at byte"),
    Case("archive: checksum mismatch: the fix", lambda: (None, flipped_standard_scaler()), LOAD_BYTES,
         reprep.FormatError, "archive", ("Fix: do not load this copy: copy the artifact again",)),
    # Python has the double instances only: a C++ float artifact is refused, not misread.
    *[Case(f"archive: float {k} loaded as double ({k}_f32.rpp)", lambda k=k: (None, golden_bytes(f"{k}_f32.rpp")),
           LOAD_BYTES, reprep.FormatError, f"{k}: ", ("written for float",))
      for k in ("standard_scaler", "quantile_transformer")],
    Case("archive: shorter than any artifact", lambda: (None, bytearray(b"RPRP\1\0\0\0")), LOAD_BYTES,
         reprep.FormatError, "archive", ("is shorter than the smallest artifact",), absent="at byte"),
    Case("archive: load_pipeline of a missing file", lambda tmp: (None, tmp / "no-such-dir" / "model.rpp"), LOAD,
         reprep.IoError, "load", ("load: cannot open '", "no-such-dir/model.rpp': No such file or directory")),
    Case("archive: load of a directory", lambda tmp: (None, tmp), LOAD, reprep.IoError, "load",
         ("is a directory, not an artifact file",)),
    Case("archive: save into a missing directory",
         lambda tmp: (fitted(reprep.StandardScaler(), mat()), tmp / "no-such-dir" / "model.rpp"), SAVE, reprep.IoError,
         "save", ("for writing: No such file or directory",)),
]


# ---- known gaps: cases that show a bug still open -----------------------------------
# Each entry is (a pattern of case ids, the gaps it shows: "type", "component" or "fix",
# why): the case becomes an xfail(strict=True) that passes every other check and fails
# only on exactly these gaps. None is open: the C++ InvalidParameter messages that had
# no fix, KBinsDiscretizer's inverse of a bad bin code, RandomSampleImputer's column
# lookups through Table and RowPlan.run's InvalidInput for a value or an `out` of the
# wrong type or size (C++ raises SchemaError) were closed together.
KNOWN_GAPS = []


def with_known_gaps(case):
    for pattern, gaps, reason in KNOWN_GAPS:
        if re.search(pattern, case.id):
            return dataclasses.replace(case, gaps=frozenset(gaps), xfail=reason)
    return case


# ---- the tests ------------------------------------------------------------------
def _params(cases):
    out = []
    for c in map(with_known_gaps, expand(cases)):
        marks = []
        if c.needs_xxh3:
            marks.append(needs_xxh3)
        if c.skip is not None:
            marks.append(pytest.mark.skip(reason=c.skip))
        if c.xfail is not None:
            marks.append(pytest.mark.xfail(strict=True, raises=KnownGap, reason=c.xfail))
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def _run(case, tmp_path):
    code = case.setup.__code__
    if code.co_argcount and code.co_varnames[0] == "tmp":  # the file cases take a scratch directory
        setup = case.setup
        case = dataclasses.replace(case, setup=lambda: setup(tmp_path))
    run_case(case)


def test_the_catalogue_ids_are_unique():
    ids = [c.id for c in expand(SCALERS + TRANSFORMS + IMPUTERS + SELECTORS + ENCODERS + SUPERVISED + DISCRETISERS +
                                PIPELINE + CSV + ARCHIVE)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("case", _params(SCALERS))
def test_scalers(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(TRANSFORMS))
def test_transforms(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(IMPUTERS + SELECTORS))
def test_imputers_and_selectors(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(ENCODERS + SUPERVISED))
def test_encoders(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(DISCRETISERS))
def test_discretisers_outliers(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(PIPELINE))
def test_pipeline(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(CSV))
def test_csv(case, tmp_path):
    _run(case, tmp_path)


@pytest.mark.parametrize("case", _params(ARCHIVE))
def test_archive(case, tmp_path):
    _run(case, tmp_path)


def _only_format_errors(load, artifacts):
    """The artifacts `load` accepts or refuses with something other than FormatError."""
    loaded, other = [], []
    for at, b in artifacts:
        try:
            load(b)
            loaded.append(at)
        except reprep.ReprepError as e:
            if type(e) is not reprep.FormatError:
                other.append((at, f"{type(e).__name__}: {e}"))
    return loaded, other


# A corrupt payload behind a valid checksum may load with odd numbers (a NaN count makes
# StandardScaler's n_samples_seen_ cast warn); the sweep asks only that nothing else is raised.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("kind,name", [pytest.param(k, n, id=f"archive: {k} ({n})") for k, n in golden_artifacts()])
def test_archive_sweep(kind, name):
    """test_archive.cpp's sweep through reprep.load_bytes, one bit per byte (bit i % 8 of
    byte i; C++ flips all 8, in bad_input_archive_every_byte): every flip and every
    truncation is a FormatError; a flip behind a resealed checksum (every 3rd byte, each
    bit in turn) loads or is a FormatError, never anything else."""
    good = golden_bytes(name)
    flips = []
    for i in range(len(good)):
        b = bytearray(good)
        b[i] ^= 1 << (i % 8)
        flips.append((i, bytes(b)))
    loaded, other = _only_format_errors(reprep.load_bytes, flips)
    assert not loaded and not other, (f"{len(loaded)} flips loaded (first {loaded[:3]}); not FormatError: "
                                      f"{other[:3]}")
    loaded, other = _only_format_errors(reprep.load_bytes, [(n, good[:n]) for n in range(len(good))])
    assert not loaded and not other, f"truncations loaded: {loaded[:3]}; not FormatError: {other[:3]}"
    if XXH3 is None:
        pytest.skip("libxxhash (to reseal modified artifacts) is not installed: the resealed sweep did not run")

    def load_and_use(b):
        est = reprep.load_bytes(b)
        if est.__dict__.get("_artifact") is None:  # a pipeline whose fitted flag was flipped off
            assert isinstance(est, reprep.Pipeline)
            with pytest.raises(reprep.NotFitted):
                est.fingerprint()
            return
        est.fingerprint()
        assert est.to_bytes() == b

    resealed = []
    for i in range(0, len(good) - 8, 3):
        b = bytearray(good)
        b[i] ^= 1 << (i // 3 % 8)
        resealed.append((i, sealed(b)))
    _, other = _only_format_errors(load_and_use, resealed)
    assert not other, f"a corrupt payload behind a valid checksum raised: {other[:5]}"


# ---- partial_fit: a refused chunk or refit changes nothing -----------------------
@pytest.mark.parametrize("cls", [reprep.StandardScaler, reprep.MinMaxScaler, reprep.MaxAbsScaler,
                                 reprep.MissingIndicator, reprep.LogTransformer, reprep.CyclicalFeatures],
                         ids=lambda c: c.__name__)
def test_a_refused_chunk_or_refit_leaves_the_partial_fit_as_it_was(cls):
    """C++'s rule for a refused call, through partial_fit and fit (which keeps the
    accumulator): the fitted state, n_features_in_ and the kept accumulator are as before,
    so the next chunk continues as if the refused call had not been made."""
    first, second = mat(), mat() + 1.0
    reference = cls().partial_fit(first).partial_fit(second)
    bad = [(reprep.InvalidInput, mat(INF, 2, 1)), (reprep.SchemaError, mat(1.0, -1, -1, 6, 4))]
    if cls is reprep.LogTransformer:
        bad.append((reprep.InvalidInput, mat(-1.0, 0, 2)))  # C++ update() takes it, fit(accumulator) refuses
    for start in ("partial_fit", "fit"):
        est = getattr(cls(), start)(first)
        before = state_of(est)
        for error, chunk in bad:
            with pytest.raises(error):
                est.partial_fit(chunk)
            assert state_of(est) == before
            if error is reprep.InvalidInput:
                with pytest.raises(error):
                    est.fit(chunk)
                assert state_of(est) == before
        est.partial_fit(second)
        assert est.to_bytes() == reference.to_bytes()
