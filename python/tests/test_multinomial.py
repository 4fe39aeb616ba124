"""Family multinomial from Python: regpath.fit / regpath.cv against R glmnet's committed
references (tests/data/multinom_*.csv, made by scripts/make_multinomial_reference.R and
make_multinomial_cv_reference.R), the (p, C, nlambda) layout, labels of any kind, predict's
types, offsets, and LogisticRegression with K > 2 classes against scikit-learn's."""

import warnings

import numpy as np
import pytest

import regpath
from conftest import DATA, read_csv


def _data():
    header, rows = read_csv(DATA / "multinom_data.csv")
    assert header[0] == "y"
    return np.asfortranarray(rows[:, 1:]), rows[:, 0].astype(np.int64)


def _reference_cases():
    header, rows = read_csv(DATA / "multinom_ref.csv")
    col = {h: i for i, h in enumerate(header)}
    for case in np.unique(rows[:, col["case"]]):
        r = rows[rows[:, col["case"]] == case]
        yield r, col


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


@pytest.mark.parametrize("case", range(4))
def test_fit_is_glmnets(case):
    X, y = _data()
    r, col = list(_reference_cases())[case]
    grouped, alpha = r[0, col["grouped"]], r[0, col["alpha"]]
    lambdas = r[::3, col["lambda"]]  # one row per (lambda, class), 3 classes
    path = regpath.fit(X, y, family="multinomial", alpha=alpha, lambdas=lambdas, tol=1e-12,
                       type_multinomial="grouped" if grouped else "ungrouped")
    assert path.n_classes == 3 and list(path.classes) == [0, 1, 2]
    assert path.coef_path.shape == (8, 3, 10) and path.intercept.shape == (3, 10)
    np.testing.assert_allclose(path.lambdas, lambdas, rtol=1e-14)
    a0 = col["a0"]
    for k in range(10):
        want = r[3 * k:3 * k + 3, a0:a0 + 9].T  # (p + 1, C)
        got = path.coef()[:, :, k]
        assert _rel(got, want) <= 1e-5, f"lambda {k}: {_rel(got, want):.3g}"


def test_labels_of_any_kind_give_the_same_path():
    X, y = _data()
    names = np.array(["setosa", "versicolor", "virginica"])
    codes = regpath.fit(X, y, family="multinomial", nlambda=20)
    labels = regpath.fit(X, names[y], family="multinomial", nlambda=20)
    shifted = regpath.fit(X, 10.0 * y - 5, family="multinomial", nlambda=20)
    assert list(labels.classes) == list(names)
    assert list(shifted.classes) == [-5.0, 5.0, 15.0]
    for other in (labels, shifted):
        np.testing.assert_array_equal(other.coef_path, codes.coef_path)
        np.testing.assert_array_equal(other.intercept, codes.intercept)
    pred = labels.predict(X[:7], s=labels.lambdas[-1], type="class")
    assert pred.shape == (7, 1) and set(pred[:, 0]) <= set(names)


