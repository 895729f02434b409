"""The scikit-learn face shared by every reprep estimator and the Pipeline.

The fitted state of an estimator IS its artifact: the bytes C++ save_bytes wrote
(`_artifact`). Fitted attributes (mean_, categories_, ...) are read from the C++ object
loaded from those bytes, pickling carries the bytes, and save() writes them. The loaded
C++ object is cached, so transform does not parse the artifact on every call.
"""
import os

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._set_output import _get_output_config

from . import _reprep
from ._errors import InvalidInput, InvalidParameter, IoError, NotFitted, ReprepError, SchemaError
from ._table import from_table, to_table


def _default_names(n):
    return [f"x{j}" for j in range(n)]


def _target_length(y):
    """The number of target values y holds, or None where it is not one per row (2-D)."""
    shape = np.shape(y)
    if len(shape) == 1 or (len(shape) == 2 and shape[1] == 1):
        return shape[0]
    return None


def _check_target_length(component, y, rows):
    # C++'s wording (Pipeline::fit, the supervised encoders' fit): the column is the
    # target's, 'y', as C++ names it.
    n = _target_length(y)
    if n is None:
        raise InvalidInput(
            f"{component}: column 'y': y has shape {np.shape(y)}; the target is one value per row. "
            "Fix: pass a 1-D array (or a one-column DataFrame) with one target value per row of X")
    if n != rows:
        what = "y has" if component == "Pipeline" else "column 'y': the target has"  # as C++ says each
        raise InvalidInput(
            f"{component}: {what} {n} values for {rows} rows. Fix: pass one target value per row of X")


def _target(component, y, rows):
    """y as the float64 vector C++ reads: one finite value per row (C++ checks the values)."""
    if isinstance(y, (pd.Series, pd.DataFrame)):
        y = y.to_numpy()
    try:
        arr = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{component}: column 'y': y must be numeric (one target value per row). Fix: encode the labels "
            "as numbers, e.g. 0/1 for a binary target") from None
    _check_target_length(component, arr, rows)
    return arr[:, 0] if arr.ndim == 2 else arr


def _read_artifact(path):
    """The bytes of an artifact file, refused as C++ load refuses them (core/archive.hpp):
    reprep.IoError, an OSError, naming the path and the OS's reason."""
    if os.path.isdir(path):
        raise IoError(f"load: '{path}' is a directory, not an artifact file. Fix: pass the path of the artifact "
                      "file itself")
    try:
        f = open(path, "rb")
    except OSError as e:
        raise IoError(
            f"load: cannot open '{path}': {e.strerror}. Fix: check that the path is right (relative paths start "
            f"at the working directory, {os.getcwd()}) and that this process may read the file") from e
    with f:
        try:
            return f.read()
        except OSError as e:
            raise IoError(f"load: reading '{path}' failed: {e.strerror}. Fix: check the disk or the network file "
                          "system, then load again") from e


