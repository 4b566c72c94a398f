"""The type checker and the linters in CI (issue 13).

mypy runs in strict mode on the whole package and must find no error at all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=REPO, timeout=timeout
    )


def test_mypy_strict_passes_on_the_package(tmp_path: Path) -> None:
    result = _run("mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "tui_messenger")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout, result.stdout[-2000:]


def test_ruff_is_clean_and_the_code_is_formatted() -> None:
    lint = _run("ruff", "check", "--no-cache", ".", timeout=120)
    assert lint.returncode == 0, lint.stdout[-4000:]
    formatted = _run("ruff", "format", "--check", "--no-cache", ".", timeout=120)
    assert formatted.returncode == 0, formatted.stdout[-4000:]
