#!/usr/bin/python3
"""Seeded binomial (logistic) problems, lambda lists, CV fold ids and the scikit-learn
binomial reference paths.

Run with Debian's /usr/bin/python3 (it sees the apt-installed python3-sklearn 1.2.1), from
the repository root, BEFORE scripts/make_binomial_reference.R (which reads what this writes):

    /usr/bin/python3 scripts/make_binomial_reference.py

Outputs (all numbers printed with %.17g, so they round-trip exactly)
  tests/data/binom_tall.csv   n=200, p=8    header x1..x8,y   (y is 0/1)
  tests/data/binom_wide.csv   n=60,  p=100  header x1..x100,y
  tests/data/binom_sep.csv    n=40,  p=3    header x1..x3,y   perfectly linearly separable
                              (robustness tests only; no reference path: the unpenalized
                              optimum does not exist and small-lambda paths diverge)
  tests/data/cv_foldid_tall.csv        one fold id 1..5 per row of tests/data/tall.csv
  tests/data/cv_foldid_binom_tall.csv  one fold id 1..5 per row of binom_tall.csv
                              header foldid; balanced, R's sample(rep(1:5, length.out = n))
                              done with numpy: a seeded permutation of rep(1:5, length.out=n)
  tests/data/binom_lambdas_<problem>.csv   header alpha,standardize,intercept,lambda
                              20 lambdas per group, log-spaced from lambda_max down to
                              0.01*lambda_max (tall) / 0.05*lambda_max (wide); groups:
                              tall: alpha in {1, 0.5, 0.2} x (std,int) in {(1,1),(0,1),(1,0)}
                              wide: alpha in {1, 0.5}      x (std,int) = (1,1)
  tests/data/binom_ref_tall_sklearn.csv    long format alpha,standardize,intercept,lambda,a0,b1..bp
                              for the standardize=0, intercept=1 groups of binom_tall only

Objective (glmnet's binomial family; sklearn's LogisticRegression after rescaling):
  F(b0, b) = (1/n) sum_i [ log(1 + exp(eta_i)) - y_i eta_i ] + lam * [ alpha ||bt||_1
             + (1-alpha)/2 ||bt||^2 ],   eta = b0 + X b,   bt_j = b_j * s_j
  s_j = centred 1/n standard deviation of column j when standardizing (glmnet uses it with
  AND without an intercept; without an intercept the columns are scaled, not centred), 1
  otherwise. The intercept is not penalized.

lambda_max (smallest lambda whose solution has b = 0), glmnet's binomial formula:
  with an intercept:     lambda_max = max_j |xt_j^T (y - ybar)| / (n * alpha)
                         (at b = 0 the intercept is logit(ybar), so p_i = ybar)
  without an intercept:  lambda_max = max_j |xt_j^T (y - 0.5)|  / (n * alpha)
                         (b0 = 0 and b = 0 give p_i = 1/2)
  xt_j = (x_j - [mean_j if intercept]) / s_j. (alpha = 0 would use 1e-3 in place of alpha;
  no group here has alpha = 0.)

scikit-learn mapping. LogisticRegression(penalty='elasticnet', solver='saga') minimizes
  (1-rho)/2 ||w||^2 + rho ||w||_1 + C sum_i logloss_i      (intercept not penalized by saga)
Dividing by C*n gives (1/n) sum logloss + (1/(C n)) [rho ||w||_1 + (1-rho)/2 ||w||^2], i.e.
F above with alpha = rho = l1_ratio and lam = 1/(C n), so C = 1/(n lam). sklearn does not
standardize, so only the standardize=0 groups are comparable (fit on the raw X). Each group is
warm-started down the lambda list (random_state=0, so the file is reproducible). saga stops on
coefficient change only, so at an all-zero solution its intercept is not converged; there the
intercept written is the exact optimum logit(ybar).
"""

import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

SEED = 20261207
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TEST_DIR = os.path.join(ROOT, "tests", "data")
NLAMBDA = 20
SETTINGS_TALL = [(1, 1), (0, 1), (1, 0)]  # (standardize, intercept)
ALPHAS = {"tall": [1.0, 0.5, 0.2], "wide": [1.0, 0.5]}
SETTINGS = {"tall": SETTINGS_TALL, "wide": [(1, 1)]}
MIN_RATIO = {"tall": 0.01, "wide": 0.05}
NFOLDS = 5


