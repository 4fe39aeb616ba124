#!/usr/bin/python3
"""Cross-check the sklearn/numpy and glmnet reference files against each other.

    /usr/bin/python3 scripts/check_reference_data.py

For every (problem, alpha, standardize, intercept) group it reports
  coef   max_j |b_sklearn - b_glmnet| / max(1, max|b|)      (a0 included)
  obj    (F(glmnet) - F(sklearn)) / max(1e-300, |F(sklearn)|), F the documented objective
         evaluated on the original scale with the penalty on bt_j = b_j * scale_j
  kkt    max KKT violation of each solution for the documented objective
and the worst of each per problem; then lambda_max from the formula vs glmnet's
first default lambda. scale_j is the centred 1/n sd of column j when standardizing
(with or without an intercept, glmnet's convention) and 1 otherwise. Every group is
held to the same tolerance; the exit status is 1 if any group's coefficients differ
by more than TOL.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_reference_data as mrd  # noqa: E402  (same transform / lambda formula)

TEST_DIR = mrd.TEST_DIR
TOL = 1e-6


def read(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    return header, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def scales(X, standardize, intercept):
    """Centred 1/n sd when standardizing, whether or not there is an intercept
    (the `intercept` argument does not matter; kept for a uniform signature)."""
    if not standardize:
        return np.ones(X.shape[1])
    return X.std(axis=0)  # 1/n sd, centred


def objective(X, y, a0, b, lam, alpha, s):
    n = len(y)
    r = y - a0 - X @ b
    bt = b * s
    return r @ r / (2 * n) + lam * (alpha * np.abs(bt).sum() + 0.5 * (1 - alpha) * bt @ bt)


def kkt(X, y, a0, b, lam, alpha, s, intercept):
    """Max violation of the stationarity conditions on the standardized scale."""
    n = len(y)
    r = y - a0 - X @ b
    g = (X * (1.0 / s)).T @ r / n  # = x_t_j^T r / n, x_t = x / s
    bt = b * s
    v = g - lam * (1 - alpha) * bt
    nz = bt != 0
    viol = np.zeros_like(bt)
    viol[nz] = np.abs(v[nz] - lam * alpha * np.sign(bt[nz]))
    viol[~nz] = np.maximum(np.abs(v[~nz]) - lam * alpha, 0)
    worst = viol.max() / max(lam, 1e-300)  # relative to lambda
    if intercept:
        worst = max(worst, abs(r.mean()) / max(lam, 1e-300))
    return worst


def groups(data):
    keys = data[:, :3]
    out = {}
    for i, k in enumerate(map(tuple, keys)):
        out.setdefault(k, []).append(i)
    return out


def main():
    ok = True
    for prob in ["tall", "wide", "diabetes_std"]:
        _, d = read(os.path.join(TEST_DIR, prob + ".csv"))
        X, y = d[:, :-1], d[:, -1]
        hs, S = read(os.path.join(TEST_DIR, "ref_%s_sklearn.csv" % prob))
        hg, Gm = read(os.path.join(TEST_DIR, "ref_%s_glmnet.csv" % prob))
        assert hs == hg and S.shape == Gm.shape, (hs, hg, S.shape, Gm.shape)
        assert np.array_equal(S[:, :4], Gm[:, :4]), "lambda lists differ"
        print("=" * 96)
        print("%s  (n=%d, p=%d)" % (prob, X.shape[0], X.shape[1]))
        print("%5s %3s %3s  %10s %11s %10s %10s  %s" % ("alpha", "std", "int", "coef",
              "obj(g-s)", "kkt_skl", "kkt_glm", "note"))
        worst = {}
        for key, idx in groups(S).items():
            alpha, st, it = key
            st, it = int(st), int(it)
            s = scales(X, st, it)
            cdiff = odiff = ks = kg = 0.0
            for i in idx:
                lam = S[i, 3]
                a_s, b_s = S[i, 4], S[i, 5:]
                a_g, b_g = Gm[i, 4], Gm[i, 5:]
                den = max(1.0, np.abs(np.r_[a_s, b_s]).max())
                cdiff = max(cdiff, np.abs(np.r_[a_s - a_g, b_s - b_g]).max() / den)
                fs = objective(X, y, a_s, b_s, lam, alpha, s)
                fg = objective(X, y, a_g, b_g, lam, alpha, s)
                od = (fg - fs) / abs(fs)
                odiff = od if abs(od) > abs(odiff) else odiff
                ks = max(ks, kkt(X, y, a_s, b_s, lam, alpha, s, it))
                kg = max(kg, kkt(X, y, a_g, b_g, lam, alpha, s, it))
            note = "" if cdiff <= TOL else "<-- coef differs by more than %.0e" % TOL
            if cdiff > TOL:
                ok = False
            print("%5g %3d %3d  %10.2e %11.2e %10.2e %10.2e  %s" % (alpha, st, it, cdiff,
                  odiff, ks, kg, note))
            for name, v in (("coef", cdiff), ("|obj|", abs(odiff)), ("kkt_sklearn", ks),
                            ("kkt_glmnet", kg)):
                if v > worst.get(name, (-1, None))[0]:
                    worst[name] = (v, key)

        def fmt(w):
            return "; ".join("%s %.2e (alpha=%g std=%d int=%d)" % (n, v, k[0], k[1], k[2])
                             for n, (v, k) in w.items())
        print("worst over all groups: ", fmt(worst))

    print("=" * 96)
    print("lambda_max (formula, max(alpha,1e-3)) vs glmnet's first default lambda")
    print("%-13s %5s %3s %3s  %22s %22s %10s" % ("problem", "alpha", "std", "int", "formula",
                                                 "glmnet", "rel.diff"))
    for prob in ["tall", "wide", "diabetes_std"]:
        _, d = read(os.path.join(TEST_DIR, prob + ".csv"))
        X, y = d[:, :-1], d[:, -1]
        _, L = read(os.path.join(TEST_DIR, "ref_%s_glmnet_default_lambda.csv" % prob))
        for key, idx in groups(L).items():
            alpha, st, it = key
            lm = mrd.lambda_max(X, y, alpha, int(st), int(it))
            g = L[idx[0], 3]
            print("%-13s %5g %3d %3d  %22.17g %22.17g %10.2e   (%d values returned)" % (
                prob, alpha, st, it, lm, g, (g - lm) / lm, len(idx)))
    print("=" * 96)
    print("OK: sklearn and glmnet agree to %.0e in every group" % TOL if ok
          else "DISAGREEMENT above %.0e (see tables)" % TOL)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
