"""regpath.fit and regpath.cv: glmnet-style functions over the C++ API, returning NumPy arrays."""

import sys

import numpy as np

from . import _regpath

__all__ = ["Path", "CvCurve", "CvResult", "fit", "cv", "cross_validate_folds", "interpolate_coef",
           "as_matrix"]


def as_matrix(X, name="X"):
    """X as a column-major float64/float32 array: the array itself when it already is one (no
    copy), else one conversion (np.asfortranarray). float32 stays float32; other real dtypes
    (integers, bool, float16) become float64 (float16 -> float32), never a narrower type."""
    if _is_device_array(X):
        raise TypeError(f"invalid {name}: a device array (__cuda_array_interface__) is read "
                        "in place by regpath.fit only; pass a NumPy array here")
    a = _from_dlpack(X, name)
    if a.ndim != 2:
        raise ValueError(f"invalid {name}: {a.ndim}-dimensional, expected 2 dimensions "
                         "(n samples x p features)")
    if a.dtype.kind == "f" and a.dtype.itemsize in (4, 8):
        dtype = a.dtype
    elif a.dtype.kind == "f" and a.dtype.itemsize == 2:
        dtype = np.dtype(np.float32)
    elif a.dtype.kind in "biuf" and a.dtype.itemsize <= 8 and a.dtype != np.longdouble:
        dtype = np.dtype(np.float64)
    else:
        raise ValueError(f"invalid {name}: dtype {a.dtype} (regpath reads float64 or float32; "
                         "convert explicitly, e.g. X.astype(np.float64))")
    if a.dtype == dtype and _column_major(a):
        return a
    return np.asfortranarray(a, dtype=dtype)


def _is_sparse(X):
    """Whether X is a scipy.sparse matrix or array (without importing scipy: if it is not
    loaded, X cannot be one)."""
    sp = sys.modules.get("scipy.sparse")
    return sp is not None and sp.issparse(X)


def _as_csc(X, name="X"):
    """A scipy.sparse X as CSC: a CSC matrix as it is, any other format (csr, coo, ...) converted
    once by .tocsc() (duplicates and unsorted indices are left to regpath, which sums and sorts
    them in its own copy). float32 stays float32, other real dtypes become float64."""
    A = X.tocsc()
    if A.ndim != 2:
        raise ValueError(f"invalid {name}: {A.ndim}-dimensional sparse, expected 2 dimensions")
    if A.dtype.kind == "f" and A.dtype.itemsize in (4, 8):
        return A
    if A.dtype.kind in "biuf" and A.dtype.itemsize <= 8 and A.dtype != np.longdouble:
        return A.astype(np.float32 if A.dtype == np.float16 else np.float64)
    raise ValueError(f"invalid {name}: sparse dtype {A.dtype} (regpath reads float64 or "
                     "float32; convert explicitly, e.g. X.astype(np.float64))")


def _csc_arrays(X):
    """A CSC matrix's (_as_csc) arrays as the C++ sparse X reads them: its data as it is and its
    indices without a copy when they are int64 (scipy's int32 indices are copied once as
    int64)."""
    return (np.ascontiguousarray(X.indptr, dtype=np.int64),
            np.ascontiguousarray(X.indices, dtype=np.int64), np.ascontiguousarray(X.data))


def _fit_csc(X, y, kw):
    """X a CSC matrix (_as_csc): the C++ sparse fit (every family, on the CPU for now; what it
    does not take is a ValueError from the library naming it)."""
    indptr, indices, data = _csc_arrays(X)
    n, p = X.shape
    return _regpath.fit_csc(indptr, indices, data, n, p, y, **kw)


