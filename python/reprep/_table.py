"""Conversions between pandas / NumPy data and reprep's C++ Table.

A DataFrame's numeric (and bool) columns become numeric columns, with pandas' NA, NaN
and None as NaN; object, string and `category` columns become dictionary-encoded
categorical columns (a `category` column's codes are used as they are); datetime64
columns become datetime columns (int64 nanoseconds since the epoch, UTC; NaT missing).
A 2-D array becomes numeric columns named x0, x1, ... (scikit-learn's default feature
names).
"""
import numpy as np
import pandas as pd
import scipy.sparse

from . import _reprep
from ._errors import InvalidInput


def _categorical(name, series):
    if isinstance(series.dtype, pd.CategoricalDtype):
        dictionary = series.cat.categories
        codes = series.cat.codes.to_numpy(dtype=np.int32)
    else:
        # factorize gives first-seen order and -1 for None, NaN and pd.NA.
        codes, dictionary = pd.factorize(series, use_na_sentinel=True)
        codes = codes.astype(np.int32, copy=False)
    values = list(dictionary)
    for v in values:
        if not isinstance(v, str):
            raise InvalidInput(
                f"Table: column '{name}': holds {type(v).__name__} value {v!r}; a categorical "
                "column holds strings. Fix: convert the column with .astype(str) or make it numeric")
    return values, codes


def _datetime_nanos(name, series):
    """The column's int64 nanoseconds since 1970-01-01 UTC, NaT as INT64_MIN: the bits of
    datetime64[ns], viewed, not converted row by row."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        # An instant in any time zone is one UTC instant; reprep's columns hold UTC.
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    if series.dtype != np.dtype("datetime64[ns]"):
        # Other units (s, ms, us; pandas 2 keeps them) scale exactly to ns, or pandas
        # refuses a value outside datetime64[ns]'s range (1677-2262).
        try:
            series = series.astype("datetime64[ns]")
        except (OverflowError, ValueError) as e:
            raise InvalidInput(
                f"Table: column '{name}': {e}. Fix: keep datetimes within 1677-09-21 .. 2262-04-11, the "
                "range of datetime64[ns] that reprep's datetime columns hold") from None
    return series.to_numpy().view(np.int64)


def to_table(X):
    """(Table, feature names or None) for a DataFrame or a 2-D array-like."""
    if isinstance(X, pd.DataFrame):
        t = _reprep.Table()
        for name in X.columns:
            if not isinstance(name, str):
                raise InvalidInput(
                    f"Table: column {name!r}: column names must be strings. Fix: rename the columns "
                    "(df.columns = df.columns.astype(str))")
            col = X[name]
            if pd.api.types.is_datetime64_any_dtype(col.dtype):
                t.add_datetime(name, _datetime_nanos(name, col))
            elif pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype):
                t.add_numeric(name, col.to_numpy(dtype=np.float64, na_value=np.nan))
            else:
                t.add_categorical(name, *_categorical(name, col))
        return t, np.asarray(X.columns, dtype=object)
    if scipy.sparse.issparse(X):
        raise InvalidInput(
            "Table: sparse input is not supported; reprep's components read dense columns. "
            "Fix: pass X.toarray() or a DataFrame")
    arr = np.asarray(X)
    if np.iscomplexobj(arr):
        raise InvalidInput("Table: Complex data not supported. Fix: pass real numbers (X.real, or abs(X))")
    if arr.dtype == object:
        # Numbers stored as objects convert; anything else raises numpy's TypeError or
        # ValueError naming the value (scikit-learn's check_array does the same).
        arr = arr.astype(np.float64)
    elif not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InvalidInput(
            f"Table: an array of dtype {arr.dtype} cannot be converted. Fix: pass a numeric array, "
            "or a pandas DataFrame for string columns")
    if arr.ndim != 2:
        raise InvalidInput(
            f"Table: expected a 2-D array, got {arr.ndim}-D. Fix (Reshape your data): X.reshape(-1, 1) "
            "for a single feature, X.reshape(1, -1) for a single sample")
    if arr.dtype not in (np.float64, np.float32):
        arr = arr.astype(np.float64)
    t = _reprep.Table()
    # C++ reads the array through its strides (C or Fortran order, float32 or float64).
    t.add_array_columns([f"x{j}" for j in range(arr.shape[1])], arr)
    return t, None


def from_table(t, pandas=False, index=None, columns=None, rows=None):
    """A NumPy array (float64, or object when categorical or datetime columns remain) or a
    DataFrame (float64, `category` and datetime64[ns] columns)."""
    names = t.column_names()
    types = {n: t.column_type(n) for n in names}
    if pandas:
        data = {}
        for n in names:
            if types[n] == "numeric":
                data[n] = t.numeric(n)
            elif types[n] == "datetime":
                data[n] = t.datetime(n).view("datetime64[ns]")  # INT64_MIN is NaT
            else:
                dictionary, codes = t.categorical(n)
                data[n] = pd.Categorical.from_codes(codes, categories=dictionary)
        df = pd.DataFrame(data, index=index, columns=names)
        if columns is not None:
            df.columns = columns
        return df
    if not names:
        # A Table of no columns has no row count (a MissingIndicator that found no NaN
        # outputs none); the caller knows the rows.
        return np.empty((rows or 0, 0))
    if all(types[n] == "numeric" for n in names):
        return t.to_numpy()
    out = np.empty((t.num_rows(), len(names)), dtype=object)
    for j, n in enumerate(names):
        if types[n] == "numeric":
            out[:, j] = t.numeric(n)
        elif types[n] == "datetime":
            # pandas Timestamps (naive, UTC) and NaT: an object array cannot hold
            # datetime64[ns] cells (numpy turns them into ints), and None is the
            # categorical missing value, not a datetime one.
            out[:, j] = pd.DatetimeIndex(t.datetime(n).view("datetime64[ns]")).to_numpy(dtype=object)
        else:
            dictionary, codes = t.categorical(n)
            lookup = np.array(list(dictionary) + [None], dtype=object)
            out[:, j] = lookup[codes]  # code -1 picks the trailing None
    return out
