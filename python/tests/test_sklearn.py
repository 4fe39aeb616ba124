"""The estimators against scikit-learn's on the same data, folds and grids: the same selected
alpha / C and l1_ratio, coefficients to 1e-6 (sklearn at tight tolerances), scikit-learn's
conventions (clone, get_params/set_params, pickling)."""

import pickle
import warnings

import numpy as np
import pytest
pytest.importorskip("sklearn")  # the estimators need scikit-learn (python3-sklearn)
from sklearn import linear_model as sk
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, ShuffleSplit, StratifiedKFold

import regpath
from conftest import make_binary, make_regression

SK_TIGHT = dict(tol=1e-12, max_iter=1000000)
TOL = 1e-12  # regpath's relative duality gap


@pytest.mark.parametrize("alpha,l1_ratio,fit_intercept", [
    (0.1, 0.5, True), (0.01, 1.0, True), (0.5, 0.2, False), (1.0, 0.0, True)])
def test_elastic_net_matches_sklearn(rng, alpha, l1_ratio, fit_intercept):
    X, y = make_regression(rng)
    ours = regpath.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                              tol=TOL).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # sklearn's ridge (l1_ratio = 0)
        theirs = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                               **SK_TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-5)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), abs=1e-8)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_path_matches_enet_path(rng, l1_ratio):
    X, y = make_regression(rng)
    # enet_path has no intercept: centre X and y as ElasticNet(fit_intercept=True) does
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, theirs, _ = sk.enet_path(Xc, yc, l1_ratio=l1_ratio, n_alphas=30, **SK_TIGHT)
    ours = regpath.fit(X, y, alpha=l1_ratio, lambdas=alphas, standardize=False,
                       glmnet_y_scaling=False, tol=TOL)
    np.testing.assert_allclose(ours.lambdas, alphas, rtol=1e-15)
    np.testing.assert_allclose(ours.coef_path, theirs, atol=1e-6)
    np.testing.assert_allclose(ours.intercept, y.mean() - X.mean(axis=0) @ theirs, atol=1e-6)


@pytest.mark.parametrize("cv", [5, 2, "shuffled", "splits"])
def test_elastic_net_cv_matches_sklearn(rng, cv):
    X, y = make_regression(rng, n=80)
    if cv == "shuffled":
        cv = KFold(4, shuffle=True, random_state=0)
    elif cv == "splits":  # overlapping test sets: not a partition, one fit per split
        cv = list(ShuffleSplit(4, test_size=0.3, random_state=1).split(X))
    kw = dict(l1_ratio=[0.2, 0.7, 1.0], n_alphas=25, eps=1e-3, cv=cv)
    ours = regpath.ElasticNetCV(tol=TOL, **kw).fit(X, y)
    theirs = sk.ElasticNetCV(**kw, **SK_TIGHT).fit(X, y)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == theirs.alpha_
    np.testing.assert_array_equal(ours.alphas_, theirs.alphas_)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-8)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)


@pytest.mark.parametrize("cv,batched", [(5, True), (2, False), ("splits", False)])
def test_elastic_net_cv_batches_partitions(rng, monkeypatch, cv, batched):
    # folds that partition the rows (>= 3) are solved as one regpath.cv batch, others per fold
    import regpath._sklearn as impl
    X, y = make_regression(rng, n=80)
    if cv == "splits":
        cv = list(ShuffleSplit(3, test_size=0.3, random_state=1).split(X))
    calls = {"cv": 0, "fit": 0}
    real_cv, real_fit = impl._cv_folds, impl._fit

    def counting(name, f):
        def wrapped(*args, **kw):
            calls[name] += 1
            return f(*args, **kw)
        return wrapped
    monkeypatch.setattr(impl, "_cv_folds", counting("cv", real_cv))
    monkeypatch.setattr(impl, "_fit", counting("fit", real_fit))
    regpath.ElasticNetCV(cv=cv, n_alphas=10).fit(X, y)
    n_splits = cv if isinstance(cv, int) else len(cv)
    assert calls == ({"cv": 1, "fit": 1} if batched else {"cv": 0, "fit": n_splits + 1})


