"""Pipeline.row_plan(): the C++ RowPlan from Python gives transform()'s bits one record at
a time, reads values by the input schema's column types and refuses what does not fit."""
import threading

import numpy as np
import pandas as pd
import pytest

import reprep
from conftest import penguins_pipeline


def records(df, names):
    # As a service would build them: plain Python values, missing as None.
    return [tuple(None if isinstance(v, float) and np.isnan(v) else v for v in r)
            for r in df[names].itertuples(index=False)]


def test_every_penguin_row_gives_the_batch_bits(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    plan = pipe.row_plan()
    assert plan.input_names == list(pipe._cpp().feature_names_in())
    batch = pipe.set_output(transform="pandas").transform(penguins)[plan.output_names].to_numpy(dtype=np.float64)
    out = np.empty(plan.n_outputs)
    for i, r in enumerate(records(penguins, plan.input_names)):
        assert plan.run(r, out) is out
        assert np.array_equal(out.view(np.uint64), batch[i].view(np.uint64)), i
        assert np.array_equal(plan.run(list(r)).view(np.uint64), batch[i].view(np.uint64))
    # NaN works as a missing number and a missing category, like None.
    r = list(records(penguins, plan.input_names)[3])
    nan_record = [float("nan") if v is None else v for v in r]
    assert np.array_equal(plan.run(nan_record).view(np.uint64), batch[3].view(np.uint64))


def test_mixed_outputs_come_back_as_values(penguins):
    pipe = reprep.Pipeline([("impute", reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent"))])
    pipe.fit(penguins[["sex", "body_mass_g"]])
    plan = pipe.row_plan()
    assert plan.input_names == ["sex"]  # the columns the steps read
    assert plan.run_values((None,)) == ["male"]
    assert plan.run_values(("female",)) == ["female"]
    with pytest.raises(reprep.SchemaError, match="categorical.*Fix: use plan.run_values"):
        plan.run((None,))


def test_refusals_name_the_column_and_leave_the_plan_usable(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    plan = pipe.row_plan()
    good = records(penguins, plan.input_names)[0]
    want = plan.run(good).copy()
    with pytest.raises(reprep.SchemaError, match="holds 6 values"):
        plan.run(good[:-1])
    # A value of the wrong type, and an out of the wrong length, are C++ RowPlan::run's
    # SchemaError (its message, with the fix in Python's names).
    bad = list(good)
    bad[0] = "39.1"
    with pytest.raises(reprep.SchemaError, match=r"RowPlan: column 'bill_length_mm': a string was given where a "
                                                 r"number belongs \(record value 0\)\. Fix: .*plan\.input_names order"):
        plan.run(bad)
    sex = plan.input_names.index("sex")
    bad = list(good)
    bad[sex] = 1.0
    with pytest.raises(reprep.SchemaError, match=f"column 'sex': a number was given where a string belongs "
                                                 rf"\(record value {sex}\)"):
        plan.run_values(bad)
    bad[0] = [39.1]  # no cell type at all: refused by the binding, as the same rule
    with pytest.raises(reprep.SchemaError, match="column 'bill_length_mm': record value 0 is not a number"):
        plan.run(bad)
    with pytest.raises(reprep.InvalidInput, match="float64"):
        plan.run(good, np.empty(plan.n_outputs, dtype=np.float32))
    out = np.full(plan.n_outputs + 1, -7.0)
    with pytest.raises(reprep.SchemaError, match=f"the output buffer holds {plan.n_outputs + 1} values, the pipeline "
                                                 rf"writes {plan.n_outputs}\. Fix: pass out of plan\.n_outputs values"):
        plan.run(good, out)
    assert np.all(out == -7.0)  # nothing written
    with pytest.raises(TypeError):
        plan.run(42)
    assert np.array_equal(plan.run(good), want)


def test_a_datetime_input(penguins):
    df = pd.DataFrame({"t": pd.to_datetime(["2024-02-29 13:45", None, "2023-12-31"])})
    pipe = reprep.Pipeline([("dt", reprep.DatetimeFeatures(columns=["t"], features_to_extract=["month", "hour"],
                                                           missing_values="ignore"))]).fit(df)
    plan = pipe.row_plan()
    batch = pipe.set_output(transform="pandas").transform(df)[plan.output_names].to_numpy(dtype=np.float64)
    for i, v in enumerate(df["t"]):
        for value in (v, None if pd.isna(v) else v.value):  # a Timestamp, or int nanoseconds
            assert np.array_equal(plan.run((value,)), batch[i], equal_nan=True)


def test_eight_threads_share_one_plan(penguins):
    pipe = penguins_pipeline(reprep).fit(penguins)
    plan = pipe.row_plan()
    recs = records(penguins, plan.input_names)
    want = np.stack([plan.run(r) for r in recs])
    failures = []

    def work(seed):
        out = np.empty(plan.n_outputs)
        for k in range(2000):
            i = (seed * 7919 + k * 31) % len(recs)
            plan.run(recs[i], out)
            if not np.array_equal(out, want[i]):
                failures.append((seed, i))

    threads = [threading.Thread(target=work, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
