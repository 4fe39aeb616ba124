"""regpath against R glmnet and scikit-learn on the same problems (the driver of bench/peers/run).

Run it through bench/peers/run (which installs the peers and picks Debian's python3); see
docs/benchmarks.md for what the table means. Every solver gets the same data (written once, as
CSV for the regpath CLI and as raw float64 for R and Python: the same doubles), the same
explicit 100-value λ list, standardization on and an intercept, and the same α. Each fit runs as
its own process under a time limit; its coefficients (original scale) come back to this driver,
which evaluates glmnet's objective

    P(λ) = (1/2n)‖y − β0 − Xβ‖² + λ[α‖β̃‖₁ + (1−α)/2‖β̃‖²],   β̃_j = β_j·sd_j (1/n sd)

for every solver in numpy, and reports per run the worst relative suboptimality over the path
against the lowest objective any solver reached at that λ.
"""
import argparse
import datetime
import glob
import hashlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"
GEN_VERSION = "1"  # bump when the generator changes, so cached problems are rebuilt

ALL_SHAPES = [(10000, 100), (2000, 2000), (500, 20000), (100000, 1000)]
QUICK_SHAPES = [(10000, 100), (2000, 2000)]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Problems


class Problem:
    def __init__(self, name, n, p, rho, directory):
        self.name, self.n, self.p, self.rho, self.dir = name, n, p, rho, directory
        self.X = self.y = self.mu = self.sd = None

    @property
    def csv(self):
        return os.path.join(self.dir, "data.csv")

    def load(self):
        n, p = self.n, self.p
        self.X = np.fromfile(os.path.join(self.dir, "X.f64"), dtype="<f8").reshape(p, n).T
        self.y = np.fromfile(os.path.join(self.dir, "y.f64"), dtype="<f8")
        self.mu = self.X.mean(axis=0)
        sd = np.empty(p)
        for j0 in range(0, p, 256):  # column blocks: no n×p temporary
            c = self.X[:, j0:j0 + 256] - self.mu[j0:j0 + 256]
            sd[j0:j0 + 256] = np.sqrt((c * c).mean(axis=0))
        self.sd = sd

    def unload(self):
        self.X = self.y = None


