#!/usr/bin/python3
"""Golden files for the encoders family: OneHotEncoder (min_frequency, max_categories,
handle_unknown, drop), OrdinalEncoder and SimpleImputer(strategy='most_frequent') on
strings, fitted by scikit-learn 1.2 (Debian's python3-sklearn), read by
tests/parity/test_parity_encoders.cpp.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py encoders

Data (tests/golden/encoders/):
  penguins_probe.csv  a few rows of species/island/sex with unseen values and NA
  zipf_train.csv      synthetic high-cardinality set: column z1 draws from 10^4
                      categories with Zipf weights 1/k^1.1 (a few with non-ASCII
                      bytes), z2 from 50 categories with 3% missing; fixed numpy seed
  zipf_test.csv       the same distribution plus unseen values and missing ones
Penguins comes from tests/data/penguins.csv (columns species, island, sex).
Missing values are "NA" in the CSVs and np.nan for scikit-learn. The Zipf weights are
correctly rounded powers (crmath.py), not np.power, whose AVX512_SKX kernel rounds some
differently, so the draws are the same on every CPU.

Case files <case>.txt, tab-separated lines:
  names  <feature names out>
  cats   <column> <categories_ as sklearn lists them; nan written as <NA>>
  infrequent <column> <infrequent categories>           (OneHotEncoder)
  stats  <statistics_ per column>                        (SimpleImputer)
  out    <one line per transformed row>: for OneHotEncoder the indices of the ones
         in sklearn's CSR output; for OrdinalEncoder the 16 hex digits of each double.
"""
import csv
import pathlib

import repro_env  # before numpy: pins SIMD dispatch, libm and threads
from golden_io import h
from crmath import pow_array

import numpy as np
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

NA = "<NA>"
CATS = ["species", "island", "sex"]


def label(v):
    return NA if isinstance(v, float) and np.isnan(v) else str(v)


def read_cols(path, cols):
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append([np.nan if r[c] in ("NA", "") else r[c] for c in cols])
    X = np.empty((len(rows), len(cols)), dtype=object)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            X[i, j] = v
    return X


def write_csv(path, cols, X):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(cols)
        for row in X:
            w.writerow(["NA" if isinstance(v, float) else v for v in row])


def zipf_sets(out):
    rng = np.random.default_rng(20240605)
    K = 10_000
    names = []
    for k in range(K):
        s = "v%05d" % k
        if k % 97 == 0:
            s = "\u00fc" + s  # multi-byte UTF-8: sorts after every ASCII value, by bytes and by code point
        if k % 89 == 0:
            s = s + "-\u03b1"
        names.append(s)
    w = 1.0 / pow_array(np.arange(1, K + 1), 1.1)  # k ** 1.1 correctly rounded, then one division
    w /= w.sum()
    small = ["s%02d" % k for k in range(50)]

    def draw(n, unseen_rate):
        X = np.empty((n, 2), dtype=object)
        z1 = rng.choice(K, size=n, p=w)
        z2 = rng.integers(0, 50, size=n)
        miss = rng.random(n) < 0.03
        unseen = rng.random((n, 2)) < unseen_rate
        for i in range(n):
            X[i, 0] = names[z1[i]] if not unseen[i, 0] else "new_%d" % (i % 13)
            X[i, 1] = np.nan if miss[i] else (small[z2[i]] if not unseen[i, 1] else "new_s%d" % (i % 5))
        return X

    train = draw(40_000, 0.0)
    test = draw(5_000, 0.02)
    write_csv(out / "zipf_train.csv", ["z1", "z2"], train)
    write_csv(out / "zipf_test.csv", ["z1", "z2"], test)
    # Read back exactly what C++ reads.
    return read_cols(out / "zipf_train.csv", ["z1", "z2"]), read_cols(out / "zipf_test.csv", ["z1", "z2"])


def header(f, what):
    f.write(f"# {what}\n# sklearn {sklearn.__version__}, numpy {np.__version__}, {repro_env.POLICY}\n")


def write_onehot(path, what, enc, cols, X_test):
    with open(path, "w", encoding="utf-8") as f:
        header(f, what)
        f.write("names\t" + "\t".join(enc.get_feature_names_out(cols)) + "\n")
        for c, cats in zip(cols, enc.categories_):
            f.write("cats\t" + c + "\t" + "\t".join(label(v) for v in cats) + "\n")
        if hasattr(enc, "_infrequent_indices"):
            for c, inf in zip(cols, enc.infrequent_categories_):
                f.write("infrequent\t" + c + ("\t" + "\t".join(label(v) for v in inf) if inf is not None else "") + "\n")
        M = enc.transform(X_test).tocsr()
        M.sort_indices()
        for i in range(M.shape[0]):
            idx = M.indices[M.indptr[i]:M.indptr[i + 1]]
            assert np.all(M.data[M.indptr[i]:M.indptr[i + 1]] == 1.0)
            f.write("out\t" + " ".join(str(int(k)) for k in idx) + "\n")


