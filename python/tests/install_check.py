"""ctest python_install: `cmake --install BUILD --prefix TMP` puts an importable regpath package
under TMP (the interpreter's platlib relative to the prefix), which then fits a path.

    python3 install_check.py BUILD_DIR [CMAKE]
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile


def main(build, cmake="cmake"):
    work = pathlib.Path(tempfile.mkdtemp(prefix="regpath_python_install_"))
    try:
        prefix = work / "prefix"
        subprocess.run([cmake, "--install", build, "--prefix", str(prefix)], check=True,
                       stdout=subprocess.DEVNULL)
        inits = sorted(prefix.glob("lib*/python3*/*-packages/regpath/__init__.py"))
        if len(inits) != 1:
            sys.exit(f"FAILED: expected one installed regpath/__init__.py, found {inits}")
        site = inits[0].parent.parent
        code = ("import numpy as np, regpath; "
                "p = regpath.fit(np.asfortranarray(np.random.default_rng(1).random((20, 3))), "
                "np.arange(20.0)); print(regpath.__file__, p.nlambda)")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True, cwd=work, env={"PYTHONPATH": str(site)}).stdout
        path, nlambda = out.split()
        if not path.startswith(str(site)) or nlambda != "100":
            sys.exit(f"FAILED: imported {path} (not under {site}) or nlambda {nlambda}")
        print(f"OK: installed into {site.relative_to(prefix)}; {out.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