def write_problem(directory, X, y, xfmt, names, response):
    """X (n×p, any layout) and y as raw float64 and as CSV (header names + response)."""
    os.makedirs(directory, exist_ok=True)
    n, p = X.shape
    np.asfortranarray(X).T.astype("<f8", copy=False).tofile(os.path.join(directory, "X.f64"))
    y.astype("<f8").tofile(os.path.join(directory, "y.f64"))
    fmt = ",".join([xfmt] * p + ["%.17g"])
    with open(os.path.join(directory, "data.csv"), "w") as f:
        f.write(",".join(list(names) + [response]) + "\n")
        step = max(1, 2_000_000 // (p + 1))
        for i0 in range(0, n, step):
            blk = np.column_stack([X[i0:i0 + step], y[i0:i0 + step]])
            np.savetxt(f, blk, fmt=fmt)
    # The CSV must hold exactly the doubles of X.f64: check the first rows.
    m = min(n, 2000)
    back = np.loadtxt(os.path.join(directory, "data.csv"), delimiter=",", skiprows=1, max_rows=m,
                      ndmin=2)
    if not (np.array_equal(back[:, :p], X[:m]) and np.array_equal(back[:, p], y[:m])):
        raise RuntimeError(f"{directory}: CSV does not read back to the same doubles")


def standardize_y(y):
    y = y - y.mean()
    y = y / math.sqrt(np.mean(y * y))
    return y - y.mean()  # mean 0 to rounding, 1/n sd 1 to rounding


def simulated(work, n, p, rho, seed):
    """The glmnet paper's simulation: equicorrelated Gaussian design, sparse decaying truth."""
    name = f"n{n}_p{p}_rho{rho:g}"
    d = os.path.join(work, name)
    spec = f"gen={GEN_VERSION} n={n} p={p} rho={rho!r} seed={seed}"
    pr = Problem(name, n, p, rho, d)
    meta = os.path.join(d, "meta.txt")
    if os.path.exists(meta):
        with open(meta) as f:
            if f"spec={spec}\n" in f.read():
                return pr
        os.remove(meta)  # written last: a generation cut short leaves no meta, so it reruns
    log(f"peers: generating {name}")
    rng = np.random.default_rng([seed, n, p, int(round(rho * 1000))])
    shared = rng.standard_normal(n)
    X = rng.standard_normal((p, n)).T  # n×p, column-major
    X *= math.sqrt(1 - rho)
    X += math.sqrt(rho) * shared[:, None]
    # Quantize to 6 decimals: the CSV's "%.6f" text then parses to exactly these doubles
    # (q/1e6 with q an exact integer is the correctly rounded value of the decimal q·10⁻⁶).
    X *= 1e6
    np.rint(X, out=X)
    X /= 1e6
    k = min(20, p)
    support = rng.choice(p, size=k, replace=False)
    beta = np.array([(-1.0) ** j * math.exp(-0.5 * j) for j in range(k)])
    signal = X[:, support] @ beta
    var_signal = (1 - rho) * float(beta @ beta) + rho * float(beta.sum()) ** 2
    sigma = math.sqrt(var_signal / 3.0)  # SNR = Var(xᵀβ)/σ² = 3
    y = standardize_y(signal + sigma * rng.standard_normal(n))
    write_problem(d, X, y, "%.6f", [f"x{j + 1}" for j in range(p)], "y")
    with open(meta, "w") as f:
        f.write(f"n={n}\np={p}\nrho={rho!r}\nresponse=y\nsupport={k}\nsigma={sigma!r}\n"
                f"spec={spec}\n")
    return pr


def diabetes(work):
    src = os.path.join(ROOT, "data", "diabetes.csv")
    d = os.path.join(work, "diabetes")
    pr = None
    with open(src) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(src, delimiter=",", skiprows=1, ndmin=2)
    r = header.index("progression")
    X = np.delete(data, r, axis=1)
    y = standardize_y(data[:, r])
    names = [h for i, h in enumerate(header) if i != r]
    n, p = X.shape
    pr = Problem("diabetes", n, p, None, d)
    write_problem(d, X, y, "%.17g", names, "y")
    with open(os.path.join(d, "meta.txt"), "w") as f:
        f.write(f"n={n}\np={p}\nrho=NA\nresponse=y\nsource=data/diabetes.csv (progression, "
                f"standardized)\n")
    return pr


def lambda_path(pr, alpha, nlambda=100):
    """glmnet's default sequence: λ_max = max|x̃ᵀ(y−ȳ)|/(n·max(α,1e-3)), log-spaced down to
    1e-4·λ_max when n ≥ p, else 1e-2·λ_max."""
    X, y, n = pr.X, pr.y, pr.n
    yc = y - y.mean()
    c = X.T @ yc - pr.mu * yc.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(pr.sd > 0, c / pr.sd, 0.0)
    lmax = np.max(np.abs(c)) / (n * max(alpha, 1e-3))
    ratio = 1e-4 if pr.n >= pr.p else 1e-2
    return lmax * np.exp(np.linspace(0.0, math.log(ratio), nlambda))


def objectives(pr, alpha, lam, b0, B):
    R = pr.y[:, None] - b0[None, :] - pr.X @ B
    loss = np.einsum("ij,ij->j", R, R) / (2.0 * pr.n)
    Bt = B * pr.sd[:, None]
    pen = lam * (alpha * np.abs(Bt).sum(axis=0) + 0.5 * (1 - alpha) * (Bt * Bt).sum(axis=0))
    return loss + pen


# ----------------------------------------------------------------------------------------------
# Runs


class Run:
    def __init__(self, key, solver, device, precision, settings, **kw):
        self.key, self.solver, self.device, self.precision = key, solver, device, precision
        self.settings, self.kw = settings, kw


def all_runs(alpha):
    return [
        Run("rp-cpu64", "regpath", "cpu", "float64", "tol 1e-7 (default)", tol=None),
        Run("rp-cpu64-tight", "regpath", "cpu", "float64", "tol 1e-10", tol="1e-10"),
        Run("rp-cpu32", "regpath", "cpu", "float32", "tol 1e-4 (default)", tol=None),
        Run("rp-cuda64", "regpath", "cuda", "float64", "tol 1e-7 (default)", tol=None),
        Run("rp-cuda32", "regpath", "cuda", "float32", "tol 1e-4 (default)", tol=None),
        Run("glmnet", "glmnet", "cpu", "float64", "thresh 1e-7 (default)", thresh="1e-7"),
        Run("glmnet-tight", "glmnet", "cpu", "float64", "thresh 1e-12", thresh="1e-12"),
        Run("sklearn", "sklearn", "cpu", "float64", "tol 1e-4, max_iter 1000 (default)",
            tol="1e-4", max_iter=1000),
        Run("sklearn-tight", "sklearn", "cpu", "float64", "tol 1e-10, max_iter 1e5",
            tol="1e-10", max_iter=100000),
    ]


def fingerprint(run, pr, lam, args):
    """What a cached result depends on (--reuse): data, λ list, α, settings, the binary."""
    h = hashlib.sha256(lam.astype("<f8").tobytes())
    h.update(open(os.path.join(pr.dir, "meta.txt"), "rb").read())
    h.update(f"{args.alpha!r} {run.key} {run.settings}".encode())
    if run.solver == "regpath":
        st = os.stat(args.regpath)
        h.update(f"{args.regpath} {st.st_size} {st.st_mtime_ns}".encode())
    return h.hexdigest()


def reusable(cache, fp, limit):
    """An earlier result for --reuse: same fingerprint, and either finished, or timed out under a
    limit at least as long as this one (a failed run, or one cut short by a shorter limit, is
    run again). None when there is nothing to reuse."""
    try:
        with open(cache) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return None
    if old.get("fingerprint") != fp:
        return None
    if old.get("status") == "ok" and "P" in old:
        return old
    if old.get("status") == "timeout" and (old.get("limit") or 0) >= limit:
        return old
    return None


def timed(cmd, limit, stdout_path=None):
    t0 = time.perf_counter()
    with open(stdout_path or os.devnull, "w") as out:
        proc = subprocess.Popen(["timeout", "--kill-after=10", str(limit)] + cmd, stdout=out,
                                stderr=subprocess.PIPE, text=True)
        try:
            _, err = proc.communicate()
        except KeyboardInterrupt:
            # `timeout` runs the fit in its own process group, out of reach of the terminal's
            # Ctrl-C; SIGTERM to `timeout` is passed on to the fit (a SIGKILL would orphan it).
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise
    return proc.returncode, time.perf_counter() - t0, err


def read_coef_file(prefix, p):
    cf = np.fromfile(prefix + ".coef.f64", dtype="<f8").reshape(-1, p + 1).T
    lam = np.fromfile(prefix + ".lambda.f64", dtype="<f8")
    info = dict(line.rstrip("\n").split("=", 1) for line in open(prefix + ".info") if "=" in line)
    return lam, cf[0], cf[1:], info


SUMMARY = re.compile(r"device (\S+) \((float\d+)\), ([0-9.eE+-]+) s")
CONVERGED = re.compile(r"(\d+)/(\d+) converged")


def execute(run, pr, alpha, lamfile, lam, outdir, args):
    """Returns a dict: status ok|timeout|failed|skipped, seconds, wall, lam, b0, B, notes."""
    res = {"key": run.key, "solver": run.solver, "device": run.device,
           "precision": run.precision, "settings": run.settings, "notes": []}
    prefix = os.path.join(outdir, run.key)
    for f in glob.glob(prefix + ".*"):
        os.remove(f)
    if run.solver == "regpath":
        out = prefix + ".csv"
        cmd = [args.regpath, "fit", pr.csv, "--response", "y", "--output", out, "--alpha",
               repr(alpha), "--lambda", ",".join(repr(float(v)) for v in lam), "--device",
               run.device, "--precision", run.precision]
        if run.kw.get("tol"):
            cmd += ["--tol", run.kw["tol"]]
    elif run.solver == "glmnet":
        cmd = ["Rscript", os.path.join(HERE, "fit_glmnet.R"), pr.dir, lamfile, repr(alpha),
               run.kw["thresh"], prefix]
    else:
        pre = "1" if pr.n > 2 * pr.p else "0"
        cmd = [PY, os.path.join(HERE, "fit_sklearn.py"), pr.dir, lamfile, repr(alpha),
               run.kw["tol"], str(run.kw["max_iter"]), pre, prefix]
        if pre == "1":
            res["settings"] += ", precompute"
    rc, wall, err = timed(cmd, args.timeout)
    res["wall"] = wall
    with open(prefix + ".stderr", "w") as f:
        f.write(" ".join(cmd[:3]) + " ...\n" + err)
    if rc in (124, 137):
        res.update(status="timeout", seconds=None)
        res["notes"].append(f"killed after {args.timeout} s")
        return res
    if rc != 0:
        res.update(status="failed", seconds=None)
        tail = " ".join(err.strip().splitlines()[-3:])[:300]
        res["notes"].append(f"exit {rc}: {tail}")
        return res
    try:
        if run.solver == "regpath":
            m = SUMMARY.search(err)
            res["seconds"] = float(m.group(3)) if m else None
            if not m:
                res["notes"].append("no time in regpath's summary on stderr (its format changed?)")
            c = CONVERGED.search(err)
            if c and c.group(1) != c.group(2):
                res["notes"].append(f"{c.group(1)}/{c.group(2)} λ converged")
            a = np.loadtxt(out, delimiter=",", skiprows=1, ndmin=2)
            res["lam"], res["b0"], res["B"] = a[:, 0], a[:, 1], a[:, 2:].T
        else:
            lam_r, b0, B, info = read_coef_file(prefix, pr.p)
            res["seconds"] = float(info["seconds"])
            res["lam"], res["b0"], res["B"] = lam_r, b0, B
            if info.get("warnings"):
                res["notes"].append(info["warnings"][:160])
            if int(info.get("jerr", "0") or 0) != 0:
                res["notes"].append(f"jerr {info['jerr']}")
            if int(info.get("max_iter_hit", "0") or 0) > 0:
                res["notes"].append(f"{info['max_iter_hit']} λ at max_iter")
    except Exception as e:  # noqa: BLE001 -- a broken output is a failed run, not a crash
        res.update(status="failed", seconds=None)
        res["notes"].append(f"unreadable output: {e}")
        return res
    k = len(res["lam"])
    if k == 0 or not np.allclose(res["lam"], lam[:k], rtol=1e-12, atol=0):
        res.update(status="failed")
        res["notes"].append("λ values differ from the list given")
        return res
    if k < len(lam):
        res["notes"].append(f"returned {k} of {len(lam)} λ")
    res["status"] = "ok"
    return res


# ----------------------------------------------------------------------------------------------
# Machine description


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=60).stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