class _ArtifactBacked(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    # Subclasses set _cpp_class: the bound C++ type (a component kind or Pipeline).
    _cpp_class = None
    _by_type = False  # the kind picks its columns by type (_estimators._kind's by_type)
    _categorical = False
    _allow_nan = True
    _datetime = False

    # transform builds the DataFrame itself, from the C++ Table, instead of letting
    # scikit-learn's wrapper relabel an array with get_feature_names_out(): an object
    # from reprep.load passes through columns it never saw in fit, which only the
    # transformed Table names (hence auto_wrap_output_keys=None above).
    def set_output(self, *, transform=None):
        """transform="pandas": transform returns a DataFrame; "default": a NumPy array."""
        if transform is None:
            return self
        if transform not in ("default", "pandas"):
            raise InvalidParameter(
                f"{type(self).__name__}: parameter 'transform': got {transform!r}. Fix: use 'default' or 'pandas'")
        # The attribute scikit-learn's _get_output_config reads (its Pipeline and
        # ColumnTransformer set it on their steps the same way).
        self._sklearn_output_config = {"transform": transform}
        return self

    # ---- subclass hooks --------------------------------------------------------
    def _new_cpp(self):
        raise NotImplementedError

    def _fitted_attributes(self, obj):
        """scikit-learn's fitted attributes read from the C++ object: a dict."""
        return {}

    # ---- fit / transform -------------------------------------------------------
    def fit(self, X, y=None):
        table = self._fit_input(X)
        obj = self._new_cpp()
        if y is not None and self._uses_target():
            obj.fit_y(table, _target(type(self).__name__, y, table.num_rows()))
        else:
            obj.fit(table)
        self._fitted(X, obj, table)
        return self

    def fit_transform(self, X, y=None):
        # A supervised kind's fit_transform(X, y) cross-fits in C++ (DESIGN §1.4: no row
        # is encoded with its own target), which fit(X, y).transform(X) would not.
        if y is not None and self._uses_target() and hasattr(self._cpp_class, "fit_transform_y"):
            table = self._fit_input(X)
            obj = self._new_cpp()
            out = obj.fit_transform_y(table, _target(type(self).__name__, y, table.num_rows()))
            self._fitted(X, obj, table)
            return self._output(out, X)
        return self.fit(X, y).transform(X)

    def transform(self, X):
        obj = self._cpp()
        fast = self._array_path(obj, X)
        if fast is not None:
            return fast
        table, _ = to_table(X)
        if self._strict_names:
            # scikit-learn's rule: the columns of fit, in the same order.
            try:
                self._check_feature_names(X, reset=False)
                self._check_n_features(X, reset=False)
            except ValueError as e:
                raise SchemaError(f"{type(self).__name__}: {e}. Fix: pass the columns the estimator was fitted on") from None
        return self._output(obj.transform(table, self._n_jobs()), X)

    def _array_path(self, obj, X):
        """NumPy in, NumPy out through the C++ kernel directly (no Table): for a plain 2-D
        float array whose columns are exactly the fitted x0, x1, ... and NumPy output. The
        kernel is the Table path's, so the bits are too; anything else returns None."""
        if (type(X) is not np.ndarray or X.ndim != 2 or X.dtype not in (np.float64, np.float32)
                or not hasattr(obj, "transform_array") or not getattr(self, "_strict_names", False)
                or _get_output_config("transform", self)["dense"] == "pandas"):
            return None
        if list(obj.feature_names_in()) != _default_names(X.shape[1]) or \
                list(self._input_columns) != _default_names(X.shape[1]):
            return None
        return obj.transform_array(X, self._n_jobs())

    def _n_jobs(self):
        """transform's threads (C++ TransformOptions::n_jobs): None is 1, -1 every core; the
        output bits do not depend on it. C++ refuses 0 and anything below -1."""
        n = getattr(self, "n_jobs", None)
        if n is None:
            return 1
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise InvalidParameter(
                f"{type(self).__name__}: parameter 'n_jobs': got {n!r}. Fix: pass None, -1 or a positive int")
        return int(n)

    def _uses_target(self):
        return False

    def _fit_input(self, X):
        table, _ = to_table(X)
        # scikit-learn's wording, which its estimator checks look for; C++ refuses too,
        # with one message for both cases.
        # From X, not the table: a table of no columns has no rows to count.
        rows, cols = X.shape if isinstance(X, pd.DataFrame) else np.asarray(X).shape
        if rows == 0 or cols == 0:
            what = f"0 sample(s) (shape=({rows}, {cols}))" if rows == 0 else f"0 feature(s) (shape=({rows}, {cols}))"
            # No column is C++'s SchemaError for a kind that picks its columns by type
            # ("the table has no categorical column"), InvalidInput for a numeric one.
            error = SchemaError if rows > 0 and self._by_type else InvalidInput
            raise error(
                f"{type(self).__name__}: fit found {what} while a minimum of 1 is required. Fix: pass "
                "non-empty training data")
        # A kind's own minimum (C++ refuses below it too, in its words; this is the
        # wording scikit-learn's checks look for). Columns count only for a NumPy array
        # read whole, where every column is one the kind reads.
        min_rows, min_cols = self._min_shape()
        whole_array = not isinstance(X, pd.DataFrame) and getattr(self, "columns", None) is None
        if rows < min_rows or (whole_array and cols < min_cols):
            what, need = (f"{rows} sample(s)", min_rows) if rows < min_rows else (f"{cols} feature(s)", min_cols)
            raise InvalidInput(
                f"{type(self).__name__}: fit found {what} (shape=({rows}, {cols})) while a minimum of {need} is "
                f"required. Fix: pass at least {need} {'rows' if rows < min_rows else 'columns'}")
        return table

    def _min_shape(self):
        return 1, 1

    def _fitted(self, X, obj, table):
        self.__dict__.pop("_accumulator", None)  # fit starts over (see _PartialFit)
        self._check_feature_names(X, reset=True)
        self._check_n_features(X, reset=True)
        self._set_artifact(obj.save_bytes(), obj, table.column_names(), strict_names=True)

    def _output(self, table, X):
        pandas = _get_output_config("transform", self)["dense"] == "pandas"
        rows = X.shape[0] if isinstance(X, pd.DataFrame) else np.asarray(X).shape[0]
        return from_table(table, pandas=pandas, index=X.index if isinstance(X, pd.DataFrame) else None, rows=rows)

    def get_feature_names_out(self, input_features=None):
        obj = self._cpp()
        out = obj.output_columns(list(self._input_columns))
        if input_features is None:
            return np.asarray(out, dtype=object)
        input_features = [str(f) for f in input_features]
        if len(input_features) != len(self._input_columns):
            raise SchemaError(
                f"{type(self).__name__}: input_features has {len(input_features)} names for "
                f"{len(self._input_columns)} input columns. Fix: pass one name per input column")
        if getattr(self, "feature_names_in_", None) is not None and list(self.feature_names_in_) != input_features:
            raise SchemaError(
                f"{type(self).__name__}: input_features is not equal to feature_names_in_. "
                "Fix: leave input_features out, or pass feature_names_in_")
        # Columns kept under their input name are renamed; derived names (x0_a) keep
        # the fitted names.
        rename = dict(zip(self._input_columns, input_features))
        return np.asarray([rename.get(n, n) for n in out], dtype=object)

    # ---- artifacts -------------------------------------------------------------
    def save(self, path):
        """Writes the artifact: the same bytes a C++ reprep::save of this fit writes."""
        artifact = self._artifact_bytes()  # NotFitted before the file is created or truncated
        try:
            f = open(path, "wb")
        except OSError as e:
            raise IoError(
                f"save: cannot open '{path}' for writing: {e.strerror}. Fix: check that the directory exists "
                "and that this process may write there") from e
        with f:
            try:
                f.write(artifact)
            except OSError as e:
                raise IoError(
                    f"save: writing the artifact ({len(artifact)} bytes) failed: {e.strerror}. Fix: check that "
                    "the disk has room") from e
        return path

    def to_bytes(self):
        return self._artifact_bytes()

    def fingerprint(self):
        """32 hex characters over kind, params and fitted state (reprep::fingerprint)."""
        return self._cpp().fingerprint()

    def describe(self):
        """What reprep-inspect prints for the artifact."""
        return _reprep.describe_artifact(self._artifact_bytes())

    # ---- state -----------------------------------------------------------------
    def _artifact_bytes(self):
        self._cpp()  # NotFitted before fit
        return self._artifact

    def _cpp(self):
        obj = self.__dict__.get("_cpp_obj")
        if obj is None:
            artifact = self.__dict__.get("_artifact")
            if artifact is None:
                raise NotFitted(
                    f"{type(self).__name__}: this instance is not fitted yet. Fix: call fit() (or "
                    "reprep.load a fitted artifact) before transform() or reading fitted state")
            obj = self._cpp_class.load_bytes(artifact)
            self._cpp_obj = obj
        return obj

    def _set_artifact(self, artifact, obj, input_columns, strict_names):
        self._artifact = artifact
        self._cpp_obj = obj
        self._input_columns = list(input_columns)
        self._strict_names = strict_names
        for k, v in self._fitted_attributes(obj).items():
            setattr(self, k, v)

    def __getstate__(self):
        # Only the artifact and the input's column names travel: every fitted attribute
        # is rebuilt from the bytes on unpickling.
        state = super().__getstate__()
        state.pop("_cpp_obj", None)
        state.pop("_accumulator", None)  # a C++ object; the artifact is the fitted state
        if "_cpp_obj" in self.__dict__:
            for k in self._fitted_attributes(self._cpp()):
                state.pop(k, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if state.get("_artifact") is not None:
            for k, v in self._fitted_attributes(self._cpp()).items():
                setattr(self, k, v)

    @classmethod
    def _from_artifact(cls, artifact, obj, params):
        est = cls(**params)
        names = obj.feature_names_in()
        est._set_artifact(artifact, obj, names, strict_names=False)
        # A loaded artifact knows the columns its steps read, not the whole frame of fit:
        # it checks its inputs by name, as C++ serving does (docs/python.md).
        est.n_features_in_ = len(names)
        if names != _default_names(len(names)):
            est.feature_names_in_ = np.asarray(names, dtype=object)
        return est


class _Component(_ArtifactBacked):
    """A reprep component kind as a scikit-learn transformer."""

    def _new_cpp(self):
        return self._cpp_class(self.get_params(deep=False))

    def _fitted_attributes(self, obj):
        return obj.state()

    def _uses_target(self):
        return self._cpp_class.supervised

    def _more_tags(self):
        # reprep ignores NaN in fit and keeps it in transform (docs/components.md), as
        # scikit-learn's scalers and imputers do. docs/python.md lists every tag.
        allow_nan = self._allow_nan
        tags = {"allow_nan": allow_nan(self) if callable(allow_nan) else allow_nan}
        if self._categorical:
            tags["X_types"] = ["categorical"]
        if self._datetime:
            tags["X_types"] = ["datetime"]
        if self._cpp_class.supervised:
            tags["requires_y"] = True
        return tags


class _Invertible:
    """inverse_transform for the kinds whose C++ component has one (on numeric columns)."""

    def inverse_transform(self, X):
        obj = self._cpp()
        out_names = list(obj.output_columns(list(self._input_columns)))
        arr = np.asarray(X.to_numpy() if isinstance(X, pd.DataFrame) else X)
        if arr.ndim != 2 or arr.shape[1] != len(out_names):
            raise SchemaError(
                f"{type(self).__name__}: inverse_transform got an array of shape {arr.shape}; transform makes "
                f"{len(out_names)} columns. Fix: pass the output of transform")
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"{type(self).__name__}: inverse_transform needs numeric columns only. Fix: pass the output "
                "of transform on numeric data") from None
        cpp_in, cpp_out = obj.feature_names_in(), obj.feature_names_out()
        inv = obj.inverse_transform_matrix(arr[:, [out_names.index(n) for n in cpp_out]])
        # The columns the component read come back from C++; the others passed through.
        cols = [inv[:, cpp_in.index(n)] if n in cpp_in else arr[:, out_names.index(n)] for n in self._input_columns]
        return np.column_stack(cols) if cols else np.empty((arr.shape[0], 0))


class _PartialFit:
    """partial_fit for the kinds whose C++ Accumulator is a few numbers per column
    (moments, minima/maxima, NaN counts): each chunk updates it in C++ and the state is
    C++ fit(accumulator), the fit of all the chunks' rows at once, bit for bit (DESIGN
    §1.1). NumPy input only: C++ names an accumulator's columns x0, x1, ..., the names
    an array gets, so the artifact is the one fit(X) writes.

    fit(X) of an array also goes through the accumulator and keeps it (it is small), so
    partial_fit after fit continues from fit's rows, as scikit-learn's scalers do."""

    def fit(self, X, y=None):
        if isinstance(X, pd.DataFrame) or self.columns is not None:
            return super().fit(X, y)  # the Table path; partial_fit cannot continue it
        return self._update(X, first=True)

    def partial_fit(self, X, y=None):
        name = type(self).__name__
        if isinstance(X, pd.DataFrame) or self.columns is not None:
            raise InvalidParameter(
                f"{name}: partial_fit takes NumPy arrays and columns=None (C++ names an accumulator's columns "
                "x0, x1, ...). Fix: pass X[columns].to_numpy() chunks to an estimator with columns=None")
        first = self.__dict__.get("_accumulator") is None
        if first and self.__dict__.get("_artifact") is not None:
            raise InvalidParameter(
                f"{name}: partial_fit after fit on a DataFrame or with columns: that fit kept no accumulator. "
                "Fix: fit NumPy arrays, or call partial_fit for every chunk")
        return self._update(X, first)

    def _update(self, X, first):
        """Fits the accumulator (a new one when `first`) updated with X. Nothing of self
        changes until C++ has accepted the chunk and fitted: a refused fit or chunk leaves
        the fitted state, the accumulator and n_features_in_ as they were (C++'s rule for
        a refused call), so the next partial_fit continues as if it had not been made."""
        name = type(self).__name__
        table = self._fit_input(X)
        if not first:
            try:
                self._check_feature_names(X, reset=False)
                self._check_n_features(X, reset=False)
            except ValueError as e:
                raise SchemaError(f"{name}: {e}. Fix: pass the columns of the first partial_fit") from None
        names = table.column_names()
        chunk = np.column_stack([table.numeric(c) for c in names])
        # A copy of the kept accumulator takes the chunk: C++ may accept a chunk in update
        # and refuse it in fit (LogTransformer's non-positive minimum), and merging is exact.
        acc = self._new_cpp().accumulator()
        if not first:
            acc.merge(self._accumulator)
        obj = self._new_cpp()
        try:
            acc.update(chunk)  # C++ checks the chunk with fit's rules
            obj.fit_accumulator(acc)
        except ReprepError:
            # An accumulator's fit knows columns, not rows (LogTransformer's minimum): C++
            # fit(Table) of the chunk alone says the same, naming the row as well.
            self._new_cpp().fit(table)
            raise
        if first:
            self._check_feature_names(X, reset=True)
            self._check_n_features(X, reset=True)
        self._set_artifact(obj.save_bytes(), obj, names, strict_names=True)
        self._accumulator = acc
        return self
