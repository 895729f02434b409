#!/usr/bin/python3
"""Golden files for the drift monitor: the training profile (decile edges, bin counts,
category ranking) and the drift report (rates, PSI, Jensen-Shannon distance), computed
here from the written definitions, read by tests/parity/test_parity_drift.cpp.

    /usr/bin/python3 tests/golden/golden_drift.py [--out ROOT]    (writes ROOT/drift/)
    /usr/bin/python3 tests/golden/make_golden.py drift            (the same, via the driver)

ROOT defaults to tests/golden, i.e. the committed files. Rerunning gives the same bytes.

This is a reference, not a port: it follows the definitions in the comments at the top
of include/reprep/compose/profile.hpp and monitor.hpp, using numpy and the Python
standard library, not the C++ code.

  edges     np.quantile(values, [0.1, ..., 0.9], method="linear") of the column's
            non-NaN training values (numpy is the definition here); -0.0 turned into
            +0.0, NaN edges (numpy's lerp of two infinities) dropped, and an edge equal
            to the one before it dropped (repeated edges merged).
  bins      (-inf, e1], (e1, e2], ..., (e_last, +inf): value x goes to the bin whose
            number is how many edges are < x. Missing values (NaN) are a bin of their own.
  categories  non-missing values ranked by count descending, then UTF-8 bytes ascending;
            the first 1000 are profiled, the rest are "other", which is also where a live
            value goes when it is not a profiled category (unseen or below the cut).
  shares    count / rows, one double division (Python's int / int is correctly rounded,
            like the C++ double(k) / double(n) for counts below 2^53).
  PSI       fsum over the bins of (q' - p') * ln(q' / p'), x' = max(x, 1e-4).
  JS        sqrt(S / ln 2 / 2), S = fsum over the bins of rel(p, m) and rel(q, m),
            m = (p + q) / 2, rel(x, m) = x * ln(x / m) for x > 0, else nothing.
            Every operation is rounded as written (Python floats are IEEE doubles).
  ln        correctly rounded natural logarithm, computed with the decimal module
            (cr_ln below). reprep uses dmath::log, within 1 ulp of this (0.5009 ulp
            measured), so a figure can differ in its last bits when dmath::log misrounds
            one of the terms. The sums are math.fsum: the exact sum rounded once, as
            reprep's ExactSum, so summation never causes a difference.
  psi_np, js_np  the same figures with numpy's np.log instead of cr_ln (glibc's log
            under repro_env's pinning), for comparison; the C++ test checks them with
            a tolerance only.
  rates     train/live missing rate = missing / rows; below_min / above_max = live
            non-missing values < training min / > training max, over the live
            non-missing values; unseen_rate = live "other" values over the live
            non-missing values. NaN where the denominator is 0 (or not applicable).
  level     PSI >= 0.25 major, >= 0.1 moderate, else stable (reprep's defaults).
  min, max  of the non-NaN training values, -0.0 below +0.0; mean and std (ddof 0) are
            the exact mean and the exact population variance each rounded once (Fraction),
            std = IEEE sqrt of that variance; NaN when there are no values, and per IEEE
            arithmetic on infinities (mean +-inf or NaN, variance NaN).

Cases (the inputs are real drift):
  penguins_all_<island>   train: all 344 penguins (tests/data/penguins.csv);
                          live: the rows of one island (Torgersen, Biscoe, Dream)
  penguins_biscoe_dream   train: Biscoe rows; live: Dream rows (a species, Chinstrap,
                          and an island value never seen in training)
  synth_shift             synth_train.csv / synth_live.csv, a seeded numpy Generator
                          (integers and normal draws, correctly rounded arithmetic
                          only): a shifted and scaled Gaussian with NaNs; a heavily
                          repeated small-integer column with -0.0 and +0.0 (merged
                          edges, values beyond both training ends live); a wide +-
                          dyadic column scaled by 3 live; a column with +-inf (NaN
                          edges); a column that is entirely missing live; one whose
                          zeros are all -0.0 in training (numpy gives -0.0 edges, which
                          must be folded to +0.0) and both zeros live; categorical
                          columns with a count tie, a non-ASCII category, one that
                          vanishes live, one never seen in training, and missing values.
  synth_many              many_train.csv / many_live.csv: 1100 distinct categories, so
                          the 1000-category cut falls inside a run of equal counts and
                          the bytes order decides it; live values from the profiled
                          ones, the ones below the cut, unseen ones and missing ones.

Files in ROOT/drift/: the four CSVs, and <case>.txt per case, tab-separated lines:
  train   penguins.csv all | penguins.csv rows <0-based row indices> | csv <file>
  live    the same forms
  column  <name> <numeric|categorical>      starts a column block; then, per column:
  count, missing                            training rows and missing values
  min, max, mean, std, edges                numeric: doubles as 16 hex digits (IEEE bits)
  bins                                      numeric: training count per bin (no missing)
  categories, counts, other, distinct       categorical profile
  live_rows, live_missing, live_bins        live counts (live_bins: numeric bins, or the
                                            categories then "other"), for diagnostics
  train_missing_rate, live_missing_rate, below_min, above_max, unseen_rate,
  psi, js, psi_np, js_np                    doubles as hex bits (NaN: 7ff8000000000000)
  level                                     stable | moderate | major
  cond    sum|t|/|S| and max|t|/|S| of the PSI terms, then of the JS terms (decimal;
          diagnostics: a term's last-bit change moves the sum by up to 2^-51 max|t|/|S|)
Lines starting with '#' are comments: a header with the versions, and each column's
psi and js in decimal. The script prints how far some wrong definitions would move the
figures (variants()), which test_parity_drift.cpp quotes.
"""
import argparse
import csv
import math
import pathlib
import struct
import sys
from collections import Counter
from decimal import Decimal, localcontext
from fractions import Fraction

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import repro_env  # noqa: E402  (before numpy: pins its dispatch and glibc's libm for np.log)