def machine_info(regpath):
    info = {}
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = cpu or platform.processor() or "unknown"
    info["cores"] = len(os.sched_getaffinity(0))
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["memory"] = "unknown"
    blas_alt = sh("readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    rp_blas = sh(f"ldd {regpath} | grep -iE 'blas|lapack' | awk '{{print $3}}' | xargs -r readlink -f")
    info["blas"] = (f"regpath links {rp_blas or 'no shared BLAS'}; system libblas.so.3 (numpy, R) -> "
                    f"{blas_alt or 'unknown'}")
    threads = {v: os.environ[v] for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                          "MKL_NUM_THREADS") if v in os.environ}
    info["threads"] = ", ".join(f"{k}={v}" for k, v in threads.items()) or \
        "OPENBLAS_NUM_THREADS unset (OpenBLAS uses every core)"
    gpu = sh("nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader")
    info["gpu"] = gpu or "none (nvidia-smi not found or no GPU)"
    osr = ""
    try:
        osr = re.search(r'PRETTY_NAME="([^"]*)"', open("/etc/os-release").read()).group(1)
    except (OSError, AttributeError):
        pass
    info["os"] = osr or platform.platform()
    return info


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def machine_slug(info):
    if not info["gpu"].startswith("none"):
        return slug(info["gpu"].split(",")[0])[:40]
    cpu = re.sub(r"\(r\)|\(tm\)|processor|cpu|@.*", "", info["cpu"].lower())
    return f"{slug(cpu)[:30]}-{info['cores']}c"


