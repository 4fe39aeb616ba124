#!/usr/bin/python3
"""Independent numpy checks of the binomial and cross-validation reference files made by
scripts/make_binomial_reference.py and scripts/make_binomial_reference.R.

    /usr/bin/python3 scripts/check_binomial_reference.py

Checks (worst numbers printed; exit status 1 if any exceeds its tolerance)
  1. lambda lists: first lambda of each group == glmnet's binomial lambda_max formula
       with intercept  max_j |xt_j^T (y - ybar)| / (n alpha);   without  y - 0.5 for y - ybar
     (xt_j = (x_j - [mean_j if intercept]) / s_j, s_j the centred 1/n sd when standardizing,
     1 otherwise), and the list is log-spaced; the ref files carry the same lambdas bitwise.
  2. every binom_ref_*_{glmnet,sklearn}.csv row:
       KKT   max violation / lambda on the standardized scale (bt_j = b_j s_j):
             g_j = xt_j^T (y - p)/n - lambda (1-alpha) bt_j;  |g_j - lambda alpha sign bt_j| for
             bt_j != 0,  max(|g_j| - lambda alpha, 0) for bt_j == 0;  |mean(y - p)| with an
             intercept
       obj   F = (1/n) sum [log(1+e^eta) - y eta] + lambda [alpha ||bt||_1 + (1-alpha)/2 ||bt||^2]
             and its excess over a numpy-polished solution (FISTA started from the reference
             row, run to stagnation): F(ref) - F(polished), relative to |F|
  3. sklearn vs glmnet (binom_tall, standardize=0, intercept=1): max |coef diff| / max(1, |b|),
     relative objective difference.
  4. CV files cv_<name>.csv (lambda,cvm,cvsd,nzero) from their fold fits
     cv_<name>_foldfits.csv (fold 0 = full-data fit, folds 1..K = fits without fold k):
       KKT of every fold fit on its own training rows; cvm/cvsd recomputed from the
       cv.glmnet (grouped) definitions
         E_k = mean_{i in fold k} e_i,  cvm = sum_k n_k E_k / n,
         cvsd = sqrt( sum_k n_k (E_k - cvm)^2 / n / (K - 1) ),
         e = (y - yhat)^2 (mse) or -2[y log q + (1-y) log(1-q)], q = clamp(p, 1e-5, 1-1e-5)
       nzero = non-zeros of the full-data fit; and INDEPENDENTLY, cvm/cvsd recomputed from
       scikit-learn refits of every fold (gaussian: enet_path lasso; binomial:
       LogisticRegression saga on the fold's own standardized columns, C = 1/(n_train lambda)),
       and lambda_min / lambda_1se re-derived from the cvm/cvsd columns:
         lambda_min = largest lambda attaining min cvm,
         lambda_1se = largest lambda with cvm <= cvm_min + cvsd_min.
  5. binom_sep.csv is perfectly separable; fold ids are 1..5, balanced.
"""

import os
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, enet_path

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TEST_DIR = os.path.join(ROOT, "tests", "data")

KKT_TOL = 1e-7          # glmnet rows and fold fits, relative to lambda
OBJ_EXCESS_TOL = 1e-12  # F(ref) - F(polished), relative, glmnet rows
SKL_COEF_TOL = 1e-8     # sklearn vs glmnet coefficients
CV_TOL = 1e-12          # cvm/cvsd recomputed from the saved fold fits
CV_SKL_TOL = 1e-6       # cvm/cvsd recomputed from independent sklearn refits


def read(name):
    path = os.path.join(TEST_DIR, name)
    with open(path) as f:
        header = f.readline().strip().split(",")
    return header, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def problem(name):
    _, d = read(name + ".csv")
    return d[:, :-1], d[:, -1]


def scales(X, standardize):
    return X.std(axis=0) if standardize else np.ones(X.shape[1])


def xtilde(X, standardize, intercept):
    Xc = X - X.mean(axis=0) if intercept else X
    return Xc / scales(X, standardize)


def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def logloss(y, eta):
    # log(1 + e^eta) - y eta, stable
    return np.logaddexp(0.0, eta) - y * eta