def test_predict_types_and_interpolated_coefficients():
    X, y = _data()
    path = regpath.fit(X, y, family="multinomial", nlambda=30)
    k = 12
    s = [path.lambdas[k], 0.5 * (path.lambdas[k] + path.lambdas[k + 1])]
    b = path.coef(s)
    assert b.shape == (9, 3, 2)
    np.testing.assert_array_equal(b[:, :, 0], path.coef()[:, :, k])
    np.testing.assert_allclose(b[:, :, 1], 0.5 * (path.coef()[:, :, k] +
                                                  path.coef()[:, :, k + 1]), rtol=1e-12,
                               atol=1e-15)
    link = path.predict(X, s=s)
    assert link.shape == (X.shape[0], 3, 2)
    want = X @ b[1:, :, 1] + b[0, :, 1]
    np.testing.assert_allclose(link[:, :, 1], want, rtol=1e-12, atol=1e-12)
    prob = path.predict(X, s=s, type="response")
    np.testing.assert_allclose(prob.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(prob[:, :, 1], np.exp(want) / np.exp(want).sum(1)[:, None],
                               rtol=1e-12)
    cls = path.predict(X, s=s, type="class")
    np.testing.assert_array_equal(cls, np.argmax(link, axis=1))
    # the fitted classes beat chance on their own rows
    assert np.mean(cls[:, 1] == y) > 0.5
    with pytest.raises(ValueError, match="invalid type"):
        path.predict(X, type="probability")


def test_an_offset_matrix_and_its_checks():
    X, y = _data()
    n = X.shape[0]
    shift = np.tile([0.5, -0.25, 1.0], (n, 1))  # a constant per class moves only intercepts
    plain = regpath.fit(X, y, family="multinomial", nlambda=15, tol=1e-12)
    moved = regpath.fit(X, y, family="multinomial", lambdas=plain.lambdas, offset=shift,
                        tol=1e-12)
    np.testing.assert_allclose(moved.coef_path, plain.coef_path, rtol=0, atol=1e-8)
    centred = shift[0] - shift[0].mean()
    np.testing.assert_allclose(moved.intercept, plain.intercept - centred[:, None], atol=1e-8)
    # the links differ by the mean shift (the same for every class), the probabilities not
    np.testing.assert_allclose(moved.predict(X[:5], offset=shift[:5], type="response"),
                               plain.predict(X[:5], type="response"), atol=1e-8)
    with pytest.raises(ValueError, match=r"expected \(150, 3\)"):
        regpath.fit(X, y, family="multinomial", offset=np.zeros(n))
    with pytest.raises(ValueError, match="needs the new rows' offsets"):
        moved.predict(X[:5])
    with pytest.raises(ValueError, match="fitted without an offset"):
        plain.predict(X[:5], offset=shift[:5])


def test_bad_labels_are_refused():
    X, y = _data()
    with pytest.raises(ValueError, match="one class"):
        regpath.fit(X, np.zeros(X.shape[0]), family="multinomial")
    with pytest.raises(ValueError, match="not finite"):
        regpath.fit(X, np.where(y == 0, np.nan, y), family="multinomial")
    with pytest.raises(ValueError, match="type_multinomial"):
        regpath.fit(X, y, family="multinomial", type_multinomial="pooled")


def _cv_cases():
    header, rows = read_csv(DATA / "multinom_cv.csv")
    col = {h: i for i, h in enumerate(header)}
    return rows, col


@pytest.mark.parametrize("case,measure", [(1, "deviance"), (2, "class"), (8, "deviance")])
def test_cv_is_cv_glmnets(case, measure):
    X, y = _data()
    rows, col = _cv_cases()
    r = rows[rows[:, col["case"]] == case]
    _, fold = read_csv(DATA / "multinom_cv_foldid.csv")
    kw = {}
    if r[0, col["options"]] == 1:
        header, extra = read_csv(DATA / "multinom_options.csv")
        kw = dict(weights=extra[:, 0], offset=extra[:, 1:4])
    cv = regpath.cv(X, y, family="multinomial", alpha=r[0, col["alpha"]],
                    foldid=fold[:, 0].astype(np.int64), type_measure=measure, tol=1e-9, **kw)
    assert cv.type_measure == measure
    c = cv.curve
    np.testing.assert_allclose(c.lambdas, r[:, col["lambda"]], rtol=1e-10)
    np.testing.assert_allclose(c.cvm, r[:, col["cvm"]], rtol=1e-5, atol=1e-12)
    np.testing.assert_array_equal(c.nzero, r[:, col["nzero"]])
    # glmnet's λ to 1e-10, as the list above (the C++ test compares the same way)
    assert c.lambda_min == pytest.approx(r[r[:, col["is_min"]] == 1, col["lambda"]][0],
                                         rel=1e-10)
    assert c.lambda_1se == pytest.approx(r[r[:, col["is_1se"]] == 1, col["lambda"]][0],
                                         rel=1e-10)
    assert c.index_min == np.flatnonzero(r[:, col["is_min"]] == 1)[0]
    assert cv.path.n_classes == 3
    offset = None if not kw else kw["offset"][:4]
    assert cv.predict(X[:4], type="class", offset=offset).shape == (4, 1)


def test_sparse_x_gives_the_dense_path():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = _data()
    Xs = X.copy()
    Xs[np.abs(Xs) < 0.8] = 0.0
    dense = regpath.fit(np.asfortranarray(Xs), y, family="multinomial", nlambda=10, tol=1e-12)
    csc = regpath.fit(sparse.csc_matrix(Xs), y, family="multinomial", nlambda=10, tol=1e-12)
    np.testing.assert_allclose(csc.coef_path, dense.coef_path, rtol=0, atol=1e-9)
    np.testing.assert_allclose(csc.intercept, dense.intercept, rtol=0, atol=1e-9)


# ---- LogisticRegression with K > 2 classes: scikit-learn's multinomial ------------------------

@pytest.mark.parametrize("C", [0.05, 1.0])
def test_logistic_regression_multiclass_is_sklearns(C):
    sk = pytest.importorskip("sklearn.linear_model")
    X, y = _data()
    labels = np.array(["a", "b", "c"])[y]
    ours = regpath.LogisticRegression(C=C, tol=1e-13).fit(X, labels)
    # newton-cg, not the default lbfgs: lbfgs stops with gradients of 1e-5..1e-3 here, where
    # regpath's are 1e-9 (its objective is the lower one); newton-cg reaches regpath's optimum
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg may say it stopped at its rounding floor
        theirs = sk.LogisticRegression(C=C, tol=1e-14, max_iter=1000, solver="newton-cg",
                                       multi_class="multinomial").fit(X, labels)
    assert list(ours.classes_) == list(theirs.classes_)
    assert ours.coef_.shape == (3, 8) and ours.intercept_.shape == (3,)
    # scikit-learn's intercepts sum to 0 (the unpenalized intercepts' gradient does), as
    # glmnet's centred ones
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0,
                               atol=1e-8 * np.abs(theirs.coef_).max())
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)
    np.testing.assert_allclose(ours.predict_log_proba(X), np.log(ours.predict_proba(X)),
                               atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_logistic_regression_multiclass_weights_are_repeated_rows():
    X, y = _data()
    w = np.tile([1.0, 2.0, 3.0], X.shape[0] // 3)
    rows = np.repeat(np.arange(X.shape[0]), w.astype(np.int64))
    weighted = regpath.LogisticRegression(C=0.5, tol=1e-13).fit(X, y, sample_weight=w)
    repeated = regpath.LogisticRegression(C=0.5, tol=1e-13).fit(X[rows], y[rows])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=0, atol=1e-7)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, rtol=0, atol=1e-7)


@pytest.mark.parametrize("scoring", [None, "neg_log_loss"])
def test_logistic_regression_cv_multiclass_is_sklearns(scoring):
    sk = pytest.importorskip("sklearn.linear_model")
    from sklearn.model_selection import StratifiedKFold
    X, y = _data()
    labels = np.array(["a", "b", "c"])[y]
    kw = dict(Cs=[0.01, 0.1, 1.0, 10.0], cv=StratifiedKFold(4), scoring=scoring)
    ours = regpath.LogisticRegressionCV(tol=1e-13, **kw).fit(X, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newton-cg may say it stopped at its rounding floor
        theirs = sk.LogisticRegressionCV(solver="newton-cg", tol=1e-14, max_iter=1000,
                                         multi_class="multinomial", **kw).fit(X, labels)
    assert sorted(ours.scores_) == sorted(theirs.scores_) == ["a", "b", "c"]
    np.testing.assert_allclose(ours.scores_["a"], theirs.scores_["a"], rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(ours.C_, theirs.C_)
    assert ours.coef_.shape == theirs.coef_.shape == (3, 8)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-7)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
