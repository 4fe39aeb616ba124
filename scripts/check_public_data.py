#!/usr/bin/python3
"""Acceptance check of regpath on public data sets the test suite does not use.

    /usr/bin/python3 scripts/check_public_data.py [--regpath PATH] [--work DIR] [--only NAME,...]

Imitates the reviewers' check, on data shipped by Debian packages (scikit-learn's breast_cancer
and wine; R's mtcars, swiss, longley, MASS::Boston; wide versions made from them; one with a
constant column added, several with binary 0/1 features):

 1. gaussian paths at explicit lambda lists against R glmnet (thresh 1e-14 and its default
    thresh) and scikit-learn (enet_path on hand-standardized X; ridge in closed form), for
    alpha in {0, 0.2, 0.5, 0.7, 1} x standardize x intercept, (a) on y standardized to mean 0
    and 1/n-sd 1 with regpath's defaults and (b) on raw y with `regpath fit --glmnet-y-scaling`;
    regpath at --tol 1e-10. Per lambda: the penalized objective, evaluated here in float64 from
    each solver's original-scale coefficients, must be no worse than the reference's (relative
    excess <= 1e-7), and the coefficients within 2e-4, as max_j |b - b_ref| / max(1, max|b_ref|)
    ("coefA") and as max_j |b - b_ref| / max|b_ref| ("coefB"), against glmnet thresh 1e-14 and
    scikit-learn (the coefficient error against glmnet's default thresh is reported, not judged:
    that fit is only converged to ~1e-7 in the objective). regpath's default lambda path must equal
    glmnet's to 1e-9 (glmnet's may be a prefix of it).
 2. binomial (logistic) paths the same way against glmnet, and the default lambda path.
 3. `regpath cv --foldid` against cv.glmnet with the same folds and lambdas (an explicit list
    and each one's default path): cvm within 1e-4 and cvsd within 1e-3 relative at every lambda,
    lambda.min and lambda.1se equal; regpath and glmnet both at their defaults, and both tight.

The objective (README): gaussian (1/2n)||y - b0 - Xb||^2, binomial (1/n) sum log(1+e^eta) - y*eta,
plus lambda*[alpha*||bt||_1 + (1-alpha)/2*||bt||^2], bt_j = b_j*sd_j with sd_j the centred 1/n sd of
column j when standardizing (with or without intercept), 1 otherwise; constant columns are
excluded (coefficient 0). Under glmnet's y-scaling the ridge part is divided by s_y (the 1/n sd of
y with an intercept, its root mean square without, as glmnet's Fortran does).

Numbers reach regpath as %.17g CSV (read exactly) and R/Python as raw float64, so every solver
sees the same doubles. Work files go to --work (default /tmp/public_check). Prints one line per
(data set, family, y, alpha, standardize, intercept), a summary, diagnostics with reproduction
commands for every FAIL, and exits 1 on any FAIL. Needs python3-sklearn and r-cran-glmnet
(Debian); about 5-10 minutes on 2 cores.
"""

import argparse
import concurrent.futures as cf
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SEED = 20261201
ALPHAS = [0.0, 0.2, 0.5, 0.7, 1.0]
SETTINGS = [(1, 1), (0, 1), (1, 0), (0, 0)]  # (standardize, intercept)
OBJ_TOL = 1e-7
COEF_TOL = 2e-4
LAMBDA_TOL = 1e-9
CVM_TOL = 1e-4
CVSD_TOL = 1e-3
JUDGED_OBJ = ("g14", "g0", "skl")  # objective no worse than these
JUDGED_COEF = ("g14", "skl")       # coefficients within COEF_TOL of these


# ----------------------------------------------------------------------------------------- data

def sanitize(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name.strip())


class Data:
    def __init__(self, name, family, X, y, names, resp, note=""):
        self.name, self.family = name, family
        self.X = np.asarray(X, dtype=np.float64, order="F")
        self.y = np.asarray(y, dtype=np.float64)
        self.names = [sanitize(s) for s in names]
        self.resp = sanitize(resp)
        self.note = note
        assert len(set(self.names + [self.resp])) == len(self.names) + 1, name

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def p(self):
        return self.X.shape[1]


def read_csv17(path):
    with open(path) as f:
        header = [h.strip().strip('"') for h in f.readline().split(",")]
    return header, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def r_frame(work, name):
    header, M = read_csv17(work / "data" / f"r_{name}.csv")
    return header, M


def take(header, M, resp, drop=()):
    j = header.index(resp)
    cols = [i for i, h in enumerate(header) if h != resp and h not in drop]
    return M[:, cols], M[:, j], [header[i] for i in cols]


def square_and_interact(X, names, skip_square=()):
    cols, out = [X[:, j] for j in range(X.shape[1])], list(names)
    for j in range(X.shape[1]):
        if names[j] not in skip_square:
            cols.append(X[:, j] ** 2)
            out.append(names[j] + "_sq")
    for j in range(X.shape[1]):
        for k in range(j + 1, X.shape[1]):
            cols.append(X[:, j] * X[:, k])
            out.append(names[j] + "_x_" + names[k])
    return np.column_stack(cols), out


