"""One scikit-learn enet_path fit for bench/peers/run (not meant to be run by hand).

    /usr/bin/python3 fit_sklearn.py PROBLEM_DIR LAMBDA_FILE ALPHA TOL MAX_ITER PRECOMPUTE OUT_PREFIX

Reads PROBLEM_DIR/{X.f64, y.f64, meta.txt} and LAMBDA_FILE, standardizes X by hand (centred,
divided by the 1/n standard deviation, as glmnet does) and centres y, then times
sklearn.linear_model.enet_path(Xs, yc, l1_ratio=ALPHA, alphas=lambda, tol, max_iter,
precompute) alone. Writes OUT_PREFIX.coef.f64 ((p+1) x K column-major: intercept, then the
coefficients on the original scale), OUT_PREFIX.lambda.f64 and OUT_PREFIX.info.
"""
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path


def main():
    d, lamfile, alpha, tol, max_iter, precompute, out = sys.argv[1:8]
    alpha, tol, max_iter = float(alpha), float(tol), int(max_iter)
    precompute = precompute == "1"
    meta = dict(line.strip().split("=", 1) for line in open(os.path.join(d, "meta.txt")))
    n, p = int(meta["n"]), int(meta["p"])
    X = np.fromfile(os.path.join(d, "X.f64"), dtype="<f8", count=n * p).reshape(p, n).T
    y = np.fromfile(os.path.join(d, "y.f64"), dtype="<f8", count=n)
    lam = np.fromfile(lamfile, dtype="<f8")

    mu = X.mean(axis=0)
    Xs = np.asfortranarray(X - mu)
    sd = np.sqrt((Xs * Xs).mean(axis=0))
    keep = sd > 0
    Xs[:, keep] /= sd[keep]
    Xs[:, ~keep] = 0.0
    ybar = y.mean()
    yc = y - ybar
    del X

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t0 = time.perf_counter()
        alphas, coefs, gaps, iters = enet_path(
            Xs, yc, l1_ratio=alpha, alphas=lam, tol=tol, max_iter=max_iter,
            precompute=precompute, return_n_iter=True, check_input=True)
        secs = time.perf_counter() - t0
    nconv = sum(issubclass(w.category, ConvergenceWarning) for w in caught)

    beta = np.zeros_like(coefs)
    beta[keep] = coefs[keep] / sd[keep, None]
    b0 = ybar - mu @ beta
    cf = np.vstack([b0[None, :], beta])  # (p+1) x K
    np.asfortranarray(cf).T.astype("<f8").tofile(out + ".coef.f64")
    np.asarray(alphas, dtype="<f8").tofile(out + ".lambda.f64")
    with open(out + ".info", "w") as f:
        f.write(f"seconds={secs:.6f}\nnlambda={len(alphas)}\n")
        f.write(f"max_iter_hit={int(np.sum(np.asarray(iters) >= max_iter))}\n")
        f.write(f"warnings={nconv} ConvergenceWarning\n" if nconv else "warnings=\n")


if __name__ == "__main__":
    main()
