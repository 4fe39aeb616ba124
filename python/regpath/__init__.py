"""regpath: regularized linear-model solution paths (lasso, ridge, elastic net) for many lambda
at once, on the CPU or the GPU, with glmnet's conventions.

    regpath.fit(X, y, ...)   the path (glmnet), a Path with NumPy arrays
    regpath.cv(X, y, ...)    cross-validation (cv.glmnet), a CvResult
    regpath.fit_many(X, Y, ...), regpath.cv_many(X, Y, ...)
                             m responses (the columns of Y) sharing one X: a list of m results
    path.save(file), regpath.load_model(file)   model files (regpath fit|cv --save-model's)
    regpath.ElasticNet, ElasticNetCV, LogisticRegression, LogisticRegressionCV
                             scikit-learn-style estimators (need scikit-learn)
"""

from ._regpath import DeviceError, OutOfMemoryError, version as _version
from ._regpath import cuda_available as _cuda_available
from ._core import (CvCurve, CvResult, Model, Path, cv, cv_many, fit, fit_many, interpolate_coef,
                    load_model)

__version__ = _version()

_ESTIMATORS = ("ElasticNet", "ElasticNetCV", "LogisticRegression", "LogisticRegressionCV")

__all__ = ["fit", "cv", "fit_many", "cv_many", "Path", "CvResult", "CvCurve", "Model", "load_model", "interpolate_coef",
           "cuda_available",
           "DeviceError", "OutOfMemoryError", *_ESTIMATORS]


def cuda_available():
    """(bool, reason): whether the CUDA backend can run here, and why not when it cannot."""
    return _cuda_available()


def __getattr__(name):
    # The estimators import scikit-learn, which regpath.fit and regpath.cv do not need.
    if name in _ESTIMATORS:
        from . import _sklearn
        return getattr(_sklearn, name)
    raise AttributeError(f"module 'regpath' has no attribute {name!r}")
