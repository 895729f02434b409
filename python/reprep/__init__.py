"""reprep: reproducible preprocessing with scikit-learn's API (docs/python.md).

Every estimator wraps the C++ component of the same name: a fit here and a fit in C++
give the same artifact bytes, and a C++ service applies a saved artifact bit for bit.
"""
from . import _reprep
from ._errors import (EnvironmentError, FormatError, InvalidInput, InvalidParameter, IoError, NotFitted,
                      ReprepError, SchemaError, UnknownCategory)
from ._base import Accumulator
from ._estimators import KINDS as _KINDS
from ._pipeline import Pipeline
from ._sklearn import from_sklearn

# Every component kind, under its C++ class name (reprep.StandardScaler, ...).
globals().update({cls.__name__: cls for cls in _KINDS.values()})

__all__ = [
    *(cls.__name__ for cls in _KINDS.values()), "Pipeline", "from_sklearn", "Accumulator",
    "load", "load_bytes", "read_csv", "train_test_split",
    "ReprepError", "InvalidParameter", "NotFitted", "SchemaError", "UnknownCategory", "InvalidInput",
    "FormatError", "EnvironmentError", "IoError",
]


def load_bytes(artifact):
    """The fitted estimator or Pipeline an artifact's bytes hold."""
    from ._estimators import KINDS

    artifact = bytes(artifact)
    kind = _reprep.artifact_kind(artifact)  # FormatError on anything that is not an artifact
    if kind == "pipeline":
        return Pipeline._from_artifact(artifact, _reprep.Pipeline.load_bytes(artifact))
    cls = KINDS.get(kind)
    if cls is None:
        raise InvalidParameter(
            f"load: the artifact holds kind '{kind}', which the Python package does not bind yet. "
            "Fix: load it from C++, or see docs/python.md for the kinds bound so far")
    obj = cls._cpp_class.load_bytes(artifact)
    return cls._from_artifact(artifact, obj, obj.params())


def load(path):
    """Reads an artifact written by save() here or by reprep::save in C++."""
    with open(path, "rb") as f:
        return load_bytes(f.read())


def read_csv(path):
    """pandas.DataFrame of a CSV read by reprep::read_csv (NA, empty and NaN are missing)."""
    from ._table import from_table

    return from_table(_reprep.read_csv(str(path)), pandas=True)


def train_test_split(df, test_size=0.25, stratify=None, seed=0, shuffle=True):
    """(train, test) rows of a DataFrame by reprep's portable seeded split.

    The same rows as reprep::train_test_split in C++ with the same arguments, on every
    platform (scikit-learn's split depends on NumPy's generator instead).
    """
    from ._table import to_table

    table, _ = to_table(df)
    train, test = _reprep.train_test_split_indices(table, float(test_size), stratify or "", int(seed), bool(shuffle))
    return df.iloc[train], df.iloc[test]
