"""A scipy.sparse X: regpath.fit, regpath.cv and the estimators fit it sparse (the C++
SparseMatrixView, never densified; gaussian, binomial, poisson) and give the dense X's path and
curves; what the sparse fit does not take yet is refused with a ValueError naming it."""
import numpy as np
import pytest

sp = pytest.importorskip("scipy.sparse")  # python3-scipy (scripts/setup-deps installs it)

import regpath
from conftest import make_regression


def sparse_regression(rng, n=80, p=12, density=0.3):
    """X with most entries 0, an all-zero column and an all-zero row, and a response."""
    X, _ = make_regression(rng, n, p)
    X[rng.random((n, p)) > density] = 0.0
    X[:, 4] = 0.0
    X[7, :] = 0.0
    y = X[:, :3] @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.5 * rng.standard_normal(n)
    return X, y


def assert_same_path(dense, sparse, tol=1e-10):
    np.testing.assert_allclose(sparse.lambdas, dense.lambdas, rtol=tol, atol=0)
    np.testing.assert_allclose(sparse.coef(), dense.coef(), rtol=0, atol=tol)
    assert list(sparse.status) == list(dense.status)


@pytest.mark.parametrize("fmt", ["csc", "csr", "coo"])
@pytest.mark.parametrize("opts", [
    dict(nlambda=20),
    dict(alpha=0.5, nlambda=15, glmnet_y_scaling=True),
    dict(standardize=False, nlambda=10),
    dict(intercept=False, lambdas=[0.5, 0.1, 0.01]),
    dict(alpha=0.0, nlambda=8),
    dict(penalty_factor=[2.0] + [1.0] * 11, lower_limits=-0.5, nlambda=10),
    dict(exclude=[1, 6], penalty_factor=[1.0] * 11 + [np.inf], nlambda=10),
])
def test_sparse_fit_equals_dense_fit(rng, fmt, opts):
    X, y = sparse_regression(rng)
    dense = regpath.fit(np.asfortranarray(X), y, device="cpu", tol=1e-12, **opts)
    sparse = regpath.fit(sp.csc_matrix(X).asformat(fmt), y, device="cpu", tol=1e-12, **opts)
    assert sparse.device == "cpu"
    assert_same_path(dense, sparse)


def test_sparse_arrays_as_sparse_matrices(rng):
    # scipy's sparse arrays (csr_array, csc_array) are taken as the matrices are
    X, y = sparse_regression(rng)
    dense = regpath.fit(np.asfortranarray(X), y, nlambda=10, device="cpu", tol=1e-12)
    for A in (sp.csr_array(X), sp.csc_array(X)):
        assert_same_path(dense, regpath.fit(A, y, nlambda=10, device="cpu", tol=1e-12))
    est = regpath.ElasticNet(alpha=0.05, tol=1e-12).fit(sp.csr_array(X), y)
    np.testing.assert_allclose(est.coef_, regpath.ElasticNet(alpha=0.05, tol=1e-12).fit(X, y).coef_,
                               atol=1e-10)


def test_csc_is_read_in_place_and_float32_stays_float32(rng):
    X, y = sparse_regression(rng)
    A = sp.csc_matrix(X)
    A.indices = A.indices.astype(np.int64)
    A.indptr = A.indptr.astype(np.int64)
    path = regpath.fit(A, y, nlambda=5, device="cpu")
    assert path._x_data == A.data.ctypes.data  # the values were not copied
    A32 = sp.csc_matrix(X.astype(np.float32))
    p32 = regpath.fit(A32, y, nlambda=5, device="cpu", precision="float32")
    d32 = regpath.fit(np.asfortranarray(X.astype(np.float32)), y, nlambda=5, device="cpu",
                      precision="float32")
    assert p32._x_data == A32.data.ctypes.data
    np.testing.assert_allclose(p32.coef(), d32.coef(), atol=1e-5)