# ----------------------------------------------------------------------------------------------
# Report


def fmt_secs(s):
    if s is None:
        return "—"
    return f"{s:.3f}" if s < 100 else f"{s:.0f}"


def fmt_sub(v, alone=False):
    if v is None:
        return "—"
    if v <= 0:
        return "— (only completed run)" if alone else "0 (best)"
    return f"{v:.1e}"


def table(pr, results):
    base = next((r for r in results if r["key"] == "rp-cpu64"), None)
    tb = base["seconds"] if base and base["status"] == "ok" and base.get("seconds") else None
    # a baseline that timed out still bounds the ratios: it took more than its limit
    tb_low = float(base["limit"]) if base and base["status"] == "timeout" else None
    rows = ["| solver | device | precision | settings | seconds | process wall s | "
            "time ÷ regpath CPU f64 | worst rel. suboptimality | notes |",
            "|---|---|---|---|---:|---:|---:|---:|---|"]
    nok = sum(r["status"] == "ok" for r in results)
    for r in results:
        if r["status"] == "skipped":
            continue
        sec = r.get("seconds")
        notes = list(r["notes"])
        if r["solver"] == "regpath" and sec is not None and sec < 0.01:
            notes.append("the CLI reports milliseconds: ratios this small are coarse")
        if r["status"] == "timeout":
            secs = f"timeout (>{r['limit']} s)"
            ratio = f"> {r['limit'] / tb:.2f}" if tb else "—"
        elif r["status"] == "failed":
            secs, ratio = "failed", "—"
        else:
            secs = fmt_secs(sec)
            ratio = f"{sec / tb:.2f}" if (sec is not None and tb) else \
                f"< {sec / tb_low:.2g}" if (sec and tb_low) else "—"
        rows.append(f"| {r['solver']} | {r['device']} | {r['precision']} | {r['settings']} | "
                    f"{secs} | {fmt_secs(r.get('wall'))} | {ratio} | {fmt_sub(r.get('subopt'), nok < 2)} | "
                    f"{'; '.join(notes).replace('|', '/')} |")
    rows.append("")
    rows.append(f"Suboptimality against the best of the {nok} completed run{'s' if nok != 1 else ''} "
                "at each λ." + (" Runs that timed out or failed do not count: a lone or "
                                "early-stopped run can look best only for want of others."
                                if nok < sum(r["status"] != "skipped" for r in results) else "")
                + (f" regpath CPU f64 timed out (> {tb_low:g} s), so the ratios are upper bounds "
                   "(< r: the run took at most r times regpath's time)." if tb_low else ""))
    return "\n".join(rows)


