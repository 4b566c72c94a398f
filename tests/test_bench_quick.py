"""The benchmark cannot rot: it runs on tiny stores and prints every measure (timings are not tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from numbers import Number
from pathlib import Path

import pytest

BENCH = Path(__file__).parent / "benchmarks" / "bench.py"
KEYS = {
    "open_chat",
    "scroll_back",
    "chat_list",
    "search",
    "startup",
    "ingest",
    "store_write",
    "memory",
    "matrix",
}
MATRIX = {"latency", "first_screen", "startup"}  # issue 14: one dict each, in the matrix measure


@pytest.mark.parametrize("part", ["matrix", "the rest"])
def test_quick_benchmark_prints_every_measure(tmp_path: Path, part: str) -> None:
    """In two halves (the Matrix measures start a Synapse of their own), so that two workers share them."""
    chosen = {"matrix"} if part == "matrix" else KEYS - {"matrix"}
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--tiny", "--json", "--only", ",".join(sorted(chosen))],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    assert set(results) == KEYS
    assert all(results[k]["status"] == "not available: not selected (--only)" for k in KEYS - chosen)
    for key, result in ((k, v) for k, v in results.items() if k in chosen):
        assert isinstance(result, dict), key
        status = result.get("status", "ok")
        assert status == "ok" or status.startswith("not available: "), (key, status)
        assert not status.startswith("not available: failed"), (key, status, proc.stderr[-3000:])
        if status == "ok" and key == "matrix":
            assert MATRIX <= set(result), result
            for part in MATRIX:
                inner = result[part]
                assert "status" in inner or ("target" in inner and isinstance(inner["met"], bool)), (
                    part,
                    inner,
                )
                assert all(isinstance(v, Number) for k, v in inner.items() if k not in {"status", "target"})
        elif status == "ok":
            figures = {k: v for k, v in result.items() if k not in {"status", "target", "met"}}
            assert figures, key
            assert "ratio" in figures or key in {"scroll_back", "chat_list", "ingest"}, key
            for name, value in figures.items():
                assert isinstance(value, Number), (key, name, value)


def test_only_runs_the_chosen_measures_and_refuses_unknown_ones(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--tiny", "--json", "--only", "search"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    assert results["search"]["status"] == "ok"
    assert all(results[k]["status"] == "not available: not selected (--only)" for k in KEYS - {"search"})
    wrong = subprocess.run(
        [sys.executable, str(BENCH), "--tiny", "--only", "serach"], capture_output=True, text=True, timeout=60
    )
    assert wrong.returncode == 2 and "no measure serach" in wrong.stderr
