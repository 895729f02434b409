"""What every golden script writes the same way: a double as the hex of its bits, and a
table of named columns as CSV (missing as NA), read back with pandas as the C++ side
reads it. Imports nothing heavy at load, so that a script still imports repro_env before
numpy."""

import csv
import math
import struct

NA = "NA"


def h(x):
    """The 16 hex digits of the IEEE bits of float(x), little-endian canonical."""
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def write_csv(path, columns, na=NA):
    """columns: name -> list of values (float, str or None); NaN and None are written as na,
    floats by repr (shortest round trip)."""
    names = list(columns)
    n = len(columns[names[0]])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        for i in range(n):
            row = []
            for c in names:
                v = columns[c][i]
                if v is None or (isinstance(v, float) and math.isnan(v)):
                    row.append(na)
                elif isinstance(v, float):
                    row.append(repr(v))
                else:
                    row.append(v)
            w.writerow(row)


def read_frame(path, na=NA):
    import pandas as pd

    return pd.read_csv(path, na_values=[na], keep_default_na=False)