def svg_plot(problems, path, title):
    """Log-log plot of solver seconds against n·p, one series per run, by hand."""
    series = {}
    for pr, results in problems:
        for r in results:
            if r["status"] == "ok" and r.get("seconds"):
                series.setdefault(r["label"], []).append((pr.n * pr.p, max(r["seconds"], 1e-3),
                                                          False))
            elif r["status"] == "timeout":
                series.setdefault(r["label"], []).append((pr.n * pr.p, float(r["limit"]), True))
    pts = [pt for s in series.values() for pt in s]
    if not pts:
        return False
    W, H, L, R, T, B = 900, 560, 80, 250, 50, 60
    xs = [math.log10(x) for x, _, _ in pts]
    ys = [math.log10(y) for _, y, _ in pts]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def X(v):
        return L + (math.log10(v) - x0) / (x1 - x0) * (W - L - R)

    def Y(v):
        return H - B - (math.log10(v) - y0) / (y1 - y0) * (H - T - B)

    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
              "#17becf", "#7f7f7f", "#bcbd22"]
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
         f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{(L + W - R) / 2}" y="24" text-anchor="middle" font-size="15">{title}</text>']
    for e in range(x0, x1 + 1):
        px = X(10 ** e)
        o.append(f'<line x1="{px:.1f}" y1="{T}" x2="{px:.1f}" y2="{H - B}" stroke="#ddd"/>')
        o.append(f'<text x="{px:.1f}" y="{H - B + 18}" text-anchor="middle">10<tspan '
                 f'dy="-6" font-size="9">{e}</tspan></text>')
    for e in range(y0, y1 + 1):
        py = Y(10 ** e)
        o.append(f'<line x1="{L}" y1="{py:.1f}" x2="{W - R}" y2="{py:.1f}" stroke="#ddd"/>')
        o.append(f'<text x="{L - 8}" y="{py + 4:.1f}" text-anchor="end">10<tspan dy="-6" '
                 f'font-size="9">{e}</tspan></text>')
    o.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" '
             f'stroke="black"/>')
    o.append(f'<text x="{(L + W - R) / 2}" y="{H - 18}" text-anchor="middle">problem size n·p '
             f'(log scale)</text>')
    o.append(f'<text transform="translate(22,{(T + H - B) / 2}) rotate(-90)" '
             f'text-anchor="middle">seconds for the 100-λ path (log scale)</text>')
    for i, (label, s) in enumerate(sorted(series.items())):
        c = colors[i % len(colors)]
        # a line through the geometric mean over ρ at each size
        bysize = {}
        for x, y, _ in s:
            bysize.setdefault(x, []).append(math.log10(y))
        line = " ".join(f"{X(x):.1f},{Y(10 ** (sum(v) / len(v))):.1f}"
                        for x, v in sorted(bysize.items()))
        o.append(f'<polyline points="{line}" fill="none" stroke="{c}" stroke-width="1.5"/>')
        for x, y, to in s:
            fill = "white" if to else c
            o.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="4" fill="{fill}" '
                     f'stroke="{c}" stroke-width="1.5"/>')
        ly = T + 10 + i * 20
        o.append(f'<line x1="{W - R + 15}" y1="{ly}" x2="{W - R + 40}" y2="{ly}" stroke="{c}" '
                 f'stroke-width="2"/><circle cx="{W - R + 27.5}" cy="{ly}" r="4" fill="{c}"/>')
        o.append(f'<text x="{W - R + 48}" y="{ly + 4}">{label}</text>')
    ly = T + 20 + len(series) * 20
    o.append(f'<circle cx="{W - R + 27.5}" cy="{ly}" r="4" fill="white" stroke="black"/>'
             f'<text x="{W - R + 48}" y="{ly + 4}">timeout (at the limit)</text>')
    o.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")
    return True


def targets(problems):
    lines = []
    for pr, results in problems:
        ok = {r["key"]: r for r in results if r["status"] == "ok" and r.get("seconds")}
        rp = ok.get("rp-cpu64")
        rp_any = next((r for r in results if r["key"] == "rp-cpu64"), None)
        if pr.n >= 10 * pr.p and rp:
            for g in ("glmnet", "glmnet-tight"):
                if g in ok:
                    short = [n_ for n_ in ok[g]["notes"] if n_.startswith("returned ")]
                    lines.append(
                        f"- {pr.name} (n ≫ p): regpath CPU f64 {fmt_secs(rp['seconds'])} s "
                        f"(suboptimality {fmt_sub(rp['subopt'])}) vs {g} "
                        f"{fmt_secs(ok[g]['seconds'])} s ({fmt_sub(ok[g]['subopt'])}): "
                        f"regpath/glmnet = {rp['seconds'] / ok[g]['seconds']:.2f} "
                        f"(target ≤ 2 at equal accuracy: "
                        f"{'met' if rp['seconds'] <= 2 * ok[g]['seconds'] else 'missed'})"
                        + (f"; glmnet {short[0]}" if short else ""))
        elif pr.n >= 10 * pr.p and rp_any and rp_any["status"] in ("timeout", "failed"):
            lines.append(f"- {pr.name} (n ≫ p): regpath CPU f64 {rp_any['status']} "
                         f"({'; '.join(rp_any['notes'])}): target missed")
        if pr.n * pr.p >= 1e7:
            gpu = [r for k, r in ok.items() if k.startswith("rp-cuda")]
            cpu_peers = [r for k, r in ok.items() if not k.startswith("rp-")]
            if gpu and cpu_peers:
                g = min(gpu, key=lambda r: r["seconds"])
                c = min(cpu_peers, key=lambda r: r["seconds"])
                lines.append(f"- {pr.name} (n·p ≥ 10⁷): fastest regpath GPU ({g['label']}) "
                             f"{fmt_secs(g['seconds'])} s vs fastest CPU peer ({c['label']}) "
                             f"{fmt_secs(c['seconds'])} s: {c['seconds'] / g['seconds']:.1f}× "
                             f"(target > 1: {'met' if c['seconds'] > g['seconds'] else 'missed'})")
            elif not gpu:
                lines.append(f"- {pr.name} (n·p ≥ 10⁷): no GPU run on this machine")
    return lines


