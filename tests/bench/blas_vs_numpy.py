"""`python3 tests/bench/blas_vs_numpy.py [threads]`: dgemm through Debian's OpenBLAS (the library
matcalc's native backend loads) and numpy's own bundled OpenBLAS, in one process, on the same
buffers, alternating (with a pause between samples on 2 threads), so that the two libraries are
compared without matcalc in between. Prints
GFLOP/s (median of 7 samples) per size. Run it with OPENBLAS_CORETYPE unset to let both pick
their kernels for this CPU, as `deno task bench:compare` does.
"""
import ctypes
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
# numpy's bundled OpenBLAS reads this when numpy is imported.
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
import numpy as np  # noqa: E402

lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
lib.openblas_set_num_threads(threads)
print(f"Debian OpenBLAS kernels: {lib.openblas_get_corename().decode()}; numpy {np.__version__}; "
      f"{threads} thread(s) each")
P = ctypes.POINTER(ctypes.c_double)
print("| n | Debian OpenBLAS dgemm | numpy matmul (out=) |")
print("|---|---:|---:|")
for n in (64, 256, 512, 1024):
    a, b, c = np.random.rand(n, n), np.random.rand(n, n), np.zeros((n, n))
    pa, pb, pc = a.ctypes.data_as(P), b.ctypes.data_as(P), c.ctypes.data_as(P)
    reps = max(3, int(2e9 / (2 * n**3)))

    def debian():
        lib.cblas_dgemm(101, 111, 111, n, n, n, ctypes.c_double(1.0), pa, n, pb, n,
                        ctypes.c_double(0.0), pc, n)

    def numpy():
        np.matmul(a, b, out=c)

    times = {debian: [], numpy: []}
    for _ in range(7):
        for f in (debian, numpy):
            # Threads of the other library spin for a while after its calls: let them stop.
            if threads > 1:
                time.sleep(0.2)
            t = time.perf_counter()
            for _ in range(reps):
                f()
            times[f].append((time.perf_counter() - t) / reps)
    gf = {f: 2 * n**3 / sorted(ts)[3] / 1e9 for f, ts in times.items()}
    print(f"| {n} | {gf[debian]:.1f} GFLOP/s | {gf[numpy]:.1f} GFLOP/s |")