import numpy as np  # noqa: E402

DATA = HERE.parent / "data"
NA = "NA"
QS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]  # the literals
MAX_CATEGORIES = 1000
FLOOR = 1e-4
MODERATE, MAJOR = 0.1, 0.25
NAN = float("nan")
FOLDED = [0]  # how many of numpy's edges were -0.0 (a check that the data exercise the rule)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

def hexbits(x):
    x = float(x)
    if math.isnan(x):
        return "7ff8000000000000"
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def cr_ln(x):
    """ln x for a positive finite double, correctly rounded to the nearest double.

    Decimal.ln is correctly rounded to ctx.prec significant digits, so the true value lies
    within one unit of the last digit of the result; when that whole interval rounds to one
    double, that double is the answer, else the precision doubles (ln of a double other than
    1 is transcendental, so the loop ends). ln 1 = 0 exactly."""
    x = float(x)
    if not (x > 0.0 and math.isfinite(x)):
        raise ValueError("cr_ln needs a positive finite double, got %r" % x)
    if x == 1.0:
        return 0.0
    prec = 40
    while True:
        with localcontext() as ctx:
            ctx.prec = prec
            v = Decimal(x).ln()
            ctx.prec = prec + 20
            ulp = abs(v).scaleb(1 - prec)  # one unit in the last of `prec` digits, or more
            lo, hi = float(v - ulp), float(v + ulp)
        if lo == hi:
            return lo
        prec *= 2


def np_ln(x):
    return float(np.log(np.float64(x)))


def share(k, n):
    return float(k) / float(n) if n else NAN


