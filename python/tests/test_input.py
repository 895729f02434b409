"""NumPy input of every layout and both float widths, and threads sharing fitted objects."""
import threading

import numpy as np
import pandas as pd
import pytest

import reprep
from conftest import NUMERIC, penguins_pipeline


@pytest.fixture
def X():
    rng = np.random.RandomState(17)
    X = rng.normal(size=(200, 5)) * [1, 10, 100, 1e3, 1e-3]
    X[rng.rand(*X.shape) < 0.05] = np.nan
    return X


LAYOUTS = {
    "C": lambda X: np.ascontiguousarray(X),
    "F": lambda X: np.asfortranarray(X),
    "strided": lambda X: np.repeat(X, 2, axis=1)[::1, ::2],  # a view, neither C nor F contiguous
    "transposed": lambda X: np.ascontiguousarray(X.T).T,
}


@pytest.mark.parametrize("est", [reprep.StandardScaler(), reprep.QuantileTransformer(n_quantiles=20),
                                 reprep.SimpleImputer(strategy="median", add_indicator=True)],
                         ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_gives_the_same_bits(est, layout, X):
    ref = type(est)(**est.get_params()).fit(X)
    Xl = LAYOUTS[layout](X)
    assert layout in ("C", "transposed") or not Xl.flags.c_contiguous
    before = Xl.copy()
    fitted = type(est)(**est.get_params()).fit(Xl)
    assert fitted.fingerprint() == ref.fingerprint()
    np.testing.assert_array_equal(fitted.transform(Xl), ref.transform(X))
    np.testing.assert_array_equal(Xl, before)  # the caller's array is untouched


@pytest.mark.parametrize("layout", ["C", "F"])
def test_float32_is_read_as_the_float64_it_widens_to(layout, X):
    X32 = LAYOUTS[layout](X.astype(np.float32))
    wide = X32.astype(np.float64)  # exact: every float32 is a double
    est = reprep.StandardScaler().fit(X32)
    assert est.fingerprint() == reprep.StandardScaler().fit(wide).fingerprint()
    out = est.transform(X32)
    assert out.dtype == np.float64  # the Table's numeric columns are double
    np.testing.assert_array_equal(out, est.transform(wide))


def test_integer_and_bool_arrays_convert(X):
    ints = np.arange(12).reshape(4, 3)
    np.testing.assert_array_equal(reprep.MaxAbsScaler().fit(ints).transform(ints),
                                  reprep.MaxAbsScaler().fit(ints.astype(float)).transform(ints.astype(float)))
    flags = ints % 2 == 0
    assert reprep.MinMaxScaler().fit(flags).transform(flags).dtype == np.float64


def test_eight_threads_transform_through_one_pipeline(penguins):
    # transform releases the GIL and C++ transform is const: eight threads share one
    # fitted pipeline, each on its own rows, and get the bits one thread gets.
    pipe = penguins_pipeline(reprep).fit(penguins)
    parts = np.array_split(np.arange(len(penguins)), 8)
    expected = [pipe.transform(penguins.iloc[p]) for p in parts]
    errors = []

    def run(i):
        for _ in range(10):
            out = pipe.transform(penguins.iloc[parts[i]])
            if not np.array_equal(out, expected[i], equal_nan=True):
                errors.append(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_eight_threads_transform_arrays_through_one_scaler(X):
    est = reprep.StandardScaler().fit(X)
    expected = est.transform(X)
    out = [None] * 8

    def run(i):
        out[i] = [est.transform(np.asfortranarray(X) if i % 2 else X) for _ in range(10)]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(r, expected, equal_nan=True) for rs in out for r in rs)


def test_n_jobs_gives_the_same_bits_and_refuses_zero(penguins):
    # transform's threads (C++ TransformOptions): row blocks, the same output bits for any count.
    from conftest import penguins_pipeline

    rng = np.random.default_rng(3)
    X = rng.normal(size=(50_000, 6)) * np.arange(1, 7)
    one = reprep.StandardScaler().fit(X)
    many = reprep.StandardScaler(n_jobs=3).fit(X)
    assert many.get_params()["n_jobs"] == 3
    assert one.to_bytes() == many.to_bytes()  # not part of the fitted state
    a, b = one.transform(X), many.transform(X)
    assert np.array_equal(a.view(np.uint64), b.view(np.uint64))
    big = pd.concat([penguins] * 40, ignore_index=True)
    p1 = penguins_pipeline(reprep).fit(big).set_output(transform="pandas")
    p2 = penguins_pipeline(reprep).set_params(n_jobs=-1).fit(big).set_output(transform="pandas")
    pd.testing.assert_frame_equal(p1.transform(big), p2.transform(big), check_exact=True)
    assert p1.to_bytes() == p2.to_bytes()  # fit on every core: the same artifact
    for bad in (0, -2):
        with pytest.raises(reprep.InvalidParameter, match="n_jobs"):
            reprep.StandardScaler(n_jobs=bad).fit(X).transform(X)
    with pytest.raises(reprep.InvalidParameter, match="n_jobs"):
        reprep.StandardScaler(n_jobs=1.5).fit(X).transform(X)


@pytest.mark.parametrize("make", [
    lambda **k: reprep.StandardScaler(**k), lambda **k: reprep.SimpleImputer(strategy="median", **k),
    lambda **k: reprep.EndTailImputer(**k), lambda **k: reprep.MinMaxScaler(**k),
    lambda **k: reprep.KBinsDiscretizer(n_bins=7, **k),
], ids=lambda f: type(f()).__name__)
def test_fit_n_jobs_gives_the_same_bytes_and_errors(make):
    # fit's threads (C++ FitOptions): where a kind's statistics merge exactly, one
    # accumulator per block of rows; the artifact is the one-thread fit's bytes.
    rng = np.random.default_rng(5)
    X = rng.lognormal(size=(40_001, 5))
    if not isinstance(make(), reprep.KBinsDiscretizer):  # which refuses NaN in fit
        X[rng.random(X.shape) < 0.03] = np.nan
    want = make().fit(X).to_bytes()
    for n_jobs in (2, 3, -1):
        assert make(n_jobs=n_jobs).fit(X).to_bytes() == want
    X[39_000, 4] = np.inf  # refused by every kind here, in the last block
    with pytest.raises(reprep.InvalidInput) as one:
        make().fit(X)
    with pytest.raises(reprep.InvalidInput) as three:
        make(n_jobs=3).fit(X)
    assert str(three.value) == str(one.value)


@pytest.mark.parametrize("make", [
    lambda: reprep.StandardScaler(), lambda: reprep.RobustScaler(), lambda: reprep.SimpleImputer(strategy="median"),
    lambda: reprep.QuantileTransformer(n_quantiles=50), lambda: reprep.PowerTransformer(),
    lambda: reprep.MissingIndicator(), lambda: reprep.PolynomialFeatures(degree=2),
], ids=lambda f: type(f()).__name__)
def test_the_numpy_path_gives_the_table_paths_bits(make):
    # A plain float array goes to the C++ kernel without a Table (_base._array_path); a
    # DataFrame of the same columns goes through the Table. Same kernel, same bits, for
    # F and C order and float32.
    rng = np.random.default_rng(11)
    X = rng.lognormal(size=(3000, 4))
    if not isinstance(make(), reprep.PolynomialFeatures):
        X[rng.random(X.shape) < 0.05] = np.nan
    est = make().fit(X)
    want = est.transform(pd.DataFrame(X, columns=[f"x{j}" for j in range(4)]))
    want = np.asarray(want, dtype=np.float64)
    for A in (np.asfortranarray(X), np.ascontiguousarray(X)):
        got = est.transform(A)
        assert got.shape == want.shape and np.array_equal(got.view(np.uint64), want.view(np.uint64))
    X32 = X.astype(np.float32)
    want32 = np.asarray(est.transform(pd.DataFrame(X32, columns=[f"x{j}" for j in range(4)])), dtype=np.float64)
    assert np.array_equal(est.transform(X32).view(np.uint64), want32.view(np.uint64))
    with pytest.raises(reprep.SchemaError):
        est.transform(X[:, :3])


BLOCK_LAYOUTS = {
    "C": lambda X: np.ascontiguousarray(X),
    "F": lambda X: np.asfortranarray(X),
    "strided": lambda X: np.repeat(X, 2, axis=1)[:, ::2],
    "reversed": lambda X: np.ascontiguousarray(X[::-1])[::-1],  # negative row stride
    "C32": lambda X: np.ascontiguousarray(X.astype(np.float32)),
    "F32": lambda X: np.asfortranarray(X.astype(np.float32)),
}


@pytest.mark.parametrize("make", [
    lambda: reprep.StandardScaler(), lambda: reprep.StandardScaler(with_mean=False),
    lambda: reprep.StandardScaler(with_std=False), lambda: reprep.StandardScaler(with_mean=False, with_std=False),
    lambda: reprep.QuantileTransformer(n_quantiles=40),
    lambda: reprep.SimpleImputer(strategy="median", add_indicator=True), lambda: reprep.PolynomialFeatures(degree=2),
], ids=lambda f: f"{type(f()).__name__}-{sorted(f().get_params(deep=False).items())}"[:60])
@pytest.mark.parametrize("layout", list(BLOCK_LAYOUTS))
def test_the_array_path_reads_any_layout_in_blocks_with_the_table_paths_bits(make, layout):
    # Enough rows for several of the array path's row blocks (about 512 KiB of input and
    # output each, python/src/array_path.hpp) and a partial last one, on 1 to 3 threads.
    rng = np.random.default_rng(5)
    X = rng.lognormal(size=(45_001, 3))
    if not isinstance(make(), reprep.PolynomialFeatures):
        X[rng.random(X.shape) < 0.02] = np.nan
    A = BLOCK_LAYOUTS[layout](X)
    before = A.copy()
    est = make().fit(X)
    frame = pd.DataFrame(A.astype(np.float64), columns=["x0", "x1", "x2"])
    want = np.asarray(est.transform(frame), dtype=np.float64)
    for n_jobs in (1, 2, 3):
        est.set_params(n_jobs=n_jobs)
        got = est.transform(A)
        assert got.dtype == np.float64 and got.shape == want.shape
        assert np.array_equal(got.view(np.uint64), want.view(np.uint64))
        # The result keeps an F-order input's layout; everything else comes back in C order.
        assert got.flags.f_contiguous if layout in ("F", "F32") else got.flags.c_contiguous
    np.testing.assert_array_equal(A, before)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "C32"])