def objective(X, y, a0, b, lam, alpha, s, family="binomial"):
    eta = a0 + X @ b
    loss = logloss(y, eta).mean() if family == "binomial" else 0.5 * np.mean((y - eta) ** 2)
    bt = b * s
    return loss + lam * (alpha * np.abs(bt).sum() + 0.5 * (1 - alpha) * bt @ bt)


def kkt(X, y, a0, b, lam, alpha, standardize, intercept, family="binomial"):
    s = scales(X, standardize)
    eta = a0 + X @ b
    r = y - (sigmoid(eta) if family == "binomial" else eta)
    bt = b * s
    # glmnet's gaussian y scaling: the ridge part of its penalty is divided by y's scale
    ys = 1.0 if family != "gaussian" else (y.std() if intercept else np.sqrt(np.mean(y * y)))
    g = xtilde(X, standardize, intercept).T @ r / len(y) - lam * (1 - alpha) / ys * bt
    nz = bt != 0
    v = np.where(nz, np.abs(g - lam * alpha * np.sign(bt)), np.maximum(np.abs(g) - lam * alpha, 0))
    w = v.max() / lam
    if intercept:
        w = max(w, abs(r.mean()) / lam)
    return w


def lambda_max(X, y, alpha, standardize, intercept, family="binomial"):
    c0 = y.mean() if intercept else (0.5 if family == "binomial" else 0.0)
    return np.max(np.abs(xtilde(X, standardize, intercept).T @ (y - c0))) / (len(y) * max(alpha, 1e-3))


def polish(X, y, a0, B, lams, alpha, standardize, intercept, iters=4000):
    """FISTA with per-column gradient-based restart on the standardized problem, for a whole
    group at once (columns = lambdas), started from the reference rows (a0[k], B[k]).
    Returns the best objective seen per column (equal to the original-scale objective)."""
    n, p = X.shape
    s = scales(X, standardize)
    m = X.mean(axis=0) if intercept else np.zeros(p)
    Xt = (X - m) / s
    A = np.column_stack([np.ones(n), Xt]) if intercept else Xt
    t = 4.0 / np.linalg.eigvalsh(A.T @ A / n)[-1]  # 1/L, L = lambda_max(A'A/n)/4
    lams = np.asarray(lams)
    Bt = (B * s).T  # p x K
    W = np.vstack([a0 + B @ m, Bt]) if intercept else Bt.copy()
    off = 1 if intercept else 0
    thr, shrink = t * lams * alpha, 1 + t * lams * (1 - alpha)

    def F(W):
        bb = W[off:]
        return (logloss(y[:, None], A @ W).mean(axis=0)
                + lams * (alpha * np.abs(bb).sum(axis=0) + 0.5 * (1 - alpha) * (bb * bb).sum(axis=0)))

    def prox(V):
        bb = V[off:]
        V[off:] = np.sign(bb) * np.maximum(np.abs(bb) - thr, 0) / shrink
        return V

    best = F(W)
    Z, theta = W.copy(), np.ones(W.shape[1])
    for _ in range(iters):
        Wn = prox(Z - t * (A.T @ (sigmoid(A @ Z) - y[:, None]) / n))
        rs = ((Z - Wn) * (Wn - W)).sum(axis=0) > 0  # restart these columns from W
        Wn[:, rs] = W[:, rs]
        theta_n = 0.5 * (1 + np.sqrt(1 + 4 * theta * theta))
        Z = Wn + ((theta - 1) / theta_n) * (Wn - W)
        theta = np.where(rs, 1.0, theta_n)
        Z[:, rs] = W[:, rs]
        W = Wn
        best = np.minimum(best, F(W))
    return best


def groups(D):
    out = {}
    for i, k in enumerate(map(tuple, D[:, :3])):
        out.setdefault(k, []).append(i)
    return out


