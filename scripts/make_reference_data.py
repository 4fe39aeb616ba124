#!/usr/bin/python3
"""Generate the bundled data set and the scikit-learn / numpy reference paths.

Run with Debian's /usr/bin/python3 (it sees the apt-installed python3-sklearn),
from the repository root:

    /usr/bin/python3 scripts/make_reference_data.py

Outputs
  data/diabetes.csv, data/README.md          the raw diabetes data (bundled data set)
  tests/data/<problem>.csv                   problem data, header x1..xp,y
  tests/data/lambdas_<problem>.csv           the explicit lambda lists (read by the R script,
                                             so sklearn and glmnet see bit-identical lambdas)
  tests/data/ref_<problem>_sklearn.csv       reference coefficients

Objective (glmnet's gaussian family == sklearn's ElasticNet):
  (1/2n) ||y - b0 - X b||^2 + lam * [ alpha ||bt||_1 + (1-alpha)/2 ||bt||^2 ]
with bt_j = b_j * s_j the coefficients on the standardized scale, s_j the centred
1/n standard deviation of column j when standardizing (with or without an
intercept, as glmnet does) and 1 otherwise (see `transform`).

Every response is rescaled to mean 0 and 1/n-standard-deviation 1, because glmnet
divides y by its own sd internally; only with sd(y) == 1 does its ridge / elastic-net
solution coincide with the objective above for a given lambda.
"""

import gzip
import os
import subprocess
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path

SEED = 20261122
ALPHAS = [0.0, 0.2, 0.5, 0.7, 1.0]
SETTINGS = [(1, 1), (0, 1), (1, 0), (0, 0)]  # (standardize, intercept)
LAMBDA_FACTORS = [1.5, 0.9, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01]

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DATA_DIR = os.path.join(ROOT, "data")
TEST_DIR = os.path.join(ROOT, "tests", "data")
DIABETES_NAMES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def g17(v):
    # %.17g always round-trips a double exactly, independent of the reader's parser;
    # "+ 0.0" turns -0.0 (e.g. sklearn's zero coefficients) into 0, as R writes it.
    return "%.17g" % (v + 0.0)


def write_csv(path, header, rows, fmt=g17):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(fmt(float(v)) for v in r) + "\n")


def unit_response(y):
    """Mean 0, 1/n-sd exactly 1 (up to rounding), so glmnet's internal y scale is 1."""
    y = y - y.mean()
    return y / np.sqrt(np.mean(y * y))


# ----------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------

def load_raw_diabetes():
    from sklearn.datasets import load_diabetes

    try:
        d = load_diabetes(scaled=False)  # sklearn >= 1.1: the original, unscaled data
        return np.asarray(d.data, dtype=float), np.asarray(d.target, dtype=float)
    except TypeError:
        # Older sklearn: read the raw file shipped in the package directly.
        base = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data")
        with gzip.open(os.path.join(base, "diabetes_data_raw.csv.gz"), "rt") as f:
            X = np.loadtxt(f)
        with gzip.open(os.path.join(base, "diabetes_target.csv.gz"), "rt") as f:
            y = np.loadtxt(f)
        return X, y


def write_diabetes(X, y):
    # repr gives the shortest exactly-round-tripping text, so the raw values read
    # back as written in the source file (59.0, 32.1, 4.8598, ...).
    with open(os.path.join(DATA_DIR, "diabetes.csv"), "w") as f:
        f.write(",".join(DIABETES_NAMES + ["progression"]) + "\n")
        for xi, yi in zip(X, y):
            f.write(",".join(repr(float(v)) for v in list(xi) + [yi]) + "\n")

    try:  # record the exact Debian package the data came from
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-sklearn"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        deb = "unknown"
    readme = f"""# Bundled data

## diabetes.csv

The diabetes data of Efron, Hastie, Johnstone and Tibshirani (2004),
"Least Angle Regression", *Annals of Statistics* 32(2), 407-499.
442 patients, 10 baseline variables and a quantitative measure of disease
progression one year after baseline.

This is the **raw, unscaled** version. It was taken from Debian 12's
`python3-sklearn` package (version {deb}, scikit-learn {sklearn.__version__}), files
`sklearn/datasets/data/diabetes_data_raw.csv.gz` and
`sklearn/datasets/data/diabetes_target.csv.gz`, via
`sklearn.datasets.load_diabetes(scaled=False)`, and written by
`scripts/make_reference_data.py`. (scikit-learn's default `load_diabetes()`
returns the features mean-centred and scaled to unit Euclidean norm; the
values here are the original ones.)

Columns (one row per patient, header row first):

| column      | meaning                                           |
|-------------|---------------------------------------------------|
| age         | age in years                                      |
| sex         | sex (coded 1 / 2)                                 |
| bmi         | body mass index                                   |
| bp          | average blood pressure                            |
| s1          | tc, total serum cholesterol                       |
| s2          | ldl, low-density lipoproteins                     |
| s3          | hdl, high-density lipoproteins                    |
| s4          | tch, total cholesterol / HDL                      |
| s5          | ltg, log of serum triglycerides level (possibly)  |
| s6          | glu, blood sugar level                            |
| progression | disease progression one year after baseline (the response) |
"""
    with open(os.path.join(DATA_DIR, "README.md"), "w") as f:
        f.write(readme)