def write_ordinal(path, what, enc, cols, X_test):
    with open(path, "w", encoding="utf-8") as f:
        header(f, what)
        for c, cats in zip(cols, enc.categories_):
            f.write("cats\t" + c + "\t" + "\t".join(label(v) for v in cats) + "\n")
        for row in enc.transform(X_test):
            f.write("out\t" + " ".join(h(v) for v in row) + "\n")


def write_imputer(path, what, imp, cols):
    with open(path, "w", encoding="utf-8") as f:
        header(f, what)
        f.write("stats\t" + "\t".join(label(v) for v in imp.statistics_) + "\n")


DATA = pathlib.Path(__file__).resolve().parent.parent / "data"  # tests/data


def main(root, only=None):
    """Writes root/encoders/: the three CSVs always (the cases read them back), the case
    files all or, with `only` (a set of file stems), only those."""
    root = pathlib.Path(root)
    out = root / "encoders"
    out.mkdir(parents=True, exist_ok=True)

    def wanted(stem):
        return only is None or stem in only

    pen = read_cols(DATA / "penguins.csv", CATS)
    probe = np.array(
        [
            ["Adelie", "Biscoe", "male"],
            ["Emperor", "Biscoe", "female"],     # unseen species
            ["Gentoo", "Atlantis", np.nan],      # unseen island, missing sex
            ["Chinstrap", "Dream", "unknown"],   # unseen sex
            [np.nan, "Torgersen", "female"],     # missing species (never seen in fit)
        ],
        dtype=object,
    )
    write_csv(out / "penguins_probe.csv", CATS, probe)
    probe = read_cols(out / "penguins_probe.csv", CATS)
    pen_all = np.concatenate([pen, probe])
    z_train, z_test = zipf_sets(out)
    Z = ["z1", "z2"]

    ohe = [
        ("onehot_penguins_default", pen, pen, CATS, dict()),
        ("onehot_penguins_drop_first", pen, pen, CATS, dict(drop="first")),
        ("onehot_penguins_if_binary", pen, pen, CATS, dict(drop="if_binary")),
        ("onehot_penguins_ignore", pen, pen_all, CATS, dict(handle_unknown="ignore")),
        ("onehot_penguins_minfreq_frac", pen, pen_all, CATS,
         dict(handle_unknown="infrequent_if_exist", min_frequency=0.2)),
        ("onehot_penguins_maxcat2", pen, pen_all, CATS, dict(handle_unknown="infrequent_if_exist", max_categories=2)),
        ("onehot_penguins_minfreq_count_drop", pen, pen_all, CATS,
         dict(handle_unknown="ignore", min_frequency=60, drop="first")),
        ("onehot_zipf_minfreq5", z_train, z_test, Z, dict(handle_unknown="infrequent_if_exist", min_frequency=5)),
        ("onehot_zipf_maxcat100", z_train, z_test, Z, dict(handle_unknown="ignore", max_categories=100)),
        ("onehot_zipf_minfreq_frac_maxcat", z_train, z_test, Z,
         dict(handle_unknown="infrequent_if_exist", min_frequency=0.001, max_categories=40)),
        ("onehot_zipf_ignore", z_train, z_test, Z, dict(handle_unknown="ignore")),
    ]
    for name, Xfit, Xt, cols, kw in ohe:
        if not wanted(name):
            continue
        enc = OneHotEncoder(**kw).fit(Xfit)
        write_onehot(out / f"{name}.txt", f"OneHotEncoder({kw})", enc, cols, Xt)

    ordinal = [
        ("ordinal_penguins_default", pen, pen, CATS, dict()),
        ("ordinal_penguins_encoded", pen, pen_all, CATS,
         dict(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2)),
        ("ordinal_zipf_encoded", z_train, z_test, Z, dict(handle_unknown="use_encoded_value", unknown_value=np.nan)),
    ]
    for name, Xfit, Xt, cols, kw in ordinal:
        if not wanted(name):
            continue
        enc = OrdinalEncoder(**kw).fit(Xfit)
        write_ordinal(out / f"{name}.txt", f"OrdinalEncoder({kw})", enc, cols, Xt)

    for name, Xfit, cols in [("imputer_penguins", pen, CATS), ("imputer_zipf", z_train, Z)]:
        if not wanted(name):
            continue
        imp = SimpleImputer(strategy="most_frequent", missing_values=np.nan).fit(Xfit)
        write_imputer(out / f"{name}.txt", "SimpleImputer(strategy='most_frequent')", imp, cols)


if __name__ == "__main__":
    main(pathlib.Path(__file__).resolve().parent)
