"""regpath.fit / regpath.cv against R glmnet's committed references (tests/data, made by
scripts/make_reference_data.R, scripts/make_binomial_reference.R and
python/tests/make_glmnet_interp_reference.R), and the Path/CvResult objects themselves."""

import pickle

import numpy as np
import pytest

import regpath
from conftest import DATA, PY_DATA, load_problem, read_csv

TOL = 1e-10  # relative duality gap: coefficients to ~1e-9 of glmnet's (thresh 1e-30)


def _groups(path):
    header, rows = read_csv(path)
    keys = rows[:, :3]
    for key in np.unique(keys, axis=0):
        sel = np.all(keys == key, axis=1)
        yield key, rows[sel], header


@pytest.mark.parametrize("problem,family", [("tall", "gaussian"), ("wide", "gaussian"),
                                            ("binom_tall", "binomial")])
def test_fit_matches_glmnet(problem, family):
    X, y = load_problem(problem)
    prefix = "binom_ref_tall" if family == "binomial" else f"ref_{problem}"
    n_groups = 0
    for (alpha, std, icpt), rows, _ in _groups(DATA / f"{prefix}_glmnet.csv"):
        lambdas = rows[:, 3]
        p = regpath.fit(X, y, family=family, alpha=alpha, lambdas=lambdas,
                        standardize=bool(std), intercept=bool(icpt), tol=TOL)
        order = np.argsort(-lambdas, kind="stable")
        # glmnet's binomial reference itself is known to ~1e-5 (its IRLS stops there; the C++
        # suite's test_binomial.cpp uses the same bound)
        atol = 2e-5 if family == "binomial" else 1e-6
        np.testing.assert_allclose(p.lambdas, lambdas[order], rtol=1e-14)
        np.testing.assert_allclose(p.intercept, rows[order, 4], atol=atol)
        np.testing.assert_allclose(p.coef_path, rows[order, 5:].T, atol=atol)
        assert np.all(p.status == "converged")
        n_groups += 1
    assert n_groups > 0


def test_default_path_matches_glmnet():
    X, y = load_problem("tall")
    for (alpha, std, icpt), rows, _ in _groups(DATA / "ref_tall_glmnet_default_lambda.csv"):
        p = regpath.fit(X, y, alpha=alpha, standardize=bool(std), intercept=bool(icpt))
        # glmnet may end its path early; it is a prefix of regpath's
        np.testing.assert_allclose(p.lambdas[:len(rows)], rows[:, 3], rtol=1e-9)


def test_path_arrays():
    X, y = load_problem("tall")
    p = regpath.fit(X, y, nlambda=30)
    assert p.coef_path.shape == (10, 30) and p.nlambda == 30 and p.n_features == 10
    for a in (p.lambdas, p.intercept, p.iterations, p.gaps, p.status, p.dev_ratio):
        assert isinstance(a, np.ndarray) and a.shape == (30,)
    assert np.all(np.diff(p.lambdas) < 0)
    assert p.lambda_max == pytest.approx(p.lambdas[0])
    assert np.all(p.coef_path[:, 0] == 0)
    assert p.coef().shape == (11, 30)
    np.testing.assert_allclose(p.predict(X)[:, 5], X @ p.coef_path[:, 5] + p.intercept[5])
    q = pickle.loads(pickle.dumps(p))
    np.testing.assert_array_equal(q.coef_path, p.coef_path)


def test_coef_interpolation_matches_glmnet():
    X, y = load_problem("tall")
    header, lam_rows = read_csv(DATA / "lambdas_tall.csv")
    sel = np.all(lam_rows[:, :3] == [1, 1, 1], axis=1)
    p = regpath.fit(X, y, alpha=1.0, lambdas=lam_rows[sel, 3], tol=TOL)
    _, ref = read_csv(PY_DATA / "glmnet_interp_tall.csv")
    s = ref[:, 0]
    np.testing.assert_allclose(p.coef(s), ref[:, 1:].T, atol=1e-6)
    np.testing.assert_allclose(p.predict(X, s), X @ ref[:, 2:].T + ref[:, 1], atol=1e-5)