# ----------------------------------------------------------------------------------
def check_paths(fail):
    print("=" * 100)
    print("binomial reference paths: worst per group (KKT/lambda; objective excess over a"
          " numpy-polished solution, relative)")
    print("%-6s %-8s %5s %3s %3s  %10s %12s" % ("prob", "solver", "alpha", "std", "int",
                                                 "kkt", "obj_excess"))
    ref = {}
    for prob in ["tall", "wide"]:
        X, y = problem("binom_" + prob)
        _, Lm = read("binom_lambdas_%s.csv" % prob)
        worst_lm = 0.0
        for key, idx in groups(Lm).items():
            alpha, st, it = key
            lams = Lm[idx, 3]
            lm = lambda_max(X, y, alpha, int(st), int(it))
            ratio = lams[-1] / lams[0]
            spacing = lams[0] * ratio ** (np.arange(len(lams)) / (len(lams) - 1.0))
            worst_lm = max(worst_lm, abs(lams[0] - lm) / lm, np.max(np.abs(lams - spacing) / lams))
        print("  binom_lambdas_%s: lambda_max formula & log-spacing, worst rel. diff %.1e"
              % (prob, worst_lm))
        if worst_lm > 1e-13:
            fail.append("lambda list %s" % prob)
        for solver in ["glmnet", "sklearn"]:
            fname = "binom_ref_%s_%s.csv" % (prob, solver)
            if not os.path.exists(os.path.join(TEST_DIR, fname)):
                continue
            h, D = read(fname)
            assert h == ["alpha", "standardize", "intercept", "lambda", "a0"] + \
                ["b%d" % (j + 1) for j in range(X.shape[1])], h
            # the same lambdas, bitwise, as the list
            for key, idx in groups(D).items():
                li = groups(Lm)[key]
                assert np.array_equal(D[idx, 3], Lm[li, 3]), (fname, key)
            ref[(prob, solver)] = D
            for key, idx in groups(D).items():
                alpha, st, it = key
                st, it = int(st), int(it)
                s = scales(X, st)
                lams, A0, B = D[idx, 3], D[idx, 4], D[idx, 5:]
                kw = max(kkt(X, y, A0[i], B[i], lams[i], alpha, st, it) for i in range(len(idx)))
                f = np.array([objective(X, y, A0[i], B[i], lams[i], alpha, s)
                              for i in range(len(idx))])
                fp = polish(X, y, A0, B, lams, alpha, st, it)
                ow = np.max((f - fp) / np.abs(f))
                print("%-6s %-8s %5g %3d %3d  %10.2e %12.2e" % (prob, solver, alpha, st, it, kw, ow))
                if solver == "glmnet" and (kw > KKT_TOL or ow > OBJ_EXCESS_TOL):
                    fail.append("%s %s %s" % (fname, key, "kkt/obj"))
                check_paths.worst[solver] = max(check_paths.worst.get(solver, (0, 0)), (kw, ow))
    for solver, (kw, ow) in check_paths.worst.items():
        print("  worst %-8s KKT/lambda %.2e   objective excess %.2e" % (solver, kw, ow))

    # sklearn vs glmnet
    X, y = problem("binom_tall")
    S, G = ref[("tall", "sklearn")], ref[("tall", "glmnet")]
    print("-" * 100)
    print("sklearn (saga) vs glmnet, binom_tall standardize=0 intercept=1")
    worst = (0.0, 0.0)
    for key, idx in groups(S).items():
        gi = groups(G)[key]
        cd, od = 0.0, 0.0
        for i, j in zip(idx, gi):
            a, b = S[i, 4:], G[j, 4:]
            cd = max(cd, np.abs(a - b).max() / max(1.0, np.abs(b).max()))
            fs = objective(X, y, S[i, 4], S[i, 5:], S[i, 3], key[0], np.ones(X.shape[1]))
            fg = objective(X, y, G[j, 4], G[j, 5:], G[j, 3], key[0], np.ones(X.shape[1]))
            od = max(od, abs(fs - fg) / abs(fg))
        print("  alpha=%-4g coef %.2e   |obj diff| %.2e" % (key[0], cd, od))
        worst = (max(worst[0], cd), max(worst[1], od))
        if cd > SKL_COEF_TOL:
            fail.append("sklearn vs glmnet alpha=%g: %.2e" % (key[0], cd))
    print("  worst: coef %.2e, objective %.2e" % worst)


