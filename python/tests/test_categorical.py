"""The categorical components' own suite (scikit-learn's check_estimator feeds integer
arrays only, so it skips estimators tagged X_types=['categorical']): string input in
every pandas form, unknown categories, missing values, and the estimator contract."""
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import reprep

N = 40


@pytest.fixture
def data():
    rng = np.random.RandomState(3)
    df = pd.DataFrame({"a": rng.choice(["x", "y", "z"], N).astype(object),
                       "b": rng.choice(["p", "q"], N).astype(object),
                       "v": rng.rand(N)})
    df.loc[[1, 5], "a"] = None
    y = (rng.rand(N) > 0.5).astype(float)
    return df, y


# One instance per categorical kind, set to accept missing values where its default
# refuses them (feature-engine's missing_values='raise').
CATEGORICAL = [
    reprep.OneHotEncoder(), reprep.OrdinalEncoder(), reprep.CountFrequencyEncoder(missing_values="ignore"),
    reprep.RareLabelEncoder(tol=0.3, n_categories=1, missing_values="ignore"), reprep.HashingEncoder(n_components=4),
    reprep.TargetEncoder(), reprep.WoEEncoder(missing_values="ignore"), reprep.CategoricalImputer(),
    reprep.RandomSampleImputer(seed=5),
]
ids = [type(e).__name__ for e in CATEGORICAL]


def test_every_categorical_kind_is_here():
    kinds = {name for name, cls in vars(reprep).items()
             if isinstance(cls, type) and issubclass(cls, reprep._base._Component) and cls._categorical}
    assert kinds | {"RandomSampleImputer"} == set(ids)


def same(a, b):
    """Equal outputs, NaN in the same places, object columns included."""
    assert a.shape == b.shape
    for x, y in zip(np.asarray(a, dtype=object).ravel(), np.asarray(b, dtype=object).ravel()):
        assert (x is None and y is None) or (isinstance(x, float) and np.isnan(x) and np.isnan(y)) or x == y


@pytest.mark.parametrize("est", CATEGORICAL, ids=ids)
def test_contract(est, data):
    df, y = data
    before = df.copy()
    with pytest.raises(reprep.NotFitted):
        clone(est).transform(df)
    fitted = clone(est)
    assert fitted.fit(df, y) is fitted
    out = fitted.transform(df)
    pd.testing.assert_frame_equal(df, before)  # the caller's data is untouched
    assert out.shape[0] == N and len(fitted.get_feature_names_out()) == out.shape[1]
    # fit is idempotent and depends on the rows as a multiset (DESIGN §1.1).
    again = clone(est).fit(df.iloc[::-1], y[::-1])
    assert again.fingerprint() == fitted.fingerprint()
    # A row alone gets the bits it gets in the batch (DESIGN §1.2).
    same(fitted.transform(df.iloc[[7]]), out[[7]])
    # Pickling carries the artifact; the copy transforms to the same bits.
    copy = pickle.loads(pickle.dumps(fitted))
    assert copy.to_bytes() == fitted.to_bytes()
    same(copy.transform(df), out)
    assert clone(est).get_params() == est.get_params()


@pytest.mark.parametrize("est", CATEGORICAL, ids=ids)
def test_string_category_and_object_columns_agree(est, data):
    # pandas' object, string and category dtypes are the same categorical column.
    df, y = data
    outs = []
    for dtype in (object, "string", "category"):
        d = df.astype({"a": dtype, "b": dtype})
        fitted = clone(est).fit(d, y)
        outs.append((fitted.fingerprint(), fitted.transform(d)))
    for fp, out in outs[1:]:
        assert fp == outs[0][0]
        same(out, outs[0][1])


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA], ids=["None", "nan", "NA"])
def test_every_missing_spelling_is_missing(missing, data):
    df, _ = data
    d = df.copy()
    d.loc[[1, 5], "a"] = missing
    enc = reprep.OrdinalEncoder().fit(d)
    assert enc.categories_[0][-1] is None  # learnt as missing, not as a category
    assert np.isnan(enc.transform(d)[[1, 5], 0]).all()
    assert reprep.OrdinalEncoder().fit(df).fingerprint() == enc.fingerprint()


