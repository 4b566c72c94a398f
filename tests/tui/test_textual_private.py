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
