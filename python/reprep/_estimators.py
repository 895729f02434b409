"""The reprep component kinds as scikit-learn estimators.

Constructor keywords are the C++ Params field names (scikit-learn's); options take
scikit-learn's strings. `columns` selects DataFrame columns, as in C++: None means every
applicable column, the others pass through. Every number comes from C++.
"""
import numpy as np

from . import _reprep
from ._base import _Component, _Invertible


class StandardScaler(_Invertible, _Component):
    """Standardise features: y = (x - mean_) / scale_, with exact, order-independent statistics.

    Attributes: mean_, var_, scale_, n_samples_seen_ (one per scaled column),
    n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.StandardScaler

    def __init__(self, columns=None, with_mean=True, with_std=True):
        self.columns = columns
        self.with_mean = with_mean
        self.with_std = with_std

    def _fitted_attributes(self, obj):
        state = obj.state()
        # scikit-learn's shape: one int when every column saw the same count, else an int
        # array (counts are whole numbers: reprep's Python fit takes no sample_weight yet).
        n = state["n_samples_seen_"]
        state["n_samples_seen_"] = int(n[0]) if n.size and np.ptp(n) == 0 else n.astype(np.int64)
        return state


class MinMaxScaler(_Invertible, _Component):
    """Scale each feature to feature_range: y = x * scale_ + min_ (scikit-learn's formula).

    Attributes: data_min_, data_max_, data_range_, scale_, min_, n_features_in_,
    feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.MinMaxScaler

    def __init__(self, columns=None, feature_range=(0.0, 1.0), clip=False):
        self.columns = columns
        self.feature_range = feature_range
        self.clip = clip


class MaxAbsScaler(_Invertible, _Component):
    """Scale each feature by its maximum absolute value: y = x / scale_.

    Attributes: max_abs_, scale_, n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.MaxAbsScaler

    def __init__(self, columns=None):
        self.columns = columns


class RobustScaler(_Invertible, _Component):
    """Centre on the median and scale by a quantile range: y = (x - center_) / scale_.

    Attributes: center_, scale_ (None when with_centering / with_scaling is off),
    n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.RobustScaler

    def __init__(self, columns=None, with_centering=True, with_scaling=True, quantile_range=(25.0, 75.0),
                 unit_variance=False):
        self.columns = columns
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.unit_variance = unit_variance


class SimpleImputer(_Invertible, _Component):
    """Fill NaN in numeric columns with the column's mean, median, most frequent value or a constant.

    Attributes: statistics_, n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.SimpleImputer

    def __init__(self, columns=None, strategy="mean", fill_value=0.0, add_indicator=False, keep_empty_features=False):
        self.columns = columns
        self.strategy = strategy
        self.fill_value = fill_value
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features


class Winsorizer(_Component):
    """feature-engine's Winsorizer: caps each column at limits learnt from the data.

    Attributes: right_tail_caps_, left_tail_caps_ (empty for a tail not capped),
    n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.Winsorizer

    def __init__(self, columns=None, capping_method="gaussian", tail="right", fold=None):
        self.columns = columns
        self.capping_method = capping_method
        self.tail = tail
        self.fold = fold


class OneHotEncoder(_Component):
    """One output column per category of each categorical column (dense float64).

    Attributes: categories_ (per input column, sorted by bytes, None last when missing
    was learnt as a category), n_features_in_, feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.OneHotEncoder

    def __init__(self, columns=None, drop=None, handle_unknown="error", min_frequency=None, max_categories=None,
                 top_categories=None, handle_missing="category"):
        self.columns = columns
        self.drop = drop
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.top_categories = top_categories
        self.handle_missing = handle_missing

    def _fitted_attributes(self, obj):
        state = obj.state()
        state["categories_"] = [np.asarray(c, dtype=object) for c in state["categories_"]]
        return state

    def _more_tags(self):
        return {"allow_nan": True, "X_types": ["categorical"]}


class OrdinalEncoder(_Component):
    """Each category becomes its code (float64), in lexical, frequency or given order.

    `order="given"` takes `categories`, one list per entry of `columns`. Attributes:
    categories_ (code order, None last where missing was seen), n_features_in_,
    feature_names_in_ (DataFrame input).
    """

    _cpp_class = _reprep.OrdinalEncoder

    def __init__(self, columns=None, order="lexical", categories=None, handle_unknown="error", unknown_value=None,
                 encoded_missing_value=np.nan):
        self.columns = columns
        self.order = order
        self.categories = categories
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    _fitted_attributes = OneHotEncoder._fitted_attributes
    _more_tags = OneHotEncoder._more_tags


class CategoricalImputer(_Component):
    """feature-engine's CategoricalImputer: missing categories become 'Missing' or the most frequent one.

    Attributes: imputer_dict_ (column -> fill value), n_features_in_, feature_names_in_.
    """

    _cpp_class = _reprep.CategoricalImputer

    def __init__(self, columns=None, imputation_method="missing", fill_value="Missing"):
        self.columns = columns
        self.imputation_method = imputation_method
        self.fill_value = fill_value

    def _more_tags(self):
        return {"allow_nan": True, "X_types": ["categorical"]}


# kind name (as in the artifact) -> Python class, for reprep.load.
KINDS = {cls._cpp_class.kind: cls for cls in (StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, SimpleImputer,
                                              Winsorizer, OneHotEncoder, OrdinalEncoder, CategoricalImputer)}