def exact_mean_std(values):
    """Exact mean and population variance, each rounded once; std = sqrt(variance)."""
    if not values:
        return NAN, NAN
    infs = [v for v in values if math.isinf(v)]
    if infs:
        mean = infs[0] if all(v == infs[0] for v in infs) else NAN
        return mean, NAN
    fr = [Fraction(v) for v in values]
    n = len(fr)
    s = sum(fr)
    mean = s / n
    var = sum((v - mean) ** 2 for v in fr) / n
    return float(mean), math.sqrt(float(var))


def total_order_min_max(values):
    """min and max with -0.0 below +0.0."""
    def key(v):
        return (v, 0 if math.copysign(1.0, v) < 0 else 1)
    return min(values, key=key), max(values, key=key)


# ---------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------

def decile_edges(values):
    v = np.array(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):  # numpy's lerp of two infinities: NaN
        q = np.quantile(v, QS, method="linear")
    edges = []
    for e in q.tolist():
        if math.isnan(e):
            continue
        if e == 0.0:
            FOLDED[0] += math.copysign(1.0, e) < 0
            e = 0.0  # -0.0 and +0.0 are one edge
        if edges and e == edges[-1]:
            continue
        edges.append(e)
    for a, b in zip(edges, edges[1:]):
        if not a < b:
            raise RuntimeError("numpy's decile edges are not ascending: %r" % edges)
    return edges


def bin_number(edges, x):
    return sum(1 for e in edges if e < x)


def numeric_profile(col):
    vals = [x for x in col if not math.isnan(x)]
    p = {"type": "numeric", "count": len(col), "missing": len(col) - len(vals)}
    if not vals:
        p.update(min=NAN, max=NAN, mean=NAN, std=NAN, edges=[], bins=[0])
        return p
    p["min"], p["max"] = total_order_min_max(vals)
    p["mean"], p["std"] = exact_mean_std(vals)
    p["edges"] = decile_edges(vals)
    bins = [0] * (len(p["edges"]) + 1)
    for x in vals:
        bins[bin_number(p["edges"], x)] += 1
    p["bins"] = bins
    return p


def categorical_profile(col):
    seen = Counter(v for v in col if v is not None)
    ranked = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0].encode("utf-8")))
    top = ranked[:MAX_CATEGORIES]
    return {"type": "categorical", "count": len(col), "missing": sum(1 for v in col if v is None),
            "categories": [k for k, _ in top], "counts": [c for _, c in top],
            "other": sum(c for _, c in ranked[MAX_CATEGORIES:]), "distinct": len(seen)}


# ---------------------------------------------------------------------------
# Live counts and the report
# ---------------------------------------------------------------------------

def live_counts(prof, col):
    n = len(col)
    if prof["type"] == "numeric":
        vals = [x for x in col if not math.isnan(x)]
        bins = [0] * len(prof["bins"])
        for x in vals:
            bins[bin_number(prof["edges"], x)] += 1
        below = sum(1 for x in vals if x < prof["min"])  # False against a NaN min
        above = sum(1 for x in vals if x > prof["max"])
        return {"rows": n, "missing": n - len(vals), "bins": bins, "below": below, "above": above}
    where = {c: b for b, c in enumerate(prof["categories"])}
    bins = [0] * (len(prof["categories"]) + 1)
    missing = 0
    for v in col:
        if v is None:
            missing += 1
        else:
            bins[where.get(v, len(prof["categories"]))] += 1
    return {"rows": n, "missing": missing, "bins": bins}


def share_vectors(prof, live):
    n = prof["count"]
    if prof["type"] == "numeric":
        train = list(prof["bins"])
    else:
        train = list(prof["counts"]) + [prof["other"]]
    train.append(prof["missing"])
    lv = list(live["bins"]) + [live["missing"]]
    assert sum(train) == n and sum(lv) == live["rows"] and len(train) == len(lv)
    return [share(k, n) for k in train], [share(k, live["rows"]) for k in lv]


def psi_terms(p, q, ln=cr_ln, floor=FLOOR):
    terms = []
    for pb, qb in zip(p, q):
        pf, qf = max(pb, floor), max(qb, floor)
        terms.append((qf - pf) * ln(qf / pf))
    return terms


