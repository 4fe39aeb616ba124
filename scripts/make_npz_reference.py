#!/usr/bin/env python3
"""SciPy .npz sparse matrices for tests/test_npz_input.cpp (Debian 12: python3-scipy 1.10).

Run from the repository root:  python3 scripts/make_npz_reference.py

Writes tests/data/npz/:
  dense.csv        the 9 × 5 matrix itself (%.17g), column 2 empty, row 4 all zero
  y.csv            a response for it (9 values)
  csc.npz          save_npz(csc, compressed=True)   (scipy's default: deflated members)
  csr.npz          save_npz(csr, compressed=False)  (stored members)
  coo.npz          save_npz(coo) with one entry split into two duplicates (summed on reading)
  csc_f32.npz      float32 data (values exactly representable), int64 indices
  counts_i64.npz   int64 data (counts), csc
  bsr.npz          a bsr matrix: not supported, refused by name
"""
import os

import numpy as np
import scipy.sparse as sp

out = os.path.join("tests", "data", "npz")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261204)
n, p = 9, 5
X = np.round(rng.normal(size=(n, p)) * 4) / 4  # quarters: exact in float32 too
X[rng.uniform(size=(n, p)) < 0.5] = 0
X[:, 2] = 0
X[4, :] = 0
y = rng.normal(size=n)
np.savetxt(os.path.join(out, "dense.csv"), X, fmt="%.17g", delimiter=",")
np.savetxt(os.path.join(out, "y.csv"), y, fmt="%.17g")

sp.save_npz(os.path.join(out, "csc.npz"), sp.csc_matrix(X), compressed=True)
sp.save_npz(os.path.join(out, "csr.npz"), sp.csr_matrix(X), compressed=False)
coo = sp.coo_matrix(X)
r, c, v = list(coo.row), list(coo.col), list(coo.data)
r.append(r[0]); c.append(c[0]); v[0] = v[0] - 0.5; v.append(0.5)  # a duplicate, same sum
dup = sp.coo_matrix((np.array(v), (np.array(r), np.array(c))), shape=X.shape)
sp.save_npz(os.path.join(out, "coo.npz"), dup)
f32 = sp.csc_matrix(X.astype(np.float32))
f32.indices = f32.indices.astype(np.int64)
f32.indptr = f32.indptr.astype(np.int64)
sp.save_npz(os.path.join(out, "csc_f32.npz"), f32)
counts = sp.csc_matrix(np.abs(np.round(X * 4)).astype(np.int64))
sp.save_npz(os.path.join(out, "counts_i64.npz"), counts)
sp.save_npz(os.path.join(out, "bsr.npz"), sp.bsr_matrix(X))
