"""regpath.fit(weights=...) and regpath.cv(weights=...): glmnet's observation weights, against
R glmnet 4.1 on the C++ suite's reference (scripts/make_weights_reference.R), and the bad
values."""
import numpy as np
import pytest

import regpath
from conftest import DATA, load_problem, read_csv


@pytest.mark.parametrize("case", [1, 2, 3, 4, 5])
def test_fit_matches_glmnet(case):
    X, y = load_problem("penalty_gauss")
    _, w = read_csv(DATA / "weights_gauss.csv")
    _, ref = read_csv(DATA / "weights_ref_gauss.csv")
    ref = ref[ref[:, 0] == case]
    alpha, standardize, intercept = ref[0, 1], bool(ref[0, 2]), bool(ref[0, 3])
    weights = w[:, 0] * (3 if case == 5 else 1)
    path = regpath.fit(X, y, alpha=alpha, standardize=standardize, intercept=intercept,
                       lambdas=ref[:, 4], tol=1e-13, glmnet_y_scaling=True, device="cpu",
                       weights=weights)
    assert list(path.status) == ["converged"] * len(ref)
    ours, theirs = path.coef(), ref[:, 6:].T  # (p + 1, nlambda), the intercept first
    scale = np.maximum(np.abs(theirs).max(axis=0), 1e-12)  # all 0 at lambda_max
    assert (np.abs(ours - theirs).max(axis=0) / scale).max() <= 1e-6
    np.testing.assert_allclose(path.dev_ratio, ref[:, 5], atol=1e-7)


@pytest.mark.parametrize("weights,message", [
    (np.ones(3), "3 values for 120 rows"),
    (np.r_[np.ones(119), -1.0], r"invalid weights\[119\] = -1"),
    (np.zeros(120), "every weight is 0"),
    ([], "invalid weights: empty"),
])
def test_bad_weights_are_value_errors(weights, message):
    X, y = load_problem("penalty_gauss")
    with pytest.raises(ValueError, match=message):
        regpath.fit(X, y, nlambda=5, weights=weights)


# regpath.cv(weights=...): cv.glmnet's weighted curves on fixed folds (tests/data/weights_cv.csv;
# family 1 gaussian, 2 binomial, 3 poisson; measure 1 mse, 3 deviance).
@pytest.mark.parametrize("family,code,measure,problem,weights,foldid", [
    ("gaussian", 1, "mse", "penalty_gauss", "weights_gauss", "penalty_foldid_gauss"),
    ("binomial", 2, "deviance", "penalty_binom", "weights_binom", "penalty_foldid_binom"),
    ("poisson", 3, "deviance", "poisson_counts", "weights_poisson", "poisson_foldid"),
])
def test_cv_matches_cv_glmnet(family, code, measure, problem, weights, foldid):
    X, y = load_problem(problem)
    _, w = read_csv(DATA / f"{weights}.csv")
    _, f = read_csv(DATA / f"{foldid}.csv")
    _, ref = read_csv(DATA / "weights_cv.csv")
    ref = ref[(ref[:, 0] == code) & (ref[:, 1] == {"mse": 1, "deviance": 3}[measure])]
    r = regpath.cv(X, y, family=family, foldid=f[:, 0].astype(np.int64), lambdas=ref[:, 2],
                   type_measure=measure, tol=1e-13, device="cpu", weights=w[:, 0])
    c = r.curves[0]
    np.testing.assert_allclose(c.cvm, ref[:, 3], rtol=1e-6)
    np.testing.assert_allclose(c.cvsd, ref[:, 4], rtol=1e-5)


def test_bad_cv_weights_are_value_errors():
    X, y = load_problem("penalty_gauss")
    with pytest.raises(ValueError, match=r"invalid weights\[119\] = -1"):
        regpath.cv(X, y, nlambda=5, nfolds=3, weights=np.r_[np.ones(119), -1.0])
