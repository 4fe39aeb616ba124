"""glmnet's penalty.factor, exclude, lower.limits and upper.limits (regpath.fit / regpath.cv's
penalty_factor, exclude, lower_limits, upper_limits) against R glmnet 4.1 on the C++ suite's
committed references (scripts/make_penalty_reference.R), and their bad values as ValueErrors
carrying the C++ API's messages."""

import numpy as np
import pytest

import regpath
from conftest import DATA, load_problem, read_csv
from test_zero_copy import FakeDeviceArray

TOL = 1e-10  # regpath's relative duality gap: far below the comparison's tolerance
COEF_TOL = {"gauss": 5e-4, "binom": 2e-3}  # sup-norm relative, as the C++ suite's
FAMILY = {"gauss": "gaussian", "binom": "binomial"}


def _cases(problem):
    """The cases of penalty_cases_<problem>.csv as (id, alpha, regpath keyword arguments,
    per-feature exclusion mode: 0 kept, 1 by exclude, 2 by a factor of inf)."""
    header, rows = read_csv(DATA / f"penalty_cases_{problem}.csv")
    p = sum(1 for h in header if h.startswith("w"))
    out = []
    for r in rows:
        w, mode = r[2:2 + p].copy(), r[2 + p:2 + 2 * p].astype(int)
        # +-1e300 in the file stand for +-inf
        lo, hi = (np.where(v >= 1e300, np.inf, np.where(v <= -1e300, -np.inf, v))
                  for v in (r[2 + 2 * p:2 + 3 * p], r[2 + 3 * p:2 + 4 * p]))
        w[mode == 2] = np.inf
        kw = dict(penalty_factor=w)
        if np.any(mode == 1):
            kw["exclude"] = np.flatnonzero(mode == 1)
        if np.isfinite(lo).any() or np.isfinite(hi).any():
            kw.update(lower_limits=lo, upper_limits=hi)
        out.append((int(r[0]), float(r[1]), kw, mode))
    return out


def _options(problem, alpha):
    # glmnet scales y to unit variance for the gaussian ridge part (alpha < 1); at alpha = 1 the
    # scaling leaves the solution unchanged, so it is on for every gaussian case.
    return dict(family=FAMILY[problem], alpha=alpha, tol=TOL,
                glmnet_y_scaling=True if problem == "gauss" else None)


def _case_ids(problem):
    return [pytest.param(problem, c, id=f"{problem}-{c[0]}") for c in _cases(problem)]


@pytest.mark.parametrize("problem,case", _case_ids("gauss") + _case_ids("binom"))
def test_fit_matches_glmnet(problem, case):
    cid, alpha, kw, mode = case
    X, y = load_problem(f"penalty_{problem}")
    _, ref = read_csv(DATA / f"penalty_ref_{problem}.csv")
    ref = ref[ref[:, 0] == cid]
    lambdas = ref[:, 1]
    path = regpath.fit(X, y, lambdas=lambdas, **_options(problem, alpha), **kw)
    assert list(path.status) == ["converged"] * len(lambdas)
    np.testing.assert_allclose(path.lambdas, lambdas, rtol=1e-15)
    ours = path.coef()  # (p + 1, nlambda), the intercept first, as ref's a0, b1..bp
    theirs = ref[:, 2:].T
    scale = np.maximum(np.abs(theirs).max(axis=0), 1e-12)
    rel = (np.abs(ours - theirs).max(axis=0) / scale).max()
    assert rel <= COEF_TOL[problem], f"case {cid}: {rel:.2e} from glmnet"
    assert np.all(path.coef_path[mode != 0] == 0.0)  # excluded: exactly 0
    if "lower_limits" in kw:
        assert np.all(path.coef_path >= kw["lower_limits"][:, None])
        assert np.all(path.coef_path <= kw["upper_limits"][:, None])

    # glmnet's lambda_max with the factors: the first lambda of its automatic path. With
    # unpenalized features glmnet's own is off by ~5e-10 (its partial regression is iterative):
    # there the exact one (make_penalty_reference.R, through lm) is the reference.
    auto = regpath.fit(X, y, nlambda=3, **_options(problem, alpha), **kw)
    unpenalized = np.any(kw["penalty_factor"] == 0)
    assert auto.lambda_max == pytest.approx(lambdas[0], rel=1e-8 if unpenalized else 1e-10)
    if unpenalized:
        _, exact = read_csv(DATA / f"penalty_lambda_max_{problem}.csv")
        want = exact[exact[:, 0] == cid, 1]
        assert auto.lambda_max == pytest.approx(want[0], rel=1e-13)


