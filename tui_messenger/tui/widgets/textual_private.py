"""The one module that uses Textual's private API, checked against the Textual version below.

`FastOptionList` is an `OptionList` whose rows can change one at a time: the chat list's top row changes
dozens of times a second in a burst, and Textual's public `replace_option_prompt` forgets every row's
height and render each time (measuring 200 rows stalled the screen). It keeps rendered rows across
`set_options`, draws `Content` prompts as `FittedRow`s, and drops only the changed row's render.

It overrides OptionList's `_get_option_render`, `_get_visual` and `_replace_option_prompt`, and reads
`_option_to_index`, `_line_cache`, `_option_render_cache`, `_get_left_gutter_width`, `_clear_caches` and
`Option._set_prompt`, `Option._visual`, `Option._divider`.

`grow_quietly` gives a Line API `ScrollView` a new virtual size without a layout of the whole screen:
`virtual_size` is a layout reactive, so a chat history that grew by one incoming message laid out (and
then painted) every widget on the screen, most of the app's CPU per message. It calls `Widget._scroll_update`.
`QuietFooter` is a `Footer` that is built again only when what it shows changed. Textual's rebuilds all
its keys (mounts, styles, a layout) on every focus change and every `refresh_bindings`, most of them with
the very same keys: a tenth of the CPU of a journey through the app. It reads `Footer._bindings_ready`.
`start_with_theme` sets the theme before the app runs without the whole-CSS refresh `App._watch_theme`
queues (the stylesheet was parsed twice before the first frame); it calls `App._refresh_truecolor_filter`.
`guard_pastes` puts `tui/paste_guard.py` in front of `textual._xterm_parser.XTermParser.feed`, which every
driver (terminal and browser) reads its input through: a paste is text, never keys.
`tests/tui/test_textual_private.py` fails
when the installed Textual is not `CHECKED_WITH` or one of these is gone: check them again on an upgrade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual, VisualType
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from tui_messenger.tui.paste_guard import PasteGuard
from tui_messenger.tui.widgets.chat_row import FittedRow

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.css.styles import RulesMap

CHECKED_WITH = "8.2.8"  # the Textual version these private names were read from
OPTION_LIST_PRIVATE = (
    "_get_option_render", "_get_visual", "_replace_option_prompt", "_option_to_index", "_line_cache",
    "_option_render_cache", "_get_left_gutter_width", "_clear_caches",
)  # fmt: skip
OPTION_PRIVATE = ("_set_prompt", "_visual", "_divider")
SCROLL_VIEW_PRIVATE = ("_scroll_update",)
FOOTER_PRIVATE = ("_bindings_ready",)
APP_PRIVATE = ("_refresh_truecolor_filter", "_watch_theme")  # the watcher `start_with_theme` stands in for
KEPT_RENDERS = 4096


class FastOptionList(OptionList):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Rendered rows kept across `set_options` (a tab switch shows the same rows again). Keyed by
        # option, index (the strips carry it for clicks), style and width; valid while the prompt is the same.
        self._kept: dict[tuple[Option, int, Style, int], tuple[object, list[Strip]]] = {}

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        key = (option, self._option_to_index[option], style, self.scrollable_content_region.width)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is option.prompt:
            return kept[1]
        strips = super()._get_option_render(option, style)
        if len(self._kept) > KEPT_RENDERS:
            self._kept.clear()
        self._kept[key] = (option.prompt, strips)
        return strips

    def _get_visual(self, option: Option) -> Visual:
        if option._visual is None and isinstance(option.prompt, Content):
            option._visual = FittedRow(option.prompt)
        return super()._get_visual(option)

    def _replace_option_prompt(self, index: int, prompt: VisualType) -> None:
        """One row's new content. Textual forgets every row's height and render for this (a burst
        changes the top row dozens of times a second, and measuring 200 rows each time stalled the
        screen): here only this row's render is dropped, unless its height changed."""
        option = self.get_option_at_index(index)
        height = self._line_cache.heights.get(index)
        option._set_prompt(prompt)
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
        visual = self._get_visual(option)
        styles = cast("RulesMap", self.styles)  # as OptionList passes them: RenderStyles reads as RulesMap
        if height is None or visual.get_height(styles, width) + option._divider != height:
            self._clear_caches()  # the rows below move: measure again
            return
        for key in [key for key in self._option_render_cache.keys() if key[0] is option]:
            self._option_render_cache.discard(key)
        line = self._line_cache.index_to_line.get(index)
        if line is None:
            self.refresh()
        else:  # only the row's lines are painted again, not the whole list
            self.refresh_lines(line, height)

    def notify_style_update(self) -> None:
        if hasattr(self, "_kept"):  # called from Widget.__init__ too
            self._kept.clear()  # the theme changed: rows are drawn with its colours
        super().notify_style_update()


def grow_quietly(view: ScrollView, size: Size) -> None:
    """Set `view.virtual_size` to `size`. The view keeps its own size (a Line API view's region never
    depends on its content), so only its scrollbars follow, and they are repainted, not laid out. A
    layout is still asked for when a scrollbar comes or goes (the view's content width changes) and
    before the view has a size of its own."""
    if size == view.virtual_size:
        return
    shown = (view.show_vertical_scrollbar, view.show_horizontal_scrollbar)
    if not view.is_mounted or not view.size:
        view.virtual_size = size
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)  # scrollbars shown or hidden, sized, and the scroll position clamped
    if (view.show_vertical_scrollbar, view.show_horizontal_scrollbar) != shown:
        view.refresh(layout=True)


class QuietFooter(Footer):
    """A Footer rebuilt only when its keys, their labels, state or tooltips changed."""

    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached:
            return
        palette = self.app.COMMAND_PALETTE_BINDING
        shown = (
            self.compact,
            self.show_command_palette,
            tuple(
                (key, self.app.get_key_display(binding), binding.action, binding.description,
                 binding.tooltip, binding.group, enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )  # fmt: skip
        if shown != self._shown:
            self._shown = shown
            await self.recompose()


def guard_pastes() -> None:
    """Every terminal input parser from now on reads through a `PasteGuard` (once per process)."""
    from textual._xterm_parser import XTermParser

    if getattr(XTermParser, "paste_guarded", False):
        return
    feed = XTermParser.feed

    def guarded(self: XTermParser, data: str) -> Iterable[object]:
        if not data:
            return feed(self, data)  # the end of the input
        guard = self.__dict__.get("paste_guard")
        if guard is None:  # the parser's first read (one guard per parser, built once)
            guard = self.__dict__["paste_guard"] = PasteGuard()
        text = guard.filter(data)
        return feed(self, text) if text else ()  # ("" would tell the parser the input ended)

    XTermParser.feed = guarded  # type: ignore[method-assign,assignment]
    XTermParser.paste_guarded = True  # type: ignore[attr-defined]


def start_with_theme(app: App[Any], name: str) -> None:
    """Set `app.theme` before the app runs, as `App._watch_theme` would, without the full CSS refresh that
    watcher queues: the stylesheet is parsed for the first time after this (with this theme's variables,
    given to it here), and that refresh parsed all of it again and styled every widget again before the
    first frame. Calls `App._refresh_truecolor_filter`."""
    app.set_reactive(App.theme, name)
    theme = app.current_theme
    classes = {c: False for c in app.classes if c.startswith("-theme-")}
    classes |= {f"-theme-{theme.name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark}
    app.update_classes(classes, update=False)
    app._refresh_truecolor_filter(app.ansi_theme)  # noqa: SLF001
    app.stylesheet.set_variables(app.get_css_variables())  # (read when the stylesheet is first parsed)