def test_the_array_paths_errors_are_the_table_paths(layout):
    # Two forbidden values in different blocks: whatever the blocks, the error names the
    # value the whole-input check finds, as the DataFrame (Table) path does.
    rng = np.random.default_rng(8)
    X = rng.normal(size=(60_000, 3))
    est = reprep.QuantileTransformer(n_quantiles=30).fit(X)  # refuses infinities in transform
    X[40_000, 0] = np.inf
    X[7, 2] = -np.inf
    A = BLOCK_LAYOUTS[layout](X)
    before = A.copy()
    with pytest.raises(reprep.InvalidInput) as table_error:
        est.transform(pd.DataFrame(X, columns=["x0", "x1", "x2"]))
    for n_jobs in (1, 2):
        est.set_params(n_jobs=n_jobs)
        with pytest.raises(reprep.InvalidInput) as array_error:
            est.transform(A)
        assert str(array_error.value) == str(table_error.value)
        assert "row 40000" in str(array_error.value) and "'x0'" in str(array_error.value)
    np.testing.assert_array_equal(A, before)


@pytest.mark.parametrize("cols", [4, 5])
def test_standard_scalers_row_kernel_streams_large_c_order_output(cols):
    # StandardScaler reads a C-order float64 array row by row (transform_rows_into); above
    # 8 MiB of output it writes with non-temporal stores when a row's pairs are aligned
    # (an even width), else with ordinary ones. Either way the bits of the F-order path.
    rng = np.random.default_rng(9)
    X = rng.normal(size=(300_000, cols)) * np.arange(1, cols + 1)
    X[rng.random(X.shape) < 0.01] = np.nan
    est = reprep.StandardScaler().fit(X)
    want = est.transform(np.asfortranarray(X))
    got = est.transform(np.ascontiguousarray(X))
    assert got.flags.c_contiguous
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))
