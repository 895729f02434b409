# Fitting on a cluster from Python: the penguins pipeline fitted on a Dask DataFrame's
# partitions by Dask worker processes, and the same pipeline fitted in memory. The two
# fits are the same bits (docs/distributed.md, "Dask").
#
#   python3 examples/dask_fit.py [data.csv]
# (with the reprep package importable: pip install ., or PYTHONPATH=build/dev/python;
#  Debian: apt install python3-dask python3-distributed)
import sys
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import reprep
import reprep.dask

data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "data" / "penguins.csv"
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def make_pipeline():
    return reprep.Pipeline([
        ("impute", reprep.SimpleImputer(columns=numeric, strategy="median")),
        ("sex", reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent")),
        ("robust", reprep.RobustScaler(columns=numeric)),  # exact quantiles, in passes
        ("onehot", reprep.OneHotEncoder(columns=["species", "island", "sex"], handle_unknown="ignore")),
    ], seed=42)


if __name__ == "__main__":  # worker processes import this file: start the cluster only once
    df = pd.read_csv(data)
    in_memory = make_pipeline().fit(df)

    # Three partitions of uneven size, two worker processes on this machine.
    ddf = dd.from_pandas(df, npartitions=3).repartition(divisions=[0, 40, 250, len(df) - 1])
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster):
        on_dask = reprep.dask.fit(make_pipeline(), ddf)
    print(f"dask_fit.py: {ddf.npartitions} partitions of {ddf.map_partitions(len).compute().tolist()} rows")
    print(f"dask_fit.py: fingerprint on Dask   {on_dask.fingerprint()}")
    print(f"dask_fit.py: fingerprint in memory {in_memory.fingerprint()}")

    a = on_dask.set_output(transform="pandas").transform(df)
    b = in_memory.set_output(transform="pandas").transform(df)
    same = (on_dask.fingerprint() == in_memory.fingerprint()
            and all(x.to_bytes() == y.to_bytes() for (_, x), (_, y) in zip(on_dask.steps, in_memory.steps))
            and a.equals(b))
    print("dask_fit.py: " + ("identical" if same else "DIFFERENT"))
    sys.exit(0 if same else 1)