def load_avg():
    try:
        return "/".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def write_report(path, svg_name, problems, info, versions, args, cmdline, progress):
    state, planned, lost = progress
    status = ""
    if state != "done":
        status = (f" (**incomplete: {len(problems)} of {planned} problems finished; " +
                  ("the run was interrupted; `--reuse` continues it" if state == "interrupted"
                   else "the run was still going, or was killed") + "**)")
    o = [f"# regpath vs R glmnet and scikit-learn — {datetime.date.today().isoformat()}", "",
         f"Command: `{cmdline}`" + status,
         "", "## Machine", "",
         f"- CPU: {info['cpu']}, {info['cores']} cores available",
         f"- memory: {info['memory']}", f"- BLAS: {info['blas']}",
         f"- threads: {info['threads']}", f"- GPU: {info['gpu']}", f"- OS: {info['os']}",
         f"- versions: {versions}",
         f"- load average (1/5/15 min): {info['load_start']} at the start, {load_avg()} at the "
         f"end — above {info['cores']} means other work shared the cores and the timings are "
         "noisy"]
    o += [f"- note: {n_}" for n_ in (args.note or [])]
    o += ["",
         "## Settings", "",
         f"- α = {args.alpha}; standardization on, intercept on; the same explicit 100-value λ "
         "list for every solver: glmnet's default sequence (λ_max = max|x̃ᵀ(y−ȳ)|/(n·α), "
         "log-spaced down to 10⁻⁴·λ_max when n ≥ p, 10⁻²·λ_max when n < p).",
         "- data: the glmnet paper's simulation (Gaussian design with equal pairwise correlation "
         "ρ, 20 nonzero coefficients (−1)ʲ·e^(−j/2) at random positions, noise for SNR = 3), "
         "seeded; y standardized to mean 0 and 1/n-sd 1 (glmnet's ridge/enet λ means the common "
         "objective only then). The bundled diabetes data (y = progression, standardized).",
         "- seconds: the solver call alone (regpath: the time the CLI reports; glmnet: the "
         "`glmnet()` call; scikit-learn: the `enet_path()` call, the Gram matrix included where "
         "precomputed, hand standardization excluded). process wall s: the whole process, data "
         "loading (regpath parses the CSV) and start-up included.",
         "- time ÷ regpath CPU f64: above 1 means slower than regpath's CPU float64 run.",
         "- worst rel. suboptimality: max over the path of (P_run(λ) − P_best(λ)) / P_best(λ), "
         "P the common objective evaluated in float64 numpy from each solver's coefficients, "
         "P_best the lowest any run reached at that λ. Values near 10⁻¹⁵ are rounding.",
         f"- per-run limit: {args.timeout} s (`timeout`).", ""]
    if svg_name:
        o += [f"![time against n·p]({svg_name})", ""]
    tl = targets(problems)
    if tl:
        o += ["## Targets (numbers to report, not tests)", ""] + tl + [""]
    o += ["## Results", ""]
    if lost:
        o += ["Problems not run: " + "; ".join(lost), ""]
    for pr, results in problems:
        shape = f"n = {pr.n}, p = {pr.p}" + (f", ρ = {pr.rho:g}" if pr.rho is not None else "")
        o += [f"### {pr.name} ({shape}, n·p = {pr.n * pr.p:.2g})", "", table(pr, results), ""]
        sk = [r for r in results if r["status"] == "skipped"]
        if sk:
            o += ["Skipped: " + "; ".join(f"{r['label']} ({r['notes'][0]})" for r in sk), ""]
    with open(path, "w") as f:
        f.write("\n".join(o))


# ----------------------------------------------------------------------------------------------


def cuda_reason(line, devices_output):
    """The reason in `regpath devices`' line "cuda: not usable (REASON)", parentheses nested."""
    if line is None:
        return "`regpath devices` does not list cuda" + \
            (f" (it said: {devices_output.strip()[:200]})" if devices_output.strip() else "")
    line = line.strip()
    i = line.find("(")
    if i >= 0 and line.endswith(")"):
        return line[i + 1:-1].strip() or line
    return line or "no reason given"


def shell_quote(a):
    """An argument as one would type it: bare, in double quotes where that suffices, else shlex."""
    if shlex.quote(a) == a or not re.search(r'["$`\\!]', a):
        return a if shlex.quote(a) == a else f'"{a}"'
    return shlex.quote(a)


def parse_shapes(s):
    out = []
    for t in s.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", t)
        if not m:
            raise argparse.ArgumentTypeError(f"bad shape '{t}' (expected NxP, e.g. 2000x2000)")
        out.append((int(m.group(1)), int(m.group(2))))
    return out