def equicorrelated_problem(rng, n, p, rho, n_nonzero, noise_sd):
    """Gaussian design with equal pairwise correlation rho, then columns given
    different means and scales so that standardization actually matters."""
    z0 = rng.standard_normal((n, 1))
    Z = rng.standard_normal((n, p))
    X = np.sqrt(rho) * z0 + np.sqrt(1.0 - rho) * Z
    scale = (np.arange(p) + 1) * 0.5
    X = X * scale + np.arange(p)
    # Truth chosen on the unit-variance scale so every true effect has a comparable
    # signal; signs alternate and magnitudes decrease.
    beta = np.zeros(p)
    idx = rng.choice(p, size=n_nonzero, replace=False)
    beta[idx] = np.array([2.0, -1.5, 1.0, -0.75, 0.5][:n_nonzero]) / scale[idx]
    y = 3.0 + X @ beta + noise_sd * rng.standard_normal(n)
    return X, unit_response(y)


def make_problems(rng, Xd, yd):
    problems = {}
    problems["tall"] = equicorrelated_problem(rng, 100, 10, 0.5, 4, 1.0)
    problems["wide"] = equicorrelated_problem(rng, 30, 60, 0.3, 5, 0.5)
    problems["diabetes_std"] = (Xd.copy(), unit_response(yd))
    for name, (X, y) in problems.items():
        p = X.shape[1]
        header = ["x%d" % (j + 1) for j in range(p)] + ["y"]
        write_csv(os.path.join(TEST_DIR, name + ".csv"), header, np.column_stack([X, y]))
    return problems


# ----------------------------------------------------------------------------------
# Reference solutions
# ----------------------------------------------------------------------------------

def transform(X, y, standardize, intercept):
    """Return (Xt, yt, xmean, xscale, ymean) for glmnet's conventions:
    intercept     -> centre columns and y;
    standardize   -> divide each column by its CENTRED 1/n standard deviation
                     sqrt(mean((x - mean(x))^2)) = X.std(axis=0), whether or not
                     there is an intercept (glmnet does this; without an intercept
                     the columns are scaled but not centred)."""
    n, p = X.shape
    xmean = X.mean(axis=0) if intercept else np.zeros(p)
    ymean = y.mean() if intercept else 0.0
    Xc = X - xmean
    xscale = X.std(axis=0) if standardize else np.ones(p)  # centred 1/n sd
    return Xc / xscale, y - ymean, xmean, xscale, ymean


def lambda_max(X, y, alpha, standardize, intercept):
    """max_j |xt_j^T (y - ybar)| / (n max(alpha, 1e-3)), xt = (x - [mean if intercept]) / sd
    with sd the centred 1/n sd when standardizing (see `transform`); ybar = 0 without
    an intercept."""
    Xt, yt, _, _, _ = transform(X, y, standardize, intercept)
    n = X.shape[0]
    return np.max(np.abs(Xt.T @ yt)) / (n * max(alpha, 1e-3))


def solve_group(X, y, alpha, standardize, intercept, lams):
    """Coefficient rows [a0, b1..bp] on the original scale, one per lambda."""
    Xt, yt, xmean, xscale, ymean = transform(X, y, standardize, intercept)
    n, p = Xt.shape
    G = Xt.T @ Xt
    Xty = Xt.T @ yt
    if alpha == 0.0:
        # Ridge: coordinate descent's duality gap never certifies a pure ridge
        # problem in sklearn, so use the closed form (independent numpy reference).
        B = np.array([np.linalg.solve(G / n + lam * np.eye(p), Xty / n) for lam in lams])
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            # enet_path warm-starts down the (descending) lambda list. The data are
            # already transformed, so sklearn must not centre or rescale again; the
            # Gram matrix makes the 1e-14 duality-gap tolerance cheap to reach.
            _, coefs, gaps = enet_path(
                Xt, yt, l1_ratio=alpha, alphas=np.asarray(lams), precompute=G,
                Xy=Xty, tol=1e-14, max_iter=1_000_000, check_input=True,
                return_n_iter=False,
            )
        for w in caught:
            if issubclass(w.category, ConvergenceWarning):
                print("  WARNING alpha=%g std=%d int=%d: %s" % (alpha, standardize, intercept,
                                                                 str(w.message)[:120]),
                      file=sys.stderr)
        B = coefs.T  # enet_path returns (p, n_lambdas)
    B = B / xscale  # back to the original scale
    a0 = ymean - B @ xmean if intercept else np.zeros(len(lams))
    return np.column_stack([a0, B])


def main():
    os.makedirs(DATA_DIR, exist_ok=True)
    os.makedirs(TEST_DIR, exist_ok=True)
    rng = np.random.default_rng(SEED)

    Xd, yd = load_raw_diabetes()
    assert Xd.shape == (442, 10), Xd.shape
    write_diabetes(Xd, yd)

    problems = make_problems(rng, Xd, yd)
    for name, (X, y) in problems.items():
        p = X.shape[1]
        lam_rows, ref_rows = [], []
        for alpha in ALPHAS:
            for standardize, intercept in SETTINGS:
                lmax = lambda_max(X, y, alpha, standardize, intercept)
                lams = [lmax * f for f in LAMBDA_FACTORS]
                sol = solve_group(X, y, alpha, standardize, intercept, lams)
                for lam, row in zip(lams, sol):
                    lam_rows.append([alpha, standardize, intercept, lam])
                    ref_rows.append([alpha, standardize, intercept, lam] + list(row))
        write_csv(os.path.join(TEST_DIR, "lambdas_%s.csv" % name),
                  ["alpha", "standardize", "intercept", "lambda"], lam_rows)
        write_csv(os.path.join(TEST_DIR, "ref_%s_sklearn.csv" % name),
                  ["alpha", "standardize", "intercept", "lambda", "a0"]
                  + ["b%d" % (j + 1) for j in range(p)], ref_rows)
        print("%-13s n=%d p=%d: %d reference rows" % (name, X.shape[0], p, len(ref_rows)))


if __name__ == "__main__":
    main()