def g17(v):
    # "+ 0.0" turns -0.0 into 0, as R writes it.
    return "%.17g" % (v + 0.0)


def write_csv(path, header, rows, fmt=g17):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(fmt(float(v)) for v in r) + "\n")


def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


# ----------------------------------------------------------------------------------
# Problems
# ----------------------------------------------------------------------------------

def correlated_design(rng, n, p, rho):
    """Equicorrelated gaussian columns (pairwise correlation rho), then a few columns given
    non-zero means and scales other than 1 so that standardization matters."""
    z0 = rng.standard_normal((n, 1))
    Z = np.sqrt(rho) * z0 + np.sqrt(1.0 - rho) * rng.standard_normal((n, p))
    scale = np.ones(p)
    mean = np.zeros(p)
    scale[0], mean[0] = 3.0, 2.0
    scale[1], mean[1] = 0.25, -1.0
    scale[2], mean[2] = 1.0, 5.0
    scale[3], mean[3] = 5.0, 0.0
    return Z, Z * scale + mean


def binomial_problem(rng, n, p, rho, beta_unit, idx):
    """y ~ Bernoulli(sigmoid(z . beta + 0.3)), z the latent unit-scale, zero-mean design, so
    the truth has the same strength whatever the column's scale; X = z * scale + mean is
    what is stored (so eta = x . beta + const with beta = beta_unit / scale)."""
    Z, X = correlated_design(rng, n, p, rho)
    beta = np.zeros(p)
    beta[idx] = beta_unit
    y = (rng.uniform(size=n) < sigmoid(Z @ beta + 0.3)).astype(float)
    return X, y


def separable_problem(rng, n, p):
    """Perfectly separable: y = 1 iff w.x + c > 0, every point at least 0.5 from the
    separating hyperplane (on the w/|w| scale)."""
    w = np.array([1.0, -2.0, 0.5])[:p]
    w = w / np.linalg.norm(w)
    X = rng.standard_normal((n, p)) * np.array([1.0, 2.0, 0.5])[:p] + np.array([0.0, 1.0, -1.0])[:p]
    m = X @ w + 0.2
    # push each point away from the plane so the margin is at least 0.5
    push = np.where(m >= 0, 1.0, -1.0) * 0.5
    X = X + np.outer(push, w)
    y = ((X @ w + 0.2) > 0).astype(float)
    margin = np.min(np.abs(X @ w + 0.2))
    assert margin >= 0.5 - 1e-12 and 0 < y.sum() < n, (margin, y.sum())
    return X, y


def fold_ids(rng, n, k=NFOLDS):
    """R's sample(rep(1:k, length.out = n)): balanced fold sizes, random order."""
    return rng.permutation(np.resize(np.arange(1, k + 1), n))


def write_problem(name, X, y):
    header = ["x%d" % (j + 1) for j in range(X.shape[1])] + ["y"]
    write_csv(os.path.join(TEST_DIR, name + ".csv"), header, np.column_stack([X, y]))


def write_foldid(name, f):
    with open(os.path.join(TEST_DIR, "cv_foldid_%s.csv" % name), "w") as fh:
        fh.write("foldid\n")
        fh.write("".join("%d\n" % v for v in f))


# ----------------------------------------------------------------------------------
# lambda lists
# ----------------------------------------------------------------------------------

def scales(X, standardize):
    """Centred 1/n sd when standardizing (with or without an intercept), else 1."""
    return X.std(axis=0) if standardize else np.ones(X.shape[1])


def xtilde(X, standardize, intercept):
    Xc = X - X.mean(axis=0) if intercept else X
    return Xc / scales(X, standardize)


def lambda_max_binomial(X, y, alpha, standardize, intercept):
    """max_j |xt_j^T (y - ybar)| / (n alpha) with an intercept; y - 0.5 without one."""
    n = X.shape[0]
    r = y - (y.mean() if intercept else 0.5)
    return np.max(np.abs(xtilde(X, standardize, intercept).T @ r)) / (n * max(alpha, 1e-3))


def lambda_list(lmax, ratio, k=NLAMBDA):
    return lmax * ratio ** (np.arange(k) / (k - 1.0))


# ----------------------------------------------------------------------------------
# scikit-learn reference (standardize = 0, intercept = 1 only)
# ----------------------------------------------------------------------------------

