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
    artifact = bytes(artifact)
    try:
        return _load(artifact)
    except UnicodeDecodeError:
        # C++ reads names as bytes and loads any; a Python str holds UTF-8 text only, and
        # reprep writes UTF-8 (read_csv refuses anything else), so this copy is corrupt.
        raise FormatError(
            "load: the artifact holds a name (kind, step, column or category) that is not UTF-8 text, which "
            "reprep never writes (a corrupt artifact). Fix: do not load this copy: copy the artifact again "
            "from where it was saved") from None


def _load(artifact):
    from ._estimators import KINDS

    kind = _reprep.artifact_kind(artifact)  # FormatError on anything that is not an artifact
    if kind == "pipeline":
        return Pipeline._from_artifact(artifact, _reprep.Pipeline.load_bytes(artifact))
    cls = KINDS.get(kind)
    if cls is None:
        # Every built-in kind is bound: this is a corrupt kind name or a kind registered
        # in C++ only, an artifact "of another kind" (FormatError, as C++ load says it).
        raise FormatError(
            f"load: the artifact holds kind '{kind}', which is not a kind the Python package binds (a kind "
            "registered in C++ only, or a corrupt artifact). Fix: load it from C++, or check the artifact's "
            "origin (docs/python.md lists the kinds bound)")
    obj = cls._cpp_class.load_bytes(artifact)
    return cls._from_artifact(artifact, obj, obj.params())


def load(path):
    """Reads an artifact written by save() here or by reprep::save in C++."""
    from ._base import _read_artifact

    return load_bytes(_read_artifact(path))


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