def test_non_string_category_is_refused(data):
    df, _ = data
    d = df.copy()
    d.loc[0, "a"] = 3
    with pytest.raises(reprep.InvalidInput, match="'a'.*int"):
        reprep.OneHotEncoder().fit(d)


@pytest.mark.parametrize("est", [reprep.OneHotEncoder(), reprep.OrdinalEncoder(),
                                 reprep.CountFrequencyEncoder(missing_values="ignore", unseen="raise"),
                                 reprep.WoEEncoder(missing_values="ignore", unseen="raise")],
                         ids=lambda e: type(e).__name__)
def test_unknown_category_raises_under_error_policy(est, data):
    df, y = data
    fitted = clone(est).fit(df, y)
    new = df.iloc[:3].copy()
    new.loc[new.index[2], "a"] = "never-seen"
    before = new.copy()
    with pytest.raises(reprep.UnknownCategory, match="never-seen"):
        fitted.transform(new)
    pd.testing.assert_frame_equal(new, before)


def test_unknown_category_under_lenient_policies(data):
    df, y = data
    new = df.iloc[:3].copy()
    new.loc[new.index[2], "a"] = "never-seen"
    onehot = reprep.OneHotEncoder(handle_unknown="ignore").fit(df)
    row = onehot.transform(new)[2]
    names = list(onehot.get_feature_names_out())
    assert all(row[names.index(n)] == 0 for n in names if n.startswith("a_"))  # all indicators off
    ordinal = reprep.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(df)
    assert ordinal.transform(new)[2, 0] == -1
    rare = reprep.RareLabelEncoder(tol=0.3, n_categories=1, missing_values="ignore").fit(df)
    assert rare.transform(new)[2, 0] == "Rare"


def test_missing_refused_where_policy_says_raise(data):
    df, y = data
    with pytest.raises(reprep.InvalidInput, match="'a'"):
        reprep.CountFrequencyEncoder().fit(df)
    with pytest.raises(reprep.InvalidInput, match="'a'"):
        reprep.OneHotEncoder(handle_missing="error").fit(df)


def test_imputers_fill_missing(data):
    df, _ = data
    out = reprep.CategoricalImputer(imputation_method="frequent").fit(df).transform(df)
    counts = df["a"].value_counts()
    assert set(out[[1, 5], 0]) == {counts.index[0]}  # the C++ mode, which pandas agrees with here
    drawn = reprep.RandomSampleImputer(seed=5).fit(df).transform(df)
    assert all(v in {"x", "y", "z"} for v in drawn[[1, 5], 0])
    np.testing.assert_array_equal(drawn[:, 2].astype(float), df["v"].to_numpy())  # no NaN in v: kept


def test_target_encoder_cross_fits(data):
    df, y = data
    enc = reprep.TargetEncoder(cv=4, seed=11)
    crossed = enc.fit_transform(df, y)
    full = reprep.TargetEncoder(cv=4, seed=11).fit(df, y)
    # The fitted state is the full-data fit; the training output is out-of-fold.
    assert enc.fingerprint() == full.fingerprint()
    assert not np.array_equal(crossed[:, :2].astype(float), full.transform(df)[:, :2].astype(float))
    assert enc.target_mean_ == full.target_mean_
    assert [list(c) for c in enc.categories_] == [["x", "y", "z"], ["p", "q"]]


