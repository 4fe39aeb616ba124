"""regpath.fit(offset=...), regpath.cv(offset=...) and predict(offset=...): glmnet's offset,
against R glmnet 4.1 on the C++ suite's references (scripts/make_offset_reference.R), and the
bad values."""
import numpy as np
import pytest

import regpath
from conftest import DATA, load_problem, read_csv

PROBLEMS = {"gaussian": ("penalty_gauss", "gauss", "penalty_foldid_gauss"),
            "binomial": ("penalty_binom", "binom", "penalty_foldid_binom"),
            "poisson": ("poisson_counts", "poisson", "poisson_foldid")}


def column(name):
    return read_csv(DATA / f"{name}.csv")[1][:, 0]


# offset_ref_<tag>.csv: case, alpha, weighted, intercept, lambda, dev_ratio, a0, b1..bp
@pytest.mark.parametrize("family", ["gaussian", "binomial", "poisson"])
@pytest.mark.parametrize("case", [1, 2, 3, 4])
def test_fit_matches_glmnet(family, case):
    problem, tag, _ = PROBLEMS[family]
    X, y = load_problem(problem)
    _, ref = read_csv(DATA / f"offset_ref_{tag}.csv")
    ref = ref[ref[:, 0] == case]
    weights = column(f"weights_{tag}") if ref[0, 2] else None
    path = regpath.fit(X, y, family=family, alpha=ref[0, 1], lambdas=ref[:, 4], tol=1e-13,
                       intercept=bool(ref[0, 3]),
                       glmnet_y_scaling=True if family == "gaussian" else None, device="cpu",
                       weights=weights, offset=column(f"offset_{tag}"))
    assert list(path.status) == ["converged"] * len(ref)
    ours, theirs = path.coef(), ref[:, 6:].T  # (p + 1, nlambda), the intercept first
    scale = np.maximum(np.abs(theirs).max(axis=0), 1e-12)
    assert (np.abs(ours - theirs).max(axis=0) / scale).max() <= 1e-6
    np.testing.assert_allclose(path.dev_ratio, ref[:, 5], atol=1e-7)


# offset_cv.csv: family code, measure code (1 mse, 3 deviance), lambda, cvm, cvsd
@pytest.mark.parametrize("family,code,measure", [
    ("gaussian", 1, "mse"), ("binomial", 2, "deviance"), ("poisson", 3, "deviance")])
def test_cv_matches_cv_glmnet(family, code, measure):
    problem, tag, foldid = PROBLEMS[family]
    X, y = load_problem(problem)
    _, ref = read_csv(DATA / "offset_cv.csv")
    ref = ref[(ref[:, 0] == code) & (ref[:, 1] == {"mse": 1, "deviance": 3}[measure])]
    r = regpath.cv(X, y, family=family, foldid=column(foldid).astype(np.int64),
                   lambdas=ref[:, 2], type_measure=measure, tol=1e-13, device="cpu",
                   offset=column(f"offset_{tag}"))
    np.testing.assert_allclose(r.curves[0].cvm, ref[:, 3], rtol=1e-6)
    np.testing.assert_allclose(r.curves[0].cvsd, ref[:, 4], rtol=1e-5)


# offset_predict.csv: family code, row, s, link, response: glmnet's predict with newoffset
@pytest.mark.parametrize("family,code", [("binomial", 2), ("poisson", 3)])
def test_predict_matches_glmnet_newoffset(family, code):
    problem, tag, _ = PROBLEMS[family]
    X, y = load_problem(problem)
    _, ref = read_csv(DATA / "offset_predict.csv")
    ref = ref[ref[:, 0] == code]
    path = regpath.fit(X, y, family=family, nlambda=15, tol=1e-13, device="cpu",
                       offset=column(f"offset_{tag}"))
    s = np.unique(ref[:, 2])[::-1]
    newoff = column(f"offset_newoffset_{tag}")
    for kind, col in (("link", 3), ("response", 4)):
        got = path.predict(X[:12], s=s, type=kind, offset=newoff)
        want = np.column_stack([ref[ref[:, 2] == v, col] for v in s])
        np.testing.assert_allclose(got, want, rtol=1e-6)
    with pytest.raises(ValueError, match="needs the new rows' offsets"):
        path.predict(X[:12], s=s)
    with pytest.raises(ValueError, match="12 finite values"):
        path.predict(X[:12], s=s, offset=newoff[:5])


def test_gaussian_offset_is_shifted_y_and_bad_values():
    X, y = load_problem("penalty_gauss")
    o = np.sin(np.arange(len(y)))
    a = regpath.fit(X, y, alpha=0.5, nlambda=6, device="cpu", offset=o)
    b = regpath.fit(X, y - o, alpha=0.5, nlambda=6, device="cpu")
    np.testing.assert_array_equal(a.coef(), b.coef())
    with pytest.raises(ValueError, match="3 values for 120 rows"):
        regpath.fit(X, y, nlambda=5, offset=np.ones(3))
    with pytest.raises(ValueError, match=r"invalid offset\[7\] = nan"):
        regpath.cv(X, y, nlambda=5, nfolds=3, offset=np.r_[np.zeros(7), np.nan, np.zeros(112)])
    with pytest.raises(ValueError, match="fitted without an offset"):
        b.predict(X[:3], offset=np.zeros(3))


def test_sparse_x_takes_an_offset():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = load_problem("penalty_gauss")
    offset = np.linspace(-0.5, 0.5, len(y))
    dense = regpath.fit(np.asfortranarray(X), y, nlambda=5, offset=offset, tol=1e-14)
    fit = regpath.fit(sparse.csc_matrix(X), y, nlambda=5, offset=offset, tol=1e-14)
    np.testing.assert_allclose(fit.coef(), dense.coef(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.intercept, dense.intercept, rtol=0, atol=1e-10)
    assert fit.offset