def test_interpolate_coef_rules():
    lam = np.array([4.0, 2.0, 1.0])
    beta = np.array([[0.0, 2.0, 3.0]])
    got = regpath.interpolate_coef(lam, beta, [8.0, 4.0, 3.0, 2.0, 1.5, 1.0, 0.1])
    # linear in lambda between neighbours, the nearest end outside the path
    np.testing.assert_allclose(got[0], [0.0, 0.0, 1.0, 2.0, 2.5, 3.0, 3.0])
    one = regpath.interpolate_coef([1.0], np.array([[5.0]]), [3.0, 0.5])
    np.testing.assert_array_equal(one, [[5.0, 5.0]])


@pytest.mark.parametrize("problem,foldfile,name,family,alpha", [
    ("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a1", "gaussian", 1.0),
    ("tall", "cv_foldid_tall.csv", "cv_tall_gaussian_a05", "gaussian", 0.5),
    ("binom_tall", "cv_foldid_binom_tall.csv", "cv_binom_tall_a1", "binomial", 1.0),
])
def test_cv_matches_cv_glmnet(problem, foldfile, name, family, alpha):
    X, y = load_problem(problem)
    _, ref = read_csv(DATA / f"{name}.csv")
    _, select = read_csv(DATA / f"{name}_select.csv")
    _, foldid = read_csv(DATA / foldfile)
    r = regpath.cv(X, y, family=family, alpha=alpha, lambdas=ref[:, 0],
                   foldid=foldid[:, 0].astype(int), tol=TOL)
    c = r.curve
    np.testing.assert_allclose(c.lambdas, ref[:, 0], rtol=1e-12)
    np.testing.assert_allclose(c.cvm, ref[:, 1], rtol=1e-6)
    np.testing.assert_allclose(c.cvsd, ref[:, 2], rtol=1e-5)
    np.testing.assert_array_equal(c.nzero, ref[:, 3])
    assert r.lambda_min == pytest.approx(select[0, 0], rel=1e-9)
    assert r.lambda_1se == pytest.approx(select[0, 1], rel=1e-9)
    assert r.path.nlambda == len(ref) and len(c.fold_paths) == r.nfolds
    np.testing.assert_allclose(r.coef("lambda_min"), r.path.coef(r.lambda_min))


def test_cv_several_alphas_and_seed():
    X, y = load_problem("tall")
    r = regpath.cv(X, y, alphas=[0.5, 1.0], nfolds=4, seed=3, nlambda=20)
    assert [c.alpha for c in r.curves] == [0.5, 1.0]
    assert r.best in (0, 1) and r.foldid.shape == (X.shape[0],)
    assert set(np.unique(r.foldid)) == {1, 2, 3, 4}
    again = regpath.cv(X, y, alphas=[0.5, 1.0], nfolds=4, seed=3, nlambda=20, precision=None)
    np.testing.assert_array_equal(again.foldid, r.foldid)


def test_float32_and_options():
    X, y = load_problem("tall")
    p32 = regpath.fit(X.astype(np.float32), y, precision="float32", nlambda=10)
    p64 = regpath.fit(X, y, nlambda=10)
    assert p32.precision == "float32"
    np.testing.assert_allclose(p32.coef_path, p64.coef_path, atol=5e-3)
    seen = []
    regpath.fit(X, y, nlambda=50, block_size=5, progress=seen.append)
    assert seen and 0 < seen[-1] <= 1 and seen == sorted(seen)
    p = regpath.fit(X, y, lambdas=[0.1, 0.5, 0.01], intercept=False, standardize=False,
                    lambda_min_ratio=0.1, max_iter=1000, check_every=5, device="cpu")
    np.testing.assert_array_equal(p.lambdas, [0.5, 0.1, 0.01])
    assert np.all(p.intercept == 0) and p.device == "cpu"
