"""domain/local_file.py: a crafted local file is one LocalFileError naming it, never a hang, a traceback
or gigabytes; the files the project ships parse exactly as tomllib parses them."""

from __future__ import annotations

import json
import os
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_messenger.domain.local_file import (
    MAX_DEPTH,
    MAX_KEY_PARTS,
    LocalFileError,
    load_json,
    load_toml,
    loads_json,
    loads_toml,
    read_text,
)

REPO = Path(__file__).resolve().parents[2]


def within(seconds: float, call: Callable[[], object]) -> object:
    """`call()`'s result or exception, failing the test if it takes longer (a FIFO blocks for ever)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still running after {seconds} s"
    return box[0]


def test_only_a_regular_file_is_read_and_a_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path, Path("/dev/null")):
        error = within(5, lambda p=path: read_text(p, max_bytes=1024))
        assert isinstance(error, LocalFileError), (path, error)
        assert str(path) in str(error) and not error.missing


def test_a_missing_file_says_so_for_the_callers_defaults(tmp_path: Path) -> None:
    with pytest.raises(LocalFileError) as caught:
        read_text(tmp_path / "nothing.toml", max_bytes=10)
    assert caught.value.missing


def test_the_size_cap_reads_no_more_than_it_allows(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("x" * 100, encoding="utf-8")
    assert read_text(path, max_bytes=100) == "x" * 100
    with pytest.raises(LocalFileError, match="larger than 99 bytes"):
        read_text(path, max_bytes=99)


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "theme.toml"
    path.write_bytes(b'name = "a"\nprimary = "\xff"\n')
    with pytest.raises(LocalFileError) as caught:
        read_text(path, max_bytes=1024)
    assert caught.value.line == 2 and "not UTF-8" in caught.value.reason


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000,  # RecursionError inside tomllib
        "a = " + "{b = " * 3_000 + "1" + "}" * 3_000,
        "a = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # parses, but too deep for what reads it
    ],
    ids=["arrays-100000", "inline-tables-3000", "one-level-too-deep"],
)
def test_deep_toml_is_one_error_never_a_recursion_error(text: str) -> None:
    with pytest.raises(LocalFileError, match="nested more than"):
        loads_toml(text, "deep.toml")


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 40 + "1" + "}" * 40],
    ids=["arrays-100000", "objects-40"],
)
def test_deep_json_is_one_error_never_a_recursion_error(text: str) -> None:
    with pytest.raises(LocalFileError, match="nested more than"):
        loads_json(text, "state.json")


def test_as_deep_as_allowed_is_fine() -> None:
    levels = MAX_DEPTH - 1  # the document's own table is one level
    assert loads_toml("a = " + "[" * levels + "]" * levels)
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads_json(text) == json.loads(text)


def test_a_long_dotted_key_is_refused_before_tomllib_sees_it() -> None:
    text = "a" + ".a" * 20_000 + " = 1\n"  # 40 KB: tomllib took 1.5 s and 400 MB on it (1.6 GB at 80 KB)
    started = time.perf_counter()
    with pytest.raises(LocalFileError) as caught:
        loads_toml(text, "config.toml")
    assert time.perf_counter() - started < 0.5
    assert caught.value.line == 1 and f"at most {MAX_KEY_PARTS}" in caught.value.reason


def test_dotted_names_are_counted_as_toml_counts_them() -> None:
    ok = MAX_KEY_PARTS
    assert loads_toml("[" + ".".join(["t"] * ok) + "]\nx = 1\n")
    assert loads_toml(" . ".join(["k"] * ok) + " = 1\n")
    assert loads_toml('"a.b.c.d.e.f.g.h.i".' + ".".join(["k"] * (ok - 1)) + " = 1\n")  # one quoted part
    for text in (
        "[" + ".".join(["t"] * (ok + 1)) + "]\n",
        "[[" + ".".join(["t"] * (ok + 1)) + "]]\n",
        "x = 1\n" + " . ".join(["k"] * (ok + 1)) + " = 1\n",
        "x = [\n  { " + ".".join(["k"] * (ok + 1)) + " = 1 },\n]\n",
        "'a'." + ".".join(['"k"'] * ok) + " = 1\n",
    ):
        with pytest.raises(LocalFileError, match="dotted parts"):
            loads_toml(text, "x.toml")


def test_dots_inside_strings_and_comments_are_text() -> None:
    dots = ".".join("abcdefghijklmnop")
    text = (
        f"a = \"{dots}\"\nb = '{dots}'\nc = \"\"\"\n{dots}\n{dots} = 1\n\"\"\"\nd = '''\n{dots}\n'''\n"
        f"e = 1 # {dots}\n# {dots}\nf = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]\n"
    )
    assert loads_toml(text) == tomllib.loads(text)


def test_bad_toml_keeps_tomllib_line() -> None:
    with pytest.raises(LocalFileError) as caught:
        loads_toml('a = 1\nb = "x\n', "bad.toml")
    assert caught.value.line == 2 and caught.value.reason.startswith("not valid TOML:")
    assert str(caught.value).startswith("bad.toml:2: ")


def test_every_shipped_scenario_and_theme_parses_as_tomllib_parses_it() -> None:
    files = [
        *(REPO / "tui_messenger/transport/fake/scenarios").glob("*.toml"),
        *(REPO / "themes").glob("*.toml"),
    ]
    assert len(files) >= 8
    for path in files:
        assert load_toml(path, max_bytes=1 << 20) == tomllib.loads(path.read_text(encoding="utf-8")), path


def test_json_files(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"theme": "tui-light"}', encoding="utf-8")
    assert load_json(path, max_bytes=100) == {"theme": "tui-light"}
    path.write_text('{"theme": ', encoding="utf-8")
    with pytest.raises(LocalFileError, match="not valid JSON"):
        load_json(path, max_bytes=100)