def js_terms(p, q, ln=cr_ln):
    terms = []
    for pb, qb in zip(p, q):
        m = (pb + qb) / 2.0
        if pb > 0.0:
            terms.append(pb * ln(pb / m))
        if qb > 0.0:
            terms.append(qb * ln(qb / m))
    return terms


def psi(p, q, ln=cr_ln, floor=FLOOR, total=math.fsum):
    return total(psi_terms(p, q, ln, floor))


def js(p, q, ln=cr_ln, total=math.fsum, base=2.0):
    s = max(total(js_terms(p, q, ln)), 0.0)
    return math.sqrt(s / ln(base) / 2.0)


def conditioning(terms):
    """(sum |t|, max |t|) over |sum t|: how much last-bit changes of the terms can move the
    sum, relative. A log that is off by one ulp moves its term by an ulp or two (at most
    2^-51 of itself), so the sum by at most 2^-51 max|t| / |S| relative, plus its own
    rounding (the JS, a square root, by half that)."""
    s = abs(math.fsum(terms))
    if s == 0.0:
        return NAN, NAN
    return math.fsum(abs(t) for t in terms) / s, max(abs(t) for t in terms) / s


def naive_sum(terms):
    s = 0.0
    for t in terms:
        s += t
    return s


def level(x):
    return "major" if x >= MAJOR else "moderate" if x >= MODERATE else "stable"


def report(prof, live):
    r = {"train_missing_rate": share(prof["missing"], prof["count"]),
         "live_missing_rate": share(live["missing"], live["rows"]),
         "below_min": NAN, "above_max": NAN, "unseen_rate": NAN}
    values = live["rows"] - live["missing"]
    if prof["type"] == "numeric":
        r["below_min"] = share(live["below"], values)
        r["above_max"] = share(live["above"], values)
    else:
        r["unseen_rate"] = share(live["bins"][-1], values)
    p, q = share_vectors(prof, live)
    r["psi"], r["js"] = psi(p, q), js(p, q)
    r["psi_np"], r["js_np"] = psi(p, q, ln=np_ln), js(p, q, ln=np_ln)
    r["level"] = level(r["psi"])
    r["cond"] = conditioning(psi_terms(p, q)) + conditioning(js_terms(p, q))
    return r


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / abs(b)