check_paths.worst = {}


# ----------------------------------------------------------------------------------
def cv_errors(y, pred, family):
    if family == "gaussian":
        return (y - pred) ** 2
    q = np.clip(pred, 1e-5, 1 - 1e-5)
    return -2.0 * (y * np.log(q) + (1 - y) * np.log(1 - q))


def cv_stats(E, foldid, K):
    """E: n x L per-observation errors -> cvm, cvsd (cv.glmnet, grouped=TRUE)."""
    nk = np.array([(foldid == k).sum() for k in range(1, K + 1)], dtype=float)
    Ek = np.array([E[foldid == k].mean(axis=0) for k in range(1, K + 1)])  # K x L
    cvm = (nk[:, None] * Ek).sum(axis=0) / nk.sum()
    cvsd = np.sqrt((nk[:, None] * (Ek - cvm) ** 2).sum(axis=0) / nk.sum() / (K - 1))
    return cvm, cvsd


def select(lams, cvm, cvsd):
    i = np.flatnonzero(cvm <= cvm.min())
    imin = i[np.argmax(lams[i])]
    ok = np.flatnonzero(cvm <= cvm[imin] + cvsd[imin])
    return lams[imin], lams[ok[np.argmax(lams[ok])]]


def sklearn_fold_fit(X, y, lams, alpha, family):
    """Independent fold fit on the fold's own standardized columns -> (a0, B) original scale."""
    n = X.shape[0]
    m, s = X.mean(axis=0), X.std(axis=0)
    Xt = (X - m) / s
    if family == "gaussian":
        # glmnet fits y / ys at lambda / ys (ys the 1/n sd): the same for the lasso, a ridge
        # part divided by ys otherwise
        ys = y.std()
        yc = (y - y.mean()) / ys
        _, coefs, _ = enet_path(Xt, yc, l1_ratio=alpha, alphas=np.asarray(lams) / ys, tol=1e-14,
                                max_iter=1_000_000, precompute=Xt.T @ Xt, Xy=Xt.T @ yc)
        Bt, c0 = ys * coefs.T, np.full(len(lams), y.mean())
    else:
        clf = LogisticRegression(penalty="elasticnet", solver="saga", l1_ratio=alpha,
                                 tol=1e-12, max_iter=1_000_000, warm_start=True,
                                 random_state=0)
        ybar = y.mean()
        Bt, c0 = [], []
        for lam in lams:
            clf.set_params(C=1.0 / (n * lam))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                clf.fit(Xt, y)
            Bt.append(clf.coef_[0].copy())
            # saga's stopping rule looks at the coefficients only: when they are all zero it
            # stops after a few epochs with the intercept unconverged (errors ~1e-3). With
            # b = 0 the optimal intercept is logit(ybar) exactly; use it.
            c0.append(clf.intercept_[0] if np.any(clf.coef_ != 0) else np.log(ybar / (1 - ybar)))
        Bt, c0 = np.array(Bt), np.array(c0)
    B = Bt / s
    return c0 - B @ m, B


