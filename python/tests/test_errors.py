"""C++ errors reach Python as typed exceptions with the C++ message; inputs stay unchanged."""
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

import reprep

from conftest import GOLDEN, NUMERIC, penguins_pipeline


def test_hierarchy():
    for cls in (reprep.SchemaError, reprep.InvalidInput, reprep.InvalidParameter, reprep.UnknownCategory,
                reprep.FormatError):
        assert issubclass(cls, ValueError) and issubclass(cls, reprep.ReprepError)
    assert issubclass(reprep.NotFitted, NotFittedError)
    assert issubclass(reprep.IoError, OSError)


def test_not_fitted(penguins):
    with pytest.raises(reprep.NotFitted, match="StandardScaler: this instance is not fitted"):
        reprep.StandardScaler().transform(penguins)
    with pytest.raises(NotFittedError):
        penguins_pipeline(reprep).fingerprint()


def test_invalid_parameter_names_the_field(penguins):
    with pytest.raises(reprep.InvalidParameter, match=r"SimpleImputer: parameter 'strategy': got 'avg'.*'median'"):
        reprep.SimpleImputer(strategy="avg").fit(penguins)
    # Validated by the C++ constructor: the C++ message.
    with pytest.raises(reprep.InvalidParameter, match=r"MinMaxScaler: parameter 'feature_range'"):
        reprep.MinMaxScaler(feature_range=(2.0, 1.0)).fit(penguins)
    with pytest.raises(reprep.InvalidParameter, match="with_mean"):
        reprep.StandardScaler(with_mean="yes").fit(penguins)


def test_invalid_input_names_column_and_row(penguins):
    df = penguins.copy()
    df.loc[5, "body_mass_g"] = np.inf
    before = df.copy()
    with pytest.raises(reprep.InvalidInput, match=r"StandardScaler: column 'body_mass_g', row 5"):
        reprep.StandardScaler(columns=NUMERIC).fit(df)
    pd.testing.assert_frame_equal(df, before)


def test_unknown_category(penguins):
    enc = reprep.OneHotEncoder(columns=["species"]).fit(penguins)
    request = penguins.head(3).copy()
    request.loc[1, "species"] = "Emperor"
    before = request.copy()
    with pytest.raises(reprep.UnknownCategory, match="Emperor"):
        enc.transform(request)
    pd.testing.assert_frame_equal(request, before)


def test_schema_error(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    with pytest.raises(reprep.SchemaError):
        pipe.transform(penguins.drop(columns=["sex"]))
    # A loaded pipeline checks columns by name, as C++ serving does: the C++ message.
    served = reprep.load(GOLDEN / "pipeline_penguins.rpp")
    with pytest.raises(reprep.SchemaError, match="Pipeline.*'sex'"):
        served.transform(penguins.drop(columns=["sex"]))
    with pytest.raises(reprep.SchemaError, match="features"):
        reprep.StandardScaler().fit(np.ones((3, 2))).transform(np.ones((3, 3)))


def test_format_and_io_errors(tmp_path, penguins):
    good = penguins_pipeline(reprep).fit(penguins).to_bytes()
    with pytest.raises(reprep.FormatError):
        reprep.load_bytes(b"not an artifact")
    with pytest.raises(reprep.FormatError):
        reprep.load_bytes(good[:-3])
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 1
    with pytest.raises(reprep.FormatError, match="checksum"):
        reprep.load_bytes(bytes(flipped))
    with pytest.raises(reprep.IoError):
        reprep.read_csv(tmp_path / "absent.csv")


BAD_FITS = [
    # (estimator, how the frame is spoiled, expected error, words the message must hold)
    (lambda: reprep.StandardScaler(columns=["no_such_column"]), None, reprep.SchemaError,
     r"StandardScaler: column 'no_such_column'"),
    (lambda: reprep.StandardScaler(columns=["species"]), None, reprep.SchemaError, r"species"),
    (lambda: reprep.OneHotEncoder(columns=["sex"], handle_missing="error"), None, reprep.InvalidInput,
     r"OneHotEncoder: column 'sex': 11 missing values in fit"),
    (lambda: reprep.SimpleImputer(columns=["body_mass_g"]), ("body_mass_g", -np.inf), reprep.InvalidInput,
     r"SimpleImputer: column 'body_mass_g', row 7"),
    (lambda: reprep.OneHotEncoder(columns=["island"], max_categories=1), None, reprep.InvalidParameter,
     r"OneHotEncoder: parameter 'max_categories'"),
    (lambda: reprep.Pipeline([("s", "not an estimator")]), None, reprep.InvalidParameter, r"Pipeline: parameter 'steps'"),
    (lambda: reprep.Pipeline([("a", reprep.StandardScaler()), ("a", reprep.MinMaxScaler())]), None,
     reprep.InvalidParameter, r"step name 'a' is used twice"),
]


@pytest.mark.parametrize("make,spoil,error,message", BAD_FITS)
def test_bad_fit_raises_the_mapped_error_and_leaves_the_input(penguins, make, spoil, error, message):
    df = penguins.copy()
    if spoil:
        df.loc[7, spoil[0]] = spoil[1]
    before = df.copy()
    est = make()
    with pytest.raises(error, match=message):
        est.fit(df)
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(reprep.NotFitted):  # a failed fit leaves nothing fitted behind
        est.transform(df)


def _calls(text, opener):
    """Each call `opener(...)` in C++ source, as its text: parentheses matched outside string
    and character literals."""
    start = text.find(opener)
    while start >= 0:
        i, depth, quote = text.index("(", start) + 1, 1, None
        while depth:
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            i += 1
        yield text.count("\n", 0, start) + 1, text[start:i]
        start = text.find(opener, i)


def test_every_cpp_error_says_what_to_do():
    # The rule: a typed error names the component, the column, the row and the fix. Every
    # ErrorContext built in a fail<...>({...}) call in include/ sets .fix (the helpers
    # invalid_parameter and table_fail_schema take the fix with no default, so the compiler
    # checks their calls).
    from conftest import SOURCE_DIR
    missing = []
    for path in sorted((SOURCE_DIR / "include").rglob("*.hpp")):
        text = path.read_text()
        rel = path.relative_to(SOURCE_DIR)
        for line, call in _calls(text, "fail<"):
            if "({" in call and ".fix" not in call:
                missing.append(f"{rel}:{line}: {' '.join(call.split())[:120]}")
    assert not missing, "errors without a fix:\n" + "\n".join(missing)