def variants(prof, live):
    """How far some wrong definitions move this column's figures (relative), to show that
    the comparison at 1e-15 would catch them."""
    p, q = share_vectors(prof, live)
    good_psi, good_js = psi(p, q), js(p, q)
    out = {
        "floor 1e-5": rel(psi(p, q, floor=1e-5), good_psi),
        "floor 1e-3": rel(psi(p, q, floor=1e-3), good_psi),
        "naive sum psi": rel(psi(p, q, total=naive_sum), good_psi),
        "naive sum js": rel(js(p, q, total=naive_sum), good_js),
        "js natural log": rel(js(p, q, base=math.e), good_js),
        "np.log psi": rel(psi(p, q, ln=np_ln), good_psi),
        "np.log js": rel(js(p, q, ln=np_ln), good_js),
    }
    try:  # scipy's own function renormalises p and q by their (rounded) sums
        from scipy.spatial.distance import jensenshannon
        out["scipy js"] = rel(float(jensenshannon(np.array(p), np.array(q), base=2.0)), good_js)
    except ImportError:
        pass
    return out


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def read_table(path, types):
    """Columns of a CSV as lists: floats (NaN for NA) or strings (None for NA)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cols = {}
    for name, t in types.items():
        if t == "numeric":
            cols[name] = [NAN if r[name] in (NA, "") else float(r[name]) for r in rows]
        else:
            cols[name] = [None if r[name] in (NA, "") else r[name] for r in rows]
    return cols


def take(cols, idx):
    return {k: [v[i] for i in idx] for k, v in cols.items()}


def fmt(v):
    if v is None:
        return NA
    if isinstance(v, str):
        return v
    return NA if math.isnan(v) else repr(float(v))


def write_csv(path, names, cols):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        for i in range(len(cols[names[0]])):
            w.writerow([fmt(cols[c][i]) for c in names])


PENGUIN_TYPES = {"species": "categorical", "island": "categorical", "bill_length_mm": "numeric",
                 "bill_depth_mm": "numeric", "flipper_length_mm": "numeric", "body_mass_g": "numeric",
                 "sex": "categorical", "year": "numeric"}

SYNTH_TYPES = {"gauss": "numeric", "counts": "numeric", "wide": "numeric", "tails": "numeric",
               "sensor": "numeric", "zero": "numeric", "color": "categorical", "flag": "categorical"}


def synth_sets(rng):
    """The synthetic shift: train and live columns (numpy integers/normal draws, then only
    correctly rounded arithmetic: * / + of doubles and np.rint)."""
    def gauss(n, scale, shift, miss_pct):
        z = rng.normal(size=n)
        x = np.rint((z * scale + shift) * 100.0) / 100.0
        x[rng.integers(0, 100, size=n) < miss_pct] = np.nan
        return x.tolist()

    def counts(n, cuts, low, high, miss_pct):
        # Mostly 0 (either sign), then 1, 2, 3, then a tail; low/high: shares (%) of
        # values beyond the training range.
        u = rng.integers(0, 100, size=n)
        sign = rng.integers(0, 2, size=n)
        tail = rng.integers(4, 10, size=n)
        miss = rng.integers(0, 100, size=n) < miss_pct
        out = []
        for i in range(n):
            if miss[i]:
                out.append(NAN)
            elif u[i] < low:
                out.append(-1.0)
            elif u[i] >= 100 - high:
                out.append(12.0)
            elif u[i] < cuts[0]:
                out.append(-0.0 if sign[i] else 0.0)
            elif u[i] < cuts[1]:
                out.append(1.0)
            elif u[i] < cuts[2]:
                out.append(2.0)
            elif u[i] < cuts[3]:
                out.append(3.0)
            else:
                out.append(float(tail[i]))
        return out

    def wide(n, factor, shift, miss_pct):
        k = rng.integers(-4000, 4001, size=n).astype(np.float64)
        x = (k * factor) / 8.0 + shift  # exact: small integers over a power of two
        x[rng.integers(0, 100, size=n) < miss_pct] = np.nan
        return x.tolist()

    def tails(n, lo_pct, hi_pct):
        u = rng.integers(0, 100, size=n)
        k = rng.integers(-5, 6, size=n)
        return [-math.inf if u[i] < lo_pct else math.inf if u[i] >= 100 - hi_pct else float(k[i])
                for i in range(n)]

    def zeros(spec):
        # Exact composition, shuffled. With only -0.0 among the zeros numpy's sorted
        # values are unambiguous, and its lerp b - (b - a) * (1 - t) for t >= 0.5 between
        # two -0.0 gives -0.0: edges that must be folded to +0.0.
        vals = [v for v, k in spec for _ in range(k)]
        return [vals[i] for i in rng.permutation(len(vals))]

    def categories(spec, missing):
        vals = [c for c, k in spec for _ in range(k)] + [None] * missing
        return [vals[i] for i in rng.permutation(len(vals))]

    n_tr, n_lv = 500, 300
    train = {
        "gauss": gauss(n_tr, 1.0, 0.0, 5),
        "counts": counts(n_tr, (45, 70, 85, 95), 0, 0, 2),
        "wide": wide(n_tr, 1.0, 0.0, 3),
        "tails": tails(n_tr, 12, 12),
        "sensor": gauss(n_tr, 10.0, 50.0, 10),
        # 500 values: the deciles at 0.4 and 0.5 fall inside the -0.0 block with t >= 0.5.
        "zero": zeros([(-2.0, 80), (-1.0, 70), (-0.0, 200), (1.0, 90), (2.0, 60)]),
        # blue and red tie (bytes decide: blue first), Zürich and amber tie ('Z' < 'a').
        "color": categories([("red", 120), ("blue", 120), ("green", 80), ("amber", 40),
                             ("Z\u00fcrich", 40), ("violet", 30)], 70),
        "flag": categories([("yes", 300), ("no", 200)], 0),
    }
    live = {
        "gauss": gauss(n_lv, 1.5, 0.7, 12),
        "counts": counts(n_lv, (20, 35, 55, 85), 4, 6, 5),
        "wide": wide(n_lv, 3.0, 100.0, 3),
        "tails": tails(n_lv, 5, 30),
        "sensor": [NAN] * n_lv,
        "zero": zeros([(-1.0, 40), (-0.0, 60), (0.0, 60), (1.0, 70), (2.0, 50), (3.0, 20)]),
        # violet vanishes, teal was never seen.
        "color": categories([("red", 40), ("blue", 90), ("green", 60), ("amber", 20),
                             ("Z\u00fcrich", 10), ("teal", 50)], 30),
        "flag": categories([("yes", 120), ("no", 160)], 20),
    }
    return train, live


def many_sets(rng):
    """1100 distinct categories: 60 seen 3 times, 200 twice, 840 once, so the cut at 1000
    falls among the ones seen once (740 profiled, 100 'other', chosen by bytes); names are
    assigned to counts at random so that the bytes order is not the count order."""
    names = ["k%04d" % i for i in rng.permutation(1100)]
    train = [n for n in names[:60] for _ in range(3)] + [n for n in names[60:260] for _ in range(2)] + names[260:]
    train += [None] * 20
    train = [train[i] for i in rng.permutation(len(train))]
    once = sorted(names[260:], key=lambda s: s.encode("utf-8"))
    below_cut = once[740:]
    profiled = names[:260] + once[:740]
    pick = rng.integers(0, 100, size=300)
    a = rng.integers(0, len(profiled), size=300)
    b = rng.integers(0, len(below_cut), size=300)
    c = rng.integers(0, 50, size=300)
    live = []
    for i in range(300):
        if pick[i] < 55:
            live.append(profiled[a[i]])
        elif pick[i] < 75:
            live.append(below_cut[b[i]])
        elif pick[i] < 93:
            live.append("new%02d" % c[i])
        else:
            live.append(None)
    return {"code": train}, {"code": live}


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def write_case(path, title, train_src, live_src, types, train, live, notes):
    lines = ["# " + title,
             "# golden_drift.py: numpy %s, Python %s, %s" % (np.__version__, sys.version.split()[0], repro_env.POLICY),
             "case\t" + path.stem, "train\t" + train_src, "live\t" + live_src]
    for name, t in types.items():
        prof = numeric_profile(train[name]) if t == "numeric" else categorical_profile(train[name])
        lv = live_counts(prof, live[name])
        r = report(prof, lv)
        for k, v in variants(prof, lv).items():
            notes.setdefault(k, []).append(v)
        lines += ["column\t%s\t%s" % (name, t), "count\t%d" % prof["count"], "missing\t%d" % prof["missing"]]
        if t == "numeric":
            lines += ["%s\t%s" % (k, hexbits(prof[k])) for k in ("min", "max", "mean", "std")]
            lines += ["edges" + "".join("\t" + hexbits(e) for e in prof["edges"]),
                      "bins" + "".join("\t%d" % k for k in prof["bins"])]
        else:
            lines += ["categories" + "".join("\t" + c for c in prof["categories"]),
                      "counts" + "".join("\t%d" % k for k in prof["counts"]),
                      "other\t%d" % prof["other"], "distinct\t%d" % prof["distinct"]]
        lines += ["live_rows\t%d" % lv["rows"], "live_missing\t%d" % lv["missing"],
                  "live_bins" + "".join("\t%d" % k for k in lv["bins"])]
        lines += ["%s\t%s" % (k, hexbits(r[k])) for k in ("train_missing_rate", "live_missing_rate", "below_min",
                                                          "above_max", "unseen_rate", "psi", "js", "psi_np", "js_np")]
        lines.append("level\t" + r["level"])
        lines.append("cond" + "".join("\t%.4g" % c for c in r["cond"]))
        lines.append("# %s: psi %.17g js %.17g" % (name, r["psi"], r["js"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(root, only=None):
    """Writes root/drift/ (every case; `only`, a set of case names, limits the case files)."""
    out = pathlib.Path(root) / "drift"
    out.mkdir(parents=True, exist_ok=True)

    def wanted(stem):
        return only is None or stem in only

    notes = {}
    pen = read_table(DATA / "penguins.csv", PENGUIN_TYPES)
    n = len(pen["island"])
    everyone = list(range(n))
    island = {k: [i for i in everyone if pen["island"][i] == k] for k in ("Torgersen", "Biscoe", "Dream")}
    for k, rows in island.items():
        stem = "penguins_all_" + k.lower()
        if wanted(stem):
            write_case(out / (stem + ".txt"), "train: every penguin; live: the %s rows" % k,
                       "penguins.csv\tall", "penguins.csv\trows" + "".join("\t%d" % i for i in rows),
                       PENGUIN_TYPES, pen, take(pen, rows), notes)
    if wanted("penguins_biscoe_dream"):
        write_case(out / "penguins_biscoe_dream.txt", "train: the Biscoe rows; live: the Dream rows",
                   "penguins.csv\trows" + "".join("\t%d" % i for i in island["Biscoe"]),
                   "penguins.csv\trows" + "".join("\t%d" % i for i in island["Dream"]),
                   PENGUIN_TYPES, take(pen, island["Biscoe"]), take(pen, island["Dream"]), notes)

    rng = np.random.default_rng(20261218)
    train, live = synth_sets(rng)
    write_csv(out / "synth_train.csv", list(SYNTH_TYPES), train)
    write_csv(out / "synth_live.csv", list(SYNTH_TYPES), live)
    many_train, many_live = many_sets(rng)
    write_csv(out / "many_train.csv", ["code"], many_train)
    write_csv(out / "many_live.csv", ["code"], many_live)
    # The cases read back the CSVs, exactly what the C++ test reads.
    if wanted("synth_shift"):
        write_case(out / "synth_shift.txt", "synthetic shift (see golden_drift.py)", "csv\tsynth_train.csv",
                   "csv\tsynth_live.csv", SYNTH_TYPES, read_table(out / "synth_train.csv", SYNTH_TYPES),
                   read_table(out / "synth_live.csv", SYNTH_TYPES), notes)
    if wanted("synth_many"):
        types = {"code": "categorical"}
        write_case(out / "synth_many.txt", "1100 categories, the 1000-category cut inside a tie", "csv\tmany_train.csv",
                   "csv\tmany_live.csv", types, read_table(out / "many_train.csv", types),
                   read_table(out / "many_live.csv", types), notes)

    print("golden_drift: wrote %s (numpy gave %d edges of -0.0, folded to +0.0)" % (out, FOLDED[0]))
    if only is None and FOLDED[0] == 0:
        raise RuntimeError("no -0.0 edge: the data no longer exercise the folding rule")
    for k, v in notes.items():
        moved = sum(1 for x in v if x > 1e-15)
        print("golden_drift:   %-15s moves %2d of %d columns beyond 1e-15 relative (largest %.3g)"
              % (k, moved, len(v), max(v)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Regenerate the drift golden files.")
    ap.add_argument("--out", type=pathlib.Path, default=HERE, help="output root; files go to ROOT/drift (default: %(default)s)")
    main(ap.parse_args(sys.argv[1:]).out)
