"""reprep.Pipeline: scikit-learn's Pipeline signature over the C++ reprep::Pipeline.

fit builds a C++ Pipeline from the steps' parameters and fits it in one C++ call, so
its artifact is the one a C++ training job writes for the same steps and data. After
fit, each step estimator holds the fitted component of its step (as scikit-learn's
Pipeline fits its steps in place).
"""
import numpy as np
import pandas as pd

from . import _reprep
from ._base import _ArtifactBacked, _check_target_length
from ._errors import FormatError, InvalidParameter


class Pipeline(_ArtifactBacked):
    """An ordered list of (name, reprep estimator) steps over a DataFrame."""

    _cpp_class = _reprep.Pipeline

    def __init__(self, steps, seed=0, metadata=None, n_jobs=None):
        self.steps = steps
        self.seed = seed
        self.metadata = metadata  # {str: str}, saved in the artifact, outside the fingerprint
        self.n_jobs = n_jobs  # threads of fit and transform (None: 1); the bits do not depend on it

    @property
    def named_steps(self):
        return dict(self.steps)

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, name):
        return self.named_steps[name]

    def _new_cpp(self):
        from ._estimators import KINDS

        kinds = tuple(KINDS.values())
        if not isinstance(self.steps, (list, tuple)) or not self.steps:
            raise InvalidParameter("Pipeline: parameter 'steps': is empty or not a list. Fix: pass [(name, estimator), ...]")
        p = _reprep.Pipeline()
        p.set_seed(int(self.seed))
        for k, v in (self.metadata or {}).items():
            p.set_metadata(str(k), str(v))
        for item in self.steps:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], kinds)):
                raise InvalidParameter(
                    f"Pipeline: parameter 'steps': {item!r} is not a (name, reprep estimator) pair. "
                    f"Fix: use reprep's estimators ({', '.join(c.__name__ for c in kinds)})")
            name, est = item
            est._new_cpp().add_to(p, str(name))
        return p

    def row_plan(self):
        """The single-row path of the fitted pipeline (C++ RowPlan): run(record) maps one
        record, a tuple in `input_names` order, to a float64 array of the output features
        with the bits of transform(), in about a microsecond; run(record, out) writes into
        a preallocated array. One plan per thread is cheapest; a shared plan is safe (calls
        hold the GIL). docs/python.md, "One row at a time"."""
        return _reprep.RowPlan(self._cpp())

    def _uses_target(self):
        return any(type(est)._cpp_class.supervised for _, est in self.steps)

    def fit_transform(self, X, y=None):
        self._check_y(X, y)
        out = super().fit_transform(X, y)
        self._fill_steps()
        return out

    def fit(self, X, y=None):
        self._check_y(X, y)
        super().fit(X, y)
        self._fill_steps()
        return self

    def _check_y(self, X, y):
        # C++ Pipeline::fit(X, y) refuses a y of the wrong length even when no step reads
        # it; a pipeline without a target step ignores y's values (they may be a
        # classifier's string labels, passed on by a scikit-learn Pipeline around this one).
        if y is not None and not self._uses_target():
            rows = X.shape[0] if isinstance(X, pd.DataFrame) else np.asarray(X).shape[0]
            _check_target_length("Pipeline", y, rows)

    def _fill_steps(self):
        obj = self._cpp()
        for name, est in self.steps:
            step = type(est)._cpp_class.from_pipeline(obj, name)
            est._set_artifact(step.save_bytes(), step, step.feature_names_in(), strict_names=False)

    def get_params(self, deep=True):
        out = super().get_params(deep=False)
        if deep:
            for name, est in self.steps:
                out[name] = est
                for k, v in est.get_params(deep=True).items():
                    out[f"{name}__{k}"] = v
        return out

    def set_params(self, **params):
        steps = dict(self.steps)
        own = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if sep and name in steps:
                steps[name].set_params(**{sub: value})
            else:
                own[key] = value
        return super().set_params(**own) if own else self

    def __setstate__(self, state):
        super().__setstate__(state)
        if state.get("_artifact") is not None:
            self._fill_steps()

    @classmethod
    def _from_artifact(cls, artifact, obj, params=None):
        from ._estimators import KINDS

        steps = []
        names = obj.step_names()
        for i, name in enumerate(names):
            kind_cls = KINDS.get(obj.step_kind(i))
            if kind_cls is None:
                raise FormatError(
                    f"load: step '{name}' is of kind '{obj.step_kind(i)}', which the Python package does not "
                    "bind (a kind registered in C++ only). Fix: load it from C++ (reprep::load_pipeline), see "
                    "docs/python.md")
            step = kind_cls._cpp_class.from_pipeline(obj, name)
            steps.append((name, kind_cls(**step.params())))
        est = cls(steps=steps)
        if not obj.is_fitted():
            # C++ saves and loads an unfitted pipeline (its steps and parameters): here it
            # is an unfitted Pipeline of those steps, as C++ load_pipeline returns it.
            return est
        est._set_artifact(artifact, obj, obj.feature_names_in(), strict_names=False)
        est.n_features_in_ = len(obj.feature_names_in())
        est.feature_names_in_ = np.asarray(obj.feature_names_in(), dtype=object)
        est._fill_steps()
        return est
