"""regpath.fit_many / cv_many: m responses sharing one X (the C++ fit(X, Y) / cross_validate(X,
Y)); each result is the single response's, equal to R glmnet per response (the C++ suite's
reference, scripts/make_many_responses_reference.R), and the same for any number of threads."""
import numpy as np
import pytest

import regpath
from conftest import DATA, make_regression, read_csv


def responses(rng, n=90, p=6, m=4):
    X, _ = make_regression(rng, n, p)
    B = rng.standard_normal((p, m)) * (rng.random((p, m)) < 0.6)
    Y = X @ B + rng.standard_normal((n, m)) * np.array([0.5, 1, 2, 4][:m]) + np.arange(m)
    return X, Y


def assert_same(a, b):
    assert np.array_equal(a.lambdas, b.lambdas)
    assert np.array_equal(a.coef(), b.coef())
    assert list(a.status) == list(b.status)


def test_each_path_is_the_single_fit(rng):
    X, Y = responses(rng)
    paths = regpath.fit_many(X, Y, tol=1e-11, nlambda=30, alpha=0.7)
    assert len(paths) == Y.shape[1]
    for k, p in enumerate(paths):
        one = regpath.fit(X, Y[:, k], tol=1e-11, nlambda=30, alpha=0.7)
        np.testing.assert_allclose(p.lambdas, one.lambdas, rtol=1e-13)
        np.testing.assert_allclose(p.coef(), one.coef(), rtol=0,
                                   atol=1e-9 * np.abs(one.coef()).max())


@pytest.mark.parametrize("shape", [(90, 6), (20, 30)])  # tall (the shared Gram form) and wide
def test_threads_give_the_same_paths(rng, shape):
    X, Y = responses(rng, *shape)
    one = regpath.fit_many(X, Y, threads=1, nlambda=15)
    for threads in (2, 5):
        for a, b in zip(regpath.fit_many(X, Y, threads=threads, nlambda=15), one):
            assert_same(a, b)


def test_against_glmnet_per_response():
    header, rows = read_csv(DATA / "many_gauss.csv")
    p = sum(h.startswith("x") for h in header)
    X, Y = np.asfortranarray(rows[:, :p]), rows[:, p:]
    _, ref = read_csv(DATA / "many_ref_gauss.csv")
    paths = regpath.fit_many(X, Y, nlambda=20, tol=1e-12)
    for k, path in enumerate(paths):
        g = ref[(ref[:, 0] == 1) & (ref[:, 1] == k + 1)]
        nl = g.shape[0]  # glmnet may end its path early
        np.testing.assert_allclose(path.lambdas[:nl], g[:, 2], rtol=1e-10)
        scale = np.abs(g[:, 4:]).max() + 1e-300
        np.testing.assert_allclose(path.coef()[:, :nl].T, g[:, 3:], rtol=0, atol=1e-6 * scale,
                                   err_msg=f"response {k + 1}")


def test_binomial_and_sparse(rng):
    X, Y = responses(rng, 120, 8, 3)
    Yb = (Y > np.median(Y, axis=0)).astype(float)
    for k, p in enumerate(regpath.fit_many(X, Yb, family="binomial", nlambda=10, tol=1e-10)):
        assert_same(p, regpath.fit(X, Yb[:, k], family="binomial", nlambda=10, tol=1e-10))
    sp = pytest.importorskip("scipy.sparse")
    Xs = X.copy()
    Xs[rng.random(Xs.shape) < 0.6] = 0.0
    S = sp.csc_matrix(Xs)
    for k, p in enumerate(regpath.fit_many(S, Y, nlambda=10, tol=1e-11)):
        assert_same(p, regpath.fit(S, Y[:, k], nlambda=10, tol=1e-11))


def test_cv_many_is_each_responses_cv(rng):
    X, Y = responses(rng)
    foldid = np.arange(X.shape[0]) % 4 + 1
    results = regpath.cv_many(X, Y, foldid=foldid, nlambda=12, threads=2)
    assert len(results) == Y.shape[1]
    for k, r in enumerate(results):
        one = regpath.cv(X, Y[:, k], foldid=foldid, nlambda=12)
        assert np.array_equal(r.curves[0].cvm, one.curves[0].cvm)
        assert r.lambda_1se == one.lambda_1se


def test_a_path_saves_and_predicts(rng, tmp_path):
    X, Y = responses(rng)
    paths = regpath.fit_many(X, Y, nlambda=8)
    paths[2].save(tmp_path / "y3.json")
    model = regpath.load_model(tmp_path / "y3.json")
    np.testing.assert_allclose(model.predict(X), paths[2].predict(X), rtol=1e-12, atol=1e-12)


def test_bad_input_is_named(rng):
    X, Y = responses(rng)
    Y[7, 1] = np.nan
    with pytest.raises(ValueError, match=r"response 2.*row 8"):
        regpath.fit_many(X, Y)
    with pytest.raises(ValueError, match="rows"):
        regpath.fit_many(X, np.ones((X.shape[0] - 1, 2)))
    with pytest.raises(ValueError, match="multinomial"):
        regpath.fit_many(X, np.ones((X.shape[0], 2)), family="multinomial")
    with pytest.raises(ValueError, match="threads"):
        regpath.fit_many(X, np.ones((X.shape[0], 2)), threads=-1)
    with pytest.raises(ValueError, match="fit_many"):
        regpath.fit(X, np.ones((X.shape[0], 2)))
