"""pip install --no-build-isolation ./python: the regpath package with its extension module
compiled from the repository's C++ sources (CPU backend only; the CUDA backend comes with the
CMake build), with setuptools and pybind11's setup helpers (Debian: python3-setuptools,
python3-pybind11, python3-numpy) and a BLAS (Debian: libopenblas-dev or libblas-dev). Needs the
repository around this folder (pip >= 21.3 builds in place). REGPATH_BLAS names the BLAS
library to link (default: openblas if found, else blas)."""

import ctypes.util
import os
import pathlib
import re

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def _library_sources():
    # the regpath library's sources as CMakeLists.txt lists them, so that the two stay one list
    cmake = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"add_library\(regpath STATIC(.*?)\)", cmake, re.S)
    if m is None:
        raise RuntimeError(f"{ROOT / 'CMakeLists.txt'}: no add_library(regpath STATIC ...); "
                           "python/ must be built inside the regpath repository")
    files = re.findall(r"src/\S+\.cpp", m.group(1)) + ["src/backends/cuda_stub.cpp"]
    return [str(ROOT / f) for f in files]


def _version():
    m = re.search(r"project\(regpath VERSION (\S+)", (ROOT / "CMakeLists.txt").read_text())
    return m.group(1)


def _blas():
    if os.environ.get("REGPATH_BLAS"):
        return os.environ["REGPATH_BLAS"]
    return "openblas" if ctypes.util.find_library("openblas") else "blas"


ParallelCompile("REGPATH_JOBS", default=2).install()

ext = Pybind11Extension(
    "regpath._regpath",
    [str(HERE / "src" / "regpath_module.cpp")] + _library_sources(),
    include_dirs=[str(ROOT / "include"), str(ROOT / "src")],
    define_macros=[("REGPATH_VERSION", f'"{_version()}"')],
    libraries=[_blas()],
    cxx_std=17,
    extra_compile_args=["-O2"],
)

setup(
    name="regpath",
    version=_version(),
    description="Regularized linear-model solution paths for many lambdas at once, on CPU and "
                "GPU, with glmnet's conventions",
    packages=["regpath"],
    package_dir={"regpath": str(HERE / "regpath")},
    ext_modules=[ext],
    cmdclass={"build_ext": build_ext},
    python_requires=">=3.8",
    install_requires=["numpy"],
    extras_require={"sklearn": ["scikit-learn"]},
    zip_safe=False,
)
