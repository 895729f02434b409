"""The scikit-learn face shared by every reprep estimator and the Pipeline.

The fitted state of an estimator IS its artifact: the bytes C++ save_bytes wrote
(`_artifact`). Fitted attributes (mean_, categories_, ...) are read from the C++ object
loaded from those bytes, pickling carries the bytes, and save() writes them. The loaded
C++ object is cached, so transform does not parse the artifact on every call.
"""
import os
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._set_output import _get_output_config

from . import _reprep
from ._errors import FormatError, InvalidInput, InvalidParameter, IoError, NotFitted, ReprepError, SchemaError
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
            obj.fit(table, self._n_jobs())
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
        table = self._transform_input(X)
        return self._output(obj.transform(table, self._n_jobs()), X)

    def _transform_input(self, X):
        """X as a Table, checked against fit's columns where scikit-learn's rule applies."""
        table, _ = to_table(X)
        if self._strict_names:
            # scikit-learn's rule: the columns of fit, in the same order.
            try:
                self._check_feature_names(X, reset=False)
                self._check_n_features(X, reset=False)
            except ValueError as e:
                raise SchemaError(f"{type(self).__name__}: {e}. Fix: pass the columns the estimator was fitted on") from None
        return table

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
        """The threads of transform (C++ TransformOptions::n_jobs) and of fit where the
        kind's statistics merge exactly (FitOptions): None is 1, -1 every core; the output
        bits and the fitted state do not depend on it. C++ refuses 0 and anything below -1."""
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
        self.__dict__.pop("_partial_columns", None)
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

    # function(estimator) -> {check name: reason}: scikit-learn checks that do not apply
    # to the kind as written (docs/python.md lists each).
    _xfail_checks = None

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
        xfail = self._xfail_checks(self) if self._xfail_checks is not None else None
        if xfail:
            tags["_xfail_checks"] = xfail  # scikit-learn skips these checks, with the reason
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


class _TableInvertible:
    """inverse_transform for the categorical kinds whose C++ inverse reads a Table
    (OneHotEncoder, OrdinalEncoder): transform's output (an array or a DataFrame, with
    transform's columns) back to the input columns, categories as strings, None where C++
    gives missing (an unknown category, NaN, a code that is no category's), as
    scikit-learn's inverse_transform returns."""

    def inverse_transform(self, X):
        obj = self._cpp()
        name = type(self).__name__
        out_names = list(obj.output_columns(list(self._input_columns)))
        if isinstance(X, pd.DataFrame):
            if list(map(str, X.columns)) != out_names:
                raise SchemaError(
                    f"{name}: inverse_transform got columns {list(X.columns)}; transform makes {out_names}. "
                    "Fix: pass the output of transform")
            frame = X
        else:
            arr = np.asarray(X)
            if arr.ndim != 2 or arr.shape[1] != len(out_names):
                raise SchemaError(
                    f"{name}: inverse_transform got an array of shape {arr.shape}; transform makes "
                    f"{len(out_names)} columns. Fix: pass the output of transform")
            frame = pd.DataFrame(arr, columns=out_names)
        # The columns the C++ inverse reads are numbers (an object array holds them as
        # objects); the others pass through as they are.
        frame = frame.copy(deep=False)
        for n in obj.feature_names_out():
            try:
                frame[n] = pd.to_numeric(frame[n], errors="raise").astype(np.float64)
            except (TypeError, ValueError):
                raise InvalidInput(
                    f"{name}: inverse_transform: column '{n}' is not numeric. Fix: pass the output of "
                    "transform") from None
        table, _ = to_table(frame)
        inv = obj.inverse_transform_table(table)
        # C++ appends the input columns; put every column back in fit's order.
        ordered = _reprep.Table()
        for n in self._input_columns:
            kind = inv.column_type(n)
            if kind == "numeric":
                ordered.add_numeric(n, inv.numeric(n))
            elif kind == "datetime":
                ordered.add_datetime(n, inv.datetime(n))
            else:
                ordered.add_categorical(n, *inv.categorical(n))
        pandas = _get_output_config("transform", self)["dense"] == "pandas"
        return from_table(ordered, pandas=pandas, index=X.index if isinstance(X, pd.DataFrame) else None,
                          rows=len(frame))


def _load_accumulator(kind, data):
    """Unpickles an Accumulator (its __reduce__): the kind's class from its bytes."""
    from ._estimators import KINDS
    return KINDS[kind].Accumulator.from_bytes(data)


