"""Model files from Python (Path.save, CvResult.save, regpath.load_model): a saved fit or cv
predicts and gives coefficients as the Path / CvResult did (the C++ predict, glmnet's exact =
FALSE, checked against glmnet in tests/test_predict*.cpp and test_multinomial_model.cpp), files
of the command line read back, and bad files are errors naming them."""

import numpy as np
import pytest

import regpath
from conftest import REPO, make_binary, make_regression


def _roundtrip(path, tmp_path, **kw):
    file = tmp_path / "model.json"
    path.save(file, **kw)
    return regpath.load_model(file)


@pytest.mark.parametrize("family", ["gaussian", "binomial", "poisson"])
def test_a_saved_fit_predicts_as_the_path(rng, tmp_path, family):
    if family == "binomial":
        X, y = make_binary(rng)
    else:
        X, y = make_regression(rng)
        if family == "poisson":
            y = rng.poisson(np.exp(0.3 * X[:, 0]))
    path = regpath.fit(X, y, family=family, nlambda=20)
    model = _roundtrip(path, tmp_path, feature_names=[f"f{j}" for j in range(X.shape[1])])
    assert model.family == family and model.lambda_min is None
    assert model.feature_names == [f"f{j}" for j in range(X.shape[1])]
    np.testing.assert_array_equal(model.lambdas, path.lambdas)
    s = [path.lambdas[3], 0.5 * (path.lambdas[5] + path.lambdas[6]), 10 * path.lambdas[0]]
    np.testing.assert_allclose(model.coef(s), path.coef(s), rtol=1e-13, atol=1e-15)
    for kind in ("link", "response"):
        np.testing.assert_allclose(model.predict(X[:10], s, type=kind),
                                   path.predict(X[:10], s, type=kind), rtol=1e-12, atol=1e-14)
    assert model.predict(X[:4]).shape == (4, path.nlambda)  # every λ of a fit by default
    if family == "binomial":
        np.testing.assert_array_equal(model.predict(X[:10], s, type="class"),
                                      (path.predict(X[:10], s) > 0).astype(float))


def test_a_saved_multinomial_fit_keeps_its_classes(tmp_path):
    rows = np.loadtxt(REPO / "tests" / "data" / "multinom_data.csv", delimiter=",",
                      skiprows=1)
    X, y = np.asfortranarray(rows[:, 1:]), 10 * rows[:, 0] + 2  # labels 2, 12, 22
    path = regpath.fit(X, y, family="multinomial", nlambda=15)
    model = _roundtrip(path, tmp_path)
    assert model.n_classes == 3
    np.testing.assert_array_equal(model.classes, [2, 12, 22])
    s = [path.lambdas[4], path.lambdas[9]]
    np.testing.assert_allclose(model.coef(s), path.coef(s), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(model.predict(X[:8], s, type="response"),
                               path.predict(X[:8], s, type="response"), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X[:8], s, type="class"),
                                  path.predict(X[:8], s, type="class"))
    strings = regpath.fit(X, np.array(["a", "b", "c"])[rows[:, 0].astype(int)],
                          family="multinomial", nlambda=5)
    with pytest.raises(ValueError, match="not numbers"):
        strings.save(tmp_path / "strings.json")


def test_a_saved_cv_defaults_to_lambda_1se(rng, tmp_path):
    X, y = make_regression(rng)
    cv = regpath.cv(X, y, nfolds=5, nlambda=30)
    file = tmp_path / "cv.json"
    cv.save(file)
    model = regpath.load_model(file)
    assert model.lambda_min == cv.lambda_min and model.lambda_1se == cv.lambda_1se
    np.testing.assert_allclose(model.predict(X[:6]), cv.predict(X[:6]), rtol=1e-12)
    np.testing.assert_allclose(model.predict(X[:6], s="lambda_min"),
                               cv.predict(X[:6], s="lambda_min"), rtol=1e-12)
    with pytest.raises(ValueError, match="invalid s"):
        regpath.load_model(tmp_path / "cv.json").predict(X[:2], s="lambda_max")


def test_an_offset_model_needs_new_offsets(rng, tmp_path):
    X, y = make_regression(rng)
    off = rng.standard_normal(X.shape[0])
    model = _roundtrip(regpath.fit(X, y, nlambda=10, offset=off), tmp_path)
    assert model.offset
    with pytest.raises(ValueError, match="offset"):
        model.predict(X[:3])
    assert model.predict(X[:3], offset=off[:3]).shape == (3, 10)


def test_files_of_the_command_line_and_bad_files(tmp_path):
    corpus = REPO / "tests" / "fuzz" / "corpus" / "model"  # models `regpath` wrote
    for name in ("fit_gaussian", "fit_binomial_dense", "cv_gaussian", "fit_multinomial"):
        m = regpath.load_model(corpus / name)
        assert m.family in name or name.startswith("cv_")
        offset = None
        if m.offset:
            offset = np.zeros((2, m.n_classes)) if m.n_classes else np.zeros(2)
        assert m.predict(np.zeros((2, m.n_features)), offset=offset).shape[0] == 2
    with pytest.raises(ValueError, match="truncated"):
        regpath.load_model(corpus / "truncated")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "regpath-model", "format_version": 3')
    with pytest.raises(ValueError, match="bad.json"):
        regpath.load_model(bad)
    with pytest.raises((RuntimeError, ValueError), match="missing.json"):
        regpath.load_model(tmp_path / "missing.json")