def test_target_encoder_row_hash_folds_follow_the_rows(data):
    """fold_assignment="row_hash": a row's fold is a hash of its values and target, so a
    shuffled frame gives every row the same out-of-fold bits; "position" (the default) is
    scikit-learn's folds by row position, and an unknown value is refused."""
    df, y = data
    assert reprep.TargetEncoder().get_params()["fold_assignment"] == "position"
    enc = reprep.TargetEncoder(cv=3, seed=4, fold_assignment="row_hash")
    crossed = enc.fit_transform(df, y)
    perm = np.random.RandomState(9).permutation(N)
    shuffled = reprep.TargetEncoder(cv=3, seed=4, fold_assignment="row_hash").fit_transform(
        df.iloc[perm].reset_index(drop=True), y[perm])
    np.testing.assert_array_equal(shuffled[:, :2].astype(float), crossed[perm, :2].astype(float))
    assert enc.fingerprint() == reprep.TargetEncoder(cv=3, seed=4, fold_assignment="row_hash").fit(df, y).fingerprint()
    # Position folds move with the rows, so the same check fails for them.
    pos = reprep.TargetEncoder(cv=3, seed=4).fit_transform(df, y)
    pos_shuffled = reprep.TargetEncoder(cv=3, seed=4).fit_transform(df.iloc[perm].reset_index(drop=True), y[perm])
    assert not np.array_equal(pos_shuffled[:, :2].astype(float), pos[perm, :2].astype(float))
    # The option survives an artifact and clone.
    back = reprep.load_bytes(enc.to_bytes())
    assert back.get_params()["fold_assignment"] == "row_hash"
    assert back.to_bytes() == enc.to_bytes()
    assert clone(enc).get_params()["fold_assignment"] == "row_hash"
    with pytest.raises(reprep.InvalidParameter, match="fold_assignment"):
        reprep.TargetEncoder(fold_assignment="hash").fit(df, y)


def test_supervised_kinds_need_y(data):
    df, y = data
    for est in (reprep.TargetEncoder(), reprep.WoEEncoder(missing_values="ignore")):
        with pytest.raises(reprep.ReprepError, match="fit\\(X, y\\)"):
            est.fit(df)
        with pytest.raises(reprep.InvalidInput, match="one target value per row"):
            est.fit(df, y[:-1])
    with pytest.raises(reprep.InvalidInput, match="0 or 1"):
        reprep.WoEEncoder(missing_values="ignore").fit(df, y * 2)


def test_supervised_step_in_a_pipeline(data):
    df, y = data
    pipe = reprep.Pipeline([("te", reprep.TargetEncoder(columns=["a", "b"], seed=2)),
                            ("scale", reprep.StandardScaler())])
    pipe.fit(df, y)
    alone = reprep.TargetEncoder(columns=["a", "b"], seed=2).fit(df, y)
    assert pipe.named_steps["te"].fingerprint() == alone.fingerprint()
    restored = reprep.load_bytes(pipe.to_bytes())
    np.testing.assert_array_equal(restored.transform(df), pipe.transform(df))


def test_ordinal_encoder_ordered_by_target(data):
    df, y = data
    enc = reprep.OrdinalEncoder(columns=["b"], order="ordered").fit(df, y)
    # Codes follow the mean target of each category (C++ order 'ordered').
    means = pd.Series(y).groupby(df["b"].to_numpy()).mean().sort_values()
    assert list(enc.categories_[0]) == list(means.index)
    with pytest.raises(reprep.InvalidInput, match="needs the target y"):
        reprep.OrdinalEncoder(order="ordered").fit(df)


def _inverse_data():
    rng = np.random.default_rng(3)
    return pd.DataFrame({"colour": rng.choice(["red", "green", "blue"], 60),
                         "size": rng.choice(["S", "M"], 60),
                         "weight": rng.normal(size=60)})


@pytest.mark.parametrize("params", [{}, {"handle_unknown": "ignore"}, {"drop": "first"}, {"drop": "if_binary"}],
                         ids=str)
