"""The reprep component kinds as scikit-learn estimators.

Each class is made from its C++ binding (python/src/binding.hpp): the constructor's
keywords and defaults are the C++ Params fields (scikit-learn's names, options as
scikit-learn's strings), `columns` selects DataFrame columns as in C++ (None: every
applicable column, the others pass through), and the fitted attributes are the C++
fitted state under scikit-learn's names. Every number comes from C++. Adding a kind is
one `_kind(...)` line here once C++ binds it.
"""
import numpy as np
import scipy.sparse
from sklearn.utils._set_output import _get_output_config

from . import _reprep
from ._base import Accumulator, _Component, _Invertible, _PartialFit, _TableInvertible
from ._errors import InvalidParameter


def _init_for(names):
    """An __init__ that stores each keyword as it is (scikit-learn's rule for estimators:
    no validation or change in __init__, so that clone and set_params work)."""
    src = f"def __init__(self, {', '.join(names)}):\n" + "".join(f"    self.{n} = {n}\n" for n in names)
    namespace = {}
    exec(src, namespace)  # a real signature, which scikit-learn's get_params reads
    return namespace["__init__"]


def _kind(cpp_class, doc, categorical=False, allow_nan=True, attributes=None, needs_target=None,
          keep_accumulator=False, datetime=False, min_shape=None, xfail_checks=None, by_type=False,
          python_params=None, mixins=()):
    """The estimator class of a bound C++ kind.

    categorical: the kind reads categorical columns only (scikit-learn's X_types tag).
    datetime: the kind reads datetime columns only (X_types ["datetime"]: no NumPy
    array holds them, so scikit-learn's checks, which feed arrays, do not apply).
    allow_nan: False where C++ refuses NaN in fit (scikit-learn's tag of that name); a
    function(estimator) -> bool where a parameter (missing_values) decides.
    xfail_checks: a function(estimator) -> {check name: reason} for scikit-learn checks
    that do not apply to the kind as written (the _xfail_checks tag).
    min_shape: a function(estimator) -> (rows, columns), the fewest C++ can fit, checked
    in Python to word the refusal as scikit-learn does.
    attributes: a function(state dict) -> state dict giving scikit-learn's shape to
    attributes that C++ returns in a plainer one.
    needs_target: a function(estimator) -> bool for a kind whose parameters decide
    whether fit uses y (the supervised kinds always do).
    by_type: the kind picks numeric and categorical columns by their type (the selectors,
    RandomSampleImputer), as the categorical and datetime kinds pick theirs: C++ refuses a
    table without any as a SchemaError, and so does fit on data of no columns here.
    python_params: {keyword: default} of constructor keywords that are not C++ Params
    fields but choose what the Python side returns (OneHotEncoder's sparse_output);
    mixins: classes placed first among the bases (they override transform for those).
    keep_accumulator: the kind's C++ Accumulator holds a few numbers per column (not every
    value, as the quantile-based ones do), so fit() goes through it and keeps it, and
    partial_fit after fit continues from fit's rows.

    Every kind whose C++ class binds an Accumulator gets partial_fit, accumulator(),
    fit_accumulator() and its own Accumulator class (_base.py).
    """
    defaults = cpp_class.default_params
    # n_jobs is not a C++ Params field but transform's thread count (C++ TransformOptions),
    # a constructor keyword as in scikit-learn; None means 1.
    extra = dict(python_params or {})
    init = _init_for(list(defaults) + list(extra) + ["n_jobs"])
    init.__defaults__ = tuple(defaults.values()) + tuple(extra.values()) + (None,)
    init.__qualname__ = f"{cpp_class.__name__}.__init__"
    accumulates = hasattr(cpp_class, "Accumulator")
    bases = tuple(mixins) + ((_PartialFit,) if accumulates else ()) + \
        ((_Invertible,) if hasattr(cpp_class, "inverse_transform_matrix") else ()) + \
        ((_TableInvertible,) if hasattr(cpp_class, "inverse_transform_table") else ()) + (_Component,)
    body = {"__init__": init, "__doc__": doc, "__module__": __name__, "_cpp_class": cpp_class,
            "_categorical": categorical, "_datetime": datetime,
            "_by_type": categorical or datetime or by_type,
            "_allow_nan": staticmethod(allow_nan) if callable(allow_nan) else allow_nan}
    if accumulates:
        name = cpp_class.__name__
        body["_keep_accumulator"] = keep_accumulator
        body["Accumulator"] = type("Accumulator", (Accumulator,), {
            "__qualname__": f"{name}.Accumulator", "__module__": __name__, "_cpp_acc": cpp_class.Accumulator,
            "_kind": cpp_class.kind,
            "__doc__": f"{name}'s mergeable fit state (C++ {name}::Accumulator); see reprep.Accumulator."})
    if min_shape is not None:
        body["_min_shape"] = min_shape
    if xfail_checks is not None:
        body["_xfail_checks"] = staticmethod(xfail_checks)
    if attributes is not None:
        body["_fitted_attributes"] = lambda self, obj: attributes(obj.state())
    if needs_target is not None:
        body["_uses_target"] = needs_target
    cls = type(cpp_class.__name__, bases, body)
    globals()[cls.__name__] = cls
    return cls


