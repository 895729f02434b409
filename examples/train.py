# Research side in Python, written as a notebook would be: pandas in, reprep.Pipeline,
# save. It does what examples/train.cpp does (the same split, steps and seed), so its
# artifact is the C++ one byte for byte, and example_serve applies it with the same bits.
#
#   python3 examples/train.py OUT_DIR [data.csv]
# (with the reprep package importable: pip install ., or PYTHONPATH=build/dev/python)
import sys
from pathlib import Path

import pandas as pd

import reprep

out = Path(sys.argv[1])
data = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent / "data" / "penguins.csv"
out.mkdir(parents=True, exist_ok=True)

# %% Load and split: hold out 20% before anything is fitted (reprep's portable split).
df = pd.read_csv(data)
train, holdout = reprep.train_test_split(df, test_size=0.2, stratify="species", seed=42)

# %% The preprocessing pipeline.
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
pipe = reprep.Pipeline([
    ("impute", reprep.SimpleImputer(columns=numeric, strategy="median")),
    ("sex", reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent")),
    ("cap", reprep.Winsorizer(columns=numeric)),
    ("onehot", reprep.OneHotEncoder(columns=["species", "island", "sex"], handle_unknown="ignore")),
    ("scale", reprep.StandardScaler(columns=numeric)),
], seed=42, metadata={"dataset": "palmerpenguins (CC0)"})
pipe.fit(train)

# %% Hand over to serving: the artifact, the raw hold-out rows and their features.
pipe.save(out / "penguins.rpp")
holdout.to_csv(out / "holdout.csv", index=False)  # NaN -> empty field, read back as missing
features = pipe._cpp().feature_names_out()  # the model's features (pass-through 'year' excluded)
expected = pipe.set_output(transform="pandas").transform(holdout)[features]
expected.to_csv(out / "holdout_expected.csv", index=False, float_format=None)  # repr: shortest round trip
print(f"train.py: {len(train)} training rows, {len(holdout)} hold-out rows, {len(features)} features out")
print(f"train.py: fingerprint {pipe.fingerprint()}")
