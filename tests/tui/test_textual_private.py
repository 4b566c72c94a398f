"""Textual's private API is used in one module (tui/widgets/textual_private.py), checked against one
Textual version: an upgrade fails here first, with the names to check again."""

from __future__ import annotations

import textual
from textual.scroll_view import ScrollView
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_messenger.tui.widgets import textual_private


def test_the_installed_textual_is_the_one_checked() -> None:
    assert textual.__version__ == textual_private.CHECKED_WITH, (
        "Textual changed: read tui/widgets/textual_private.py against it, then update CHECKED_WITH"
    )


def test_every_private_name_used_is_still_there() -> None:
    assert [n for n in textual_private.OPTION_LIST_PRIVATE if not hasattr(OptionList(), n)] == []
    assert [n for n in textual_private.OPTION_PRIVATE if not hasattr(Option("x"), n)] == []
    assert [n for n in textual_private.SCROLL_VIEW_PRIVATE if not hasattr(ScrollView(), n)] == []


def test_no_other_module_reaches_into_textual_or_rich_privates() -> None:
    import pathlib
    import re

    package = pathlib.Path(textual_private.__file__).parents[2]
    pattern = re.compile(
        r"from (textual|rich)\._|import (textual|rich)\._|\._(set_prompt|line_cache|clear_caches)\b"
    )
    found = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "textual_private.py" and pattern.search(path.read_text())
    ]
    assert found == []


def test_the_app_private_names_are_still_there() -> None:
    from textual.app import App

    assert [n for n in textual_private.APP_PRIVATE if not hasattr(App, n)] == []


async def test_a_theme_set_before_the_start_is_the_first_frames_and_the_css_is_parsed_once(tmp_path) -> None:
    """From a fresh start with --theme tui-light: its colours from the first frame, its class on the app,
    and the stylesheet parsed once (Textual's watcher parsed it all again, and styled every widget again,
    before the first frame)."""
    from app_helpers import SIZE, settle
    from textual.css.stylesheet import Stylesheet

    from tui_messenger.bootstrap import build_test_app

    parses: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        parses.append(1)
        reparse(self)

    Stylesheet.reparse = counted  # type: ignore[method-assign]
    try:
        app = build_test_app(tmp_path, theme="tui-light")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.theme == "tui-light" and app.has_class("-theme-tui-light", "-light-mode")
            assert app.stylesheet._variables["background"] == app.get_css_variables()["background"]  # noqa: SLF001
            assert parses == []
    finally:
        Stylesheet.reparse = reparse  # type: ignore[method-assign]


def test_the_footer_private_name_is_still_there() -> None:
    from textual.widgets import Footer

    assert [n for n in textual_private.FOOTER_PRIVATE if not hasattr(Footer(), n)] == []


async def test_the_footer_is_rebuilt_only_when_its_keys_change(tmp_path, monkeypatch) -> None:
    """From a fresh start: moving between the list and the composer changes the keys (the footer follows);
    the same bindings announced again (Textual does on every focus change and `refresh_bindings`) rebuild
    nothing."""
    from app_helpers import SIZE, settle
    from textual.widgets._footer import FooterKey  # noqa: PLC2701 - what the footer shows

    from tui_messenger.bootstrap import build_test_app

    rebuilt: list[int] = []
    recompose = textual_private.QuietFooter.recompose

    async def counted(self: textual_private.QuietFooter) -> None:
        rebuilt.append(1)
        await recompose(self)

    monkeypatch.setattr(textual_private.QuietFooter, "recompose", counted)

    def actions(pilot) -> set[str]:
        return {key.action for key in pilot.app.screen.query(FooterKey)}

    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        in_list = actions(pilot)
        assert in_list and rebuilt
        before = len(rebuilt)
        for _ in range(5):
            pilot.app.screen.refresh_bindings()
            await pilot.pause()
        await settle(pilot)
        assert len(rebuilt) == before and actions(pilot) == in_list
        await pilot.press("enter")  # the highlighted chat opens: the composer has the focus
        await settle(pilot)
        assert actions(pilot) != in_list and len(rebuilt) > before
