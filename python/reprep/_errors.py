"""reprep's C++ error types as Python exceptions.

The extension raises these classes with the C++ message (component, column, row and
fix). They derive from the exception scikit-learn raises in the same situation, so code
written against scikit-learn keeps catching them.
"""
from sklearn.exceptions import NotFittedError


class ReprepError(Exception):
    """Base of every error reprep raises (C++ reprep::Error)."""


class InvalidParameter(ReprepError, ValueError):
    """A constructor argument is outside its domain; the message names it."""


class NotFitted(ReprepError, NotFittedError):
    """transform or a fitted attribute was used before fit."""


class SchemaError(ReprepError, ValueError):
    """A missing, extra or mistyped column, or the wrong number of features."""


class UnknownCategory(ReprepError, ValueError):
    """A category not seen in fit, under handle_unknown='error'."""


class InvalidInput(ReprepError, ValueError):
    """Data the component cannot accept (Inf where forbidden, empty data, ...)."""


class FormatError(ReprepError, ValueError):
    """An artifact that is corrupt, truncated, of another kind or of a newer format."""


class EnvironmentError(ReprepError, RuntimeError):  # noqa: A001 - the C++ name
    """The floating-point environment would break bit-reproducibility."""


class IoError(ReprepError, OSError):
    """A file could not be opened, read or written."""