class _SparseOneHot:
    """sparse_output=True: transform returns scikit-learn's layout, a scipy.sparse CSR
    matrix of float64 ones (C++ OneHotEncoder::transform_sparse), for a table whose every
    column the encoder reads. reprep's default is dense (False), unlike scikit-learn's:
    a reprep.Pipeline's tables are dense, and so was this class before the option."""

    def transform(self, X):
        if not getattr(self, "sparse_output", False):
            return super().transform(X)
        name = type(self).__name__
        if self.sparse_output is not True:
            raise InvalidParameter(
                f"{name}: parameter 'sparse_output': got {self.sparse_output!r}. Fix: pass True or False")
        if _get_output_config("transform", self)["dense"] == "pandas":
            raise InvalidParameter(
                f"{name}: sparse_output=True and set_output(transform='pandas'): pandas output holds no sparse "
                "matrix. Fix: set sparse_output=False, or set_output(transform='default')")
        obj = self._cpp()
        table = self._transform_input(X)
        passing = [c for c in table.column_names() if c not in set(obj.feature_names_in())]
        if passing:
            raise InvalidParameter(
                f"{name}: sparse_output=True but columns {passing} would pass through unencoded. Fix: pass only the "
                "columns the encoder reads, or use sparse_output=False (a dense array keeps them)")
        data, indices, indptr, rows, cols = obj.transform_sparse(table)
        return scipy.sparse.csr_matrix((data, indices, indptr), shape=(rows, cols))


def _n_samples_seen(state):
    # scikit-learn's shape: one int when every column saw the same count, else an int
    # array (counts are whole numbers: reprep's Python fit takes no sample_weight yet).
    n = state["n_samples_seen_"]
    state["n_samples_seen_"] = int(n[0]) if n.size and np.ptp(n) == 0 else n.astype(np.int64)
    return state


def _nan_unless_raise(est):
    # missing_values='raise' refuses NaN in fit; 'ignore' and 'include' take it.
    return est.missing_values != "raise"


def _psi_xfail(est):
    # Under missing_values='raise' (allow_nan False) check_estimators_nan_inf wants fit to
    # refuse NaN and +-inf and transform to refuse NaN: fit refuses NaN but takes +-inf
    # as a value (C++'s rule, as DropConstantFeatures'), and transform, a column
    # selection, never reads a value. Under 'ignore' the check is not run, but then
    # check_estimators_pickle puts NaN in every column, the split column too, which
    # refuses missing values under either setting (as feature-engine's).
    if est.missing_values == "raise":
        return {"check_estimators_nan_inf": "fit takes +-inf as a value and transform (a column selection) "
                                            "reads no value (docs/python.md)"}
    return None


def _object_arrays(state):
    # categories_ as scikit-learn's list of object arrays.
    state["categories_"] = [np.asarray(c, dtype=object) for c in state["categories_"]]
    return state