def sklearn_group(X, y, alpha, lams):
    n = X.shape[0]
    clf = LogisticRegression(penalty="elasticnet", solver="saga", l1_ratio=alpha,
                             tol=1e-12, max_iter=1_000_000, fit_intercept=True,
                             warm_start=True, random_state=0)
    ybar = y.mean()
    rows, worst_iter = [], 0
    for lam in lams:  # descending lambda, warm-started
        clf.set_params(C=1.0 / (n * lam))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            clf.fit(X, y)
        for w in caught:
            print("  WARNING sklearn alpha=%g lam=%g: %s" % (alpha, lam, str(w.message)[:100]),
                  file=sys.stderr)
        worst_iter = max(worst_iter, int(clf.n_iter_[0]))
        # saga's stopping rule looks at the coefficients only: when they are all zero it stops
        # after a few epochs with the intercept unconverged (errors ~1e-3). With b = 0 the
        # optimal intercept is logit(ybar) exactly; use it (only ever at lambda = lambda_max).
        a0 = clf.intercept_[0] if np.any(clf.coef_ != 0) else np.log(ybar / (1 - ybar))
        rows.append([a0] + list(clf.coef_[0]))
    return np.array(rows), worst_iter


def main():
    os.makedirs(TEST_DIR, exist_ok=True)
    rng = np.random.default_rng(SEED)
    t0 = time.time()

    problems = {}
    problems["tall"] = binomial_problem(rng, 200, 8, 0.3, [1.0, -0.8, 0.6, 0.5],
                                        [0, 1, 4, 6])
    problems["wide"] = binomial_problem(rng, 60, 100, 0.3, [1.5, -1.2, 1.0, -0.8, 0.6],
                                        [0, 1, 3, 10, 50])
    for name, (X, y) in problems.items():
        write_problem("binom_" + name, X, y)
    Xs, ys = separable_problem(rng, 40, 3)
    write_problem("binom_sep", Xs, ys)

    # Fold ids: tall.csv (the gaussian CV problem, written by make_reference_data.py) and
    # binom_tall.csv.
    with open(os.path.join(TEST_DIR, "tall.csv")) as f:
        n_tall = sum(1 for _ in f) - 1
    write_foldid("tall", fold_ids(rng, n_tall))
    write_foldid("binom_tall", fold_ids(rng, problems["tall"][0].shape[0]))

    for name, (X, y) in problems.items():
        n, p = X.shape
        rows = []
        for alpha in ALPHAS[name]:
            for st, it in SETTINGS[name]:
                lmax = lambda_max_binomial(X, y, alpha, st, it)
                for lam in lambda_list(lmax, MIN_RATIO[name]):
                    rows.append([alpha, st, it, lam])
        write_csv(os.path.join(TEST_DIR, "binom_lambdas_%s.csv" % name),
                  ["alpha", "standardize", "intercept", "lambda"], rows)
        print("binom_%-5s n=%d p=%d  mean(y)=%.3f  %d lambda rows" % (name, n, p, y.mean(),
                                                                     len(rows)))

    # sklearn: standardize=0, intercept=1 groups of binom_tall.
    X, y = problems["tall"]
    p = X.shape[1]
    lam = np.loadtxt(os.path.join(TEST_DIR, "binom_lambdas_tall.csv"), delimiter=",",
                     skiprows=1)
    out = []
    for alpha in ALPHAS["tall"]:
        sel = (lam[:, 0] == alpha) & (lam[:, 1] == 0) & (lam[:, 2] == 1)
        lams = lam[sel, 3]  # read back: bit-identical to what glmnet sees
        t1 = time.time()
        coef, it = sklearn_group(X, y, alpha, lams)
        print("sklearn alpha=%g std=0 int=1: %d fits, max %d epochs, %.1fs" % (
            alpha, len(lams), it, time.time() - t1))
        for lm, row in zip(lams, coef):
            out.append([alpha, 0, 1, lm] + list(row))
    write_csv(os.path.join(TEST_DIR, "binom_ref_tall_sklearn.csv"),
              ["alpha", "standardize", "intercept", "lambda", "a0"]
              + ["b%d" % (j + 1) for j in range(p)], out)
    print("done in %.1fs" % (time.time() - t0))


if __name__ == "__main__":
    main()