def make_datasets(work):
    from sklearn.datasets import load_breast_cancer, load_wine
    rng = np.random.default_rng(SEED)
    ds = []
    bc, wine = load_breast_cancer(), load_wine()
    bcn, wn = list(bc.feature_names), list(wine.feature_names)

    # gaussian ---------------------------------------------------------------------------
    ja = bcn.index("mean area")
    keep = [j for j in range(30) if j != ja]
    ds.append(Data("bc_area", "gaussian", bc.data[:, keep], bc.data[:, ja],
                   [bcn[j] for j in keep], "mean area", "569x29, scales 1e-3..1e3, R^2~1"))
    ds.append(Data("bc20_area", "gaussian", bc.data[:20, keep], bc.data[:20, ja],
                   [bcn[j] for j in keep], "mean area", "first 20 rows, p>n"))
    ds.append(Data("wine_alcohol", "gaussian", wine.data[:, 1:], wine.data[:, 0], wn[1:],
                   "alcohol", "178x12"))
    ds.append(Data("wine12_alcohol", "gaussian", wine.data[:12, 1:], wine.data[:12, 0], wn[1:],
                   "alcohol", "first 12 rows, n=p"))
    h, M = r_frame(work, "mtcars")
    X, y, nm = take(h, M, "mpg")
    ds.append(Data("mtcars_mpg", "gaussian", X, y, nm, "mpg", "32x10, binary vs/am"))
    Xw, nmw = square_and_interact(X, nm, skip_square=("vs", "am"))
    ds.append(Data("mtcars_wide_mpg", "gaussian", Xw, y, nmw, "mpg",
                   f"32x{Xw.shape[1]} squares+interactions, p>n"))
    h, M = r_frame(work, "swiss")
    X, y, nm = take(h, M, "Fertility")
    X = np.column_stack([X[:, :2], np.full(len(y), 3.5), X[:, 2:]])
    nm = nm[:2] + ["const"] + nm[2:]
    ds.append(Data("swiss_const", "gaussian", X, y, nm, "Fertility", "47x6, constant column"))
    h, M = r_frame(work, "longley")
    X, y, nm = take(h, M, "Employed")
    ds.append(Data("longley", "gaussian", X, y, nm, "Employed", "16x6, collinear"))
    if (work / "data" / "r_boston.csv").exists():
        h, M = r_frame(work, "boston")
        X, y, nm = take(h, M, "medv")
        ds.append(Data("boston", "gaussian", X, y, nm, "medv", "506x13, binary chas"))

    # binomial ---------------------------------------------------------------------------
    ds.append(Data("bc_bin", "binomial", bc.data, bc.target, bcn, "benign", "569x30"))
    ds.append(Data("bc40_bin", "binomial", bc.data[:40], bc.target[:40], bcn, "benign",
                   "first 40 rows (4 positives)"))
    pos, neg = np.flatnonzero(bc.target == 1), np.flatnonzero(bc.target == 0)
    rows = np.sort(np.concatenate([rng.choice(pos, 12, replace=False),
                                   rng.choice(neg, 12, replace=False)]))
    ds.append(Data("bc24_bin", "binomial", bc.data[rows], bc.target[rows], bcn, "benign",
                   "24 seeded rows 12+12, p>n"))
    Xw = np.column_stack([wine.data[:, :5], np.full(178, -2.25), wine.data[:, 5:]])
    ds.append(Data("wine0_const", "binomial", Xw, (wine.target == 0).astype(float),
                   wn[:5] + ["const"] + wn[5:], "class0", "178x14, constant column"))
    h, M = r_frame(work, "mtcars")
    X, y, nm = take(h, M, "am")
    ds.append(Data("mtcars_am", "binomial", X, y, nm, "am", "32x10, binary vs"))
    Xw, nmw = square_and_interact(X, nm, skip_square=("vs",))
    ds.append(Data("mtcars_wide_am", "binomial", Xw, y, nmw, "am",
                   f"32x{Xw.shape[1]}, p>n"))
    return ds


def write_data(d, y, path_stem):
    """CSV (%.17g, response last) for regpath and raw float64 for R; checks the round trip."""
    csv = Path(str(path_stem) + ".csv")
    M = np.column_stack([d.X, y])
    with open(csv, "w") as f:
        f.write(",".join(d.names + [d.resp]) + "\n")
        for row in M:
            f.write(",".join("%.17g" % v for v in row) + "\n")
    _, back = read_csv17(csv)
    assert np.array_equal(back, M), f"{csv}: %.17g round trip changed a value"
    binp = Path(str(path_stem) + ".bin")
    np.concatenate([[d.n, d.p], d.X.ravel(order="F"), y]).astype("<f8").tofile(binp)
    return csv, binp


# ------------------------------------------------------------------------------ conventions

def col_sd(X):
    return X.std(axis=0)  # centred, 1/n


def const_cols(X):
    return np.ptp(X, axis=0) == 0


def y_scale(y, intercept):
    """glmnet's internal s_y: the 1/n sd with an intercept, the root mean square without."""
    return float(np.std(y)) if intercept else float(np.sqrt(np.mean(y * y)))


def pen_weights(X, standardize):
    w = col_sd(X) if standardize else np.ones(X.shape[1])
    w = w.copy()
    w[const_cols(X)] = 0.0  # excluded columns (checked to be 0 separately)
    return w


def lambda_max(X, y, family, alpha, standardize, intercept):
    keep = ~const_cols(X)
    Xk = X[:, keep]
    Xs = Xk / col_sd(Xk) if standardize else Xk
    if family == "gaussian":
        r = y - y.mean() if intercept else y
    else:
        r = y - (y.mean() if intercept else 0.5)
    return np.max(np.abs(Xs.T @ r)) / (len(y) * max(alpha, 1e-3))


def lambda_list(d, y, alpha, standardize, intercept):
    lmax = lambda_max(d.X, y, d.family, alpha, standardize, intercept)
    wide = d.n < d.p
    if d.family == "gaussian":
        lo = 1e-2 if wide else 1e-4
        fr = [1.5] + list(np.geomspace(0.9, lo, 11))
    else:
        lo = 3e-2 if wide else 1e-3
        fr = [1.5] + list(np.geomspace(0.9, lo, 9))
    fr = np.array(fr)
    if alpha == 0:  # lambda_max uses alpha = 1e-3: reach well into the ridge's range
        fr = np.concatenate([fr[:1], np.geomspace(0.9, lo * 1e-2, len(fr) - 1)])
    return np.sort(lmax * fr)[::-1]


def objective(family, X, y, b0, b, lam, alpha, w, ridge_div=1.0):
    eta = b0 + X @ b
    if family == "gaussian":
        r = y - eta
        loss = (r @ r) / (2 * len(y))
    else:
        loss = np.mean(np.logaddexp(0.0, eta) - y * eta)
    bt = b * w
    return loss + lam * (alpha * np.sum(np.abs(bt)) + (1 - alpha) / (2 * ridge_div) * (bt @ bt))