def test_elastic_net_cv_given_alphas_and_1se(rng):
    X, y = make_regression(rng, n=80)
    alphas = np.geomspace(1.0, 1e-3, 15)
    kw = dict(l1_ratio=0.5, alphas=alphas, cv=KFold(5))
    ours = regpath.ElasticNetCV(tol=TOL, **kw).fit(X, y)
    theirs = sk.ElasticNetCV(**kw, **SK_TIGHT).fit(X, y)
    assert ours.alpha_ == theirs.alpha_
    assert ours.mse_path_.shape == (15, 5) and ours.alphas_.shape == (15,)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    se = regpath.ElasticNetCV(tol=TOL, selection="1se", **kw).fit(X, y)
    mean = ours.mse_path_.mean(axis=1)
    k = int(np.argmin(mean))
    bound = mean[k] + ours.mse_path_[k].std(ddof=1) / np.sqrt(5)
    assert se.alpha_ == alphas[np.flatnonzero(mean <= bound)[0]] >= ours.alpha_
    with pytest.raises(ValueError, match="invalid selection"):
        regpath.ElasticNetCV(selection="max").fit(X, y)


# positive=True (sklearn's) is regpath's lower_limits = 0. make_regression's second coefficient
# is -2, so the constraint binds: the unconstrained fits differ. With bounds regpath's gaussian
# path is proximal gradient alone (no Newton polish), which stops just below its gap target, so
# these tests ask a tighter one (1e-12 leaves fold mses ~3e-7 apart; 1e-14, ~1e-9).
TOL_BOUNDED = 1e-14
@pytest.mark.parametrize("alpha,l1_ratio,fit_intercept", [
    (0.1, 0.5, True), (0.01, 1.0, True), (0.05, 0.2, False), (0.3, 0.0, True)])
def test_positive_elastic_net_matches_sklearn(rng, alpha, l1_ratio, fit_intercept):
    X, y = make_regression(rng)
    kw = dict(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, positive=True)
    ours = regpath.ElasticNet(tol=TOL_BOUNDED, **kw).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # sklearn's ridge (l1_ratio = 0)
        theirs = sk.ElasticNet(**kw, **SK_TIGHT).fit(X, y)
    assert ours.coef_.min() >= 0 and ours.coef_[1] == 0
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    free = regpath.ElasticNet(tol=TOL_BOUNDED, **{**kw, "positive": False}).fit(X, y)
    assert free.coef_[1] < -0.1


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_positive_path_matches_enet_path(rng, l1_ratio):
    X, y = make_regression(rng)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, theirs, _ = sk.enet_path(Xc, yc, l1_ratio=l1_ratio, n_alphas=30, positive=True,
                                     **SK_TIGHT)
    ours = regpath.fit(X, y, alpha=l1_ratio, lambdas=alphas, standardize=False,
                       glmnet_y_scaling=False, tol=TOL_BOUNDED, lower_limits=0)
    assert theirs.min() >= 0 and ours.coef_path.min() >= 0
    np.testing.assert_allclose(ours.coef_path, theirs, atol=1e-6)
    np.testing.assert_allclose(ours.intercept, y.mean() - X.mean(axis=0) @ theirs, atol=1e-6)


@pytest.mark.parametrize("cv", [5, "splits"])
def test_positive_elastic_net_cv_matches_sklearn(rng, cv):
    X, y = make_regression(rng, n=80)
    if cv == "splits":  # not a partition: one regpath.fit per split, each with the constraint
        cv = list(ShuffleSplit(4, test_size=0.3, random_state=1).split(X))
    kw = dict(l1_ratio=[0.3, 1.0], n_alphas=20, eps=1e-3, cv=cv, positive=True)
    ours = regpath.ElasticNetCV(tol=TOL_BOUNDED, **kw).fit(X, y)
    theirs = sk.ElasticNetCV(**kw, **SK_TIGHT).fit(X, y)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == theirs.alpha_
    np.testing.assert_array_equal(ours.alphas_, theirs.alphas_)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-7)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    assert ours.coef_.min() >= 0


@pytest.mark.parametrize("C", [0.05, 1.0, 10.0])
def test_logistic_l2_matches_sklearn(rng, C):
    X, y = make_binary(rng)
    ours = regpath.LogisticRegression(C=C, tol=1e-13).fit(X, y)
    # newton-cg: lbfgs stops at its ftol, ~1e-6 from the optimum on these problems
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg's line-search warnings at tol 1e-12
        theirs = sk.LogisticRegression(C=C, solver="newton-cg", tol=1e-12,
                                       max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X),
                               atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.classes_, [0, 1])


@pytest.mark.parametrize("penalty,l1_ratio", [("elasticnet", 0.5), ("l1", None)])
def test_logistic_l1_matches_saga(rng, penalty, l1_ratio):
    X, y = make_binary(rng)
    ours = regpath.LogisticRegression(penalty=penalty, l1_ratio=l1_ratio, C=0.5,
                                      tol=1e-13).fit(X, y)
    theirs = sk.LogisticRegression(penalty=penalty, l1_ratio=l1_ratio, C=0.5, solver="saga",
                                   **SK_TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)