@pytest.mark.parametrize("problem,case", _case_ids("gauss") + _case_ids("binom"))
def test_cv_matches_cv_glmnet(problem, case):
    cid, alpha, kw, _ = case
    X, y = load_problem(f"penalty_{problem}")
    _, ref = read_csv(DATA / f"penalty_ref_{problem}.csv")
    _, cvref = read_csv(DATA / f"penalty_cv_{problem}.csv")
    _, foldid = read_csv(DATA / f"penalty_foldid_{problem}.csv")
    cvref = cvref[cvref[:, 0] == cid]
    r = regpath.cv(X, y, foldid=foldid[:, 0].astype(np.int64),
                   lambdas=ref[ref[:, 0] == cid, 1], **_options(problem, alpha), **kw)
    np.testing.assert_allclose(r.curve.cvm, cvref[:, 2], rtol=1e-5)
    np.testing.assert_allclose(r.curve.cvsd, cvref[:, 3], rtol=1e-4)
    if "lower_limits" in kw:  # the folds are fitted within the limits too
        for f in r.curve.fold_paths:
            assert np.all(f.coef_path >= kw["lower_limits"][:, None])
            assert np.all(f.coef_path <= kw["upper_limits"][:, None])


@pytest.fixture
def data(rng):
    X = np.asfortranarray(rng.standard_normal((40, 5)))
    return X, X @ np.array([1.0, -2.0, 0.5, 0.0, 1.0]) + rng.standard_normal(40)


def test_limits_scalar_sequence_and_array_agree(data):
    X, y = data
    kw = dict(lambdas=[0.05, 0.01], tol=1e-12)
    scalar = regpath.fit(X, y, lower_limits=-0.5, upper_limits=0.8, **kw)
    listed = regpath.fit(X, y, lower_limits=[-0.5] * 5, upper_limits=(0.8,) * 5, **kw)
    array = regpath.fit(X, y, lower_limits=np.full(5, -0.5), upper_limits=np.float64(0.8),
                        **kw)
    np.testing.assert_array_equal(scalar.coef_path, listed.coef_path)
    np.testing.assert_array_equal(scalar.coef_path, array.coef_path)
    assert scalar.coef_path.min() == -0.5 and scalar.coef_path.max() == 0.8  # both bind
    free = regpath.fit(X, y, **kw)
    assert free.coef_path.min() < -0.5 and free.coef_path.max() > 0.8


def test_exclude_is_a_factor_of_inf(data):
    X, y = data
    kw = dict(lambdas=[0.1, 0.01], tol=1e-12)
    by_index = regpath.fit(X, y, exclude=[1], penalty_factor=[1, 1, 2, 1, 1], **kw)
    by_factor = regpath.fit(X, y, penalty_factor=[1, np.inf, 2, 1, 1], **kw)
    assert np.all(by_index.coef_path[1] == 0.0)
    np.testing.assert_allclose(by_index.coef_path, by_factor.coef_path, atol=1e-10)
    # glmnet's rescaling counts the excluded feature as 1: the kept factors become w * 5/6
    # here, but w * 4/5 with the column left out, so that fit matches at lambda * 25/24.
    dropped = regpath.fit(np.asfortranarray(X[:, [0, 2, 3, 4]]), y,
                          penalty_factor=[1, 2, 1, 1], lambdas=[0.1 * 25 / 24, 0.01 * 25 / 24],
                          tol=1e-12)
    np.testing.assert_allclose(dropped.coef_path, by_index.coef_path[[0, 2, 3, 4]], atol=1e-8)
    assert regpath.fit(X, y, exclude=np.array([], dtype=np.int64), **kw).coef_path[1].any()


def test_only_the_ratios_of_the_factors_matter(data):
    X, y = data
    w = np.array([0.5, 1, 2, 1, 3])
    kw = dict(lambdas=[0.1, 0.01], tol=1e-12)
    a = regpath.fit(X, y, penalty_factor=w, **kw)
    b = regpath.fit(X, y, penalty_factor=3 * w, **kw)
    np.testing.assert_allclose(a.coef_path, b.coef_path, atol=1e-12)