def _column_major(a):
    item = a.itemsize
    rows, cols = a.shape
    unit_rows = rows <= 1 or a.strides[0] == item
    ld_ok = cols <= 1 or (a.strides[1] % item == 0 and a.strides[1] // item >= rows)
    return unit_rows and ld_ok and a.strides[1] >= 0


def _response_vector(y, n, what):
    """y as a 1-D array of n values (an (n, 1) column too); `what` names them in messages."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        several = " (several responses: regpath.fit_many / cv_many)" if y.ndim == 2 else ""
        raise ValueError(f"invalid y: shape {y.shape}, expected ({n},) {what}{several}")
    if y.shape[0] != n:
        raise ValueError(f"invalid y: {y.shape[0]} {what} for the {n} rows of X")
    return y


def _as_response(y, n, dtype):
    y = _response_vector(y, n, "values")
    if y.dtype.kind not in "biuf":
        raise ValueError(f"invalid y: dtype {y.dtype}, expected numbers")
    return np.ascontiguousarray(y, dtype=dtype)


def _as_responses(Y, n, dtype):
    """Y as an (n, m) Fortran-ordered array of X's dtype (read in place when it is one)."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2:
        raise ValueError(f"invalid Y: shape {Y.shape}, expected ({n}, m): a column per response")
    if Y.shape[0] != n:
        raise ValueError(f"invalid Y: {Y.shape[0]} rows for the {n} rows of X")
    if Y.shape[1] < 1:
        raise ValueError("invalid Y: no columns (need at least 1 response)")
    if Y.dtype.kind not in "biuf":
        raise ValueError(f"invalid Y: dtype {Y.dtype}, expected numbers")
    return np.asfortranarray(Y, dtype=dtype)


def _encode_classes(y, n):
    """Family multinomial: y's distinct labels sorted (glmnet's factor levels; numbers or
    strings) and y as their 0-based codes, the C++ API's classes 0..C-1."""
    y = _response_vector(y, n, "labels")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("invalid y: a class label is not finite")
    classes, codes = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(f"invalid y: one class ({classes[0]!r}); family 'multinomial' needs "
                         f"at least 2")
    return classes, codes.astype(np.float64)


def _multinomial_offset(offset, n, n_classes):
    """glmnet's n x C offset matrix as the C++ API's class-major list (class c's n values
    at c*n)."""
    o = np.asarray(offset, dtype=np.float64)
    if o.ndim != 2 or o.shape != (n, n_classes):
        raise ValueError(f"invalid offset: shape {o.shape}, expected ({n}, {n_classes}) for "
                         f"family 'multinomial' (one column per class, as glmnet's offset "
                         f"matrix)")
    return o.ravel(order="F").tolist()


def interpolate_coef(lambdas, beta, s):
    """glmnet's lambda.interp: the coefficients at s, linear in lambda between the two
    neighbouring lambdas of the path, the nearest end outside it. `lambdas` descending (nl,),
    `beta` (m, nl) (intercept row included if wanted); returns (m, len(s))."""
    lambdas = np.asarray(lambdas, dtype=np.float64)
    s = np.atleast_1d(np.asarray(s, dtype=np.float64))
    beta = np.asarray(beta)
    k = lambdas.shape[0]
    if k == 1:
        return np.repeat(beta[:, :1], s.shape[0], axis=1)
    span = lambdas[0] - lambdas[-1]
    sfrac = (lambdas[0] - s) / span
    lam = (lambdas[0] - lambdas) / span
    sfrac = np.clip(sfrac, lam.min(), lam.max())
    coord = np.interp(sfrac, lam, np.arange(k, dtype=np.float64))
    left = np.floor(coord).astype(np.intp)
    right = np.ceil(coord).astype(np.intp)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (sfrac - lam[right]) / (lam[left] - lam[right])
    frac[left == right] = 1.0
    frac[np.abs(lam[left] - lam[right]) < np.finfo(np.float64).eps] = 1.0
    return beta[:, left] * frac + beta[:, right] * (1.0 - frac)


_DLPACK_CPU, _DLPACK_CUDA = 1, 2  # DLPack's kDLCPU, kDLCUDA


def _from_dlpack(X, name):
    """A NumPy view of X: DLPack host memory without a copy (np.from_dlpack); DLPack CUDA memory
    is refused (only __cuda_array_interface__ is read on the device, by regpath.fit)."""
    if isinstance(X, np.ndarray) or not hasattr(X, "__dlpack_device__"):
        return np.asarray(X)
    device_type = int(X.__dlpack_device__()[0])
    if device_type == _DLPACK_CPU:
        return np.from_dlpack(X)
    if device_type == _DLPACK_CUDA:
        raise TypeError(f"invalid {name}: a DLPack CUDA tensor without __cuda_array_interface__ "
                        "is not supported yet; pass one with it (CuPy, PyTorch) or a NumPy array")
    return np.asarray(X)


def _is_device_array(a):
    return hasattr(a, "__cuda_array_interface__") and not isinstance(a, np.ndarray)


def _device_view(a, name, ndim):
    """(address, shape, leading dimension, dtype) of a CUDA array (__cuda_array_interface__),
    column-major as regpath reads it; nothing is copied or converted (a C-ordered X is refused:
    convert it on the device, e.g. cupy.asfortranarray(X))."""
    cai = a.__cuda_array_interface__
    shape = tuple(int(v) for v in cai["shape"])
    dtype = np.dtype(cai["typestr"])
    if len(shape) != ndim:
        raise ValueError(f"invalid {name}: {len(shape)}-dimensional device array, expected "
                         f"{ndim} dimensions")
    if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"invalid {name}: device array of dtype {dtype}, expected float64 or "
                         "float32 (converted on the device by the caller)")
    item = dtype.itemsize
    strides = cai.get("strides")
    if strides is None:  # C-contiguous
        strides = tuple(item * int(np.prod(shape[i + 1:])) for i in range(ndim))
    rows = shape[0]
    if ndim == 1:
        if rows > 1 and strides[0] != item:
            raise ValueError(f"invalid {name}: device array not contiguous")
        return int(cai["data"][0]), shape, rows, dtype
    cols = shape[1]
    ld = strides[1] // item if cols > 1 else max(rows, 1)
    if (rows > 1 and strides[0] != item) or (cols > 1 and (strides[1] % item or ld < rows)):
        raise ValueError(f"invalid {name}: device array not column-major (strides {strides}); "
                         "pass a Fortran-ordered one, e.g. cupy.asfortranarray(X)")
    return int(cai["data"][0]), shape, max(ld, 1), dtype