def test_logistic_string_labels(rng):
    X, y = make_binary(rng)
    labels = np.array(["no", "yes"])[y]
    est = regpath.LogisticRegression().fit(X, labels)
    np.testing.assert_array_equal(est.classes_, ["no", "yes"])
    assert set(est.predict(X)) <= {"no", "yes"}
    with pytest.raises(ValueError, match="at least 2 classes"):
        regpath.LogisticRegression().fit(X, np.zeros(len(y), dtype=np.int64))
    with pytest.raises(ValueError, match="at least 2 classes"):
        regpath.LogisticRegressionCV(Cs=2, cv=3).fit(X, np.zeros(len(y), dtype=np.int64))


@pytest.mark.parametrize("scoring", [None, "neg_log_loss"])
def test_logistic_cv_matches_sklearn(rng, scoring):
    X, y = make_binary(rng)
    kw = dict(Cs=8, cv=StratifiedKFold(5), scoring=scoring)
    ours = regpath.LogisticRegressionCV(tol=1e-13, **kw).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg's line-search warnings at tol 1e-12
        theirs = sk.LogisticRegressionCV(solver="newton-cg", tol=1e-12, max_iter=1000,
                                         **kw).fit(X, y)
    np.testing.assert_array_equal(ours.Cs_, theirs.Cs_)
    np.testing.assert_allclose(ours.scores_[1], theirs.scores_[1], rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(ours.C_, theirs.C_)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)


def test_logistic_cv_elasticnet_matches_saga(rng):
    X, y = make_binary(rng, n=80, p=4)
    # C large enough that no fold's lasso is all zero: there saga stops after a few epochs
    # with its intercept unconverged (~1e-3 in the log-loss)
    kw = dict(Cs=[0.3, 1.0, 5.0], l1_ratios=[0.3, 1.0], penalty="elasticnet",
              cv=StratifiedKFold(4), scoring="neg_log_loss")
    ours = regpath.LogisticRegressionCV(tol=1e-13, **kw).fit(X, y)
    theirs = sk.LogisticRegressionCV(solver="saga", **kw, **SK_TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.scores_[1], theirs.scores_[1], rtol=1e-6)
    assert ours.scores_[1].shape == (4, 3, 2)
    np.testing.assert_array_equal(ours.C_, theirs.C_)
    np.testing.assert_array_equal(ours.l1_ratio_, theirs.l1_ratio_)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)


def test_c_to_lambda_mapping(rng):
    # lambda = 1 / (C n): LogisticRegression(C) is regpath.fit's binomial path at that lambda
    X, y = make_binary(rng)
    est = regpath.LogisticRegression(penalty="elasticnet", l1_ratio=0.4, C=0.3,
                                     tol=1e-13).fit(X, y)
    p = regpath.fit(X, y, family="binomial", alpha=0.4, lambdas=[1 / (0.3 * len(y))],
                    standardize=False, tol=1e-13)
    np.testing.assert_allclose(est.coef_[0], p.coef_path[:, 0], atol=1e-12)


@pytest.mark.parametrize("make", [
    lambda: regpath.ElasticNet(alpha=0.1),
    lambda: regpath.ElasticNetCV(cv=3, n_alphas=10),
    lambda: regpath.ElasticNet(alpha=0.1, positive=True),
    lambda: regpath.ElasticNetCV(cv=3, n_alphas=10, positive=True),
    lambda: regpath.LogisticRegression(C=0.5),
    lambda: regpath.LogisticRegressionCV(Cs=4, cv=3)])
def test_clone_params_and_pickle(rng, make):
    est = make()
    params = est.get_params()
    assert clone(est).get_params() == params
    assert est.set_params(tol=1e-9) is est and est.get_params()["tol"] == 1e-9
    if "positive" in params:  # sklearn's parameter, cloned with the rest
        assert clone(est.set_params(positive=not params["positive"])).positive != \
            params["positive"]
        est.set_params(positive=params["positive"])
    assert not any(k.endswith("_") for k in vars(est))
    X, y = make_binary(rng)
    fitted = est.fit(X, y)
    assert fitted is est and est.n_features_in_ == X.shape[1]
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    np.testing.assert_array_equal(again.coef_, est.coef_)


def test_standardize_option(rng):
    X, y = make_regression(rng)
    X[:, 0] *= 100.0
    est = regpath.ElasticNet(alpha=0.05, standardize=True, tol=TOL).fit(X, y)
    p = regpath.fit(X, y, alpha=0.5, lambdas=[0.05], standardize=True,
                    glmnet_y_scaling=False, tol=TOL)
    np.testing.assert_allclose(est.coef_, p.coef_path[:, 0], atol=1e-12)
    plain = regpath.ElasticNet(alpha=0.05, tol=TOL).fit(X, y)
    assert not np.allclose(plain.coef_, est.coef_)