def test_one_hot_inverse_transform_is_scikit_learns(params):
    from sklearn.preprocessing import OneHotEncoder

    df = _inverse_data()
    cats = ["colour", "size"]
    ours = reprep.OneHotEncoder(columns=cats, **params).fit(df)
    theirs = OneHotEncoder(sparse_output=False, **params).fit(df[cats])
    test = df.iloc[:12].copy()
    if params.get("handle_unknown") == "ignore":
        test.loc[test.index[3], "colour"] = "purple"  # all zeros: None back, as scikit-learn
    out = ours.transform(test)
    back = ours.inverse_transform(out)
    # Every input column comes back in fit's order; the number passes through.
    assert back.shape == (12, 3) and back.dtype == object
    want = theirs.inverse_transform(theirs.transform(test[cats]))
    np.testing.assert_array_equal(back[:, :2], want)
    np.testing.assert_array_equal(back[:, 2].astype(float), test["weight"].to_numpy())
    frame = ours.set_output(transform="pandas").transform(test)
    inv = ours.inverse_transform(frame)
    assert list(inv.columns) == ["colour", "size", "weight"] and list(inv.index) == list(test.index)
    assert [None if pd.isna(v) else v for v in inv["colour"]] == list(want[:, 0])


def test_ordinal_inverse_transform_is_scikit_learns():
    from sklearn.preprocessing import OrdinalEncoder

    df = _inverse_data()[["colour", "size"]]
    ours = reprep.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(df)
    theirs = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(df)
    test = df.iloc[:10].copy()
    test.iloc[2, 0] = "purple"
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(test)),
                                  theirs.inverse_transform(theirs.transform(test)))


def test_inverse_transform_refuses_what_transform_did_not_make():
    df = _inverse_data()
    est = reprep.OneHotEncoder(columns=["colour", "size"]).fit(df)
    out = est.transform(df)
    with pytest.raises(reprep.SchemaError, match="transform makes"):
        est.inverse_transform(out[:, :-1])
    bad = out.copy()
    bad[4, 0] = bad[4, 1] = 1.0  # two ones in one input column's outputs
    before = bad.copy()
    with pytest.raises(reprep.InvalidInput, match="row 4"):
        est.inverse_transform(bad)
    np.testing.assert_array_equal(bad, before)


@pytest.mark.parametrize("params", [{}, {"handle_unknown": "ignore"}, {"drop": "first"},
                                    {"min_frequency": 5, "handle_unknown": "infrequent_if_exist"}], ids=str)
def test_sparse_output_is_scikit_learns_csr(params):
    import scipy.sparse
    from sklearn.preprocessing import OneHotEncoder

    df = _inverse_data()[["colour", "size"]]
    ours = reprep.OneHotEncoder(sparse_output=True, **params).fit(df)
    theirs = OneHotEncoder(**params).fit(df)  # scikit-learn's default output is sparse
    test = df.iloc[:25].copy()
    if params.get("handle_unknown") in ("ignore", "infrequent_if_exist"):
        test.iloc[3, 0] = "purple"
    got, want = ours.transform(test), theirs.transform(test)
    assert scipy.sparse.isspmatrix_csr(got) and got.dtype == np.float64 and got.shape == want.shape
    for a in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(got, a), getattr(want, a))
    # The dense default is the same matrix.
    np.testing.assert_array_equal(got.toarray(), reprep.OneHotEncoder(**params).fit(df).transform(test))
    assert reprep.OneHotEncoder().get_params()["sparse_output"] is False
    # A category DataFrame (codes used as they are) gives the same matrix.
    np.testing.assert_array_equal(ours.transform(test.astype("category")).toarray(), got.toarray())


def test_sparse_output_refusals():
    df = _inverse_data()
    est = reprep.OneHotEncoder(columns=["colour"], sparse_output=True).fit(df)
    with pytest.raises(reprep.InvalidParameter, match="pass through"):
        est.transform(df)
    est = reprep.OneHotEncoder(sparse_output=True).fit(df[["colour"]])
    with pytest.raises(reprep.InvalidParameter, match="pandas"):
        clone(est).set_output(transform="pandas").fit(df[["colour"]]).transform(df[["colour"]])
    with pytest.raises(reprep.UnknownCategory):
        est.transform(pd.DataFrame({"colour": ["red", "purple"]}))
    with pytest.raises(reprep.InvalidParameter, match="sparse_output"):
        reprep.OneHotEncoder(sparse_output="yes").fit(df[["colour"]]).transform(df[["colour"]])