class Accumulator:
    """The mergeable fit state of one estimator kind: C++ <Kind>::Accumulator.

    Each estimator class with one has its own subclass, `reprep.StandardScaler.Accumulator`
    and so on. Get an empty one from `est.accumulator()`, feed it chunks with update(),
    merge accumulators of other chunks (in any order: merging is exact), ship one as
    to_bytes() and read it back with `Kind.Accumulator.from_bytes`, then fit with
    `est.fit_accumulator(acc)`: the state of fit() on all the rows, bit for bit.
    """
    _cpp_acc = None  # the bound C++ class (set per kind)
    _kind = None     # the kind name (for pickling)

    def __init__(self, cpp):
        # Not for users: est.accumulator() and Kind.Accumulator.from_bytes make them.
        if not isinstance(cpp, self._cpp_acc):
            raise InvalidParameter(
                f"{type(self).__qualname__}: made from {type(cpp).__name__}. Fix: use est.accumulator() or "
                f"{type(self).__qualname__}.from_bytes(data)")
        self._acc = cpp

    def update(self, X, y=None):
        """Adds the rows of one chunk (NumPy array or DataFrame); y, one target value per
        row, where the kind's fit uses it (OrdinalEncoder(order='ordered'), TargetEncoder,
        WoEEncoder; the other categorical kinds check it and ignore it, the numeric ones
        ignore it). A chunk C++ refuses leaves the accumulator unchanged. Returns self."""
        table, _ = to_table(X)
        self._update_table(table, y)
        return self

    def _update_table(self, table, y):
        if y is not None and hasattr(self._acc, "update_y"):
            self._acc.update_y(table, _target(type(self).__qualname__, y, table.num_rows()))
        else:
            self._acc.update(table)

    def merge(self, other):
        """Adds the rows `other` has seen (exact: the order of merges does not matter).
        Returns self."""
        if type(other) is not type(self):
            raise InvalidParameter(
                f"{type(self).__qualname__}.merge: got a {type(other).__qualname__}. Fix: merge accumulators of "
                "the same kind")
        self._acc.merge(other._acc)
        return self

    @property
    def n_rows(self):
        """The rows update() has seen, over every merged accumulator."""
        return int(self._acc.rows())

    def to_bytes(self):
        """The canonical bytes of the state (docs/python.md): equal states, equal bytes."""
        return self._acc.to_bytes()

    @classmethod
    def from_bytes(cls, data):
        """The accumulator to_bytes() wrote; FormatError for bytes that are not one."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidParameter(
                f"{cls.__qualname__}.from_bytes: got {type(data).__name__}. Fix: pass the bytes to_bytes() returned")
        return cls(cls._cpp_acc.from_bytes(bytes(data)))

    def copy(self):
        return type(self)(self._acc.copy())

    def __eq__(self, other):
        return type(other) is type(self) and other.to_bytes() == self.to_bytes()

    __hash__ = None  # mutable

    def __reduce__(self):
        return _load_accumulator, (self._kind, self.to_bytes())

    def __repr__(self):
        return f"<{type(self).__qualname__} of {self.n_rows} rows>"


class _PartialFit:
    """partial_fit and accumulators, for every kind with a C++ Accumulator.

    Each chunk updates the accumulator in C++ and the state is C++ fit(accumulator): the
    fit of all the chunks' rows at once, bit for bit (DESIGN §1.1), whatever the chunking
    and order. A DataFrame's columns keep their names (numeric accumulators fit under
    the Table's names, so the artifact is the one fit(X) writes).

    A partial_fit either succeeds, and the estimator is fitted on every row seen, or
    raises and changes nothing. Kinds whose accumulator is a few numbers per column
    (_keep_accumulator) also fit() through it and keep it, so partial_fit after fit
    continues from fit's rows, as scikit-learn's scalers do."""

    _keep_accumulator = False

    def fit(self, X, y=None):
        if not self._keep_accumulator:
            return super().fit(X, y)
        table = self._fit_input(X)
        acc = self._empty_accumulator()
        obj = self._new_cpp()
        self._fit_chunk(acc, obj, table, y if self._uses_target() else None)
        self._fitted(X, obj, table)
        self._accumulator = acc
        self._partial_columns = list(table.column_names())
        return self

    def partial_fit(self, X, y=None):
        """Adds the rows of X (a chunk) to those seen so far and refits: the state is that
        of fit() on every row partial_fit has seen. y where the kind's fit uses it."""
        name = type(self).__name__
        acc = self.__dict__.get("_accumulator")
        if acc is None and self.__dict__.get("_artifact") is not None:
            # scikit-learn's checks call fit then partial_fit, so this cannot refuse.
            warnings.warn(
                f"{name}: partial_fit after fit() (or reprep.load), which kept no accumulator (it would hold "
                "every value, or fit's rows are gone): partial_fit starts over from this chunk. Call partial_fit "
                "for every chunk to fit them all", UserWarning, stacklevel=2)
        first = "_partial_columns" not in self.__dict__
        if not first:
            try:
                self._check_feature_names(X, reset=False)
                self._check_n_features(X, reset=False)
            except ValueError as e:
                raise SchemaError(f"{name}: {e}. Fix: pass the columns of the first partial_fit") from None
        table, _ = to_table(X)
        y = y if self._uses_target() else None
        obj = self._new_cpp()
        if y is not None and hasattr(obj, "check_target"):
            y = _target(name, y, table.num_rows())
            obj.check_target(table, y)  # fit(X, y)'s label rule, which the accumulator cannot apply
        # On a copy: a chunk or a fit that C++ refuses leaves this estimator as it was.
        acc = self._empty_accumulator() if acc is None else acc.copy()
        self._fit_chunk(acc, obj, table, y)
        if first:
            self._check_feature_names(X, reset=True)
            self._check_n_features(X, reset=True)
            self._partial_columns = list(table.column_names())
        self._set_artifact(obj.save_bytes(), obj, self._partial_columns, strict_names=True)
        self._accumulator = acc
        return self

    def _fit_chunk(self, acc, obj, table, y):
        """Updates acc with the chunk's rows (C++ update names the row of what it refuses)
        and fits obj on it. An accumulator's fit knows columns, not rows (LogTransformer's
        non-positive minimum, which update takes): when that fit refuses, the chunk's own
        fit(Table) is asked, which refuses it the same way and names the row too."""
        acc._update_table(table, y)
        try:
            obj.fit_accumulator(acc._acc)
        except ReprepError:
            chunk_fit = self._new_cpp()
            if y is not None and hasattr(chunk_fit, "fit_y"):
                chunk_fit.fit_y(table, _target(type(self).__name__, y, table.num_rows()))
            else:
                chunk_fit.fit(table)
            raise

    def accumulator(self):
        """A copy of the accumulator of the rows partial_fit (or fit_accumulator) has seen;
        before any, an empty one for these parameters. Update it with chunks, merge it
        with others, ship it as to_bytes(), and fit with fit_accumulator()."""
        acc = self.__dict__.get("_accumulator")
        if acc is not None:
            return acc.copy()
        if self.__dict__.get("_artifact") is not None:
            raise InvalidParameter(
                f"{type(self).__name__}: fitted by fit() (or reprep.load), which kept no accumulator. Fix: call "
                "accumulator() on an unfitted estimator (sklearn.base.clone(est)), or use partial_fit")
        return self._empty_accumulator()

    def fit_accumulator(self, acc):
        """Fits on every row `acc` has seen: the state of fit() on those rows, bit for bit.
        Keeps a copy of acc, so partial_fit can go on. Returns self."""
        if type(acc) is not self.Accumulator:
            raise InvalidParameter(
                f"{type(self).__name__}.fit_accumulator: got {type(acc).__qualname__}. Fix: pass a "
                f"{self.Accumulator.__qualname__} (est.accumulator() or {self.Accumulator.__qualname__}.from_bytes)")
        acc = acc.copy()
        obj = self._new_cpp()
        obj.fit_accumulator(acc._acc)
        try:
            # Names and categories become Python str: bytes from Python always decode,
            # those of a corrupt blob (from_bytes) may not.
            names = obj.feature_names_in()
            self._fitted_attributes(obj)
        except UnicodeDecodeError as e:
            raise FormatError(
                f"{type(self).__name__}.fit_accumulator: the accumulator holds a column name or category that is "
                f"not UTF-8 text ({e}). Fix: pass an accumulator from to_bytes() of reprep in Python, uncorrupted"
            ) from None
        for k in ("_partial_columns", "feature_names_in_", "n_features_in_"):
            self.__dict__.pop(k, None)
        # Like a loaded artifact: the columns the kind reads are known, the frame's are not.
        self._set_artifact(obj.save_bytes(), obj, names, strict_names=False)
        self.n_features_in_ = len(names)
        if names != _default_names(len(names)):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        self._accumulator = acc
        return self

    def _empty_accumulator(self):
        return self.Accumulator(self._new_cpp().accumulator())