def check_cv(fail):
    print("=" * 100)
    print("cross-validation references")
    for name, prob, family, alpha in [("tall_gaussian_a1", "tall", "gaussian", 1.0),
                                      ("tall_gaussian_a05", "tall", "gaussian", 0.5),
                                      ("binom_tall_a1", "binom_tall", "binomial", 1.0),
                                      ("binom_tall_a05", "binom_tall", "binomial", 0.5)]:
        X, y = problem(prob)
        _, fo = read("cv_foldid_%s.csv" % prob)
        foldid = fo[:, 0].astype(int)
        K = foldid.max()
        h, C = read("cv_%s.csv" % name)
        assert h == ["lambda", "cvm", "cvsd", "nzero"], h
        _, Sel = read("cv_%s_select.csv" % name)
        _, FF = read("cv_%s_foldfits.csv" % name)
        lams = C[:, 0]
        assert np.all(np.diff(lams) < 0)
        lm = lambda_max(X, y, alpha, 1, 1, family)
        lam_err = abs(lams[0] - lm) / lm

        kw = 0.0
        E = np.empty((len(y), len(lams)))
        nzero = None
        for k in range(0, K + 1):
            rows = FF[FF[:, 0] == k]
            assert np.array_equal(rows[:, 1], lams)
            tr = foldid != k if k else np.ones(len(y), bool)
            for l, r in enumerate(rows):
                kw = max(kw, kkt(X[tr], y[tr], r[2], r[3:], lams[l], alpha, 1, 1, family))
            if k == 0:
                nzero = (rows[:, 3:] != 0).sum(axis=1)
                continue
            eta = X[~tr] @ rows[:, 3:].T + rows[:, 2]
            pred = sigmoid(eta) if family == "binomial" else eta
            E[~tr] = cv_errors(y[~tr, None], pred, family)
        cvm, cvsd = cv_stats(E, foldid, K)
        d_fold = max(np.max(np.abs(cvm - C[:, 1]) / C[:, 1]), np.max(np.abs(cvsd - C[:, 2]) / C[:, 2]))

        # independent sklearn refits of every fold
        E2 = np.empty_like(E)
        for k in range(1, K + 1):
            tr = foldid != k
            a0, B = sklearn_fold_fit(X[tr], y[tr], lams, alpha, family)
            eta = X[~tr] @ B.T + a0
            pred = sigmoid(eta) if family == "binomial" else eta
            E2[~tr] = cv_errors(y[~tr, None], pred, family)
        cvm2, cvsd2 = cv_stats(E2, foldid, K)
        d_skl = max(np.max(np.abs(cvm2 - C[:, 1]) / C[:, 1]), np.max(np.abs(cvsd2 - C[:, 2]) / C[:, 2]))

        lmin, l1se = select(lams, C[:, 1], C[:, 2])
        sel_ok = lmin == Sel[0, 0] and l1se == Sel[0, 1]
        nz_ok = np.array_equal(nzero, C[:, 3].astype(int))
        print("cv_%-17s lambda[0] vs lambda_max %.1e | fold-fit KKT/lambda %.2e | cvm,cvsd from "
              "fold fits %.1e, from sklearn refits %.1e | nzero %s | lambda_min/1se %s "
              "(%.6g, %.6g)" % (name, lam_err, kw, d_fold, d_skl, "ok" if nz_ok else "DIFFER",
                               "ok" if sel_ok else "DIFFER", lmin, l1se))
        if (lam_err > 1e-13 or kw > KKT_TOL or d_fold > CV_TOL or d_skl > CV_SKL_TOL
                or not sel_ok or not nz_ok):
            fail.append("cv " + name)


def check_misc(fail):
    print("=" * 100)
    X, y = problem("binom_sep")
    clf = LogisticRegression(C=1e6, tol=1e-10, max_iter=100000).fit(X, y)
    m = (2 * y - 1) * (X @ clf.coef_[0] + clf.intercept_[0])
    print("binom_sep: n=%d p=%d, min signed margin of a near-unpenalized logistic fit %.3g "
          "(> 0: separable)" % (X.shape[0], X.shape[1], m.min()))
    if m.min() <= 0:
        fail.append("binom_sep not separable")
    for prob in ["tall", "binom_tall"]:
        _, fo = read("cv_foldid_%s.csv" % prob)
        n = sum(1 for _ in open(os.path.join(TEST_DIR, prob + ".csv"))) - 1
        c = np.bincount(fo[:, 0].astype(int), minlength=6)[1:]
        ok = len(fo) == n and c.sum() == n and c.max() - c.min() <= 1 and fo.min() == 1
        print("cv_foldid_%s: n=%d, fold sizes %s %s" % (prob, n, list(c), "ok" if ok else "BAD"))
        if not ok:
            fail.append("foldid " + prob)


def main():
    fail = []
    check_paths(fail)
    check_cv(fail)
    check_misc(fail)
    print("=" * 100)
    if fail:
        print("FAILED: " + "; ".join(fail))
        return 1
    print("OK: all binomial / CV reference checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
