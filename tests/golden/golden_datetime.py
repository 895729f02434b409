#!/usr/bin/python3
"""Golden files for the datetime family (issue 19, items 1-2): DatetimeFeatures against
pandas' .dt accessors, DatetimeSubtraction against pandas' timedelta division, and
read_csv's ISO 8601 parsing against pandas' Timestamp. Read by
tests/parity/test_parity_transforms.cpp. feature-engine is not installed here; the
features are the pandas expressions feature-engine's DatetimeFeatures documents
(month_start = is_month_start, week = isocalendar().week, weekend = dayofweek >= 5, ...).

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py datetime

Files (tests/golden/datetime/), tab-separated:
  days.txt   every day from 1678-01-01 to 2261-12-31 (213,305 days), kept small: per
             year one line "year <y> <n days> <digest>", where the digest folds the 20
             features of each day of the year, day by day and feature by feature in
             FEATURES order, as d = (d * 1099511628211 + value) mod 2**64 from d = 0 (16
             hex digits); plus "row <date> <20 values>" for every 499th day and for the
             edge days (leap days and their neighbours in 1700, 1800, 1900, 2000, 2100,
             2104, 2200; the turn of the year where ISO week 53 occurs; the first and last
             day). A wrong value on any day changes its year's digest.
  times.txt  "row <ns> <pandas isoformat> <20 values>": seeded random instants over the
             whole datetime64[ns] range (before the epoch with fractions too) and the edge
             instants (Timestamp.min, Timestamp.max, -1 ns, 0, end of days).
  sub.txt    "row <a ns> <b ns> <unit> <result as 16 hex digits>":
             (a - b) / np.timedelta64(1, unit) for the units W D h m s ms us ns.
"""
import pathlib
import sys

import numpy as np
import pandas as pd

FEATURES = ["month", "quarter", "semester", "year", "week", "day_of_week", "day_of_month", "day_of_year",
            "weekend", "month_start", "month_end", "quarter_start", "quarter_end", "year_start", "year_end",
            "leap_year", "days_in_month", "hour", "minute", "second"]
MASK = (1 << 64) - 1
PRIME = 1099511628211


def features(s):
    """The 20 features of a datetime64[ns] Series, as int64 columns (feature-engine's expressions)."""
    dt = s.dt
    return [
        dt.month, dt.quarter, np.where(dt.month <= 6, 1, 2), dt.year, dt.isocalendar().week.astype(np.int64),
        dt.dayofweek, dt.day, dt.dayofyear, np.where(dt.dayofweek <= 4, 0, 1), dt.is_month_start,
        dt.is_month_end, dt.is_quarter_start, dt.is_quarter_end, dt.is_year_start, dt.is_year_end,
        dt.is_leap_year, dt.days_in_month, dt.hour, dt.minute, dt.second,
    ]


def as_rows(s):
    cols = [np.asarray(c).astype(np.int64) for c in features(s)]
    return np.stack(cols, axis=1)


def days_file():
    days = pd.Series(pd.date_range("1678-01-01", "2261-12-31", freq="D"))
    vals = as_rows(days)
    years = days.dt.year.to_numpy()
    lines = ["features\t" + " ".join(FEATURES)]
    # The fold d = d * PRIME + v over m values is the sum of v_k * PRIME**(m-1-k), all mod
    # 2**64: numpy's uint64 arithmetic wraps, so one dot product per year gives it.
    powers = np.cumprod(np.full(366 * len(FEATURES), PRIME, dtype=np.uint64))[::-1]  # PRIME**m .. PRIME**1
    powers = np.concatenate([powers[1:], np.ones(1, dtype=np.uint64)])                # PRIME**(m-1) .. 1
    with np.errstate(over="ignore"):
        for y in range(1678, 2262):
            block = vals[years == y].astype(np.uint64).ravel()
            d = int(np.sum(block * powers[len(powers) - len(block):], dtype=np.uint64))
            lines.append(f"year\t{y}\t{len(block) // len(FEATURES)}\t{d:016x}")
    edge = set()
    for y in (1700, 1800, 1900, 2000, 2100, 2104, 2200):
        for md in ("02-28", "03-01") + (("02-29",) if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else ()):
            edge.add(pd.Timestamp(f"{y}-{md}"))
    for y in (1680, 1703, 1981, 1998, 2004, 2009, 2015, 2020, 2026, 2032, 2100, 2260):
        for d in pd.date_range(f"{y}-12-27", f"{y + 1}-01-04", freq="D"):
            edge.add(d)
    edge.update([pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")])
    first = days.iloc[0]
    for i in range(len(days)):
        ts = days.iloc[i]
        if i % 499 == 0 or ts in edge:
            lines.append("row\t" + ts.strftime("%Y-%m-%d") + "\t" + " ".join(str(v) for v in vals[i].tolist()))
            edge.discard(ts)
    assert not edge, edge
    assert first == pd.Timestamp("1678-01-01")
    return lines


def times_file():
    rng = np.random.default_rng(20261206)
    lo, hi = pd.Timestamp.min.value, pd.Timestamp.max.value
    ns = [lo, hi, -1, 0, 1, 86_399_999_999_999, -86_400_000_000_000, 951_782_400_000_000_000 - 1]
    ns += rng.integers(lo, hi, size=120, endpoint=True).tolist()
    ns += rng.integers(-10**17, 10**17, size=40).tolist()  # around the epoch, both sides
    s = pd.Series(pd.to_datetime(np.array(ns, dtype=np.int64), unit="ns"))
    vals = as_rows(s)
    lines = []
    for i, v in enumerate(ns):
        lines.append(f"row\t{v}\t{s.iloc[i].isoformat()}\t" + " ".join(str(x) for x in vals[i].tolist()))
    return lines


def sub_file():
    rng = np.random.default_rng(19)
    pairs = [(0, 0), (1, 0), (0, 1), (-1, 1), (86_400_000_000_000, 0), (123_456_789_012_345_678, -98_765_432_109_876_543)]
    for _ in range(14):
        a, b = rng.integers(-4 * 10**18, 4 * 10**18, size=2)
        pairs.append((int(a), int(b)))
    lines = []
    for a, b in pairs:
        sa = pd.Series(pd.to_datetime(np.array([a], dtype=np.int64), unit="ns"))
        sb = pd.Series(pd.to_datetime(np.array([b], dtype=np.int64), unit="ns"))
        for unit in ("W", "D", "h", "m", "s", "ms", "us", "ns"):
            r = float(((sa - sb) / np.timedelta64(1, unit)).iloc[0])
            lines.append(f"row\t{a}\t{b}\t{unit}\t{np.float64(r).view(np.uint64):016x}")
    return lines


def main(out_dir, only=None):
    out = pathlib.Path(out_dir) / "datetime"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("days", days_file), ("times", times_file), ("sub", sub_file)):
        if only is None or name in only:
            (out / f"{name}.txt").write_text("\n".join(make()) + "\n")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent)
