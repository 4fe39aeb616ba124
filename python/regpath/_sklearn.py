"""scikit-learn-style estimators over regpath.fit: ElasticNet, ElasticNetCV, LogisticRegression,
LogisticRegressionCV. scikit-learn's conventions and defaults (alpha=1.0, l1_ratio=0.5, C=1.0,
cv=5, no standardization unless standardize=True).

The mappings (see regpath.fit for the objective):
  ElasticNet:          sklearn's alpha is regpath's lambda, l1_ratio regpath's alpha; the
                       objectives are identical (glmnet_y_scaling off, standardize=False);
                       positive=True is regpath.fit's lower_limits=0.
  LogisticRegression:  sklearn minimizes C * sum_i loss_i + l1_ratio ||w||_1
                       + (1 - l1_ratio)/2 ||w||^2; divided by C n this is regpath's binomial
                       objective with lambda = 1 / (C n) (n the number of training rows) and
                       alpha = l1_ratio (penalty 'l1': 1, 'l2': 0). The intercept is not
                       penalized (as with sklearn's lbfgs and saga solvers). K > 2 classes:
                       regpath's multinomial, sklearn's multinomial loss, the same mapping.
sample_weight (every estimator's fit) are glmnet's observation weights,
whose conventions match scikit-learn's: ElasticNet's (1/2 sum w) sum_i w_i (y_i - x_i w - b)^2 (sklearn
rescales the weights to sum to n, the same objective), LogisticRegression's C sum_i w_i loss_i,
which divided by C sum w is regpath's weighted binomial objective at lambda = 1 / (C sum w).
ElasticNetCV takes them as scikit-learn 1.2 does (fold fits weighted, fold mse weighted over
its test rows, the alpha grid unweighted), LogisticRegressionCV too (fold fits weighted at
lambda = 1 / (C sum w_train), fold scores unweighted, as sklearn 1.2 scores them).
The CV estimators choose as scikit-learn does: the unweighted mean over folds of the per-fold
scores (mean squared error / accuracy or log-loss), its best value, first on ties.
tol is regpath's (a relative duality gap, not sklearn's coordinate-descent tolerance)."""

import warnings

import numpy as np
from scipy.special import expit, logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._core import fit as _fit, cross_validate_folds as _cv_folds, _is_sparse

__all__ = ["ElasticNet", "ElasticNetCV", "LogisticRegression", "LogisticRegressionCV"]

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # pragma: no cover - older scikit-learn: the estimator method
    def _sk_validate_data(est, *args, **kw):
        return est._validate_data(*args, **kw)

_FLOATS = [np.float64, np.float32]


def _validate_fit(est, X, y, y_numeric, accept_sparse=False):
    # Column-major float64/float32 as regpath reads it (no copy when it already is); a sparse X
    # (where accepted) as CSC or CSR, which regpath.fit reads sparse.
    return _sk_validate_data(est, X, y, dtype=_FLOATS, order="F", ensure_min_samples=2,
                             y_numeric=y_numeric, accept_sparse=accept_sparse)


def _validate_predict(est, X, accept_sparse=False):
    return _sk_validate_data(est, X, dtype=_FLOATS, reset=False, accept_sparse=accept_sparse)


# What every estimator takes sparse (regpath.fit's and regpath.cv's sparse X, on the CPU).
_SPARSE = ("csc", "csr")


def _options(est):
    kw = dict(standardize=est.standardize, intercept=est.fit_intercept, tol=est.tol,
              max_iter=est.max_iter, device=est.device, precision=est.precision)
    # sklearn's positive=True (the regressors') is glmnet's lower.limits = 0 for every feature.
    if getattr(est, "positive", False):
        kw["lower_limits"] = 0.0
    return kw


def _weights(sample_weight, X):
    """sample_weight as regpath.fit's weights (None: unweighted; a scalar: all equal)."""
    if sample_weight is None:
        return None
    return _check_sample_weight(sample_weight, X, dtype=np.float64)


