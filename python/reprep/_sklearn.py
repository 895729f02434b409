"""reprep.from_sklearn: a fitted scikit-learn preprocessing object as the equivalent
fitted reprep object, so a team can serve what it already has without refitting.

The numbers are scikit-learn's fitted arrays handed to the C++ components' from_state;
nothing is computed here. OneHotEncoder and OrdinalEncoder have no from_state in C++:
their C++ fit runs on one row per category of scikit-learn's categories_ (plus a
missing row where scikit-learn learnt one), which gives exactly those categories since
the options that depend on counts (min_frequency, max_categories) are refused.
Pipelines and ColumnTransformers become a reprep.Pipeline of the converted steps,
marked fitted by C++ Pipeline::assume_fitted (docs/python.md, "from_sklearn").
"""
import numpy as np
import pandas as pd

from . import _reprep
from ._errors import InvalidParameter
from ._estimators import KINDS


def from_sklearn(obj):
    """The fitted reprep estimator (or reprep.Pipeline) equivalent to a fitted scikit-learn one."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline as SkPipeline

    names = _input_names(obj)
    if isinstance(obj, (SkPipeline, ColumnTransformer)):
        steps, _ = _composite(obj, names, prefix="")
        pipe = _reprep.Pipeline()
        for step_name, cpp in steps:
            cpp.add_to(pipe, step_name)
        pipe.assume_fitted()
        from ._pipeline import Pipeline

        return Pipeline._from_artifact(pipe.save_bytes(), pipe)
    cpp = _component(obj, names)
    return _estimator(cpp)


def _refuse(obj, why, fix):
    raise InvalidParameter(f"from_sklearn: {_describe(obj)}: {why}. Fix: {fix}")


def _describe(obj):
    return f"{type(obj).__module__}.{type(obj).__name__}"


def _input_names(obj):
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(obj)
    except Exception:  # scikit-learn's NotFittedError, or a TypeError for a non-estimator
        _refuse(obj, "is not a fitted scikit-learn estimator", "fit it first (from_sklearn converts fitted state)")
    names = getattr(obj, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    return [f"x{j}" for j in range(obj.n_features_in_)]  # reprep's names for array columns


def _estimator(cpp):
    cls = KINDS[type(cpp).kind]
    return cls._from_artifact(cpp.save_bytes(), cpp, cpp.params())


# ---- composites ------------------------------------------------------------------------

def _composite(obj, names, prefix):
    """([(step name, fitted C++ component)], output names in scikit-learn's column order).

    `names` are the reprep column names of obj's input columns, in scikit-learn's order
    (a later step of a scikit-learn Pipeline reads its input by position)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline as SkPipeline

    if isinstance(obj, SkPipeline):
        steps = []
        for step_name, est in obj.steps:
            if est is None or est == "passthrough":
                continue
            sub, names = _composite(est, names, f"{prefix}{step_name}.")
            steps += sub
        return steps, names
    if isinstance(obj, ColumnTransformer):
        return _column_transformer(obj, names, prefix)
    cpp = _component(obj, names)
    return [(prefix.rstrip(".") or _describe(obj), cpp)], list(cpp.feature_names_out())


def _column_transformer(ct, names, prefix):
    # reprep's steps run one after the other over one table, and leave the columns they
    # do not read as they are: a ColumnTransformer maps onto that when its branches read
    # distinct columns and nothing is dropped.
    indices = getattr(ct, "_transformer_to_input_indices", None)
    if indices is None:
        _refuse(ct, "its column selection cannot be read", "use scikit-learn >= 1.1")
    steps, out, seen = [], [], set()
    for branch, est, _ in ct.transformers_:
        cols = [names[j] for j in indices.get(branch, [])]
        if not cols:
            continue
        if isinstance(est, str):
            if est == "drop":
                _refuse(ct, f"transformer '{branch}' drops columns {cols}, which a reprep pipeline passes "
                        "through", "select only the columns you keep, or use remainder='passthrough'")
            out += cols  # 'passthrough'
            continue
        if seen & set(cols):
            _refuse(ct, f"transformer '{branch}' reads columns {sorted(seen & set(cols))} that another one "
                    "reads too", "give each column to one transformer (reprep's steps run in sequence)")
        seen |= set(cols)
        sub, branch_out = _composite(est, cols, f"{prefix}{branch}.")
        steps += sub
        out += branch_out
    return steps, out


# ---- components ---------------------------------------------------------------------------

def _component(obj, names):
    convert = _CONVERTERS.get(type(obj).__name__) if type(obj).__module__.startswith("sklearn.") else None
    if convert is None:
        _refuse(obj, "has no reprep equivalent that from_sklearn converts",
                f"convert one of {', '.join(sorted(_CONVERTERS))}, or a Pipeline / ColumnTransformer of them")
    return convert(obj, names)


def _vec(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def _standard_scaler(s, names):
    n = len(names)
    # With with_mean / with_std off scikit-learn does not apply mean_ / scale_ (it may
    # even leave them None), nor does reprep under the same Params.
    mean = _vec(s.mean_) if s.with_mean else [0.0] * n
    scale = _vec(s.scale_) if s.with_std else [1.0] * n
    return _reprep.StandardScaler.from_state(
        {"columns": names, "with_mean": s.with_mean, "with_std": s.with_std}, mean, scale, names)


def _min_max_scaler(s, names):
    return _reprep.MinMaxScaler.from_state(
        {"columns": names, "feature_range": tuple(s.feature_range), "clip": s.clip}, _vec(s.min_), _vec(s.scale_), names)


def _max_abs_scaler(s, names):
    return _reprep.MaxAbsScaler.from_state({"columns": names}, _vec(s.scale_), names)


def _robust_scaler(s, names):
    params = {"columns": names, "with_centering": s.with_centering, "with_scaling": s.with_scaling,
              "quantile_range": tuple(s.quantile_range), "unit_variance": s.unit_variance}
    return _reprep.RobustScaler.from_state(params, _vec(s.center_) if s.with_centering else [],
                                           _vec(s.scale_) if s.with_scaling else [], names)


def _simple_imputer(s, names):
    if not (isinstance(s.missing_values, float) and np.isnan(s.missing_values)):
        _refuse(s, f"missing_values={s.missing_values!r}; reprep's missing value is NaN", "use missing_values=np.nan")
    if s.statistics_.dtype == object or isinstance(s.fill_value, str):
        _refuse(s, "imputes non-numeric columns", "use reprep.CategoricalImputer for categorical columns")
    params = {"columns": names, "strategy": s.strategy, "fill_value": 0.0 if s.fill_value is None else s.fill_value,
              "add_indicator": s.add_indicator, "keep_empty_features": getattr(s, "keep_empty_features", False)}
    features = [int(j) for j in s.indicator_.features_] if s.add_indicator else []
    return _reprep.SimpleImputer.from_state(params, _vec(s.statistics_), features, names)


def _power_transformer(s, names):
    params = {"columns": names, "method": s.method, "standardize": s.standardize}
    mean, scale = (_vec(s._scaler.mean_), _vec(s._scaler.scale_)) if s.standardize else ([], [])
    return _reprep.PowerTransformer.from_state(params, _vec(s.lambdas_), mean, scale, names)


def _quantile_transformer(s, names):
    if s.ignore_implicit_zeros:
        _refuse(s, "ignore_implicit_zeros=True applies to sparse input only", "refit with ignore_implicit_zeros=False")
    params = {"columns": names, "n_quantiles": int(s.n_quantiles_), "output_distribution": s.output_distribution}
    return _reprep.QuantileTransformer.from_state(params, [_vec(c) for c in np.asarray(s.quantiles_).T], names)


def _k_bins_discretizer(s, names):
    if s.dtype not in (None, np.float64):
        _refuse(s, f"dtype={s.dtype!r}; reprep's output is float64", "refit with dtype=None")
    if not np.isscalar(s.n_bins):
        _refuse(s, "n_bins is an array", "refit with one n_bins for every column")
    # 'onehot' is scikit-learn's sparse indicator matrix; reprep's indicators are dense,
    # with the same values.
    encode = "onehot-dense" if s.encode == "onehot" else s.encode
    params = {"columns": names, "n_bins": int(s.n_bins), "encode": encode, "strategy": s.strategy}
    return _reprep.KBinsDiscretizer.from_state(params, [_vec(e) for e in s.bin_edges_], names)


def _categories(enc, names):
    """scikit-learn's categories_ as (strings per column, whether missing was learnt)."""
    out = []
    for name, cats in zip(names, enc.categories_):
        values = list(cats)
        missing = bool(values) and bool(values[-1] is None or (isinstance(values[-1], float) and np.isnan(values[-1])))
        values = values[:-1] if missing else values
        if not all(isinstance(v, str) for v in values):
            _refuse(enc, f"column '{name}' has non-string categories", "encode string categories (reprep's "
                    "categorical columns hold strings), e.g. fit on X.astype(str)")
        out.append((values, missing))
    return out


def _one_row_per_category(names, categories):
    """A frame holding each category once (and a missing row where one was learnt); the
    shorter columns repeat their first category, which changes no fitted category."""
    columns = [values + [None] * missing for values, missing in categories]
    rows = max(len(c) for c in columns)
    return pd.DataFrame({n: pd.Series(c + [c[0]] * (rows - len(c)), dtype=object) for n, c in zip(names, columns)})


def _one_hot_encoder(e, names):
    if e.min_frequency is not None or e.max_categories is not None:
        _refuse(e, "groups infrequent categories, which depends on counts scikit-learn does not keep",
                "refit with min_frequency=None and max_categories=None")
    if e.drop is not None and not isinstance(e.drop, str):
        _refuse(e, "drop is an array of categories", "use drop=None, 'first' or 'if_binary'")
    categories = _categories(e, names)
    for name, (values, _) in zip(names, categories):
        if values != sorted(values, key=lambda v: v.encode()):
            _refuse(e, f"column '{name}': categories are not in sorted order, reprep's order",
                    "refit with categories='auto'")
    est = KINDS["one_hot_encoder"](columns=names, drop=e.drop, handle_unknown=e.handle_unknown)
    return est.fit(_one_row_per_category(names, categories))._cpp()


def _ordinal_encoder(e, names):
    for name, cats in zip(names, e.categories_):
        # scikit-learn encodes a None category as a code (only NaN is missing to it);
        # reprep reads None as missing, so the two would differ on it.
        if any(v is None for v in cats):
            _refuse(e, f"column '{name}' holds None as a category, which scikit-learn encodes as a code and "
                    "reprep as missing", "refit on data whose missing values are NaN (pandas' default)")
    categories = _categories(e, names)
    unknown = None if e.unknown_value is None else float(e.unknown_value)
    est = KINDS["ordinal_encoder"](columns=names, order="given", categories=[v for v, _ in categories],
                                   handle_unknown=e.handle_unknown, unknown_value=unknown,
                                   encoded_missing_value=float(e.encoded_missing_value))
    return est.fit(_one_row_per_category(names, categories))._cpp()


_CONVERTERS = {
    "StandardScaler": _standard_scaler, "MinMaxScaler": _min_max_scaler, "MaxAbsScaler": _max_abs_scaler,
    "RobustScaler": _robust_scaler, "SimpleImputer": _simple_imputer, "OneHotEncoder": _one_hot_encoder,
    "OrdinalEncoder": _ordinal_encoder, "PowerTransformer": _power_transformer,
    "QuantileTransformer": _quantile_transformer, "KBinsDiscretizer": _k_bins_discretizer,
}