@pytest.mark.parametrize("kwargs,message", [
    (dict(penalty_factor=[1, -2, 3, 1, 1]), r"invalid penalty_factors\[1\] = -2"),
    (dict(penalty_factor=[1, 2, np.nan, 1, 1]), r"invalid penalty_factors\[2\] = nan"),
    (dict(penalty_factor=[1, 2, 3]), "3 values for 5 features"),
    (dict(penalty_factor=[0, 0, 0, 0, 0]), "at least one must be penalized"),
    (dict(penalty_factor=[]), "invalid penalty_factor: empty"),
    (dict(exclude=[5]), r"invalid exclude\[0\] = 5"),
    (dict(exclude=[-1]), r"invalid exclude\[0\] = -1"),
    (dict(exclude=[1.5]), "invalid exclude: .*integer feature indices"),
    (dict(exclude=range(5)), "every feature is excluded"),
    (dict(exclude=[0, 1, 2], penalty_factor=[1, 1, 1, np.inf, np.inf]),
     "every feature is excluded"),
    (dict(lower_limits=0.5), r"invalid lower_limits\[0\] = 0.5"),
    (dict(lower_limits=[0, 0, np.nan, 0, 0]), r"invalid lower_limits\[2\] = nan"),
    (dict(upper_limits=[1, 1, -1, 1, 1]), r"invalid upper_limits\[2\] = -1"),
    (dict(upper_limits=[1, 1]), "invalid upper_limits: 2 values for 5 features"),
    (dict(lower_limits=[]), "invalid lower_limits: empty"),
    (dict(lower_limits=[[0, 0]]), r"invalid lower_limits: shape \(1, 2\)"),
    (dict(upper_limits="high"), "invalid upper_limits: 'high'"),
])
@pytest.mark.parametrize("function", ["fit", "cv"])
def test_bad_values_are_value_errors(data, function, kwargs, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        getattr(regpath, function)(X, y, nlambda=5, **kwargs)


def test_unpenalized_features_in_a_binomial_fit(data):
    X, y = data
    path = regpath.fit(X, (y > np.median(y)).astype(float), family="binomial",
                       penalty_factor=[1, 0, 1, 1, 1], nlambda=5)
    assert np.all(path.coef_path[1, :] != 0)  # in every model


# Input in device memory goes through the C API's regpath_options (one n_limits for both sides);
# its checks come before it looks for a CUDA device, so they run without one.
def _device_data():
    return FakeDeviceArray((4, 2), strides=(8, 32), data=4096), FakeDeviceArray((4,), data=8192)


@pytest.mark.parametrize("kwargs,message", [
    (dict(lower_limits=0.5), r"invalid lower_limits\[0\] = 0.5"),
    (dict(upper_limits=[1, -1]), r"invalid upper_limits\[1\] = -1"),
    (dict(lower_limits=[0, 0, 0], upper_limits=[1, 1]), "lower_limits: 3 values for 2 features"),
    (dict(lower_limits=[0, 0], upper_limits=[1, 1, 1]), "upper_limits: 3 values for 2 features"),
    (dict(penalty_factor=[1, -1]), r"invalid penalty_factors\[1\] = -1"),
    (dict(penalty_factor=[1, 1, 1]), "3 values for 2 features"),
    (dict(exclude=[1]), "not available for X in device memory"),
    (dict(penalty_factor=[1, np.inf]), "not available for X in device memory"),
])
def test_device_input_checks_the_options(kwargs, message):
    X, y = _device_data()
    with pytest.raises(ValueError, match=message):
        regpath.fit(X, y, **kwargs)


@pytest.mark.skipif(regpath.cuda_available()[0], reason="CUDA is usable here")
@pytest.mark.parametrize("kwargs", [
    dict(lower_limits=0, upper_limits=[1, np.inf]), dict(lower_limits=[-1, 0]),
    dict(upper_limits=2.0), dict(penalty_factor=[1, 2])])
def test_device_input_with_valid_options_reaches_the_device(kwargs):
    X, y = _device_data()
    with pytest.raises(regpath.DeviceError, match="no CUDA device is usable"):
        regpath.fit(X, y, **kwargs)


def test_poisson_family_matches_glmnet():
    """family='poisson' reaches the C++ API (tests/data/poisson_*.csv, from
    scripts/make_poisson_reference.R: case 1, alpha 1, standardized), and predict's response
    is the mean exp(link)."""
    X, y = load_problem("poisson_counts")
    _, ref = read_csv(DATA / "poisson_ref.csv")
    ref = ref[ref[:, 0] == 1]
    path = regpath.fit(X, y, family="poisson", lambdas=ref[:, 1], tol=1e-10)
    coef = np.vstack([path.intercept, path.coef_path])
    want = ref[:, 3:].T
    assert np.max(np.abs(coef - want)) <= 2e-3 * np.max(np.abs(want))
    eta = path.predict(X[:5], s=ref[3, 1], type="link")
    np.testing.assert_allclose(path.predict(X[:5], s=ref[3, 1], type="response"), np.exp(eta),
                               rtol=1e-12)


@pytest.mark.parametrize("measure,code", [("mse", 1), ("mae", 2), ("class", 4), ("deviance", 3)])
def test_cv_type_measure_matches_cv_glmnet(measure, code):
    """type_measure reaches the C++ cross-validation: cv.glmnet's curves on fixed folds
    (tests/data/measure_cv.csv from scripts/make_measure_reference.R: problem 2, binomial)."""
    X, y = load_problem("penalty_binom")
    _, folds = read_csv(DATA / "penalty_foldid_binom.csv")
    _, ref = read_csv(DATA / "measure_cv.csv")
    ref = ref[(ref[:, 0] == 2) & (ref[:, 2] == code) & (ref[:, 3] == 1)]
    r = regpath.cv(X, y, family="binomial", lambdas=ref[:, 4], foldid=folds[:, 0].astype(int),
                   tol=1e-10, type_measure=measure)
    assert r.type_measure == measure
    np.testing.assert_allclose(r.curve.cvm, ref[:, 5], rtol=1e-5)


def test_cv_type_measure_errors():
    X, y = load_problem("penalty_gauss")
    with pytest.raises(ValueError, match="type_measure"):
        regpath.cv(X, y, type_measure="auc")  # binomial's
    with pytest.raises(ValueError, match="type_measure"):
        regpath.cv(X, y, type_measure="roc")
    with pytest.raises(ValueError, match="needs family binomial"):
        regpath.cv(X, y, type_measure="class")
    assert regpath.cv(X, y, nlambda=5, nfolds=3).type_measure == "mse"