def _fit_device(X, y, kw):
    """X and y in CUDA device memory: fitted on CUDA where they are (the C API's
    regpath_fit_device_d/_s), never copied to the host."""
    xp, (n, p), ld, dtype = _device_view(X, "X", 2)
    if not _is_device_array(y):
        raise ValueError("invalid y: X is a device array, so y must be one too (of the same "
                         "dtype, n values)")
    yp, (ny,), _, ydtype = _device_view(y, "y", 1)
    if ny != n:
        raise ValueError(f"invalid y: {ny} values for the {n} rows of X")
    if ydtype != dtype:
        raise ValueError(f"invalid y: dtype {ydtype}, X's is {dtype}")
    if kw["precision"] is None:
        kw["precision"] = "float32" if dtype == np.float32 else "float64"
    return _regpath.fit_device(xp, n, p, ld, yp, dtype == np.float32, **kw)


class Path:
    """A solution path on the original scale of the data. Column k belongs to lambdas[k]
    (descending): coef is (p, nlambda), intercept, iterations, newton_steps, gaps, status,
    dev_ratio have one value per lambda.
    Family multinomial: coef_path is (p, C, nlambda) and intercept (C, nlambda), C =
    n_classes, class c being classes[c] (glmnet's coef list, one matrix per class);
    intercepts centred over the classes, as glmnet's."""

    def __init__(self, d):
        self.lambdas = d["lambdas"]
        self.coef_path = d["coef"]
        self.intercept = d["intercept"]
        self.iterations = d["iterations"]
        self.newton_steps = d.get("newton_steps")  # None for device input (not in the C API)
        self.gaps = d["gaps"]
        self.status = np.asarray(d["status"])
        self.dev_ratio = d["dev_ratio"]
        self.lambda_max = d["lambda_max"]
        self.family = d["family"]
        self.device = d["device"]
        self.device_name = d.get("device_name", "")
        self.precision = d["precision"]
        self.seconds = d.get("seconds")
        self.peak_device_bytes = d.get("peak_device_bytes")
        self.offset = False  # fitted with an offset: predict then needs the new rows' (glmnet)
        self._model = d.get("model")  # the C++ model of the fit (save); None for device input
        self.n_classes = int(d.get("n_classes", 0))  # multinomial: C; 0 otherwise
        self.classes = None  # multinomial: the labels of classes 0..C-1 (regpath.fit sets them)

    @property
    def nlambda(self):
        return self.lambdas.shape[0]

    @property
    def n_features(self):
        return self.coef_path.shape[0]

    def coef(self, s=None):
        """(p + 1, len(s)) coefficients at s, the intercept first (glmnet's coef(fit, s));
        s=None: at every lambda of the path. Multinomial: (p + 1, C, len(s))."""
        full = np.concatenate([self.intercept[None], self.coef_path], axis=0)
        if s is None:
            return full
        if self.n_classes == 0:
            return interpolate_coef(self.lambdas, full, s)
        rows = full.reshape(-1, self.nlambda)  # (p + 1)·C rows, class fastest
        b = interpolate_coef(self.lambdas, rows, s)
        return b.reshape(full.shape[0], self.n_classes, -1)

    def predict(self, X, s=None, type="link", offset=None):
        """Predictions at s (n, len(s)); type 'link' (the linear predictor) or 'response'
        (the same for gaussian, probabilities for binomial, the mean exp(link) for poisson).
        offset: the new rows' offsets (n values, glmnet's newoffset), added to the link;
        required for a path fitted with an offset, refused for one fitted without.
        Multinomial: link and response (n, C, len(s)) (glmnet's predict), 'class' (n, len(s))
        labels; offset an (n, C) array."""
        b = self.coef(s)
        if not _is_sparse(X):  # a scipy.sparse X multiplies as it is
            X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"invalid X: shape {X.shape}, expected (n, {self.n_features})")
        if self.n_classes > 0:
            return self._predict_multinomial(X, b, type, offset)
        eta = np.asarray(X @ b[1:]) + b[0]
        if self.offset and offset is None:
            raise ValueError("invalid offset: the path was fitted with an offset, so predict "
                             "needs the new rows' offsets (offset=...), as glmnet's newoffset")
        if offset is not None:
            if not self.offset:
                raise ValueError("invalid offset: the path was fitted without an offset")
            o = np.asarray(_real_values(offset, "offset", "one finite offset per row of X"))
            if o.shape[0] != X.shape[0] or not np.all(np.isfinite(o)):
                raise ValueError(f"invalid offset: expected {X.shape[0]} finite values, one "
                                 f"per row of X")
            eta = eta + o[:, None]
        if type == "link":
            return eta
        if type == "response":
            if self.family == "binomial":
                return _sigmoid(eta)
            return np.exp(eta) if self.family == "poisson" else eta
        raise ValueError(f"invalid type: {type!r} (one of 'link', 'response')")

    def save(self, file, feature_names=None):
        """Writes the path as a model file (docs/model_format.md, what `regpath fit
        --save-model` writes), which regpath.load_model, `regpath predict` / `coef` and the C
        and C++ APIs read. feature_names: p distinct names (None: x1..xp)."""
        _save(self._model, file, feature_names, self.classes, "Path")

    def _predict_multinomial(self, X, b, type, offset):
        # glmnet's predict.multnet: link (n, C, len(s)), response the softmax over the classes,
        # class the label of the largest (the first of equals, as glmnet's which.max)
        m = b.shape[1] * b.shape[2]
        eta = np.asarray(X @ b[1:].reshape(self.n_features, m)).reshape(X.shape[0],
                                                                        *b.shape[1:])
        eta = eta + b[0][None]
        if self.offset and offset is None:
            raise ValueError("invalid offset: the path was fitted with an offset, so predict "
                             "needs the new rows' offsets (offset=..., an (n, C) array), as "
                             "glmnet's newoffset")
        if offset is not None:
            if not self.offset:
                raise ValueError("invalid offset: the path was fitted without an offset")
            o = np.asarray(offset, dtype=np.float64)
            if o.shape != (X.shape[0], self.n_classes) or not np.all(np.isfinite(o)):
                raise ValueError(f"invalid offset: expected ({X.shape[0]}, {self.n_classes}) "
                                 f"finite values, one per row of X and class")
            eta = eta + o[:, :, None]
        if type == "link":
            return eta
        if type == "response":
            z = np.exp(eta - eta.max(axis=1, keepdims=True))
            return z / z.sum(axis=1, keepdims=True)
        if type == "class":
            best = np.argmax(eta, axis=1)  # (n, len(s))
            return best if self.classes is None else np.asarray(self.classes)[best]
        raise ValueError(f"invalid type: {type!r} (one of 'link', 'response', 'class')")

    def __repr__(self):
        return (f"Path(family={self.family!r}, nlambda={self.nlambda}, "
                f"n_features={self.n_features}, device={self.device!r})")