def test_float32_input(rng):
    X, y = make_regression(rng)
    ours = regpath.ElasticNet(alpha=0.1).fit(X.astype(np.float32), y)
    ref = regpath.ElasticNet(alpha=0.1).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)


# sample_weight: scikit-learn's weighted objectives are regpath's (glmnet's) weighted ones
# (see regpath._sklearn): against scikit-learn's own sample_weight fits, zero weights included.
def _sample_weights(rng, n):
    w = rng.uniform(0.2, 3.0, n)
    w[[1, 7]] = 0.0
    return w


@pytest.mark.parametrize("alpha,l1_ratio,fit_intercept", [
    (0.1, 0.5, True), (0.01, 1.0, True), (0.3, 0.2, False)])
def test_elastic_net_sample_weight_matches_sklearn(rng, alpha, l1_ratio, fit_intercept):
    X, y = make_regression(rng)
    w = _sample_weights(rng, len(y))
    ours = regpath.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                              tol=TOL).fit(X, y, sample_weight=w)
    theirs = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                           **SK_TIGHT).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    # weights of 1 are no weights; a scalar weight is all equal
    plain = regpath.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                               tol=TOL).fit(X, y)
    ones = regpath.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                              tol=TOL).fit(X, y, sample_weight=2.0)
    np.testing.assert_allclose(ones.coef_, plain.coef_, atol=1e-9)


@pytest.mark.parametrize("C", [0.05, 1.0])
def test_logistic_sample_weight_matches_sklearn(rng, C):
    X, y = make_binary(rng)
    w = _sample_weights(rng, len(y))
    ours = regpath.LogisticRegression(C=C, tol=1e-13).fit(X, y, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg's line-search warnings at tol 1e-12
        theirs = sk.LogisticRegression(C=C, solver="newton-cg", tol=1e-12,
                                       max_iter=1000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)


def test_logistic_l1_sample_weight_matches_saga(rng):
    X, y = make_binary(rng)
    w = _sample_weights(rng, len(y))
    ours = regpath.LogisticRegression(penalty="l1", C=0.5, tol=1e-13).fit(X, y, sample_weight=w)
    theirs = sk.LogisticRegression(penalty="l1", C=0.5, solver="saga",
                                   **SK_TIGHT).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)


def test_bad_sample_weight(rng):
    X, y = make_binary(rng)
    with pytest.raises(ValueError):
        regpath.LogisticRegression().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="every weight is 0"):
        regpath.LogisticRegression().fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(ValueError, match="invalid weights"):
        regpath.ElasticNet().fit(X, y.astype(float), sample_weight=-np.ones(len(y)))


@pytest.mark.parametrize("cv", [5, "splits"])
def test_elastic_net_cv_sample_weight_matches_sklearn(rng, cv):
    X, y = make_regression(rng, n=80)
    w = _sample_weights(rng, len(y))
    if cv == "splits":  # overlapping test sets: one weighted fit per split
        cv = list(ShuffleSplit(4, test_size=0.3, random_state=1).split(X))
    kw = dict(l1_ratio=[0.2, 1.0], n_alphas=20, eps=1e-3, cv=cv)
    ours = regpath.ElasticNetCV(tol=TOL, **kw).fit(X, y, sample_weight=w)
    theirs = sk.ElasticNetCV(**kw, **SK_TIGHT).fit(X, y, sample_weight=w)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == theirs.alpha_
    np.testing.assert_array_equal(ours.alphas_, theirs.alphas_)
    # 1e-6: the batched weighted folds (cv=5) run on regpath cv's GLM batch (FISTA to the
    # certified gap, no gaussian Newton polish there), 5e-8 from scikit-learn's fold mse here;
    # one weighted fit per split (the fit's gaussian solver): 1e-8
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_,
                               rtol=1e-6 if isinstance(cv, int) else 1e-8)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)


@pytest.mark.parametrize("scoring", [None, "neg_log_loss"])
def test_logistic_cv_sample_weight_matches_sklearn(rng, scoring):
    X, y = make_binary(rng)
    w = _sample_weights(rng, len(y))
    kw = dict(Cs=8, cv=StratifiedKFold(5), scoring=scoring)
    ours = regpath.LogisticRegressionCV(tol=1e-13, **kw).fit(X, y, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg's line-search warnings at tol 1e-12
        theirs = sk.LogisticRegressionCV(solver="newton-cg", tol=1e-12, max_iter=1000,
                                         **kw).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.scores_[1], theirs.scores_[1], rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(ours.C_, theirs.C_)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