def kkt(family, X, y, b0, b, lam, alpha, standardize, intercept, ridge_div=1.0):
    """max KKT violation / lambda in standardized coordinates (intercept condition included)."""
    keep = ~const_cols(X)
    Xk, bk = X[:, keep], b[keep]
    w = col_sd(Xk) if standardize else np.ones(Xk.shape[1])
    eta = b0 + X @ b
    mu = eta if family == "gaussian" else 1 / (1 + np.exp(-eta))
    r = y - mu
    g = (Xk / w).T @ r / len(y)
    bt = bk * w
    l1, l2 = lam * alpha, lam * (1 - alpha) / ridge_div
    nz = bt != 0
    v = np.where(nz, np.abs(g - l2 * bt - l1 * np.sign(bt)), np.maximum(0, np.abs(g) - l1))
    out = np.max(v) if v.size else 0.0
    if intercept:
        out = max(out, abs(np.mean(r)))
    return out / lam


def coef_errs(b, bref):
    d = np.max(np.abs(b - bref)) if b.size else 0.0
    m = np.max(np.abs(bref)) if b.size else 0.0
    a = d / max(1.0, m)
    if m > 0:
        rel = d / m
    else:
        rel = 0.0 if d == 0 else np.inf
    return a, rel


# -------------------------------------------------------------------------------- runners

def run(cmd, timeout=600):
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr, time.time() - t0


def shell_quote(cmd):
    import shlex
    return " ".join(shlex.quote(str(c)) for c in cmd)


def regpath_fit_cmd(rp, job, out):
    d = job["data"]
    cmd = [rp, "fit", job["csv"], "--response", d.resp, "--output", out,
           "--family", d.family, "--alpha", repr(job["alpha"]), "--device", "cpu"]
    if job.get("lambdas") is not None:
        cmd += ["--lambda", ",".join(repr(float(l)) for l in job["lambdas"]), "--tol", "1e-10"]
    if not job["std"]:
        cmd.append("--no-standardize")
    if not job["int"]:
        cmd.append("--no-intercept")
    if job["yvar"] == "raw" and d.family == "gaussian":
        cmd.append("--glmnet-y-scaling")
    return cmd


def read_regpath(path):
    header, M = read_csv17(path)
    assert header[0] == "lambda" and header[1] == "intercept", header
    return M[:, 0], M[:, 1], M[:, 2:]


def read_glmnet_bin(path, p):
    v = np.fromfile(path, dtype="<f8")
    M = v.reshape(-1, p + 2).T  # rows: lambda, a0, b1..bp per lambda column -> transpose
    # stored column-major (p+2) x nlam in R: reshape(nlam, p+2) row = one lambda
    return M[0], M[1], M[2:].T


def sklearn_path(d, y, lams, alpha, std, intercept, ridge_div):
    from sklearn.linear_model import enet_path
    from sklearn.exceptions import ConvergenceWarning
    keep = ~const_cols(d.X)
    Xk = d.X[:, keep]
    w = col_sd(Xk) if std else np.ones(Xk.shape[1])
    Xs = Xk / w
    if intercept:
        xm, ym = Xs.mean(axis=0), y.mean()
    else:
        xm, ym = np.zeros(Xs.shape[1]), 0.0
    Xc, yc = np.asfortranarray(Xs - xm), y - ym
    n = len(y)
    nconv = 0
    if alpha == 0:
        H, c = Xc.T @ Xc / n, Xc.T @ yc / n
        BT = np.column_stack([np.linalg.solve(H + (l / ridge_div) * np.eye(len(c)), c)
                              for l in lams])
    else:
        a_eff = alpha / (alpha + (1 - alpha) / ridge_div)
        l_eff = np.asarray(lams) * (alpha + (1 - alpha) / ridge_div)
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter("always", ConvergenceWarning)
            _, BT, _ = enet_path(Xc, yc, l1_ratio=a_eff, alphas=l_eff, tol=1e-13,
                                 max_iter=200000)
        nconv = sum(issubclass(x.category, ConvergenceWarning) for x in wl)
    B = np.zeros((d.p, len(lams)))
    B[keep] = BT / w[:, None]
    b0 = (ym - (Xk.mean(axis=0) @ B[keep])) if intercept else np.zeros(len(lams))
    return np.asarray(lams), b0, B.T, nconv


# ----------------------------------------------------------------------------------- checks

class Line:
    def __init__(self, key):
        self.key = key
        self.v = {}
        self.fails = []
        self.notes = []
        self.worst = {}

    def upd(self, name, val, where=None):
        if name not in self.v or val > self.v[name] or (np.isnan(val)):
            self.v[name] = val
            self.worst[name] = where


def attribute(L):
    """Whose fault is a FAIL? At each failing lambda take the most accurate reference (the
    least objective among glmnet thresh 1e-30 / 1e-14 / default and scikit-learn): if regpath
    is within the thresholds of it there, the failing reference was off ("reference"); if
    regpath's objective is worse than it, "regpath"; if the objectives agree but the
    coefficients do not, whichever has the larger KKT violation, or "ambiguous" (a flat or
    non-unique optimum) when both are small."""
    if any(("exit" in f) or ("constant" in f) or ("not in regpath" in f) or ("differ" in f)
           or ("default" in f) for f in L.fails):
        return "regpath"
    d, j = L.job["data"], L.job
    verdicts = []
    for kk in L.failed_at:
        per = L.perlam[kk]
        best = min(per, key=lambda t: per[t][1])
        k, Pb, ca, cb = per[best]
        lg, b0g, Bg = L.refs[best]
        ex = (L.Pr[kk] - Pb) / abs(Pb)
        if ex <= OBJ_TOL and max(ca, cb) <= COEF_TOL:
            verdicts.append("reference")
            continue
        if ex > OBJ_TOL:
            verdicts.append("regpath")
            continue
        kr = kkt(d.family, d.X, j["y"], L.b0r[kk], L.Br[kk], L.lr[kk], j["alpha"], j["std"],
                 j["int"], L.div)
        kb = kkt(d.family, d.X, j["y"], b0g[k], Bg[k], L.lr[kk], j["alpha"], j["std"],
                 j["int"], L.div)
        if max(kr, kb) < 1e-6:
            verdicts.append("ambiguous")
        else:
            verdicts.append("regpath" if kr > kb else "reference")
    for v in ("regpath", "ambiguous", "reference"):
        if v in verdicts:
            return v
    return "regpath"