def _sigmoid(eta):
    return np.where(eta >= 0, 1.0 / (1.0 + np.exp(-np.abs(eta))),
                    np.exp(-np.abs(eta)) / (1.0 + np.exp(-np.abs(eta))))


class CvCurve:
    """The cross-validation curve of one alpha: cvm (mean fold error, weighted by fold size:
    mse for gaussian, deviance for binomial), cvsd, nzero, lambda_min, lambda_1se, the full-data
    path and the fold paths."""

    def __init__(self, d):
        self.alpha = d["alpha"]
        self.lambdas = d["lambdas"]
        self.cvm = d["cvm"]
        self.cvsd = d["cvsd"]
        self.nzero = d["nzero"]
        self.index_min = d["index_min"]
        self.index_1se = d["index_1se"]
        self.lambda_min = d["lambda_min"]
        self.lambda_1se = d["lambda_1se"]
        self.path = Path(d["path"])
        self.fold_paths = [Path(f) for f in d["fold_paths"]]
        self.path_ended_early = d["path_ended_early"]
        self.lambda_min_at_end = d["lambda_min_at_end"]


class CvResult:
    """regpath.cv's result: one CvCurve per alpha (`curves`), the best one (`best`, `curve`),
    and the best curve's lambda_min, lambda_1se and full-data `path` as shortcuts."""

    def __init__(self, d):
        self.curves = [CvCurve(c) for c in d["curves"]]
        self.best = d["best"]
        self.nfolds = d["nfolds"]
        self.type_measure = d["type_measure"]
        self.foldid = d["foldid"]
        self.device = d["device"]
        self.device_name = d["device_name"]
        self.seconds = d["seconds"]
        self._model = d.get("model")

    @property
    def curve(self):
        return self.curves[self.best]

    @property
    def lambda_min(self):
        return self.curve.lambda_min

    @property
    def lambda_1se(self):
        return self.curve.lambda_1se

    @property
    def alpha(self):
        return self.curve.alpha

    @property
    def path(self):
        return self.curve.path

    def save(self, file, feature_names=None):
        """Writes the cv as a model file (`regpath cv --save-model`'s): the best curve's
        full-data path, its curve, lambda.min and lambda.1se (regpath.load_model reads it; its
        predictions default to lambda.1se, as glmnet's)."""
        _save(self._model, file, feature_names, self.path.classes, "CvResult")

    def coef(self, s="lambda_1se"):
        return self.path.coef(self._s(s))

    def predict(self, X, s="lambda_1se", type="link", offset=None):
        return self.path.predict(X, self._s(s), type, offset)

    def _s(self, s):
        if isinstance(s, str):
            if s not in ("lambda_min", "lambda_1se"):
                raise ValueError(f"invalid s: {s!r} (a number, 'lambda_min' or 'lambda_1se')")
            return getattr(self, s)
        return s