def test_duplicates_and_unsorted_indices_are_summed_and_sorted(rng):
    X, y = sparse_regression(rng, n=30, p=5)
    raw = sp.csc_matrix(X)
    # Each column's entries reversed (unsorted rows), then each entry split into two halves
    # (duplicates), built from the CSC arrays themselves: scipy's constructors would sum them.
    indptr, indices, data = [0], [], []
    for j in range(X.shape[1]):
        rows = raw.indices[raw.indptr[j]:raw.indptr[j + 1]][::-1]
        vals = raw.data[raw.indptr[j]:raw.indptr[j + 1]][::-1]
        indices += list(rows) + list(rows)
        data += list(vals / 2) + list(vals / 2)
        indptr.append(len(data))
    messy = sp.csc_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=X.shape)
    assert not messy.has_canonical_format
    dense = regpath.fit(np.asfortranarray(X), y, nlambda=10, device="cpu", tol=1e-12)
    assert_same_path(dense, regpath.fit(messy, y, nlambda=10, device="cpu", tol=1e-12))
    assert not messy.has_canonical_format  # the user's matrix is left as it was


def test_weighted_gaussian_fit_takes_sparse_x(rng):
    # On the GLM batch (the dense fit's transformation would densify X): the dense weighted path.
    X, y = sparse_regression(rng, n=40, p=6)
    w = rng.uniform(0.2, 2.0, size=40)
    dense = regpath.fit(np.asfortranarray(X), y, nlambda=8, device="cpu", tol=1e-12, weights=w)
    assert_same_path(dense, regpath.fit(sp.csc_matrix(X), y, nlambda=8, device="cpu", tol=1e-12,
                                        weights=w))


def test_elastic_net_estimator_takes_sparse_x(rng):
    X, y = sparse_regression(rng)
    dense = regpath.ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-12).fit(X, y)
    for fmt in ("csc", "csr"):
        est = regpath.ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-12).fit(
            sp.csc_matrix(X).asformat(fmt), y)
        np.testing.assert_allclose(est.coef_, dense.coef_, atol=1e-10)
        assert abs(est.intercept_ - dense.intercept_) <= 1e-10
        np.testing.assert_allclose(est.predict(sp.csr_matrix(X)), dense.predict(X), atol=1e-9)


def test_unpenalized_features_with_weights_fit_as_the_dense_x(rng):
    X, y = sparse_regression(rng)
    kw = dict(nlambda=8, tol=1e-14, penalty_factor=[0.0] + [1.0] * 11,
              weights=np.linspace(0.5, 2.0, 80))
    dense = regpath.fit(X, y, **kw)
    sparse = regpath.fit(sp.csc_matrix(X), y, **kw)
    assert_same_path(dense, sparse, tol=1e-9)
    assert np.all(sparse.coef_path[0] != 0)  # the unpenalized feature, in every model


@pytest.mark.parametrize("kw,error,message", [
    (dict(device="cuda"), ValueError, "sparse X: device cuda"),
])
def test_what_sparse_x_does_not_take_is_refused_by_name(rng, kw, error, message):
    X, y = sparse_regression(rng)
    with pytest.raises(error, match=message):
        regpath.fit(sp.csc_matrix(X), y, nlambda=5, **kw)


@pytest.mark.parametrize("kw", [dict(n_alphas=12), dict(alphas=[0.5, 0.1, 0.02],
                                                         fit_intercept=False, l1_ratio=[0.3, 1])])
def test_elastic_net_cv_takes_sparse_x(rng, kw):
    # The folds as one regpath.cv batch, sparse or dense: the same grid, errors and choice.
    X, y = sparse_regression(rng)
    dense = regpath.ElasticNetCV(cv=4, tol=1e-12, **kw).fit(X, y)
    for fmt in ("csc", "csr"):
        est = regpath.ElasticNetCV(cv=4, tol=1e-12, **kw).fit(sp.csc_matrix(X).asformat(fmt), y)
        np.testing.assert_allclose(est.alphas_, dense.alphas_, rtol=1e-12)
        np.testing.assert_allclose(est.mse_path_, dense.mse_path_, rtol=1e-8)
        assert (est.alpha_, est.l1_ratio_) == (dense.alpha_, dense.l1_ratio_)
        np.testing.assert_allclose(est.coef_, dense.coef_, atol=1e-10)
        np.testing.assert_allclose(est.predict(sp.csr_matrix(X)), dense.predict(X), atol=1e-9)


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_sparse_glm_fit_equals_dense_fit(rng, family):
    X, y = sparse_regression(rng)
    y = (y > np.median(y)).astype(float) if family == "binomial" else np.round(np.exp(y / 4))
    for opts in (dict(nlambda=12), dict(alpha=0.3, nlambda=8, standardize=False),
                 dict(alpha=0.5, nlambda=10, penalty_factor=[0.0] + [1.0] * 11)):  # unpenalized
        dense = regpath.fit(np.asfortranarray(X), y, family=family, device="cpu", tol=1e-12,
                            **opts)
        sparse = regpath.fit(sp.csr_matrix(X), y, family=family, device="cpu", tol=1e-12,
                             **opts)
        assert sparse.family == family
        assert_same_path(dense, sparse)
        np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X), type="response"),
                                   dense.predict(X, type="response"), atol=1e-10)