def _warn_unconverged(path, what):
    bad = np.flatnonzero(path.status != "converged")
    if bad.size:
        warnings.warn(f"{what}: {bad.size} of {path.nlambda} lambda values did not converge "
                      f"({path.status[bad[0]]}, relative gap {path.gaps[bad[0]]:.3g}); raise "
                      "max_iter or loosen tol", ConvergenceWarning)


def _check_positive(name, value):
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"invalid {name} = {value}: must be > 0 (regpath solves penalized "
                         "problems only)")


def _splits(cv, X, y, classifier):
    return [(np.asarray(tr), np.asarray(te))
            for tr, te in check_cv(cv, y, classifier=classifier).split(X, y)]


def _rows(X, idx):
    if _is_sparse(X):
        return X[idx]  # rows of a CSC/CSR matrix, still sparse (regpath.fit converts to CSC)
    return np.asfortranarray(X[idx])


def _fold_paths(X, y, folds, lambdas_of, weights=None, **kw):
    """The path of every fold's training rows (with their weights, when given). lambdas_of
    gets the fold's training size: its number of rows, or its weight sum with weights. When the
    folds partition the rows into >= 3 test sets and every fold solves the same lambdas
    (lambdas_of returns one list), one regpath.cv call solves all folds as one batch;
    otherwise one regpath.fit per fold."""
    lists = [lambdas_of(len(tr) if weights is None else float(np.sum(weights[tr])))
             for tr, _ in folds]
    same = all(np.array_equal(lists[0], l) for l in lists)
    foldid = np.zeros(X.shape[0], dtype=np.int64)
    for f, (_, te) in enumerate(folds):
        foldid[te] = np.where(foldid[te] == 0, f + 1, -1)
    partition = len(folds) >= 3 and np.all(foldid > 0) and all(
        np.array_equal(np.sort(tr), np.flatnonzero(foldid != f + 1))
        for f, (tr, _) in enumerate(folds))
    if same and partition:  # dense or sparse X (regpath.cv takes either)
        return _cv_folds(X, y, foldid, lambdas=lists[0], weights=weights, **kw)
    return [_fit(_rows(X, tr), y[tr], lambdas=l,
                 weights=None if weights is None else weights[tr], **kw)
            for (tr, _), l in zip(folds, lists)]


