"""tui-messenger's scale benchmark (issue 5): a million messages that still feel instant.

    python tests/benchmarks/bench.py [--quick] [--json] [--only open_chat,scroll_back,...] [--keep DIR]

Builds its own stores in a temporary folder through the project's batch ingest, runs the real app headless
where a measure concerns the screen, reports the median of several runs, and prints a table (or, with
--json, one JSON object keyed by measure). `--quick` uses a 100,000-message store; `--tiny` (for the test
that keeps this script from rotting) a few thousand. A measure whose code has not landed yet reports
`"status": "not available: <why>"`, never a made-up figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from timing import Result, unavailable  # noqa: E402

KEYS = (
    "open_chat",
    "scroll_back",
    "chat_list",
    "search",
    "startup",
    "ingest",
    "store_write",
    "memory",
    "matrix",
)


class Stores:
    """The stores of one run, built once and shared by the measures (the big one takes a minute)."""

    def __init__(self, folder: Path, sizes: corpus.Sizes, log: Callable[[str], None]) -> None:
        self.folder, self.sizes, self._log = folder, sizes, log
        self._big: Path | None = None
        self._empty: Path | None = None
        self._base: Path | None = None

    @property
    def big(self) -> Path:
        if self._big is None:
            path = self.folder / "big.db"
            marker = self.folder / "big.sizes"
            if path.exists() and marker.exists() and marker.read_text() == repr(self.sizes):
                self._big = path  # --keep: built by an earlier run with the same sizes
                return path
            self._log(f"building a store of {self.sizes.total:,} messages over {self.sizes.chats} chats…")
            seconds = corpus.build(path, self.sizes)
            self._log(f"  built in {seconds:.1f} s ({self.sizes.total / seconds:,.0f} msgs/s)")
            marker.write_text(repr(self.sizes))
            self._big = path
        return self._big

    @property
    def empty(self) -> Path:
        if self._empty is None:
            path = self.folder / "empty.db"
            corpus.build(path, self.sizes, with_messages=False)
            self._empty = path
        return self._empty

    @property
    def base(self) -> Path:
        """Accounts and chats with one message each: where the write measures start."""
        if self._base is None:
            path = self.folder / "base.db"
            corpus.build_base(path, self.sizes)
            self._base = path
        return self._base


def run_measures(stores: Stores, only: set[str] | None, log: Callable[[str], None]) -> dict[str, Result]:
    import matrix_measures
    import screen_measures
    import store_measures

    sizes = stores.sizes
    plan: dict[str, Callable[[], Result]] = {
        "store_write": lambda: store_measures.store_write(stores.base, stores.folder, sizes),
        "search": lambda: store_measures.search(stores.big, sizes),
        "open_chat": lambda: screen_measures.open_chat(stores.big, sizes),
        "scroll_back": lambda: screen_measures.scroll_back(stores.big, sizes),
        "chat_list": lambda: screen_measures.chat_list(stores.big, sizes),
        "startup": lambda: screen_measures.startup(stores.big, stores.empty, sizes),
        "ingest": lambda: screen_measures.ingest(stores.base, stores.folder, sizes),
        "memory": lambda: screen_measures.memory(stores.big, stores.empty, sizes),
        "matrix": lambda: matrix_measures.matrix(stores.folder, stores.empty, sizes),
    }
    results: dict[str, Result] = {}
    for key in KEYS:
        if only and key not in only:
            results[key] = unavailable("not selected (--only)")
            continue
        log(f"measuring {key}…")
        start = time.perf_counter()
        try:
            results[key] = {"status": "ok"} | plan[key]()
        except Exception as exc:  # one broken measure must not hide the others
            traceback.print_exc(file=sys.stderr)
            results[key] = unavailable(f"failed: {type(exc).__name__}: {exc}")
        log(f"  {key} done in {time.perf_counter() - start:.1f} s")
    return results


def _figure(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(results: dict[str, Result]) -> str:
    lines = ["| measure | figures | target | met |", "|---|---|---|---|"]
    for key in KEYS:
        parts = {k: v for k, v in results[key].items() if isinstance(v, dict)}  # matrix: latency, startup…
        for name, part in [(key, results[key]), *((f"{key}.{k}", v) for k, v in parts.items())]:
            result = dict(part)
            target = result.pop("target", "")
            met = result.pop("met", None)
            figures = ", ".join(f"{k} {_figure(v)}" for k, v in result.items() if not isinstance(v, dict))
            lines.append(f"| {name} | {figures} | {target} | {_figure(met) if met is not None else '–'} |")
    return "\n".join(lines)


def own_folders(home: Path) -> None:
    """The benchmark's app (here and in the processes it starts) keeps its log and caches in `home`, never
    in the user's folders (unless TUI_MESSENGER_*_DIR say where). The look-alike table is derived once
    first, so every measure starts, as a user's app does after its first start, with it kept."""
    import os
    import subprocess

    for kind in ("DATA", "CONFIG", "CACHE"):
        os.environ.setdefault(f"TUI_MESSENGER_{kind}_DIR", str(home / kind.lower()))
    warm = "from tui_messenger.services.impersonation import skeleton; skeleton('Nordbank')"
    subprocess.run([sys.executable, "-c", warm], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small stores; under 2 minutes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # for tests/test_bench_quick
    parser.add_argument(
        "--only", default="", metavar="NAMES", help=f"comma-separated measures to run, of: {', '.join(KEYS)}"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, metavar="DIR",
        help="build the stores in DIR and keep them; a later run with the same sizes reuses them",
    )  # fmt: skip
    args = parser.parse_args(argv)
    sizes = corpus.TINY if args.tiny else corpus.QUICK if args.quick else corpus.FULL

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    only = {k.strip() for k in args.only.split(",") if k.strip()} or None
    if only and (unknown := only - set(KEYS)):
        parser.error(f"--only: no measure {', '.join(sorted(unknown))} (measures: {', '.join(KEYS)})")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        own_folders(Path(tmp) / "user")
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = run_measures(Stores(folder, sizes, log), only, log)
    log(f"total {time.perf_counter() - started:.1f} s")
    if args.json:
        print(json.dumps(results, indent=None, sort_keys=False))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
