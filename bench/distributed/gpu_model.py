#!/usr/bin/env python3
"""A model (not a measurement) of a direct-form distributed fit on R GPUs: at what n·p and K the
rows split over R GPUs beat one GPU. Per FISTA iteration a rank computes its two GEMMs
(4·(n/R)·p·K flops at the GPU's FP64 GEMM rate F) and the ranks sum the p × K gradient:
an allreduce of 8·p·K bytes, modelled as a ring's bandwidth term 2·(R−1)/R·8pK/B plus a tree's
latency term 2·log2(R)·a. The Gram form (n > 2p) is left out: its only reduction is H and c,
once per path. Usage: bench/distributed/gpu_model.py [F_tflops] (default 50: an H200's FP64
tensor-core rate, 67 TFLOP/s nominal, at ~75 % — an assumption until bench_gpu_path has run on
one)."""
import math
import sys

F = float(sys.argv[1]) * 1e12 if len(sys.argv) > 1 else 50e12
LATENCY = 10e-6  # a, seconds per allreduce step (NCCL/MPI across nodes: 5–20 µs)


def iteration_seconds(n, p, K, R, B):
    compute = 4.0 * (n / R) * p * K / F
    if R == 1:
        return compute
    comm = 2.0 * (R - 1) / R * 8.0 * p * K / B + 2.0 * math.log2(R) * LATENCY
    return compute + comm


print(f"F = {F / 1e12:.0f} TFLOP/s FP64 per GPU, allreduce latency {LATENCY * 1e6:.0f} µs per "
      "tree step; speed-up of R GPUs over one per direct-form iteration (4·n·p·K flops, one "
      "p×K allreduce)\n")
print("| n | p | K | R | 25 GB/s | 100 GB/s | 400 GB/s |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for n, p, K in [(100_000, 10_000, 32), (1_000_000, 10_000, 32), (1_000_000, 100_000, 8),
                (10_000_000, 10_000, 32), (100_000, 1_000, 100)]:
    one = iteration_seconds(n, p, K, 1, 1)
    for R in (8, 16, 32, 64):
        cells = [one / iteration_seconds(n, p, K, R, B * 1e9) for B in (25, 100, 400)]
        print(f"| {n:,} | {p:,} | {K} | {R} | " + " | ".join(f"{c:.1f}×" for c in cells) + " |")
print("\nBreak-even (R GPUs as fast as one, large R): n ≈ 4·F/B rows in all — "
      + ", ".join(f"{4 * F / (B * 1e9):,.0f} at {B} GB/s" for B in (25, 100, 400))
      + "; beyond a few times that, and whenever X does not fit one GPU's memory (141 GB: "
      "n·p ≈ 1.7e10 doubles), the split wins.")