def test_classifiers_take_sparse_x(rng):
    X, y = sparse_regression(rng)
    y01 = (y > np.median(y)).astype(int)
    dense = regpath.LogisticRegression(C=2.0, tol=1e-12).fit(X, y01)
    est = regpath.LogisticRegression(C=2.0, tol=1e-12).fit(sp.csc_matrix(X), y01)
    np.testing.assert_allclose(est.coef_, dense.coef_, atol=1e-10)
    np.testing.assert_allclose(est.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X),
                               atol=1e-10)
    kw = dict(Cs=4, cv=3, tol=1e-12, scoring="neg_log_loss")
    dense = regpath.LogisticRegressionCV(**kw).fit(X, y01)
    est = regpath.LogisticRegressionCV(**kw).fit(sp.csr_matrix(X), y01)
    assert est.C_ == dense.C_
    np.testing.assert_allclose(est.scores_[1], dense.scores_[1], rtol=1e-8)
    np.testing.assert_allclose(est.coef_, dense.coef_, atol=1e-10)


def assert_same_cv(dense, sparse, tol=1e-9):
    assert list(sparse.foldid) == list(dense.foldid)
    for d, s in zip(dense.curves, sparse.curves):
        np.testing.assert_allclose(s.lambdas, d.lambdas, rtol=tol, atol=0)
        np.testing.assert_allclose(s.cvm, d.cvm, rtol=tol, atol=0)
        np.testing.assert_allclose(s.cvsd, d.cvsd, rtol=0, atol=tol * np.max(d.cvm))
        assert (s.lambda_min, s.lambda_1se) == pytest.approx((d.lambda_min, d.lambda_1se),
                                                              rel=tol)
        np.testing.assert_allclose(s.path.coef(), d.path.coef(), rtol=0,
                                   atol=tol * max(1.0, np.max(np.abs(d.path.coef()))))


@pytest.mark.parametrize("family", ["gaussian", "binomial", "poisson"])
@pytest.mark.parametrize("opts", [
    dict(nlambda=12),
    dict(nlambda=10, standardize=False, intercept=False, alphas=[1.0, 0.5]),
    dict(nlambda=10, weighted=True, offset=True),
])
def test_sparse_cv_equals_dense_cv(rng, family, opts):
    X, y = sparse_regression(rng)
    y = {"gaussian": y, "binomial": (y > np.median(y)).astype(float),
         "poisson": np.round(np.exp(y / 4))}[family]
    opts = dict(opts)
    if opts.pop("weighted", False):
        opts["weights"] = 0.5 + rng.random(80)
    if opts.pop("offset", False):
        opts["offset"] = 0.2 * rng.standard_normal(80)
    foldid = np.arange(80) % 4 + 1
    kw = dict(family=family, foldid=foldid, device="cpu",
              tol=1e-14 if family == "gaussian" else 1e-12, **opts)
    dense = regpath.cv(np.asfortranarray(X), y, **kw)
    for fmt in ("csc", "csr"):
        assert_same_cv(dense, regpath.cv(sp.csc_matrix(X).asformat(fmt), y, **kw))


def test_bad_sparse_input(rng):
    X, y = sparse_regression(rng)
    with pytest.raises(ValueError, match="invalid y: 79 values for the 80 rows"):
        regpath.fit(sp.csc_matrix(X), y[:-1], nlambda=5)
    with pytest.raises(ValueError, match="sparse dtype complex128"):
        regpath.fit(sp.csc_matrix(X.astype(complex)), y, nlambda=5)
    bad = sp.csc_matrix(X)
    bad.data[3] = np.nan
    with pytest.raises(ValueError, match="not finite"):
        regpath.fit(bad, y, nlambda=5)
    ints = sp.csc_matrix((X * 10).astype(np.int32))
    dense = regpath.fit(np.asfortranarray((X * 10).astype(np.int32).astype(float)), y,
                        nlambda=5, device="cpu")
    assert_same_path(dense, regpath.fit(ints, y, nlambda=5, device="cpu"), tol=1e-9)
