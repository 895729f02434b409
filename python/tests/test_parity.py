"""Parity with scikit-learn 1.2 on penguins (docs/components.md states each difference)."""
import numpy as np
import pytest
import sklearn.impute
import sklearn.preprocessing

import reprep

from conftest import CATEGORICAL, NUMERIC

# docs/components.md, StandardScaler: reprep's mean_/var_ are correctly rounded, numpy's
# pairwise sums are not; the C++ parity test bounds the difference by 6e-15 relative.
STAT_RTOL = 6e-15


def same_bits(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def test_standard_scaler(penguins):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.StandardScaler().fit(X)
    theirs = sklearn.preprocessing.StandardScaler().fit(X)
    np.testing.assert_allclose(ours.mean_, theirs.mean_, rtol=STAT_RTOL, atol=0)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=STAT_RTOL, atol=0)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_ == 342
    # Given the same mean_ and scale_, the transform is scikit-learn's, bit for bit.
    theirs.mean_, theirs.scale_ = ours.mean_.copy(), ours.scale_.copy()
    assert same_bits(ours.transform(X), theirs.transform(X))


def test_min_max_scaler(penguins):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.MinMaxScaler(feature_range=(-1.0, 2.0), clip=True).fit(X)
    theirs = sklearn.preprocessing.MinMaxScaler(feature_range=(-1.0, 2.0), clip=True).fit(X)
    for attr in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        assert same_bits(getattr(ours, attr), getattr(theirs, attr)), attr
    assert same_bits(ours.transform(X), theirs.transform(X))


def test_max_abs_scaler(penguins):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.MaxAbsScaler().fit(X)
    theirs = sklearn.preprocessing.MaxAbsScaler().fit(X)
    assert same_bits(ours.max_abs_, theirs.max_abs_) and same_bits(ours.scale_, theirs.scale_)
    assert same_bits(ours.transform(X), theirs.transform(X))


@pytest.mark.parametrize("kw", [{}, {"quantile_range": (10.0, 90.0)}, {"unit_variance": True}, {"with_centering": False}])
def test_robust_scaler(penguins, kw):
    # docs/components.md: state bit-identical in every parity case, and the same formula.
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.RobustScaler(**kw).fit(X)
    theirs = sklearn.preprocessing.RobustScaler(**kw).fit(X)
    for attr in ("center_", "scale_"):
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert (a is None and b is None) or same_bits(a, b), attr
    assert same_bits(ours.transform(X), theirs.transform(X))


@pytest.mark.parametrize("strategy", ["median", "most_frequent", "constant"])
def test_simple_imputer_exact(penguins, strategy):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.SimpleImputer(strategy=strategy, fill_value=-1.0).fit(X)
    theirs = sklearn.impute.SimpleImputer(strategy=strategy, fill_value=-1.0).fit(X)
    assert same_bits(ours.statistics_, theirs.statistics_)
    assert same_bits(ours.transform(X), theirs.transform(X))


def test_simple_imputer_mean(penguins):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.SimpleImputer(strategy="mean").fit(X)
    theirs = sklearn.impute.SimpleImputer(strategy="mean").fit(X)
    np.testing.assert_allclose(ours.statistics_, theirs.statistics_, rtol=STAT_RTOL, atol=0)
    missing = np.isnan(X)
    out = ours.transform(X)
    assert same_bits(out[~missing], X[~missing])
    assert same_bits(out[missing], np.broadcast_to(ours.statistics_, X.shape)[missing])


def test_one_hot_encoder(penguins):
    ours = reprep.OneHotEncoder(columns=CATEGORICAL, handle_unknown="ignore").fit(penguins)
    theirs = sklearn.preprocessing.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(penguins[CATEGORICAL])
    # scikit-learn ends a column's categories with nan where missing was seen; reprep with None.
    for a, b in zip(ours.categories_, theirs.categories_):
        assert [None if v is None else v for v in a] == [None if isinstance(v, float) else v for v in b]
    out = ours.set_output(transform="pandas").transform(penguins)
    onehot = [c for c in out.columns if c not in penguins.columns]
    assert len(onehot) == len(theirs.get_feature_names_out())
    assert same_bits(out[onehot].to_numpy(), theirs.transform(penguins[CATEGORICAL]))
    # Columns the encoder does not read pass through untouched.
    assert same_bits(out["body_mass_g"], penguins["body_mass_g"])


@pytest.mark.parametrize("name", ["MinMaxScaler", "MaxAbsScaler", "RobustScaler"])
def test_inverse_transform_is_scikit_learns(penguins, name):
    X = penguins[NUMERIC].to_numpy()
    ours = getattr(reprep, name)().fit(X)
    theirs = getattr(sklearn.preprocessing, name)().fit(X)
    Y = theirs.transform(X)
    assert same_bits(ours.inverse_transform(Y), theirs.inverse_transform(Y))


def test_standard_scaler_inverse_given_the_same_state(penguins):
    X = penguins[NUMERIC].to_numpy()
    ours = reprep.StandardScaler().fit(X)
    theirs = sklearn.preprocessing.StandardScaler().fit(X)
    theirs.mean_, theirs.scale_ = ours.mean_.copy(), ours.scale_.copy()
    Y = ours.transform(X)
    assert same_bits(ours.inverse_transform(Y), theirs.inverse_transform(Y))


def test_inverse_with_pass_through_columns(penguins):
    df = penguins[NUMERIC + ["year"]]
    scaler = reprep.StandardScaler(columns=["body_mass_g", "bill_depth_mm"]).fit(df)
    back = scaler.inverse_transform(scaler.transform(df))
    assert same_bits(back[:, [0, 2, 4]], df[["bill_length_mm", "flipper_length_mm", "year"]].to_numpy())
    np.testing.assert_allclose(back, df.to_numpy(), rtol=1e-15, atol=0)
    with pytest.raises(reprep.InvalidParameter, match="add_indicator"):
        imp = reprep.SimpleImputer().fit(df)
        imp.inverse_transform(imp.transform(df))
    with pytest.raises(reprep.SchemaError, match="inverse_transform"):
        scaler.inverse_transform(np.zeros((2, 3)))


def test_ordinal_encoder(penguins):
    ours = reprep.OrdinalEncoder(columns=CATEGORICAL, handle_unknown="use_encoded_value", unknown_value=-1.0)
    ours.fit(penguins)
    theirs = sklearn.preprocessing.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    theirs.fit(penguins[CATEGORICAL])
    for a, b in zip(ours.categories_, theirs.categories_):
        assert list(a) == [None if isinstance(v, float) else v for v in b]
    request = penguins.copy()
    request.loc[0, "species"] = "Emperor"  # unknown: -1 in both
    out = ours.set_output(transform="pandas").transform(request)
    assert same_bits(out[CATEGORICAL].to_numpy(), theirs.transform(request[CATEGORICAL]))


def test_missing_indicator_features_as_scikit_learn(penguins):
    from sklearn.impute import MissingIndicator as SkMissingIndicator

    X = penguins[NUMERIC].to_numpy()
    X[:5, 2] = np.nan  # penguins' numeric NaN are all in the same two rows
    ours = reprep.MissingIndicator().fit(X)
    theirs = SkMissingIndicator().fit(X)
    np.testing.assert_array_equal(ours.features_, theirs.features_)
    assert ours.features_.dtype == theirs.features_.dtype
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X).astype(np.float64))
