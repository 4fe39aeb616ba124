"""Shared helpers of the Python package's tests (pytest; run by ctest as python_tests)."""

import pathlib

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"          # the C++ suite's committed glmnet/sklearn references
PY_DATA = pathlib.Path(__file__).resolve().parent / "data"


def read_csv(path):
    """(header, float64 rows) of a reference CSV."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    return header, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def load_problem(name):
    """X (Fortran-ordered float64) and y of tests/data/<name>.csv (y is the last column)."""
    _, rows = read_csv(DATA / f"{name}.csv")
    return np.asfortranarray(rows[:, :-1]), rows[:, -1].copy()


@pytest.fixture
def rng():
    return np.random.default_rng(20261202)


def make_regression(rng, n=60, p=8, noise=1.0):
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:3] = [1.5, -2.0, 0.5]
    return X, X @ beta + 0.3 + noise * rng.standard_normal(n)


def make_binary(rng, n=120, p=5):
    X = rng.standard_normal((n, p))
    eta = X[:, :2] @ np.array([1.0, -1.0]) + 0.3
    return X, (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int64)