def _real_values(value, name, what):
    """A 1-D list of floats of a scalar or a sequence/array; None -> [] (not given)."""
    if value is None:
        return []
    try:
        a = np.atleast_1d(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        raise ValueError(f"invalid {name}: {value!r} (expected {what})") from None
    if a.ndim != 1:
        raise ValueError(f"invalid {name}: shape {a.shape} (expected {what})")
    if a.size == 0:
        # An empty list would silently mean "not given" in the C++ API.
        raise ValueError(f"invalid {name}: empty (None when not given)")
    return a.tolist()


def _indices(value, name):
    """0-based feature indices as a list of ints; None -> []."""
    if value is None:
        return []
    a = np.atleast_1d(np.asarray(value))
    if a.ndim != 1:
        raise ValueError(f"invalid {name}: shape {a.shape} (expected 0-based feature indices)")
    if a.size == 0:
        return []  # nothing excluded, as glmnet's exclude = integer(0)
    if a.dtype.kind not in "iu":
        raise ValueError(f"invalid {name}: {value!r} (expected 0-based integer feature "
                         f"indices, not dtype {a.dtype})")
    return a.astype(np.int64).tolist()


def _penalty_kw(penalty_factor, exclude, lower_limits, upper_limits):
    # glmnet's penalty.factor, exclude, lower.limits, upper.limits; the C++ API checks the
    # values and counts (its messages name the option and the offending entry).
    return dict(
        penalty_factor=_real_values(penalty_factor, "penalty_factor",
                                    "one factor > 0 (or inf) per feature"),
        exclude=_indices(exclude, "exclude"),
        lower_limits=_real_values(lower_limits, "lower_limits",
                                  "a value <= 0, or one per feature"),
        upper_limits=_real_values(upper_limits, "upper_limits",
                                  "a value >= 0, or one per feature"))


def _common(X, y, family, alpha, lambdas, nlambda, lambda_min_ratio, glmnet_y_scaling,
            standardize, intercept, tol, max_iter, device, precision, block_size, check_every,
            progress, penalty_factor=None, exclude=None, lower_limits=None, upper_limits=None,
            type_multinomial="ungrouped", responses=False):
    """X, y and the C++ options as keywords; classes: multinomial's labels (None otherwise).
    responses: y is an (n, m) matrix of m responses (fit_many, cv_many)."""
    classes = None
    multinomial = str(family) == "multinomial"
    if multinomial and _is_device_array(X):
        raise ValueError("invalid family: 'multinomial' is not available for X in device "
                         "memory yet")
    if _is_sparse(X):
        X = _as_csc(X)
    elif not _is_device_array(X):
        X = as_matrix(X)
    if responses:
        if multinomial:
            raise ValueError("invalid family: 'multinomial' takes one response (glmnet's "
                             "multinomial), not several")
        if _is_device_array(X):
            raise ValueError("invalid X: several responses need X in host memory (device "
                             "arrays: regpath.fit, one response)")
        y = _as_responses(y, X.shape[0], X.dtype)
    elif multinomial:
        classes, y = _encode_classes(y, X.shape[0])
    if not responses and not _is_device_array(X):
        y = _as_response(y, X.shape[0], X.dtype)
    if lambdas is None:
        lambdas = []
    else:
        lambdas = np.atleast_1d(np.asarray(lambdas, dtype=np.float64)).tolist()
        if len(lambdas) == 0:
            raise ValueError("invalid lambdas: empty (None for the automatic path)")
    if progress is not None and not callable(progress):
        raise ValueError(f"invalid progress: {progress!r} is not callable")
    kw = dict(family=str(family), alpha=float(alpha), lambdas=lambdas, nlambda=int(nlambda),
              lambda_min_ratio=None if lambda_min_ratio is None else float(lambda_min_ratio),
              glmnet_y_scaling=None if glmnet_y_scaling is None else bool(glmnet_y_scaling),
              standardize=bool(standardize), intercept=bool(intercept),
              tol=None if tol is None else float(tol), max_iter=int(max_iter),
              device=str(device), precision=None if precision is None else str(precision),
              block_size=int(block_size),
              check_every=int(check_every), progress=progress,
              type_multinomial=str(type_multinomial),
              **_penalty_kw(penalty_factor, exclude, lower_limits, upper_limits))
    return X, y, kw, classes


def _fold_ids(foldid, nfolds):
    """foldid as a list of ints ([] for none), and nfolds (from the ids when left at 10)."""
    if foldid is None:
        return [], nfolds
    f = np.asarray(foldid)
    if f.ndim != 1 or f.dtype.kind not in "iu":
        raise ValueError(f"invalid foldid: expected one integer fold id per row")
    ids = f.astype(np.int64).tolist()
    if nfolds == 10 and ids:
        nfolds = int(max(ids))
    return ids, nfolds


def _offset_kw(offset, n, classes):
    if classes is not None and offset is not None:
        return _multinomial_offset(offset, n, len(classes))
    return _real_values(offset, "offset", "one finite offset per row of X")


def fit(X, y, family="gaussian", alpha=1.0, lambdas=None, nlambda=100, lambda_min_ratio=None,
        standardize=True, intercept=True, glmnet_y_scaling=None, tol=None, max_iter=100000,
        device="auto", precision=None, block_size=0, check_every=10, progress=None,
        penalty_factor=None, exclude=None, lower_limits=None, upper_limits=None, weights=None,
        offset=None, type_multinomial="ungrouped"):
    """Fits the regularization path of X (n x p) against y, as glmnet(X, y, family, alpha, ...).

    Objective per lambda (glmnet's, scikit-learn's with alpha -> lambda, l1_ratio -> alpha):
    gaussian (1/2n)||y - b0 - Xb||^2 + lambda [alpha ||b||_1 + (1-alpha)/2 ||b||^2], binomial
    (y in {0, 1}) the mean log-likelihood loss + the same penalty, poisson (y counts) and
    multinomial (y class labels, numbers or strings, at least 2 classes: glmnet's symmetric
    multinomial, the penalty summed over the classes; type_multinomial 'ungrouped' or
    'grouped', glmnet's type.multinomial) likewise. Options are those of the C++
    API (include/regpath/regpath.hpp): lambdas None for the automatic path of `nlambda` values;
    tol the relative duality gap (None: 1e-7 float64, 1e-4 float32); device 'auto', 'cpu' or
    'cuda'; precision 'float64' or 'float32'; progress a callable(fraction) or None.
    precision None: float64, or the dtype of device input.
    glmnet's options (None: not given): penalty_factor, p factors >= 0 multiplying each
    coefficient's penalty (inf excludes the feature, 0 leaves it unpenalized: every family,
    binomial and poisson on the CPU only, dense or sparse X; rescaled to sum to p, so only
    ratios matter); exclude, 0-based indices of features fixed at 0; lower_limits /
    upper_limits, one value for all features or one per feature, lower <= 0 <= upper (-inf /
    inf allowed), boxes on the coefficients as reported (the original scale).
    weights (None: all 1): glmnet's observation weights, one per row (each >= 0, not all 0;
    only ratios matter), the standardization weighted as glmnet's; every family, host X, for
    now (gaussian: X is then copied once).
    offset (None: none): glmnet's offset, one finite value per row added to its linear
    predictor (gaussian: exactly the fit of y - offset); every family, host X. The path's
    predict then needs the new rows' offsets (offset=..., glmnet's newoffset).
    A Fortran-ordered float64/float32 X is read in place; other layouts are converted once.
    y is taken in X's dtype (the C++ API reads X and y in one type): a float32 X makes y
    float32; the solver's arithmetic is `precision` either way.
    The GIL is released while fitting; Ctrl-C interrupts it (KeyboardInterrupt).
    X and y may be CUDA arrays (__cuda_array_interface__: CuPy, PyTorch, Numba; X column-major,
    both of one dtype): fitted on CUDA where they are, never copied to the host (gaussian only;
    no progress callback and so no Ctrl-C; regpath reads them after the work queued on the
    legacy default stream).
    X may be a scipy.sparse matrix or array (csc read in place, csr or another format converted
    once with .tocsc()): fitted sparse, never densified, the path the dense X gives to
    rounding; every family, offsets and weights, on the CPU; penalty factors of 0 (gaussian
    not with weights for now; what it does not take is refused with a ValueError naming
    it)."""
    X, y, kw, classes = _common(X, y, family, alpha, lambdas, nlambda, lambda_min_ratio,
                                glmnet_y_scaling, standardize, intercept, tol, max_iter, device,
                                precision, block_size, check_every, progress, penalty_factor,
                                exclude, lower_limits, upper_limits, type_multinomial)
    if _is_device_array(X):
        if weights is not None:
            raise ValueError("invalid weights: not available for X in device memory yet")
        if offset is not None:
            raise ValueError("invalid offset: not available for X in device memory yet")
        d = _fit_device(X, y, kw)
    else:
        kw["precision"] = "float64" if kw["precision"] is None else kw["precision"]
        kw["weights"] = _real_values(weights, "weights", "one weight >= 0 per row of X")
        kw["offset"] = _offset_kw(offset, X.shape[0], classes)
        d = _fit_csc(X, y, kw) if _is_sparse(X) else _regpath.fit(X, y, **kw)
    p = Path(d)
    p.offset = offset is not None
    p.classes = classes
    p._x_data = d["x_data"]  # the address regpath read X from (the zero-copy tests)
    return p


def cv(X, y, family="gaussian", alpha=1.0, alphas=None, nfolds=10, foldid=None, seed=1,
       lambdas=None, nlambda=100, lambda_min_ratio=None, standardize=True, intercept=True,
       glmnet_y_scaling=None, tol=None, max_iter=100000, device="auto", precision="float64",
       block_size=0, check_every=10, progress=None, penalty_factor=None, exclude=None,
       lower_limits=None, upper_limits=None, type_measure=None, weights=None, offset=None,
       type_multinomial="ungrouped"):
    """Cross-validation as cv.glmnet: the lambda list of the full data, `nfolds` folds (or
    `foldid`, one fold id in 1..nfolds per row), several `alphas` at once. glmnet_y_scaling
    None means on (cv.glmnet's fold fits). Returns a CvResult (curves, lambda_min, lambda_1se,
    the full-data path). X in host memory (device arrays: regpath.fit only, for now).
    penalty_factor, exclude, lower_limits, upper_limits: as in regpath.fit, for every fold.
    type_measure: cv.glmnet's, 'mse', 'mae', 'deviance', 'class' or 'auc' (binomial); None: its
    default (mse for gaussian, deviance otherwise); the result's `type_measure` says which.
    weights (None: all 1): glmnet's observation weights, as cv.glmnet takes them (each fold
    fitted with its training rows' weights, its error weighted over its held-out rows, the
    folds weighted by their weight sums).
    offset (None: none): glmnet's offset, as cv.glmnet takes it (each fold fitted with its
    training rows' offsets, its held-out rows predicted with theirs); predict then needs the
    new rows' offsets.
    family 'multinomial' (y class labels; type_multinomial as in regpath.fit): cv.glmnet's
    cv.multnet, type_measure 'deviance' (default), 'class', 'mse' or 'mae'; an (n, C) offset.
    X may be a scipy.sparse matrix or array (as in regpath.fit): cross-validated sparse, each
    fold standardized on its training rows from the sparse columns, never densified; the dense
    X's result to rounding (every family, weights, offsets; on the CPU)."""
    if not _is_sparse(X):
        X = as_matrix(X)
    X, y, kw, classes = _common(X, y, family, alpha, lambdas, nlambda, lambda_min_ratio,
                                glmnet_y_scaling, standardize, intercept, tol, max_iter, device,
                                precision, block_size, check_every, progress, penalty_factor,
                                exclude, lower_limits, upper_limits, type_multinomial)
    kw["precision"] = "float64" if kw["precision"] is None else kw["precision"]
    alphas = [] if alphas is None else [float(a) for a in np.atleast_1d(alphas)]
    foldid, nfolds = _fold_ids(foldid, nfolds)
    kw["weights"] = _real_values(weights, "weights", "one weight >= 0 per row of X")
    kw["offset"] = _offset_kw(offset, X.shape[0], classes)
    csc = None
    if _is_sparse(X):  # X's data, csc the rest of its CSC arrays
        indptr, indices, data = _csc_arrays(X)
        csc = (indptr, indices, X.shape[0], X.shape[1])
        X = data
    d = _regpath.cross_validate(X, y, alphas=alphas, nfolds=int(nfolds), foldid=foldid,
                                seed=int(seed),
                                type_measure="default" if type_measure is None
                                else str(type_measure), csc=csc, **kw)
    r = CvResult(d)
    for c in r.curves:
        for p in [c.path] + c.fold_paths:
            p.offset = offset is not None
            p.classes = classes
    r._x_data = d["x_data"]
    return r


def _many_input(X, Y, threads, weights, *common):
    """fit_many's and cv_many's X (a sparse X: its CSC data), Y (n, m) and the bindings'
    keywords (the options, threads, weights, csc: None or (indptr, indices, n, p))."""
    X, Y, kw, _ = _common(X, Y, *common, responses=True)
    kw["precision"] = "float64" if kw["precision"] is None else kw["precision"]
    kw["weights"] = _real_values(weights, "weights", "one weight >= 0 per row of X")
    t = int(threads)
    if t < 0:
        raise ValueError(f"invalid threads: {threads!r} (0: automatic, or a count >= 1)")
    kw["threads"] = t
    kw["csc"] = None
    if _is_sparse(X):
        indptr, indices, data = _csc_arrays(X)
        kw["csc"] = (indptr, indices, X.shape[0], X.shape[1])
        X = data
    return X, Y, kw


def fit_many(X, Y, threads=0, family="gaussian", alpha=1.0, lambdas=None, nlambda=100,
             lambda_min_ratio=None, standardize=True, intercept=True, glmnet_y_scaling=None,
             tol=None, max_iter=100000, device="auto", precision=None, block_size=0,
             check_every=10, progress=None, penalty_factor=None, exclude=None,
             lower_limits=None, upper_limits=None, weights=None):
    """The paths of m responses sharing one X: Y (n, m), a column per response; a list of m
    Paths, Path k exactly regpath.fit(X, Y[:, k], ...)'s to rounding — its own lambda_max and
    automatic path (as m separate glmnet fits), or `lambdas` for every response. Gaussian: X
    is standardized and its Gram matrix formed once for all (n > 2p), the correlations of a
    block of responses one product. The responses run on `threads` threads (0, automatic: the
    REGPATH_NUM_THREADS environment variable, else every core for a tall (n > 2p) or sparse
    X, one for a wide dense X); the paths are the same for any number. Options as
    regpath.fit's (families gaussian, binomial and poisson; X dense or scipy.sparse, in host
    memory; no offset). A bad response is a ValueError naming it (1-based) and the row.
    progress: called with the fraction of all the responses' lambdas done."""
    X, Y, kw = _many_input(X, Y, threads, weights, family, alpha, lambdas, nlambda,
                           lambda_min_ratio, glmnet_y_scaling, standardize, intercept, tol,
                           max_iter, device, precision, block_size, check_every, progress,
                           penalty_factor, exclude, lower_limits, upper_limits)
    ds = _regpath.fit_many(X, Y, **kw)
    paths = []
    for d in ds:
        p = Path(d)
        p._x_data = d["x_data"]
        paths.append(p)
    return paths


def cv_many(X, Y, threads=0, family="gaussian", alpha=1.0, alphas=None, nfolds=10, foldid=None,
            seed=1, lambdas=None, nlambda=100, lambda_min_ratio=None, standardize=True,
            intercept=True, glmnet_y_scaling=None, tol=None, max_iter=100000, device="auto",
            precision="float64", block_size=0, check_every=10, progress=None,
            penalty_factor=None, exclude=None, lower_limits=None, upper_limits=None,
            type_measure=None, weights=None):
    """Cross-validation of m responses sharing one X: Y (n, m); a list of m CvResults, result
    k exactly regpath.cv(X, Y[:, k], ...)'s — all on the same folds (`foldid`, or the folds
    `seed` draws). threads as in regpath.fit_many; the other options as regpath.cv's (no
    offset)."""
    X, Y, kw = _many_input(X, Y, threads, weights, family, alpha, lambdas, nlambda,
                           lambda_min_ratio, glmnet_y_scaling, standardize, intercept, tol,
                           max_iter, device, precision, block_size, check_every, progress,
                           penalty_factor, exclude, lower_limits, upper_limits)
    alphas = [] if alphas is None else [float(a) for a in np.atleast_1d(alphas)]
    foldid, nfolds = _fold_ids(foldid, nfolds)
    ds = _regpath.cross_validate_many(
        X, Y, alphas=alphas, nfolds=int(nfolds), foldid=foldid, seed=int(seed),
        type_measure="default" if type_measure is None else str(type_measure), **kw)
    out = []
    for d in ds:
        r = CvResult(d)
        r._x_data = d["x_data"]
        out.append(r)
    return out


def cross_validate_folds(X, y, foldid, lambdas, family="gaussian", alpha=1.0, **kw):
    """The fits of the folds of `foldid` (1..K, K >= 3) on their training rows at `lambdas`,
    solved as one batch by the C++ cross-validation (the estimators' CV; their fold scores
    are computed from these paths). Returns the K fold Paths, fold 1 first."""
    foldid = np.asarray(foldid, dtype=np.int64)
    r = cv(X, y, family=family, alpha=alpha, foldid=foldid, nfolds=int(foldid.max()),
           lambdas=lambdas, **kw)
    return r.curves[0].fold_paths


def _save(model, file, feature_names, classes, what):
    if model is None:
        raise ValueError(f"{what}.save: this result has no model (a fit of X in device memory)")
    names = [] if feature_names is None else [str(n) for n in feature_names]
    labels = []
    if classes is not None:
        c = np.asarray(classes)
        if c.dtype.kind not in "biuf":
            raise ValueError(f"{what}.save: the class labels {list(c)!r} are not numbers; a model "
                             f"file stores numeric labels (fit with numeric y to save it)")
        labels = c.astype(np.float64).tolist()
    _regpath.save_model(model, str(file), names, labels)


class Model:
    """A model file read back (regpath.load_model): a fit's path or a cv's, with glmnet's predict
    and coef (exact = FALSE). family, alpha, lambdas, feature_names, n_classes, classes
    (multinomial labels), offset (predict needs new offsets), lambda_min / lambda_1se (a cv
    model; None otherwise), path (a Path of the saved coefficients)."""

    def __init__(self, handle):
        self._model = handle
        info = _regpath.model_info(handle)
        self.family = info["family"]
        self.alpha = info["alpha"]
        self.lambdas = info["lambdas"]
        self.feature_names = list(info["feature_names"])
        self.n_features = int(info["n_features"])
        self.n_classes = int(info["n_classes"])
        self.classes = info["class_labels"] if self.n_classes else None
        self.offset = bool(info["offset"])
        self.lambda_min = info.get("lambda_min")
        self.lambda_1se = info.get("lambda_1se")
        self.format_version = info["format_version"]
        self.path = Path(info["path"])
        self.path.offset = self.offset
        self.path.classes = self.classes

    def _s(self, s):
        if s is None:
            return _regpath.model_default_lambdas(self._model).tolist()
        if isinstance(s, str):
            if s not in ("lambda_min", "lambda_1se") or self.lambda_min is None:
                raise ValueError(f"invalid s: {s!r} (a number; 'lambda_min' or 'lambda_1se' for "
                                 f"a cv model)")
            return [getattr(self, s)]
        return _real_values(s, "s", "lambda values >= 0")

    def coef(self, s=None):
        """(p + 1, len(s)) coefficients at s, the intercept first (multinomial: (p + 1, C,
        len(s))); s None: every lambda of a fit, lambda_1se of a cv (glmnet's defaults)."""
        return _regpath.model_coef(self._model, self._s(s))

    def predict(self, X, s=None, type="link", offset=None):
        """glmnet's predict: (n, len(s)) (multinomial link/response (n, C, len(s))); type 'link',
        'response' or 'class'; offset the new rows' (n values; multinomial (n, C))."""
        X = np.asfortranarray(as_matrix(X))
        off = []
        if offset is not None:
            o = np.asarray(offset, dtype=np.float64)
            off = o.ravel(order="F").tolist()
        return _regpath.model_predict(self._model, X, self._s(s), str(type), off)

    def __repr__(self):
        kind = "cv" if self.lambda_min is not None else "fit"
        return (f"Model(family={self.family!r}, {kind}, nlambda={len(self.lambdas)}, "
                f"n_features={self.n_features})")


def load_model(file):
    """Reads a model file (`regpath fit|cv --save-model`, Path.save, CvResult.save, the C API's
    regpath_model_save); a corrupted, truncated or too new file is a ValueError naming the file
    and the field."""
    return Model(_regpath.load_model(str(file)))
