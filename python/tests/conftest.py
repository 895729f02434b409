import os
from pathlib import Path

import pandas as pd
import pytest

SOURCE_DIR = Path(os.environ.get("REPREP_SOURCE_DIR", Path(__file__).resolve().parents[2]))
DATA = SOURCE_DIR / "tests" / "data"
GOLDEN = SOURCE_DIR / "tests" / "golden" / "artifacts"
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["species", "island", "sex"]


@pytest.fixture
def penguins():
    # As a notebook reads it: pandas' defaults ("NA" and empty are NaN, year is int64).
    return pd.read_csv(DATA / "penguins.csv")


@pytest.fixture(scope="session")
def golden():
    """file name -> (kind, fingerprint) of the C++ golden artifacts (tests/golden/artifacts)."""
    out = {}
    for line in (GOLDEN / "expected.tsv").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, kind, fp, _ = line.split("\t")
        out[name] = (kind, fp)
    return out


def penguins_pipeline(reprep, seed=0):
    """tests/fuzz/zoo.hpp's penguins_pipeline(), written in Python."""
    return reprep.Pipeline([
        ("impute", reprep.SimpleImputer(columns=NUMERIC, strategy="median")),
        ("sex", reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent")),
        ("onehot", reprep.OneHotEncoder(columns=CATEGORICAL, handle_unknown="ignore")),
        ("scale", reprep.StandardScaler(columns=NUMERIC)),
    ], seed=seed)
