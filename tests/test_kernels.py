"""bot/kernels.py: the AVX2 code paths are pinned in a fresh process, and a user's own setting is kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.kernels import PINS, _has_avx2

pytestmark = pytest.mark.skipif(not _has_avx2() or sys.platform != "linux",
                                reason="the pins apply on x86-64 Linux with AVX2")

PROBE = f"""
import bot, os, json, threadpoolctl, numpy
from numpy._core._multiarray_umath import __cpu_features__ as f
blas = [i["architecture"] for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
env = {{k: os.environ.get(k) for k in {sorted(PINS)!r}}}
# What numpy dispatches on, not the processor's raw flags (AVX512F stays True on an AVX-512 machine):
avx512 = any(f.get(group, False) for group in ("X86_V4", "AVX512_SKX", "AVX512_ICL", "AVX512_SPR"))
print(json.dumps({{"env": env, "blas": blas, "avx512": avx512}}))
"""


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in PINS}
    done = subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_a_fresh_process_runs_openblas_haswell_kernels_and_no_avx512_numpy_loops():
    got = probe()
    assert got["env"] == PINS
    assert got["blas"] == ["Haswell"]
    assert got["avx512"] is False


def test_a_value_the_user_set_is_left_alone():
    got = probe(OPENBLAS_CORETYPE="Sandybridge")
    assert got["env"]["OPENBLAS_CORETYPE"] == "Sandybridge"
    assert got["blas"] == ["Sandybridge"]
