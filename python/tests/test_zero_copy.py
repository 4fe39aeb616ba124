"""X is read in place when it is column-major float64/float32; other layouts are converted once,
without a silent change of precision. The extension reports the address it read X from
(Path._x_data), compared here with the array's own."""

import numpy as np
import pytest

import regpath
from regpath._core import as_matrix


def _addr(a):
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fortran_array_is_read_in_place(rng, dtype):
    X = np.asfortranarray(rng.standard_normal((40, 6)).astype(dtype))
    y = rng.standard_normal(40)
    p = regpath.fit(X, y, nlambda=5)
    assert p._x_data == _addr(X)
    assert as_matrix(X) is X
    r = regpath.cv(X, y, nlambda=5, nfolds=3)
    assert r._x_data == _addr(X)


def test_column_major_view_is_read_in_place(rng):
    # the first 30 rows of a Fortran array: unit row stride, column stride 40 (the leading
    # dimension), no copy
    big = np.asfortranarray(rng.standard_normal((40, 6)))
    X = big[:30, 1:5]
    y = rng.standard_normal(30)
    assert not X.flags.f_contiguous
    p = regpath.fit(X, y, nlambda=5)
    assert p._x_data == _addr(X)
    q = regpath.fit(np.asfortranarray(X), y, nlambda=5)
    np.testing.assert_array_equal(p.coef_path, q.coef_path)


def test_c_ordered_is_converted_once_keeping_precision(rng):
    X = np.ascontiguousarray(rng.standard_normal((40, 6)).astype(np.float32))
    y = rng.standard_normal(40)
    converted = as_matrix(X)
    assert converted.dtype == np.float32 and converted.flags.f_contiguous
    p = regpath.fit(X, y, nlambda=5)
    assert p._x_data != _addr(X)
    q = regpath.fit(np.asfortranarray(X), y, nlambda=5)
    np.testing.assert_array_equal(p.coef_path, q.coef_path)


class DLPackHost:
    """A non-NumPy object offering host memory through DLPack only."""

    def __init__(self, a):
        self._a = a

    def __dlpack__(self, stream=None):
        return self._a.__dlpack__()

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()


def test_dlpack_host_memory_is_read_in_place(rng):
    X = np.asfortranarray(rng.standard_normal((40, 6)))
    y = rng.standard_normal(40)
    p = regpath.fit(DLPackHost(X), y, nlambda=5)
    assert p._x_data == _addr(X)


def test_dlpack_cuda_without_array_interface_is_refused():
    class DLPackCuda:
        def __dlpack_device__(self):
            return (2, 0)
    with pytest.raises(TypeError, match="DLPack CUDA tensor"):
        regpath.fit(DLPackCuda(), np.zeros(4))


def test_dtype_rules():
    assert as_matrix(np.ones((3, 2), dtype=np.int64)).dtype == np.float64
    assert as_matrix(np.ones((3, 2), dtype=np.int8)).dtype == np.float64
    assert as_matrix(np.ones((3, 2), dtype=np.float16)).dtype == np.float32
    if np.dtype(np.longdouble).itemsize > 8:
        with pytest.raises(ValueError, match="longdouble|float128|float96"):
            as_matrix(np.ones((3, 2), dtype=np.longdouble))
    with pytest.raises(ValueError, match="dtype complex128"):
        as_matrix(np.ones((3, 2), dtype=np.complex128))


def test_estimators_pass_fortran_arrays_through(rng):
    pytest.importorskip("sklearn")
    from regpath._sklearn import _validate_fit
    X = np.asfortranarray(rng.standard_normal((40, 6)))
    y = rng.standard_normal(40)
    est = regpath.ElasticNet()
    Xv, _ = _validate_fit(est, X, y, y_numeric=True)
    assert _addr(Xv) == _addr(X)


class FakeDeviceArray:
    """An object with __cuda_array_interface__ (address 0: never dereferenced by these tests)."""

    def __init__(self, shape, typestr="<f8", strides=None, data=0):
        self.__cuda_array_interface__ = {"shape": shape, "typestr": typestr, "data": (data, False),
                                         "strides": strides, "version": 3}


def test_device_array_layout_rules():
    X, y = FakeDeviceArray((4, 2)), FakeDeviceArray((4,))
    with pytest.raises(ValueError, match="not column-major"):
        regpath.fit(X, y)  # C-contiguous 4 x 2
    F = FakeDeviceArray((4, 2), strides=(8, 32))
    with pytest.raises(ValueError, match="y must be one too"):
        regpath.fit(F, np.zeros(4))
    with pytest.raises(ValueError, match="dtype float32, X's is float64"):
        regpath.fit(F, FakeDeviceArray((4,), "<f4"))
    with pytest.raises(ValueError, match="3 values for the 4 rows"):
        regpath.fit(F, FakeDeviceArray((3,)))
    with pytest.raises(ValueError, match="dtype int64"):
        regpath.fit(FakeDeviceArray((4, 2), "<i8", (8, 32)), y)
    with pytest.raises(TypeError, match="read in place by regpath.fit only"):
        regpath.cv(F, y)


@pytest.mark.skipif(regpath.cuda_available()[0], reason="CUDA is usable here")
def test_device_array_without_cuda_is_a_device_error():
    F = FakeDeviceArray((4, 2), strides=(8, 32), data=4096)
    with pytest.raises(regpath.DeviceError, match="no CUDA device is usable"):
        regpath.fit(F, FakeDeviceArray((4,), data=8192))


def _cupy():
    if not regpath.cuda_available()[0]:
        pytest.skip("no usable CUDA device: " + regpath.cuda_available()[1])
    return pytest.importorskip("cupy")


def test_cupy_arrays_are_read_in_place_on_the_device(rng):
    cp = _cupy()
    X = np.asfortranarray(rng.standard_normal((200, 30)))
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(200)
    Xd, yd = cp.asfortranarray(cp.asarray(X)), cp.asarray(y)
    gpu = regpath.fit(Xd, yd, tol=1e-10)
    cpu = regpath.fit(X, y, device="cpu", tol=1e-10)
    assert gpu.device == "cuda" and gpu._x_data == Xd.data.ptr
    np.testing.assert_allclose(gpu.coef_path, cpu.coef_path, atol=1e-6)


@pytest.mark.skipif(not regpath.cuda_available()[0],
                    reason="no usable CUDA device: " + regpath.cuda_available()[1])
def test_cuda_backend_matches_cpu(rng):
    X = np.asfortranarray(rng.standard_normal((200, 30)))
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(200)
    cpu = regpath.fit(X, y, device="cpu", tol=1e-10)
    gpu = regpath.fit(X, y, device="cuda", tol=1e-10)
    assert gpu.device == "cuda"
    np.testing.assert_allclose(gpu.coef_path, cpu.coef_path, atol=1e-6)
