"""pandas and NumPy data into reprep's Table, and back."""
import numpy as np
import pandas as pd
import pytest

import reprep
from reprep import _reprep
from reprep._table import from_table, to_table

from conftest import DATA


def test_dataframe_is_the_table_read_csv_reads(penguins):
    # The whole promise rests on this: pandas' read and reprep::read_csv give the same
    # Table (names, types, values, missing), hence the same fits and artifacts.
    t, names = to_table(penguins)
    ref = _reprep.read_csv(str(DATA / "penguins.csv"))
    assert t == ref
    assert t.fingerprint() == ref.fingerprint()
    assert list(names) == list(penguins.columns)


def test_category_dtype_none_and_pd_na_are_missing():
    obj = pd.DataFrame({"c": ["a", None, "b", np.nan, "a"]})
    cat = pd.DataFrame({"c": pd.Categorical(["a", None, "b", None, "a"], categories=["b", "a", "unused"])})
    s = pd.DataFrame({"c": pd.array(["a", pd.NA, "b", pd.NA, "a"], dtype="string")})
    tables = [to_table(df)[0] for df in (obj, cat, s)]
    assert tables[0] == tables[1] == tables[2]
    dictionary, codes = tables[0].categorical("c")
    assert [dictionary[c] if c >= 0 else None for c in codes] == ["a", None, "b", None, "a"]


def test_nullable_numeric_and_bool():
    df = pd.DataFrame({"i": pd.array([1, None, 3], dtype="Int64"), "b": [True, False, True]})
    t, _ = to_table(df)
    assert np.isnan(t.numeric("i")[1]) and t.numeric("i")[2] == 3.0
    assert list(t.numeric("b")) == [1.0, 0.0, 1.0]


def test_numpy_columns_are_x0_x1():
    t, names = to_table(np.arange(6.0).reshape(3, 2))
    assert names is None
    assert t.column_names() == ["x0", "x1"]
    assert list(t.numeric("x1")) == [1.0, 3.0, 5.0]


def test_round_trip_to_numpy_and_pandas():
    df = pd.DataFrame({"n": [1.5, np.nan, -0.0], "c": ["u", None, "v"]})
    t, _ = to_table(df)
    back = from_table(t, pandas=True)
    assert list(back["c"]) == ["u", np.nan, "v"] or list(back["c"].astype(object).where(back["c"].notna(), None)) == ["u", None, "v"]
    assert isinstance(back["c"].dtype, pd.CategoricalDtype)
    arr = from_table(t)
    assert arr.dtype == object and arr[1, 1] is None and arr[2, 1] == "v"


def test_bad_inputs_are_typed_errors():
    with pytest.raises(reprep.InvalidInput, match="strings"):
        to_table(pd.DataFrame({"c": ["a", 3]}))
    with pytest.raises(reprep.InvalidInput, match="2-D"):
        to_table(np.zeros(3))
    with pytest.raises(reprep.InvalidInput, match="column names must be strings"):
        to_table(pd.DataFrame({0: [1.0]}))
