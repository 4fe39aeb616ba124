"""regpath's messages as Python exceptions; the GIL is released during a fit; Ctrl-C
(SIGINT) interrupts a long fit cleanly."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import regpath


@pytest.fixture
def data(rng):
    X = np.asfortranarray(rng.standard_normal((30, 4)))
    return X, rng.standard_normal(30)


@pytest.mark.parametrize("kwargs,message", [
    (dict(alpha=2.0), "invalid alpha = 2"),
    (dict(nlambda=0), "invalid nlambda = 0"),
    (dict(family="gamma"), "invalid family: 'gamma'"),
    (dict(device="tpu"), "invalid device: 'tpu'"),
    (dict(precision="float16"), "invalid precision: 'float16'"),
    (dict(lambdas=[0.1, -1.0]), "invalid lambda"),
    (dict(lambdas=[]), "invalid lambdas: empty"),
    (dict(tol=-1.0), "tol"),
    (dict(progress=3), "invalid progress"),
])
def test_bad_arguments_are_value_errors(data, kwargs, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        regpath.fit(X, y, **kwargs)


def test_bad_data_are_value_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="invalid y: 5 values for the 30 rows"):
        regpath.fit(X, y[:5])
    bad = X.copy(order="F")
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="row 4, column 2 is not finite"):
        regpath.fit(bad, y)
    with pytest.raises(ValueError, match="2 dimensions"):
        regpath.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="foldid"):
        regpath.cv(X, y, foldid=np.ones(30, dtype=int), nfolds=3)
    with pytest.raises(ValueError, match="y in|0 and 1|binomial|\\{0, 1\\}"):
        regpath.fit(X, y, family="binomial")


@pytest.mark.skipif(regpath.cuda_available()[0], reason="CUDA is usable here")
def test_unusable_device_is_a_runtime_error(data):
    X, y = data
    with pytest.raises(regpath.DeviceError, match="device cuda requested but not usable"):
        regpath.fit(X, y, device="cuda")
    assert issubclass(regpath.DeviceError, RuntimeError)
    assert issubclass(regpath.OutOfMemoryError, regpath.DeviceError)


def test_exception_in_progress_callback_aborts_the_fit(data):
    X, y = data

    def progress(fraction):
        raise ZeroDivisionError("from the callback")
    with pytest.raises(ZeroDivisionError, match="from the callback"):
        regpath.fit(X, y, progress=progress)
    assert regpath.fit(X, y).nlambda == 100  # nothing left behind


@pytest.mark.parametrize("family", ["gaussian", "binomial"])
def test_exception_in_progress_callback_aborts_cv(data, family):
    X, y = data
    if family == "binomial":
        y = (y > 0).astype(np.float64)
    calls = []

    def progress(fraction):
        calls.append(fraction)
        raise LookupError("stop the cv")
    with pytest.raises(LookupError, match="stop the cv"):
        regpath.cv(X, y, family=family, nfolds=3, progress=progress)
    assert len(calls) == 1
    assert regpath.cv(X, y, family=family, nfolds=3).nfolds == 3


def _long_problem():
    # about 1.5 s on one core: a binomial elastic-net path with many proximal-gradient iterations
    rng = np.random.default_rng(7)
    n = p = 250
    X = np.asfortranarray(rng.standard_normal((n, p)) + 0.9 * rng.standard_normal((n, 1)))
    y = (X[:, :50] @ rng.standard_normal(50) + rng.standard_normal(n) > 0).astype(np.float64)
    # one lambda per block: a progress call (and so a signal check) after each
    return X, y, dict(family="binomial", alpha=0.5, nlambda=100, lambda_min_ratio=1e-4,
                      tol=1e-12, block_size=1)


def test_gil_is_released_during_a_fit():
    X, y, kw = _long_problem()
    done = threading.Event()
    ticks = [0]

    def count():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.001)
    t = threading.Thread(target=count)
    t.start()
    try:
        start = time.perf_counter()
        regpath.fit(X, y, **kw)
        seconds = time.perf_counter() - start
    finally:
        done.set()
        t.join()
    # the counting thread ran while the fit did (a fit that held the GIL would starve it)
    assert seconds > 0.2 and ticks[0] >= 0.2 * seconds / 0.001 * 0.1


def test_ctrl_c_interrupts_a_fit():
    # SIGINT while the C++ code runs (no Python callback of the user's): the progress
    # callback's PyErr_CheckSignals raises KeyboardInterrupt and aborts the fit
    X, y, kw = _long_problem()
    timer = threading.Timer(0.2, os.kill, args=(os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            regpath.fit(X, y, **kw)
    finally:
        timer.cancel()
    interrupted = time.perf_counter() - start
    full_start = time.perf_counter()
    full = regpath.fit(X, y, **kw)  # the library is usable afterwards
    full_seconds = time.perf_counter() - full_start
    assert full.nlambda == 100
    assert interrupted < 0.2 + 0.5 * full_seconds