_cpp = _reprep
KINDS = {cls._cpp_class.kind: cls for cls in [
    # scale/
    _kind(_cpp.StandardScaler, "Standardise features: y = (x - mean_) / scale_, with exact, order-independent "
          "statistics.\n\nAttributes: mean_, var_, scale_, n_samples_seen_.", attributes=_n_samples_seen,
          keep_accumulator=True),
    _kind(_cpp.MinMaxScaler, "Scale each feature to feature_range: y = x * scale_ + min_.\n\n"
          "Attributes: data_min_, data_max_, data_range_, scale_, min_.", keep_accumulator=True),
    _kind(_cpp.MaxAbsScaler, "Scale each feature by its maximum absolute value: y = x / scale_.\n\n"
          "Attributes: max_abs_, scale_.", keep_accumulator=True),
    _kind(_cpp.RobustScaler, "Centre on the median and scale by a quantile range: y = (x - center_) / scale_.\n\n"
          "Attributes: center_, scale_ (None when with_centering / with_scaling is off)."),
    _kind(_cpp.Normalizer, "Scale each row to unit norm ('l1', 'l2' or 'max') over the selected columns. Stateless.",
          allow_nan=False),
    _kind(_cpp.Binarizer, "y = 1 where x > threshold, else 0. Stateless.", allow_nan=False),
    # impute/
    _kind(_cpp.SimpleImputer, "Fill NaN with the column's mean, median, most frequent value or a constant.\n\n"
          "Attributes: statistics_."),
    _kind(_cpp.MissingIndicator, "One 0/1 column per feature with NaN in fit (features='missing-only') or every "
          "feature ('all').\n\nAttributes: features_ (indices of the indicated features).", keep_accumulator=True),
    _kind(_cpp.EndTailImputer, "feature-engine's EndTailImputer: NaN becomes a value at the end of the "
          "distribution.\n\nAttributes: imputer_dict_ (column -> value)."),
    _kind(_cpp.CategoricalImputer, "feature-engine's CategoricalImputer: missing categories become 'Missing' or "
          "the most frequent one.\n\nAttributes: imputer_dict_ (column -> fill value).", categorical=True),
    _kind(_cpp.RandomSampleImputer, "feature-engine's RandomSampleImputer: NaN and missing categories become a draw "
          "from the column's training values, keyed per row (the same row gets the same draw in any batch). It "
          "reads numeric and categorical columns; tagged numeric (X_types 2darray) so that scikit-learn's checks "
          "run on it.\n\nAttributes: variables_ (the imputed columns).", by_type=True),
    # transform/, discretise/, outliers/
    _kind(_cpp.LogTransformer, "feature-engine's LogTransformer / LogCpTransformer: y = log(x + C_) (base 'e' or "
          "'10'); C='auto' learns C_ from the column minimum.\n\nAttributes: C_ (column -> offset).", keep_accumulator=True),
    _kind(_cpp.PowerTransformer, "Yeo-Johnson or Box-Cox power transform, then standardisation.\n\n"
          "Attributes: lambdas_."),
    _kind(_cpp.QuantileTransformer, "Map each feature through its empirical CDF to a uniform or normal output.\n\n"
          "Attributes: quantiles_ (n_quantiles_ x n_features), references_, n_quantiles_."),
    _kind(_cpp.CyclicalFeatures, "feature-engine's CyclicalFeatures: sin and cos of 2*pi*x / period.\n\n"
          "Attributes: max_values_ (column -> period).", keep_accumulator=True),
    _kind(_cpp.KBinsDiscretizer, "Bin each feature into n_bins (uniform, quantile or kmeans edges), as codes "
          "('ordinal') or indicators ('onehot-dense').\n\nAttributes: bin_edges_, n_bins_.", allow_nan=False),
    _kind(_cpp.ArbitraryDiscretiser, "feature-engine's ArbitraryDiscretiser: bins given per column in "
          "binning_dict.\n\nAttributes: binner_dict_."),
    _kind(_cpp.Winsorizer, "feature-engine's Winsorizer: caps each column at limits learnt from the data.\n\n"
          "Attributes: right_tail_caps_, left_tail_caps_ (empty for a tail not capped)."),
    _kind(_cpp.ArbitraryOutlierCapper, "feature-engine's ArbitraryOutlierCapper: caps given per column.\n\n"
          "Attributes: right_tail_caps_, left_tail_caps_ (infinite where no cap was given)."),
    # encode/
    _kind(_cpp.OneHotEncoder, "One output column per category of each categorical column: dense float64, or "
          "scikit-learn's CSR matrix with sparse_output=True.\n\n"
          "Attributes: categories_ (sorted by bytes, None last when missing was learnt as a category).",
          categorical=True, attributes=_object_arrays, python_params={"sparse_output": False},
          mixins=(_SparseOneHot,)),
    _kind(_cpp.OrdinalEncoder, "Each category becomes its code (float64), in lexical, frequency, given or "
          "target-ordered ('ordered', fit(X, y)) order.\n\nAttributes: categories_ (code order, None last where "
          "missing was seen).", categorical=True, attributes=_object_arrays,
          needs_target=lambda est: est.order == "ordered"),
    _kind(_cpp.CountFrequencyEncoder, "feature-engine's CountFrequencyEncoder: each category becomes its count or "
          "frequency in fit.\n\nAttributes: encoder_dict_.", categorical=True),
    _kind(_cpp.RareLabelEncoder, "feature-engine's RareLabelEncoder: infrequent categories become replace_with.\n\n"
          "Attributes: encoder_dict_ (column -> the categories kept).", categorical=True),
    _kind(_cpp.HashingEncoder, "Each category is hashed (XXH3, seeded per column) into n_components columns. "
          "Stateless.", categorical=True),
    _kind(_cpp.TargetEncoder, "scikit-learn's TargetEncoder: fit(X, y); fit_transform(X, y) cross-fits with a "
          "seeded split (no row sees its own target).\n\nAttributes: categories_, encodings_, target_mean_.",
          categorical=True),
    _kind(_cpp.WoEEncoder, "feature-engine's WoEEncoder: fit(X, y) with a 0/1 target; each category becomes its "
          "weight of evidence.\n\nAttributes: encoder_dict_.", categorical=True),
    # select/: numeric and categorical columns; transform drops features_to_drop_.
    _kind(_cpp.DropConstantFeatures, "feature-engine's DropConstantFeatures: drops the columns whose most frequent "
          "value has a share >= tol (tol=1: constant columns).\n\nAttributes: features_to_drop_.",
          allow_nan=_nan_unless_raise, by_type=True,
          # One row makes every column constant: nothing would be left.
          min_shape=lambda est: (2 if est.columns is None else 1, 1)),
    _kind(_cpp.DropDuplicateFeatures, "feature-engine's DropDuplicateFeatures: drops each column equal to an "
          "earlier one.\n\nAttributes: features_to_drop_, duplicated_feature_sets_ (list of sets).",
          allow_nan=_nan_unless_raise, by_type=True),
    _kind(_cpp.DropCorrelatedFeatures, "feature-engine's DropCorrelatedFeatures: drops the later columns of each "
          "group with |Pearson r| > threshold (exact, order-independent correlations).\n\nAttributes: "
          "features_to_drop_, correlated_feature_sets_ (list of sets).", allow_nan=_nan_unless_raise,
          by_type=True),
    _kind(_cpp.DropHighPSIFeatures, "feature-engine's DropHighPSIFeatures: splits the rows by split_col (at "
          "cut_off, a number or a list of values, or at the split_frac quantile) into a basis and a test set, bins "
          "each column on the basis and drops the columns whose PSI > threshold (the drift monitor's PSI). "
          "split_col is required (a split by row position would depend on the row order).\n\nAttributes: "
          "features_to_drop_, psi_values_ (column -> PSI), cut_off_.", allow_nan=_nan_unless_raise, by_type=True,
          # bins rows on each side; the split column and one column to examine.
          min_shape=lambda est: (2 * int(est.bins if est.bins is not None else 10), 2),
          xfail_checks=_psi_xfail),
    # create/
    _kind(_cpp.PolynomialFeatures, "scikit-learn's PolynomialFeatures: the products of the columns up to degree "
          "(an int or a (min_degree, max_degree) pair), scikit-learn's column order and bits.\n\n"
          "Attributes: n_features_out_.", allow_nan=False),
    _kind(_cpp.MathFeatures, "feature-engine's MathFeatures: one column per function of func ('sum', 'mean', "
          "'std', 'min', 'max', 'prod') across the selected columns of each row.\n\nAttributes: variables_.",
          allow_nan=_nan_unless_raise, min_shape=lambda est: (1, 2)),
    _kind(_cpp.RelativeFeatures, "feature-engine's RelativeFeatures: each column combined with each reference "
          "column by each function of func ('add', 'sub', 'mul', 'div', 'truediv', 'floordiv', 'mod', "
          "'pow').\n\nAttributes: variables_, reference_.", allow_nan=_nan_unless_raise,
          # Every reference, plus one column to combine with them.
          min_shape=lambda est: (1, len(set(est.reference or ())) + 1)),
    _kind(_cpp.SplineTransformer, "scikit-learn's SplineTransformer: B-spline basis of each column (uniform or "
          "quantile knots; extrapolation 'error', 'constant', 'linear', 'continue' or 'periodic').\n\n"
          "Attributes: n_features_out_, knots_ (row j = scikit-learn's bsplines_[j].t).", allow_nan=False,
          min_shape=lambda est: (2, 1)),
    # datetime/: DataFrame datetime64 columns (docs/python.md).
    _kind(_cpp.DatetimeFeatures, "feature-engine's DatetimeFeatures: calendar and clock features of datetime "
          "columns (UTC), as pandas' .dt accessors give them.\n\nAttributes: variables_, features_to_extract_.",
          datetime=True),
    _kind(_cpp.DatetimeSubtraction, "feature-engine's DatetimeSubtraction: (column - reference) in output_unit "
          "('W', 'D', 'h', 'm', 's', 'ms', 'us', 'ns'), pandas' bits.\n\nAttributes: variables_, reference_.",
          datetime=True),
]}