class ElasticNet(RegressorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 priors (sklearn.linear_model.ElasticNet's
    objective and parameters): (1/2n)||y - Xw - b||^2 + alpha l1_ratio ||w||_1
    + alpha (1 - l1_ratio)/2 ||w||^2, solved by regpath at lambda = alpha; positive=True
    constrains w >= 0 (regpath.fit's lower_limits=0). X may be scipy.sparse (csc or csr;
    fitted sparse)."""

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, standardize=False,
                 tol=None, max_iter=100000, positive=False, device="auto",
                 precision="float64"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.positive = positive
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision

    def fit(self, X, y, sample_weight=None):
        """sample_weight: one weight >= 0 per row (not all 0), scikit-learn's (and glmnet's)
        weighted objective (1/2 sum w) sum_i w_i (y_i - x_i w - b)^2 + the penalty."""
        X, y = _validate_fit(self, X, y, y_numeric=True, accept_sparse=_SPARSE)
        _check_positive("alpha", self.alpha)
        path = _fit(X, y, family="gaussian", alpha=self.l1_ratio, lambdas=[self.alpha],
                    glmnet_y_scaling=False, weights=_weights(sample_weight, X),
                    **_options(self))
        _warn_unconverged(path, type(self).__name__)
        self.coef_ = path.coef_path[:, 0].copy()
        self.intercept_ = float(path.intercept[0])
        self.n_iter_ = int(path.iterations[0])
        self.dual_gap_ = float(path.gaps[0])
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = _validate_predict(self, X, accept_sparse=_SPARSE)
        return X @ self.coef_ + self.intercept_


def _alpha_grid(X, y, l1_ratio, fit_intercept, eps, n_alphas):
    # scikit-learn's _alpha_grid (dense X), so that alphas_ are sklearn's.
    if l1_ratio == 0:
        raise ValueError("Automatic alpha grid generation is not supported for l1_ratio=0; "
                         "pass alphas=")
    if _is_sparse(X):
        # Xcᵀyc = Xᵀyc − mean(X)·Σyc without forming the dense centred X (sklearn's sparse way)
        yc = y - y.mean() if fit_intercept else y
        xty = np.asarray(X.T @ yc).ravel()
        if fit_intercept:
            xty = xty - np.asarray(X.mean(axis=0)).ravel() * yc.sum()
        alpha_max = np.abs(xty).max() / (len(y) * l1_ratio)
    else:
        Xc, yc = (X - X.mean(axis=0), y - y.mean()) if fit_intercept else (X, y)
        alpha_max = np.abs(Xc.T @ yc).max() / (len(y) * l1_ratio)
    if alpha_max <= np.finfo(float).resolution:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.logspace(np.log10(alpha_max * eps), np.log10(alpha_max), num=n_alphas)[::-1]


class ElasticNetCV(RegressorMixin, BaseEstimator):
    """sklearn.linear_model.ElasticNetCV over regpath: l1_ratio (one or a list), alphas or
    n_alphas/eps (sklearn's grid), cv (int, splitter or iterable of (train, test)), selection
    'min' (sklearn's: least mean fold mse) or '1se' (the largest alpha within one standard error
    of it, glmnet's lambda.1se on unweighted fold means). Refits the full data at the choice.
    positive=True constrains the coefficients to be >= 0, in the folds and the refit. X may be
    scipy.sparse (csc or csr; each fold fitted sparse on its own)."""

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None,
                 fit_intercept=True, standardize=False, tol=None, max_iter=100000, cv=None,
                 selection="min", positive=False, device="auto", precision="float64"):
        self.positive = positive
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.cv = cv
        self.selection = selection
        self.device = device
        self.precision = precision

    def fit(self, X, y, sample_weight=None):
        """sample_weight: as scikit-learn's ElasticNetCV takes them (1.2): the alpha grid
        unweighted, each fold fitted with its training rows' weights, its mse the weighted
        mean over its test rows, the folds' mse averaged unweighted; the refit weighted."""
        # scikit-learn sums its grid's Xᵀy on X in the order it was given (C unless an F-ordered
        # array); an optimized BLAS sums the F-ordered copy below in another order, and alpha_max
        # could differ in its last bit
        c_order = not (isinstance(X, np.ndarray) and X.flags.f_contiguous
                       and not X.flags.c_contiguous)
        X, y = _validate_fit(self, X, y, y_numeric=True, accept_sparse=_SPARSE)
        grid_X = np.ascontiguousarray(X) if c_order and not _is_sparse(X) else X
        w = _weights(sample_weight, X)
        if self.selection not in ("min", "1se"):
            raise ValueError(f"invalid selection: {self.selection!r} (one of 'min', '1se')")
        l1_ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if self.alphas is None:
            alphas = np.array([_alpha_grid(grid_X, y, r, self.fit_intercept, self.eps,
                                           self.n_alphas) for r in l1_ratios])
        else:
            a = np.sort(np.atleast_1d(np.asarray(self.alphas, dtype=np.float64)))[::-1]
            for v in a:
                _check_positive("alphas", v)
            alphas = np.tile(a, (len(l1_ratios), 1))
        folds = _splits(self.cv, X, y, classifier=False)
        opts = _options(self)
        mse = np.empty((len(l1_ratios), alphas.shape[1], len(folds)))
        for i, r in enumerate(l1_ratios):
            paths = _fold_paths(X, y, folds, lambda n, i=i: alphas[i], weights=w,
                                family="gaussian", alpha=r, glmnet_y_scaling=False, **opts)
            for f, ((_, te), p) in enumerate(zip(folds, paths)):
                _warn_unconverged(p, f"{type(self).__name__} fold {f}")
                pred = X[te] @ p.coef_path + p.intercept
                mse[i, :, f] = np.average((pred - y[te, None]) ** 2, axis=0,
                                          weights=None if w is None else w[te])
        mean = mse.mean(axis=2)
        i_best, j_best = np.unravel_index(np.argmin(mean), mean.shape)
        if self.selection == "1se":
            se = mse[i_best].std(axis=1, ddof=1) / np.sqrt(len(folds))
            bound = mean[i_best, j_best] + se[j_best]
            j_best = int(np.flatnonzero(mean[i_best] <= bound)[0])  # alphas descending
        self.l1_ratio_ = float(l1_ratios[i_best])
        self.alpha_ = float(alphas[i_best, j_best])
        path = _fit(X, y, family="gaussian", alpha=self.l1_ratio_, lambdas=[self.alpha_],
                    glmnet_y_scaling=False, weights=w, **opts)
        _warn_unconverged(path, type(self).__name__)
        self.coef_ = path.coef_path[:, 0].copy()
        self.intercept_ = float(path.intercept[0])
        self.n_iter_ = int(path.iterations[0])
        self.dual_gap_ = float(path.gaps[0])
        self.alphas_ = np.squeeze(alphas)
        self.mse_path_ = np.squeeze(mse)
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = _validate_predict(self, X, accept_sparse=_SPARSE)
        return X @ self.coef_ + self.intercept_

    def _more_tags(self):
        # as scikit-learn's own ElasticNetCV: a zero weight keeps its row in the folds' split
        # and in the alpha grid, so it is not the row removed
        return {"_xfail_checks": {"check_sample_weights_invariance":
                                  "zero sample_weight is not equivalent to removing samples"}}


def _l1_ratio_of(penalty, l1_ratio):
    if penalty == "l1":
        return 1.0
    if penalty == "l2":
        return 0.0
    if penalty == "elasticnet":
        if l1_ratio is None or not 0 <= l1_ratio <= 1:
            raise ValueError(f"invalid l1_ratio = {l1_ratio}: penalty='elasticnet' needs "
                             "l1_ratio in [0, 1]")
        return float(l1_ratio)
    raise ValueError(f"invalid penalty: {penalty!r} (one of 'l1', 'l2', 'elasticnet')")


class _Classifier(ClassifierMixin, BaseEstimator):
    """Two classes: coef_ (1, p), regpath's binomial family; K > 2 classes: coef_ (K, p),
    intercept_ (K,), the multinomial family (softmax)."""

    def _encode(self, y):
        """y as 0/1 (two classes) or as it is (K > 2: regpath.fit encodes the labels in the
        order of classes_, np.unique's)."""
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 classes: y has {k}")
        return (y == self.classes_[1]).astype(np.float64) if k == 2 else y

    def decision_function(self, X):
        check_is_fitted(self)
        X = _validate_predict(self, X, accept_sparse=_SPARSE)
        d = np.asarray(X @ self.coef_.T) + self.intercept_
        return d[:, 0] if d.shape[1] == 1 else d

    def predict(self, X):
        d = self.decision_function(X)  # checks that it is fitted, before classes_
        if d.ndim == 1:
            return self.classes_[(d > 0).astype(np.intp)]
        return self.classes_[np.argmax(d, axis=1)]

    def predict_proba(self, X):
        d = self.decision_function(X)
        if d.ndim == 1:
            p1 = expit(d)
            return np.column_stack([1.0 - p1, p1])
        return np.exp(d - logsumexp(d, axis=1, keepdims=True))

    def predict_log_proba(self, X):
        eta = self.decision_function(X)
        if eta.ndim == 1:
            return np.column_stack([-np.logaddexp(0, eta), -np.logaddexp(0, -eta)])
        return eta - logsumexp(eta, axis=1, keepdims=True)

    def _more_tags(self):
        return {}


class LogisticRegression(_Classifier):
    """Logistic regression with sklearn.linear_model.LogisticRegression's parameters
    (penalty 'l2' | 'l1' | 'elasticnet', C, l1_ratio), solved at lambda = 1 / (C n), alpha =
    l1_ratio: two classes by regpath's binomial family (coef_ (1, p)); K > 2 classes by its
    multinomial family (coef_ (K, p), intercept_ (K,) centred), which is scikit-learn's
    multinomial loss with the penalty summed over the K rows of coef_ (its lbfgs / saga
    solvers' multi_class='multinomial', their default for K > 2)."""

    def __init__(self, penalty="l2", *, C=1.0, l1_ratio=None, fit_intercept=True,
                 standardize=False, tol=None, max_iter=100000, device="auto",
                 precision="float64"):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision

    def fit(self, X, y, sample_weight=None):
        """sample_weight: one weight >= 0 per row (not all 0), scikit-learn's
        C sum_i w_i loss_i: regpath's weighted binomial (multinomial) fit at
        lambda = 1 / (C sum w)."""
        X, y = _validate_fit(self, X, y, y_numeric=False, accept_sparse=_SPARSE)
        y01 = self._encode(y)
        a = _l1_ratio_of(self.penalty, self.l1_ratio)
        _check_positive("C", self.C)
        w = _weights(sample_weight, X)
        total = len(y) if w is None else float(np.sum(w))
        if not total > 0:
            raise ValueError("invalid sample_weight: every weight is 0; at least one row must "
                             "count")
        family = "binomial" if len(self.classes_) == 2 else "multinomial"
        path = _fit(X, y01, family=family, alpha=a, lambdas=[1.0 / (self.C * total)],
                    weights=w, **_options(self))
        _warn_unconverged(path, type(self).__name__)
        if family == "binomial":
            self.coef_ = path.coef_path[:, :1].T.copy()
            self.intercept_ = path.intercept[:1].copy()
        else:  # (p, K, 1) and (K, 1)
            self.coef_ = np.ascontiguousarray(path.coef_path[:, :, 0].T)
            self.intercept_ = path.intercept[:, 0].copy()
        self.n_iter_ = path.iterations[:1].copy()
        return self


class LogisticRegressionCV(_Classifier):
    """sklearn.linear_model.LogisticRegressionCV over regpath (two classes: binomial; K > 2:
    multinomial, scikit-learn's multi_class='multinomial'): Cs (an int n:
    np.logspace(-4, 4, n), as sklearn; or a list), l1_ratios with penalty='elasticnet', cv
    (default stratified 5-fold), scoring None/'accuracy' or 'neg_log_loss'. Each fold solves
    lambda = 1 / (C n_train); the (C, l1_ratio) of the best mean fold score (first on ties) is
    refitted on all rows at lambda = 1 / (C n). sample_weight as scikit-learn 1.2 takes it:
    each fold fitted with its training rows' weights at lambda = 1 / (C sum w_train), the fold
    scores unweighted (sklearn scores the test rows without weights), the refit weighted at
    lambda = 1 / (C sum w)."""

    def __init__(self, *, Cs=10, l1_ratios=None, penalty="l2", cv=None, scoring=None,
                 fit_intercept=True, standardize=False, tol=None, max_iter=100000,
                 device="auto", precision="float64"):
        self.Cs = Cs
        self.l1_ratios = l1_ratios
        self.penalty = penalty
        self.cv = cv
        self.scoring = scoring
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.device = device
        self.precision = precision

    def _score(self, prob, codes):
        """Per-lambda scores of the held-out rows: prob (n, K, nl) class probabilities (two
        classes: (n, nl), class 1's), codes their classes 0..K-1."""
        if prob.ndim == 2:
            prob = np.stack([1.0 - prob, prob], axis=1)
        if self.scoring in (None, "accuracy"):
            return (np.argmax(prob, axis=1) == codes[:, None]).mean(axis=0)
        if self.scoring == "neg_log_loss":
            eps = np.finfo(np.float64).eps
            q = np.clip(prob[np.arange(codes.shape[0]), codes], eps, 1 - eps)
            return np.log(q).mean(axis=0)
        raise ValueError(f"invalid scoring: {self.scoring!r} (None, 'accuracy', "
                         "'neg_log_loss')")

    def fit(self, X, y, sample_weight=None):
        X, y = _validate_fit(self, X, y, y_numeric=False, accept_sparse=_SPARSE)
        y01 = self._encode(y)
        w = _weights(sample_weight, X)
        total = len(y) if w is None else float(np.sum(w))
        if not total > 0:
            raise ValueError("invalid sample_weight: every weight is 0; at least one row must "
                             "count")
        if self.penalty == "elasticnet":
            if self.l1_ratios is None:
                raise ValueError("invalid l1_ratios = None: penalty='elasticnet' needs a list")
            l1_ratios = [_l1_ratio_of("elasticnet", r) for r in self.l1_ratios]
        else:
            l1_ratios = [_l1_ratio_of(self.penalty, None)]
        if isinstance(self.Cs, (int, np.integer)):
            Cs = np.logspace(-4, 4, self.Cs)
        else:
            Cs = np.asarray(self.Cs, dtype=np.float64)
        for c in Cs:
            _check_positive("Cs", c)
        order = np.argsort(Cs, kind="stable")  # ascending C is descending lambda
        folds = _splits(self.cv, X, y, classifier=True)
        opts = _options(self)
        k_classes = len(self.classes_)
        family = "binomial" if k_classes == 2 else "multinomial"
        codes = np.searchsorted(self.classes_, y)
        scores = np.empty((len(folds), len(Cs), len(l1_ratios)))
        for k, r in enumerate(l1_ratios):
            paths = _fold_paths(X, y01, folds, lambda n: 1.0 / (Cs[order] * n), weights=w,
                                family=family, alpha=r, **opts)
            for f, ((_, te), p) in enumerate(zip(folds, paths)):
                _warn_unconverged(p, f"{type(self).__name__} fold {f}")
                if p.classes is not None and len(p.classes) != k_classes:
                    raise ValueError(f"fold {f}'s training rows hold {len(p.classes)} of the "
                                     f"{k_classes} classes; use folds that keep every class")
                prob = p.predict(X[te], s=None, type="response")
                scores[f, order, k] = self._score(prob, codes[te])
        flat = scores.transpose(0, 2, 1).reshape(len(folds), -1)  # sklearn's (l1, C) order
        best = int(flat.sum(axis=0).argmax())
        C_best, r_best = Cs[best % len(Cs)], l1_ratios[best // len(Cs)]
        path = _fit(X, y01, family=family, alpha=r_best, lambdas=[1.0 / (C_best * total)],
                    weights=w, **opts)
        _warn_unconverged(path, type(self).__name__)
        rows = 1 if k_classes == 2 else k_classes  # sklearn's: one row per class if multinomial
        self.Cs_ = Cs
        self.C_ = np.full(rows, C_best)
        self.l1_ratio_ = np.array([r_best if self.penalty == "elasticnet" else None] * rows)
        self.l1_ratios_ = np.asarray(l1_ratios if self.penalty == "elasticnet" else [None])
        kept = scores if self.penalty == "elasticnet" else scores[:, :, 0]
        keys = self.classes_[1:] if k_classes == 2 else self.classes_
        self.scores_ = {c: kept for c in keys}
        if family == "binomial":
            self.coef_ = path.coef_path[:, :1].T.copy()
            self.intercept_ = path.intercept[:1].copy()
        else:
            self.coef_ = np.ascontiguousarray(path.coef_path[:, :, 0].T)
            self.intercept_ = path.intercept[:, 0].copy()
        self.n_iter_ = path.iterations[:1].copy()
        return self

    def _more_tags(self):
        # as scikit-learn's own LogisticRegressionCV: a zero weight keeps its row in the folds'
        # split and their unweighted scores, so it is not the row removed
        tags = super()._more_tags()
        tags["_xfail_checks"] = {"check_sample_weights_invariance":
                                 "zero sample_weight is not equivalent to removing samples"}
        return tags