def run_problem(spec, args, runs, skip, done_problems, lost):
    """Generate (or reuse) one problem, fit it with every run, print its table."""
    try:
        pr = diabetes(args.work) if spec == ("diabetes",) else \
            simulated(args.work, *spec, seed=args.seed)
        pr.load()
    except Exception as e:  # noqa: BLE001 -- e.g. out of memory or disk: report, go on
        what = "diabetes" if spec == ("diabetes",) else f"n{spec[0]}_p{spec[1]}_rho{spec[2]:g}"
        log(f"peers: {what}: could not prepare the problem: {type(e).__name__}: {e}")
        lost.append(f"{what}: could not prepare the problem ({type(e).__name__}: {e})")
        return
    lam = lambda_path(pr, args.alpha)
    rundir = os.path.join(pr.dir, f"alpha{args.alpha:g}")
    os.makedirs(rundir, exist_ok=True)
    lamfile = os.path.join(rundir, "lambda.f64")
    lam.astype("<f8").tofile(lamfile)
    log(f"peers: {pr.name}: n {pr.n}, p {pr.p}, λ {lam[0]:.4g} .. {lam[-1]:.4g}")
    results = []
    for run in runs:
        why = skip.get(run.device if run.solver == "regpath" else run.solver)
        if why:
            results.append({"key": run.key, "label": run.label, "status": "skipped",
                            "notes": [why]})
            continue
        fp = fingerprint(run, pr, lam, args)
        cache = os.path.join(rundir, run.key + ".result.json")
        res = None
        if args.reuse:
            old = reusable(cache, fp, args.timeout)
            if old is not None:
                res = old
                res["label"] = run.label
                res["notes"] = res["notes"] + ["reused from an earlier run"]
        if res is None:
            res = execute(run, pr, args.alpha, lamfile, lam, rundir, args)
            res["label"], res["limit"], res["fingerprint"] = run.label, args.timeout, fp
            if res["status"] == "ok":
                k = len(res["lam"])
                Pk = objectives(pr, args.alpha, lam[:k], res["b0"], res["B"])
                bad = ~np.isfinite(Pk)
                if bad.any():
                    res["notes"].append(f"{int(bad.sum())} λ with a non-finite objective")
                res["P"] = Pk.tolist()
                for key in ("lam", "b0", "B"):
                    res.pop(key, None)
            with open(cache, "w") as f:
                json.dump(res, f)
        log(f"peers:   {run.label:22s} {res['status']:8s} "
            f"{fmt_secs(res.get('seconds')):>8s} s (wall {res['wall']:.2f} s) "
            f"{'; '.join(res['notes'])}")
        results.append(res)
    # objectives and suboptimality
    ok = [r for r in results if r["status"] == "ok"]
    P = np.full((len(ok), len(lam)), np.inf)
    for i, r in enumerate(ok):
        P[i, :len(r["P"])] = np.where(np.isfinite(r["P"]), r["P"], np.inf)
    if ok:
        best = P.min(axis=0)
        for i, r in enumerate(ok):
            k = len(r["P"])
            r["subopt"] = float(np.max((P[i, :k] - best[:k]) / best[:k]))
    pr.unload()
    done_problems.append((pr, results))
    print(f"\n### {pr.name} (n = {pr.n}, p = {pr.p}" +
          (f", ρ = {pr.rho:g}" if pr.rho is not None else "") + ")\n", flush=True)
    print(table(pr, results), flush=True)