def fmt(v):
    if v is None:
        return "     -  "
    if isinstance(v, float) and np.isinf(v):
        return "     inf"
    return "%8.1e" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--regpath", help="the regpath binary (default: build-cpu/regpath, "
                    "else build/regpath; copied into the work folder first)")
    ap.add_argument("--work", default="/tmp/public_check")
    ap.add_argument("--only", default="", help="comma-separated data set names")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    t_start = time.time()

    work = Path(args.work)
    for sub in ("data", "rp", "glmnet", "cv", "glmnet_cv"):
        shutil.rmtree(work / sub, ignore_errors=True)
        (work / sub).mkdir(parents=True, exist_ok=True)
    src = Path(args.regpath) if args.regpath else next(
        (p for p in (REPO / "build-cpu" / "regpath", REPO / "build" / "regpath") if p.exists()),
        None)
    if src is None or not src.exists():
        sys.exit("no regpath binary: build first (scripts/run-tests) or pass --regpath")
    rp = work / "regpath"
    shutil.copy2(src, rp)  # a snapshot: others may rebuild while this runs
    rev = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    print(f"regpath: {src} (snapshot {rp}, tree {rev}); work files: {work}")
    rscript = REPO / "scripts" / "check_public_data.R"

    rc, _, err, _ = run(["Rscript", str(rscript), "export", str(work / "data")])
    if rc != 0:
        sys.exit("Rscript export failed (is r-cran-glmnet installed?):\n" + err)
    datasets = make_datasets(work)
    if args.only:
        sel = set(args.only.split(","))
        datasets = [d for d in datasets if d.name in sel]
    for d in datasets:
        print(f"  {d.name:16s} {d.family:8s} n={d.n:3d} p={d.p:2d}  {d.note}")

    # ------------------------------------------------------------------- jobs: paths
    jobs = []
    files = {}
    for d in datasets:
        yvars = ["std", "raw"] if d.family == "gaussian" else ["raw"]
        for yv in yvars:
            y = (d.y - d.y.mean()) / d.y.std() if yv == "std" else d.y
            csv, binp = write_data(d, y, work / "data" / f"{d.name}_{yv}")
            files[(d.name, yv)] = (csv, binp, y)
            for a in ALPHAS:
                for st, it in SETTINGS:
                    jid = f"{d.name}_{yv}_a{a}_s{st}_i{it}"
                    lams = lambda_list(d, y, a, st, it)
                    lp = work / "data" / f"{jid}_lambda.bin"
                    lams.astype("<f8").tofile(lp)
                    jobs.append(dict(id=jid, data=d, yvar=yv, y=y, csv=str(csv), bin=str(binp),
                                     alpha=a, std=st, int=it, lambdas=lams, lbin=str(lp)))

    # glmnet manifest: tight, default thresh, default path
    man = ["id,data,family,alpha,standardize,intercept,thresh,maxit,lambda"]
    for j in jobs:
        base = f"{j['bin']},{j['data'].family},{j['alpha']!r},{j['std']},{j['int']}"
        man.append(f"{j['id']}__g14,{base},1e-14,10000000,{j['lbin']}")
        man.append(f"{j['id']}__g0,{base},1e-7,100000,{j['lbin']}")
        man.append(f"{j['id']}__g30,{base},1e-30,10000000,{j['lbin']}")
        man.append(f"{j['id']}__gdef,{base},1e-7,100000,default")
    (work / "glmnet_manifest.csv").write_text("\n".join(man) + "\n")
    rproc = subprocess.Popen(["Rscript", str(rscript), "fit", str(work / "glmnet_manifest.csv"),
                              str(work / "glmnet")], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)

    # regpath runs (explicit lambdas at --tol 1e-10, and the default path)
    def rp_job(j, default):
        jj = dict(j)
        if default:
            jj["lambdas"] = None
        out = work / "rp" / (j["id"] + ("__def" if default else "") + ".csv")
        cmd = regpath_fit_cmd(str(rp), jj, str(out))
        rc, so, se, dt = run(cmd)
        return j["id"], default, cmd, rc, se, dt, out

    rpres = {}
    with cf.ThreadPoolExecutor(max(1, args.jobs - 1)) as ex:
        futs = [ex.submit(rp_job, j, df) for j in jobs for df in (False, True)]
        for f in futs:
            jid, df, cmd, rc, se, dt, out = f.result()
            rpres[(jid, df)] = dict(cmd=cmd, rc=rc, stderr=se, sec=dt, out=out)
    t_rp = sum(v["sec"] for v in rpres.values())

    # scikit-learn (gaussian)
    skres = {}
    t0 = time.time()
    for j in jobs:
        d = j["data"]
        if d.family != "gaussian":
            continue
        div = y_scale(j["y"], j["int"]) if j["yvar"] == "raw" else 1.0
        skres[j["id"]] = sklearn_path(d, j["y"], j["lambdas"], j["alpha"], j["std"], j["int"],
                                      div)
    t_sk = time.time() - t0
    rout, _ = rproc.communicate()
    if rproc.returncode != 0:
        sys.exit("Rscript fit failed:\n" + rout)
    import csv as csvmod
    gstat = {r["id"]: r for r in csvmod.DictReader(open(work / "glmnet" / "status.csv"))}
    t_g = sum(float(r["seconds"]) for r in gstat.values())

    # ------------------------------------------------------------------- compare paths
    lines, fails = [], []
    for j in jobs:
        d, y = j["data"], j["y"]
        fam = d.family
        key = (d.name, fam, j["yvar"], j["alpha"], j["std"], j["int"])
        L = Line(key)
        L.job = j
        div = y_scale(y, j["int"]) if (j["yvar"] == "raw" and fam == "gaussian") else 1.0
        w = pen_weights(d.X, j["std"])
        const = const_cols(d.X)
        r = rpres[(j["id"], False)]
        L.cmd = r["cmd"]
        if r["rc"] != 0:
            L.fails.append(f"regpath exit {r['rc']}: {r['stderr'].strip()[:300]}")
            lines.append(L)
            continue
        wl = [x for x in r["stderr"].splitlines() if x.lower().startswith(("warning", "error"))]
        if wl:
            L.notes.append(f"regpath: {len(wl)} warning(s): " + " | ".join(wl)[:400])
            L.rpwarn = len(wl)
        lr, b0r, Br = read_regpath(r["out"])
        if not np.allclose(lr, j["lambdas"], rtol=1e-15, atol=0):
            L.fails.append("regpath's lambdas differ from the list passed")
        if np.any(Br[:, const] != 0):
            L.fails.append("nonzero coefficient on a constant column")
        Pr = np.array([objective(fam, d.X, y, b0r[k], Br[k], lr[k], j["alpha"], w, div)
                       for k in range(len(lr))])
        refs = {}
        for tag in ("g14", "g0", "g30"):
            st = gstat[f"{j['id']}__{tag}"]
            if int(st["returned"]) < 0:
                L.notes.append(f"glmnet {tag} error: {st['warnings']}")
                continue
            lg, b0g, Bg = read_glmnet_bin(work / "glmnet" / f"{j['id']}__{tag}.bin", d.p)
            if st["warnings"]:
                L.notes.append(f"glmnet {tag}: {st['warnings'][:200]}")
            refs[tag] = (lg, b0g, Bg)
        if j["id"] in skres:
            ls, b0s, Bs, nconv = skres[j["id"]]
            refs["skl"] = (ls, b0s, Bs)
            if nconv:
                L.notes.append(f"sklearn: {nconv} ConvergenceWarning(s)")
        L.nlam = {}
        L.perlam = {}  # kk -> {tag: (k, P_ref, coefA, coefB)}
        failed_at = set()
        for tag, (lg, b0g, Bg) in refs.items():
            L.nlam[tag] = len(lg)
            for k in range(len(lg)):
                kk = np.flatnonzero(np.abs(lr - lg[k]) <= 1e-12 * lg[k])
                if len(kk) != 1:
                    L.fails.append(f"{tag}: lambda {lg[k]!r} not in regpath's output")
                    continue
                kk = kk[0]
                Pg = objective(fam, d.X, y, b0g[k], Bg[k], lg[k], j["alpha"], w, div)
                ex = (Pr[kk] - Pg) / abs(Pg)
                ca, cb = coef_errs(Br[kk], Bg[k])
                L.perlam.setdefault(kk, {})[tag] = (k, Pg, ca, cb)
                L.upd("obj_" + tag, ex, (kk, k))
                L.upd("coefA_" + tag, ca, (kk, k))
                L.upd("coefB_" + tag, cb, (kk, k))
                if (tag in JUDGED_OBJ and ex > OBJ_TOL) or (
                        tag in JUDGED_COEF and max(ca, cb) > COEF_TOL):
                    failed_at.add(kk)
        L.failed_at = sorted(failed_at)
        # default lambda path
        rd = rpres[(j["id"], True)]
        st = gstat[f"{j['id']}__gdef"]
        if rd["rc"] != 0:
            L.fails.append(f"regpath default path exit {rd['rc']}: {rd['stderr'].strip()[:300]}")
        elif int(st["returned"]) > 0:
            ld = read_regpath(rd["out"])[0]
            lgd = read_glmnet_bin(work / "glmnet" / f"{j['id']}__gdef.bin", d.p)[0]
            L.deflen = (len(lgd), len(ld))
            if len(lgd) > len(ld):
                L.fails.append(f"default path: glmnet {len(lgd)} lambdas, regpath {len(ld)}")
            else:
                L.upd("deflam", float(np.max(np.abs(ld[:len(lgd)] - lgd) / lgd)))
            if len(ld) != 100:
                L.fails.append(f"default path has {len(ld)} lambdas, not 100")
        # verdicts
        for tag in JUDGED_OBJ:
            if L.v.get("obj_" + tag, -1) > OBJ_TOL:
                L.fails.append(f"objective vs {tag}")
        for tag in JUDGED_COEF:
            for c in ("coefA_", "coefB_"):
                if L.v.get(c + tag, 0) > COEF_TOL:
                    L.fails.append(f"{c[:-1]} vs {tag}")
        if L.v.get("deflam", 0) > LAMBDA_TOL:
            L.fails.append("default lambda path")
        L.Pr, L.lr, L.b0r, L.Br, L.refs, L.div, L.w = Pr, lr, b0r, Br, refs, div, w
        L.blame = attribute(L) if L.fails else ""
        lines.append(L)

    hdr = ("data             fam  y   alpha s i  nlam  obj-g14  obj-g0   obj-skl  "
           "coefA-g14 coefB-g14 coefA-skl coefB-skl coefA-g0  deflam   verdict")
    print("\n== paths at explicit lambda lists (regpath --tol 1e-10); objective excess "
          "(P_rp-P_ref)/|P_ref|, coefficient errors ==")
    print(hdr)
    for L in lines:
        dn, fam, yv, a, st, it = L.key
        v = L.v
        nl = getattr(L, "nlam", {})
        ntxt = f"{nl.get('g14', 0):2d}/{len(L.job['lambdas']):2d}"
        y_lab = "ys " if yv == "std" else ("raw" if fam == "binomial" else "gys")
        print(f"{dn:16s} {fam[:4]} {y_lab} {a:4.2g}  {st} {it} {ntxt} "
              f"{fmt(v.get('obj_g14'))} {fmt(v.get('obj_g0'))} {fmt(v.get('obj_skl'))}  "
              f"{fmt(v.get('coefA_g14'))}  {fmt(v.get('coefB_g14'))}  {fmt(v.get('coefA_skl'))}  "
              f"{fmt(v.get('coefB_skl'))}  {fmt(v.get('coefA_g0'))}  {fmt(v.get('deflam'))}  "
              f"{'FAIL[' + L.blame + ']' if L.fails else 'PASS'}"
              + (" (" + "; ".join(L.fails) + ")" if L.fails else "")
              + (f" [regpath warned on {L.rpwarn} lambda(s)]" if getattr(L, "rpwarn", 0) else ""))

    # ------------------------------------------------------------------------------ CV
    # regpath cv at its default tol and at 1e-10; cv.glmnet at its default thresh and 1e-14, on
    # an explicit lambda list ("list") and on the default path: cv.glmnet given lambda = NULL
    # ("default": its fold fits then make their own lambda sequences and are interpolated at
    # the full-data lambdas, as regpath cv does with its automatic path). cv.glmnet given the
    # full-data default path explicitly ("fullpath") is computed too, for diagnosis only.
    cvlines = []
    t_cv = 0.0
    CV_PAIRS = [  # (lambda mode of regpath, its tol, glmnet's lambda mode, glmnet's thresh)
        ("list", "default", "list", "default"), ("list", "default", "list", "tight"),
        ("list", "tight", "list", "tight"),
        ("default", "default", "default", "default"), ("default", "default", "default", "tight"),
        ("default", "tight", "default", "tight")]
    if not args.no_cv:
        rng = np.random.default_rng(SEED + 1)
        cvsets = [d for d in datasets if d.name in
                  ("boston", "wine_alcohol", "mtcars_mpg", "bc_bin", "wine0_const")]
        rpjobs, gjobs, pairs = [], [], []
        for d in cvsets:
            K = 10
            foldid = rng.permutation(np.arange(d.n) % K) + 1
            fp = work / "cv" / f"{d.name}_foldid.txt"
            fp.write_text("\n".join(str(int(f)) for f in foldid) + "\n")
            csv, binp, y = files[(d.name, "raw")]
            for a in (1.0, 0.5):
                lmax = lambda_max(d.X, y, d.family, a, 1, 1)
                lams = lmax * np.geomspace(1.0, 1e-3 if d.family == "gaussian" else 3e-3, 30)
                lp = work / "cv" / f"{d.name}_a{a}_lambda.bin"
                lams.astype("<f8").tofile(lp)
                base = dict(data=d, csv=csv, bin=binp, foldid=fp, alpha=a, lams=lams, lbin=lp)
                for lm in ("list", "default"):
                    for tm in ("default", "tight"):
                        rpjobs.append(dict(base, id=f"{d.name}_a{a}_{lm}_{tm}", lmode=lm,
                                           tmode=tm))
                for lm in ("list", "default", "fullpath"):
                    for tm in ("default", "tight"):
                        gjobs.append(dict(base, id=f"{d.name}_a{a}_{lm}_{tm}", lmode=lm,
                                          tmode=tm))
                for pr in CV_PAIRS:
                    pairs.append((d, a, f"{d.name}_a{a}_{pr[0]}_{pr[1]}",
                                  f"{d.name}_a{a}_{pr[2]}_{pr[3]}", pr))
        man = ["id,data,family,alpha,foldid,lambda,thresh,maxit,measure"]
        for c in gjobs:
            d = c["data"]
            th, mi = ("1e-14", "10000000") if c["tmode"] == "tight" else ("1e-7", "100000")
            meas = "mse" if d.family == "gaussian" else "deviance"
            lam = {"list": str(c["lbin"]), "default": "default", "fullpath": "fullpath"}
            man.append(f"{c['id']},{c['bin']},{d.family},{c['alpha']!r},{c['foldid']},"
                       f"{lam[c['lmode']]},{th},{mi},{meas}")
        (work / "glmnet_cv_manifest.csv").write_text("\n".join(man) + "\n")
        t0 = time.time()
        rproc = subprocess.Popen(["Rscript", str(rscript), "cv",
                                  str(work / "glmnet_cv_manifest.csv"), str(work / "glmnet_cv")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

        def rp_cv(c):
            d = c["data"]
            out = work / "cv" / f"{c['id']}.csv"
            cmd = [str(rp), "cv", str(c["csv"]), "--response", d.resp, "--output", str(out),
                   "--family", d.family, "--alpha", repr(c["alpha"]), "--foldid",
                   str(c["foldid"]), "--device", "cpu"]
            if c["lmode"] == "list":
                cmd += ["--lambda", ",".join(repr(float(l)) for l in c["lams"])]
            if c["tmode"] == "tight":
                cmd += ["--tol", "1e-10"]
            rc, so, se, dt = run(cmd)
            return c["id"], cmd, rc, so, se, out

        cvres = {}
        with cf.ThreadPoolExecutor(max(1, args.jobs - 1)) as ex:
            for f in [ex.submit(rp_cv, c) for c in rpjobs]:
                cid, cmd, rc, so, se, out = f.result()
                cvres[cid] = dict(cmd=cmd, rc=rc, stdout=so, stderr=se, out=out)
        rout, _ = rproc.communicate()
        if rproc.returncode != 0:
            sys.exit("Rscript cv failed:\n" + rout)
        t_cv = time.time() - t0
        cstat = {r["id"]: r for r in csvmod.DictReader(open(work / "glmnet_cv" / "status.csv"))}
        for d, a, rid, gid, pr in pairs:
            L = Line((d.name, d.family, a) + pr)
            r, st = cvres[rid], cstat[gid]
            L.cmd, L.rid, L.gid = r["cmd"], rid, gid
            if st["warnings"]:
                L.notes.append("cv.glmnet: " + st["warnings"][:300])
            if r["rc"] != 0 or int(st["returned"]) < 0:
                L.fails.append(f"exit: regpath {r['rc']} {r['stderr'].strip()[:200]}; "
                               f"cv.glmnet {st['warnings'][:200]}")
                cvlines.append(L)
                continue
            wl = [x for x in r["stderr"].splitlines() if x.lower().startswith(("warning", "error"))]
            if wl:
                L.notes.append(f"regpath: " + " | ".join(wl)[:400])
                L.rpwarn = True
            hh, M = read_csv17(r["out"])
            lr_, cvm, cvsd = M[:, hh.index("lambda")], M[:, hh.index("cvm")], M[:, hh.index("cvsd")]
            nz = M[:, hh.index("nzero")]
            sel = dict(re.findall(r"^(lambda\.min|lambda\.1se)\s+(\S+)", r["stdout"], re.M))
            G = np.fromfile(work / "glmnet_cv" / f"{gid}.bin", dtype="<f8").reshape(-1, 4)
            lg, cvmg, cvsdg, nzg = G[:, 0], G[:, 1], G[:, 2], G[:, 3]
            L.nlam = (len(lg), len(lr_))
            m = min(len(lg), len(lr_))
            if len(lg) > len(lr_):
                L.fails.append(f"glmnet has {len(lg)} lambdas, regpath {len(lr_)}")
            L.upd("lam", float(np.max(np.abs(lr_[:m] - lg[:m]) / lg[:m])))
            e1 = np.abs(cvm[:m] - cvmg[:m]) / np.abs(cvmg[:m])
            e2 = np.abs(cvsd[:m] - cvsdg[:m]) / np.abs(cvsdg[:m])
            L.upd("cvm", float(np.max(e1)), int(np.argmax(e1)))
            L.upd("cvsd", float(np.max(e2)), int(np.argmax(e2)))
            L.nzdiff = int(np.sum(nz[:m] != nzg[:m]))
            gmin, g1se = float(st["lambda.min"]), float(st["lambda.1se"])
            try:
                rmin, r1se = float(sel["lambda.min"]), float(sel["lambda.1se"])
            except KeyError:
                L.fails.append("no lambda.min / lambda.1se on stdout")
                rmin = r1se = np.nan
            L.sel = (rmin, gmin, r1se, g1se)
            lamtol = 1e-12 if pr[0] == "list" else LAMBDA_TOL
            if not abs(rmin - gmin) <= lamtol * gmin:
                L.fails.append("lambda.min")
            if not abs(r1se - g1se) <= lamtol * g1se:
                L.fails.append("lambda.1se")
            if L.v["cvm"] > CVM_TOL:
                L.fails.append("cvm")
            if L.v["cvsd"] > CVSD_TOL:
                L.fails.append("cvsd")
            if L.v["lam"] > LAMBDA_TOL:
                L.fails.append("lambda path")
            L.arrays = (lr_, cvm, cvsd, lg, cvmg, cvsdg)
            cvlines.append(L)
        # whose fault: a FAIL against cv.glmnet's default thresh that passes against thresh
        # 1e-14 is glmnet's.
        byk = {L.key: L for L in cvlines}
        for L in cvlines:
            if not L.fails:
                L.blame = ""
                continue
            dn, fam, a, rl, rt, gl, gt = L.key
            alt = None
            if gt == "default":
                alt, why = byk.get((dn, fam, a, rl, rt, gl, "tight")), "reference"
            L.blame = why if (alt is not None and not alt.fails) else "regpath"
        print("\n== regpath cv --foldid vs cv.glmnet (same folds). lambdas: list = the same "
              "explicit list; default = each one's default path (cv.glmnet: lambda = NULL). "
              "tol: regpath default (1e-7) or 1e-10; "
              "glmnet thresh default (1e-7) or 1e-14 ==")
        print("data             fam  alpha regpath(lam,tol)  glmnet(lam,thresh)  nlam(g/rp) "
              "lam-err  cvm-rel  cvsd-rel nzero!= l.min l.1se verdict")
        for L in cvlines:
            dn, fam, a, rl, rt, gl, gt = L.key
            v = L.v
            s_ = getattr(L, "sel", None)
            eq = lambda x, y: "eq" if s_ and abs(x - y) <= 1e-9 * y else "DIFF"
            print(f"{dn:16s} {fam[:4]} {a:4.2g}  {rl + ',' + rt:16s}  {gl + ',' + gt:18s}  "
                  f"{str(getattr(L, 'nlam', '')):10s} {fmt(v.get('lam'))} {fmt(v.get('cvm'))} "
                  f"{fmt(v.get('cvsd'))} {getattr(L, 'nzdiff', -1):3d}     "
                  f"{eq(s_[0], s_[1]) if s_ else '-':5s} {eq(s_[2], s_[3]) if s_ else '-':5s} "
                  f"{'FAIL[' + L.blame + ']' if L.fails else 'PASS'}"
                  + (" (" + "; ".join(L.fails) + ")" if L.fails else "")
                  + (" [regpath warned: fits not converged]" if getattr(L, "rpwarn", False)
                     else ""))

    # -------------------------------------------------------------------------- summary
    print("\n== summary: worst per data set / family / y (max over alpha, standardize, "
          "intercept, lambda) ==")
    print("FAIL counts as regpath/reference/ambiguous (see attribute()); obj = worst "
          "(P_rp-P_ref)/|P_ref|, coefA/B as defined above; deflam = default-path lambda error")
    print("data             fam  y    configs FAIL(rp/ref/amb) obj-g14  obj-g0   obj-skl  "
          "coefA-g14 coefB-g14 coefA-skl coefB-skl coefA-g0  deflam")
    groups = {}
    for L in lines:
        groups.setdefault(L.key[:3], []).append(L)
    for (dn, fam, yv), Ls in groups.items():
        def worst(k):
            vals = [L.v[k] for L in Ls if k in L.v]
            return max(vals) if vals else None
        y_lab = "ys " if yv == "std" else ("raw" if fam == "binomial" else "gys")
        cnt = "/".join(str(sum(L.blame == b for L in Ls))
                       for b in ("regpath", "reference", "ambiguous"))
        print(f"{dn:16s} {fam[:4]} {y_lab}  {len(Ls):3d}   {cnt:13s}  "
              + " ".join(fmt(worst(k)) for k in ("obj_g14", "obj_g0", "obj_skl")) + "  "
              + "  ".join(fmt(worst(k)) for k in ("coefA_g14", "coefB_g14", "coefA_skl",
                                                   "coefB_skl", "coefA_g0", "deflam")))
    if cvlines:
        print("\ncv: worst per family and comparison (max over data sets, alpha, lambda)")
        print("fam  regpath(lam,tol)  glmnet(lam,thresh)  lines FAIL(rp/ref/conv)  cvm-rel  "
              "cvsd-rel selections-differ")
        cg = {}
        for L in cvlines:
            cg.setdefault((L.key[1],) + L.key[3:], []).append(L)
        for (fam, rl, rt, gl, gt), Ls in cg.items():
            w = lambda k: max([L.v[k] for L in Ls if k in L.v], default=None)
            nsel = sum(any(f.startswith("lambda.") for f in L.fails) for L in Ls)
            print(f"{fam[:4]} {rl + ',' + rt:16s}  {gl + ',' + gt:18s}  {len(Ls):4d}  "
                  + "/".join(str(sum(L.blame == b for L in Ls))
                             for b in ("regpath", "reference", "convention")).ljust(16)
                  + f"{fmt(w('cvm'))} {fmt(w('cvsd'))} {nsel:4d}")
    nfail = sum(bool(L.fails) for L in lines)
    ncvfail = sum(bool(L.fails) for L in cvlines)
    byb = {b: sum(L.blame == b for L in lines) for b in ("regpath", "reference", "ambiguous")}
    cvb = {b: sum(getattr(L, "blame", "") == b for L in cvlines)
           for b in ("regpath", "reference", "convention")}
    print(f"\npaths: {len(lines)} lines, {nfail} FAIL (attributed: regpath {byb['regpath']}, "
          f"reference {byb['reference']}, ambiguous {byb['ambiguous']});  "
          f"cv: {len(cvlines)} lines, {ncvfail} FAIL (regpath {cvb['regpath']}, reference "
          f"{cvb['reference']}, cv.glmnet's default-path convention {cvb['convention']})")
    print(f"time: regpath fits {t_rp:.0f} s, glmnet {t_g:.0f} s, sklearn {t_sk:.0f} s, "
          f"cv (both) {t_cv:.0f} s, total {time.time() - t_start:.0f} s")

    # ---------------------------------------------------------------------- diagnostics
    if nfail or ncvfail:
        print("\n== diagnostics for every FAIL ==")
    for L in lines:
        if not L.fails:
            continue
        j = L.job
        d = j["data"]
        print(f"\n-- {j['id']}: {'; '.join(L.fails)}")
        print("   regpath: " + shell_quote(L.cmd))
        print(f"   data: {j['csv']} (float64 for R: {j['bin']}); alpha={j['alpha']!r} "
              f"standardize={j['std']} intercept={j['int']}"
              + (f"; glmnet's y-scale s_y={L.div!r}" if L.div != 1 else ""))
        for nt in L.notes:
            print("   note: " + nt)
        if not hasattr(L, "refs"):
            continue
        # the (up to 3) failing lambdas with the largest objective excess or coefficient error
        def severity(kk):
            return max(max((L.Pr[kk] - v[1]) / abs(v[1]) / OBJ_TOL, max(v[2], v[3]) / COEF_TOL)
                       for t, v in L.perlam[kk].items() if t in JUDGED_OBJ + JUDGED_COEF)
        for kk in sorted(L.failed_at, key=severity, reverse=True)[:3]:
            lam = L.lr[kk]
            kr = kkt(d.family, d.X, j["y"], L.b0r[kk], L.Br[kk], lam, j["alpha"], j["std"],
                     j["int"], L.div)
            print(f"   lambda[{kk}] = {lam!r}: P_rp = {L.Pr[kk]!r}, regpath KKT/lambda {kr:.1e}")
            for tag, (k, Pg, ca, cb) in sorted(L.perlam[kk].items()):
                lg, b0g, Bg = L.refs[tag]
                kg = kkt(d.family, d.X, j["y"], b0g[k], Bg[k], lam, j["alpha"], j["std"],
                         j["int"], L.div)
                jm = int(np.argmax(np.abs(L.Br[kk] - Bg[k])))
                print(f"     {tag:3s}: P_ref = {Pg!r} excess {(L.Pr[kk] - Pg) / abs(Pg):+.2e}; "
                      f"coefA {ca:.1e} coefB {cb:.1e} (max|b_ref| {np.max(np.abs(Bg[k])):.3g}; "
                      f"worst {d.names[jm]}: rp {L.Br[kk][jm]:.10g} ref {Bg[k][jm]:.10g}); "
                      f"ref KKT/lambda {kg:.1e}")
    for L in cvlines:
        if not L.fails:
            continue
        print(f"\n-- cv {L.rid} vs cv.glmnet {L.gid}: {'; '.join(L.fails)} [{L.blame}]")
        print("   regpath: " + shell_quote(L.cmd))
        for nt in L.notes:
            print("   note: " + nt)
        if hasattr(L, "arrays"):
            lr_, cvm, cvsd, lg, cvmg, cvsdg = L.arrays
            print("   lambda.min rp %r glmnet %r; lambda.1se rp %r glmnet %r" % L.sel)
            for name in ("cvm", "cvsd"):
                k = L.worst.get(name)
                if k is not None:
                    print(f"   worst {name} at lambda[{k}]={lg[k]!r}: rp cvm={cvm[k]!r} "
                          f"cvsd={cvsd[k]!r}; glmnet cvm={cvmg[k]!r} cvsd={cvsdg[k]!r}")
    print("\nRESULT:", "FAIL" if (nfail or ncvfail) else "PASS")
    return 1 if (nfail or ncvfail) else 0


if __name__ == "__main__":
    sys.exit(main())