def main():
    ap = argparse.ArgumentParser(
        prog="bench/peers/run",
        description="regpath vs R glmnet and scikit-learn on the same problems, one run.")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: shapes 10000x100 and 2000x2000, rho 0.5, and diabetes")
    ap.add_argument("--shapes", type=parse_shapes,
                    help="comma-separated NxP (default 10000x100,2000x2000,500x20000,100000x1000)")
    ap.add_argument("--rhos", help="comma-separated correlations (default 0,0.5,0.9)")
    ap.add_argument("--alpha", type=float, default=0.5, help="elastic-net mixing α (default 0.5)")
    ap.add_argument("--timeout", type=int,
                    help="seconds per fit (default 600; 30 with --quick)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"),
                    help="report directory (default bench/results)")
    ap.add_argument("--work", default=os.path.join(HERE, "work"),
                    help="scratch directory for the problems (default bench/peers/work)")
    ap.add_argument("--regpath", default=os.path.join(ROOT, "build", "regpath"),
                    help="the regpath binary (default build/regpath; built when missing)")
    ap.add_argument("--runs", help="comma-separated subset of: " +
                    ",".join(r.key for r in all_runs(0.5)))
    ap.add_argument("--reuse", action="store_true",
                    help="reuse a run's result from an earlier invocation when its data, λ list, "
                         "α, settings and regpath binary are unchanged (marked in the notes)")
    ap.add_argument("--no-diabetes", action="store_true", help="leave out the diabetes data")
    ap.add_argument("--machine", help="machine name in the report's file name")
    ap.add_argument("--note", action="append",
                    help="a line for the report's machine section, e.g. 'other builds running' "
                         "(repeatable)")
    ap.add_argument("--seed", type=int, default=20240611, help="generator seed")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install missing peers (handled by bench/peers/run)")
    args = ap.parse_args()
    cmdline = " ".join(shell_quote(a) for a in ["bench/peers/run"] + sys.argv[1:])
    if args.timeout is None:
        args.timeout = 30 if args.quick else 600
    if not 0 <= args.alpha <= 1:
        ap.error("--alpha must be in [0, 1]")

    shapes = args.shapes or (QUICK_SHAPES if args.quick else ALL_SHAPES)
    rhos = [float(r) for r in args.rhos.split(",")] if args.rhos else \
        ([0.5] if args.quick else [0.0, 0.5, 0.9])
    if any(not 0 <= r < 1 for r in rhos):
        ap.error("--rhos must be in [0, 1)")

    # regpath: build it when missing
    args.regpath = os.path.abspath(args.regpath)
    if not os.access(args.regpath, os.X_OK):
        if args.regpath != os.path.join(ROOT, "build", "regpath"):
            sys.exit(f"peers: {args.regpath} not found")
        log("peers: build/regpath missing, building it (scripts/build build)")
        subprocess.run([os.path.join(ROOT, "scripts", "build"), "build"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    # which solvers can run here
    skip = {}
    cp = subprocess.run([args.regpath, "devices"], capture_output=True, text=True)
    dev = cp.stdout if cp.returncode == 0 else cp.stdout + cp.stderr
    m = re.search(r"^cuda:\s*(.*)$", dev, re.M)
    if not (m and m.group(1).strip().startswith("usable")):
        skip["cuda"] = "CUDA not usable: " + cuda_reason(m.group(1) if m else None, dev)
    r_ok = shutil.which("Rscript") and subprocess.run(
        ["Rscript", "-e", "suppressPackageStartupMessages(library(glmnet))"],
        capture_output=True).returncode == 0
    if not r_ok:
        skip["glmnet"] = "R glmnet not available (apt-get install r-cran-glmnet)"
    sk_ok = subprocess.run([PY, "-c", "import sklearn"], capture_output=True).returncode == 0
    if not sk_ok:
        skip["sklearn"] = "scikit-learn not available (apt-get install python3-sklearn)"
    for k, v in skip.items():
        log(f"peers: skipping {k}: {v}")

    st = os.stat(args.regpath)
    git = sh(f"git -C {ROOT} rev-parse --short HEAD")
    dirty = sh(f"git -C {ROOT} status --porcelain --untracked-files=no")
    versions = [sh(f"{args.regpath} --version") + f" ({os.path.relpath(args.regpath, ROOT)} built "
                f"{datetime.datetime.fromtimestamp(st.st_mtime).strftime('%Y-%m-%d %H:%M')}; "
                f"checkout {git or 'unknown'}{', with local changes' if dirty else ''})"]
    if r_ok:
        versions.append("R glmnet " + sh("Rscript -e 'cat(as.character(packageVersion(\"glmnet\")))'")
                        + " (" + sh("Rscript -e 'cat(R.version.string)'") + ")")
    if sk_ok:
        versions.append("scikit-learn " + sh(f"{PY} -c 'import sklearn; print(sklearn.__version__)'"))
    versions.append(f"numpy {np.__version__}")

    runs = all_runs(args.alpha)
    if args.runs:
        want = set(args.runs.split(","))
        bad = want - {r.key for r in runs}
        if bad:
            ap.error(f"--runs: unknown {','.join(sorted(bad))}")
        runs = [r for r in runs if r.key in want]
    for r in runs:
        r.label = (f"regpath {r.device} f{r.precision[-2:]}" if r.solver == "regpath" else r.solver) \
            + (" tight" if r.key.endswith("tight") else "")

    info = machine_info(args.regpath)
    info["load_start"] = load_avg()
    name = args.machine or machine_slug(info)
    os.makedirs(args.out, exist_ok=True)
    stem = f"peers-{datetime.date.today().isoformat()}-{slug(name)}" + ("-quick" if args.quick else "")
    md_path = os.path.join(args.out, stem + ".md")
    svg_path = os.path.join(args.out, stem + ".svg")
    json_path = os.path.join(args.out, stem + ".json")

    os.makedirs(args.work, exist_ok=True)
    specs = ([("diabetes",)] if not args.no_diabetes else []) + \
        [(n, p, rho) for (n, p) in shapes for rho in rhos]
    done_problems, lost = [], []

    def save(state):
        """Write the report, plot and raw numbers for the problems finished so far."""
        has_svg = svg_plot(done_problems, svg_path,
                           f"100-λ elastic-net path, α = {args.alpha:g}: time against n·p")
        write_report(md_path, os.path.basename(svg_path) if has_svg else None, done_problems,
                     info, ", ".join(versions), args, cmdline, (state, len(specs), lost))
        with open(json_path, "w") as f:
            json.dump({"machine": info, "versions": versions, "alpha": args.alpha,
                       "command": cmdline, "state": state, "problems_planned": len(specs),
                       "problems_not_run": lost,
                       "problems": [{"name": p_.name, "n": p_.n, "p": p_.p, "rho": p_.rho,
                                     "runs": res_} for p_, res_ in done_problems]}, f, indent=1)

    def on_term(signum, frame):
        raise KeyboardInterrupt  # a `kill` stops the fit and leaves a report, as Ctrl-C does

    signal.signal(signal.SIGTERM, on_term)
    try:
        for spec in specs:
            run_problem(spec, args, runs, skip, done_problems, lost)
            # write after every problem: an interrupted run still leaves a report
            save("done" if len(done_problems) + len(lost) == len(specs) else "running")
    except KeyboardInterrupt:
        save("interrupted")
        log(f"\npeers: interrupted; the report holds the {len(done_problems)} problem(s) finished: "
            f"{os.path.relpath(md_path, ROOT)} (run again with --reuse to continue)")
        sys.exit(130)
    if not done_problems:
        save("done")
    print(f"\nreport: {os.path.relpath(md_path, ROOT)}\nplot:   {os.path.relpath(svg_path, ROOT)}"
          f"\nraw:    {os.path.relpath(json_path, ROOT)}")
    for line in targets(done_problems):
        print(line)


if __name__ == "__main__":
    main()
