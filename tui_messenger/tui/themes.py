"""Themes are data: TOML files in `themes/` (and the user's config folder) parsed into Textual themes.

A file holds the fields of `textual.theme.Theme` (name, primary, ..., dark) and a `[variables]` table with
the app's own colours (THEME_VARIABLE_DEFAULTS lists them). A file that cannot be read, parsed or
validated is reported once as a problem line naming it, and skipped: a broken user theme must never stop
the messenger from starting.

Nothing here touches the disk at import time; the user's folder is created only when asked
(`user_theme_dir(create=True)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from tui_messenger.domain.local_file import LocalFileError, load_toml
from tui_messenger.folders import config_dir

if TYPE_CHECKING:
    from textual.app import App

__all__ = [
    "DEFAULT_THEME",
    "THEME_VARIABLE_DEFAULTS",
    "bubble_defaults",
    "load_theme",
    "load_themes",
    "packaged_theme_dirs",
    "register_themes",
    "theme_dirs",
    "theme_names",
    "theme_variable_defaults",
    "user_theme_dir",
]

DEFAULT_THEME = "tui-dark"

# The app's own colours. The App returns these from `get_theme_variable_defaults()` so a theme that does
# not set one (Textual's built-in themes, an older user file) still parses: an unknown `$variable` in the
# CSS is a startup error. The values suit dark and light backgrounds alike.
THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "bubble-incoming": "#2a3942",
    "bubble-outgoing": "#005c4b",
    "bubble-text": "#e9edef",
    "badge": "#3b9fe0",
    "warning-text": "#e0a000",
    "business-mark": "#8696a0",
    "unread": "#25a35a",
    "tick-read": "#3b9fe0",
    "request-banner": "#6b5a12",
    "scam-banner": "#a3202f",
}

# Blends of the theme's primary into its background tried for the outgoing bubble, weakest first.
_OUTGOING_BLENDS = (0.3, 0.4, 0.5, 0.6, 0.75)


_MIN_DISTANCE = 40  # RGB distance between two colours as a 256-colour terminal shows them


def _cell_rgb(colour: Color) -> tuple[int, int, int]:
    """The colour as a 256-colour terminal shows it (tmux without truecolor): bubbles must differ there."""
    from rich.color import ColorSystem

    red, green, blue = colour.rich_color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return red, green, blue


def _distinct(a: Color, b: Color) -> bool:
    (r1, g1, b1), (r2, g2, b2) = _cell_rgb(a), _cell_rgb(b)
    return bool(((r1 - r2) ** 2 + (g1 - g2) ** 2 + (b1 - b2) ** 2) ** 0.5 >= _MIN_DISTANCE)


def bubble_defaults(theme: Theme) -> dict[str, str]:
    """Bubble colours from a theme that does not set them (Textual's built-in ones): incoming on the
    theme's $panel, outgoing a blend of its $primary into its background, strong enough to differ from
    the incoming bubble and the background even in 256 colours, and the theme's foreground as text."""
    colours = theme.to_color_system().generate()
    background = Color.parse(colours["background"])
    incoming = Color.parse(colours["panel"])
    primary = Color.parse(colours["primary"])
    blends = [background.blend(primary, alpha) for alpha in _OUTGOING_BLENDS]
    outgoing = next((c for c in blends if _distinct(c, incoming) and _distinct(c, background)), blends[-1])
    return {
        "bubble-incoming": incoming.hex,
        "bubble-outgoing": outgoing.hex,
        "bubble-text": Color.parse(colours["foreground"]).hex,
    }


def theme_variable_defaults(theme: Theme | None) -> dict[str, str]:
    """The app's own colours for `theme`: THEME_VARIABLE_DEFAULTS, with the bubbles taken from the
    theme itself (the fixed defaults are one colour in 256 colours, and dark on a light theme)."""
    defaults = dict(THEME_VARIABLE_DEFAULTS)
    if theme is not None:
        try:
            defaults.update(bubble_defaults(theme))
        except (ColorParseError, ValueError, KeyError):
            pass  # a theme whose colours do not combine keeps the fixed defaults
    return defaults


# Theme fields that must be colour strings when present (the rest are checked by type below).
_COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)
_NUMBER_FIELDS = ("luminosity_spread", "text_alpha")
_BOOL_FIELDS = ("dark", "ansi")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# A Textual variable that is not ours may hold a style or a colour with alpha ("$primary 30%", "bold"):
# allow only the characters such values use, so a value cannot smuggle CSS (";", "{", "}") into the sheet.
_VARIABLE_VALUE = re.compile(r"^[#$%\w\s.,()-]{1,80}$")
_ALPHA_SUFFIX = re.compile(r"^(.+?)\s+(\d{1,3})%$")
_MAX_FILE_BYTES = 64 * 1024


class ThemeError(ValueError):
    """A theme file that is not a valid theme; the message says why."""


def user_theme_dir(*, create: bool = False) -> Path:
    """The user's own theme folder. Only created when `create` is true (e.g. by an "open folder" command).

    Follows TUI_MESSENGER_CONFIG_DIR like the rest of the settings, so a test's own folder is used.
    """
    path = config_dir() / "themes"
    if create:
        from tui_messenger.domain.private import make_private_folder

        make_private_folder(path)  # 0700, and the config folder with it if it is made now
    return path


def packaged_theme_dirs() -> list[Path]:
    here = Path(__file__).resolve()
    # A checkout keeps the files in `<repo>/themes`; a wheel force-includes them as `tui_messenger/themes`.
    candidates = [here.parents[2] / "themes", here.parents[1] / "themes"]
    return [path for path in candidates if path.is_dir()]


def theme_dirs(*, user_dir: Path | None = None) -> list[Path]:
    """Folders to load themes from, later ones overriding earlier ones by theme name.

    The packaged themes come first, then `user_dir` (default: the user's config folder, which may not
    exist; `load_themes` skips missing folders).
    """
    dirs = packaged_theme_dirs()
    dirs.append(user_dir if user_dir is not None else user_theme_dir())
    unique: list[Path] = []
    for path in dirs:
        if path not in unique:
            unique.append(path)
    return unique


def _check_colour(key: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ThemeError(f"{key!r} must be a colour string, not {type(value).__name__}")
    text = value.strip()
    match = _ALPHA_SUFFIX.match(text)
    if match:
        text = match.group(1)
    try:
        Color.parse(text)
    except ColorParseError as error:
        raise ThemeError(f"{key!r} is not a colour: {value!r}") from error


def _check_variables(variables: Any) -> dict[str, str]:
    if not isinstance(variables, dict):
        raise ThemeError("'variables' must be a table")
    for key, value in variables.items():
        if not _VARIABLE_NAME.match(key):
            raise ThemeError(f"variable name {key!r} must be lower-case letters, digits and '-'")
        if key in THEME_VARIABLE_DEFAULTS:
            _check_colour(f"variables.{key}", value)
        elif not isinstance(value, str) or not _VARIABLE_VALUE.match(value):
            raise ThemeError(f"variable {key!r} has an unsupported value: {value!r}")
    return dict(variables)


def theme_from_mapping(data: dict[str, Any]) -> Theme:
    """Validate a parsed theme file and build the Theme; raises ThemeError saying what is wrong."""
    known = {"name", "variables", *_COLOUR_FIELDS, *_NUMBER_FIELDS, *_BOOL_FIELDS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ThemeError(f"unknown key {unknown[0]!r}")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ThemeError("'name' must be lower-case letters, digits and '-' (at most 40)")
    if "primary" not in data:
        raise ThemeError("'primary' is required")
    for key in _COLOUR_FIELDS:
        if key in data:
            _check_colour(key, data[key])
    for key in _BOOL_FIELDS:
        if key in data and not isinstance(data[key], bool):
            raise ThemeError(f"{key!r} must be true or false")
    for key in _NUMBER_FIELDS:
        value = data.get(key, 0.5)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ThemeError(f"{key!r} must be a number from 0 to 1")
    fields = dict(data)
    fields["variables"] = _check_variables(data.get("variables", {}))
    theme = Theme(**fields)
    # Generating the colour system is what the App does when the theme is applied; doing it now turns a
    # failure at theme-switch time into a problem line at load time.
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError) as error:
        raise ThemeError(f"colours do not combine: {error}") from error
    return theme


def load_theme(path: Path) -> Theme:
    """Read and validate one theme file; raises ThemeError (with the reason) for any problem: not a
    regular file (a FIFO would block start-up), over 64 KiB, not UTF-8, not TOML, nested too deeply."""
    try:
        data = load_toml(path, max_bytes=_MAX_FILE_BYTES)
    except LocalFileError as error:
        raise ThemeError(f"line {error.line}: {error.reason}" if error.line else error.reason) from None
    return theme_from_mapping(data)


def _theme_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in dirs:
        try:
            files.extend(sorted(folder.glob("*.toml")))
        except OSError:
            continue  # an unreadable or missing folder holds no themes
    return files


def load_themes(dirs: Sequence[Path]) -> tuple[list[Theme], list[str]]:
    """All valid themes in `dirs` (a later theme replaces an earlier one of the same name), and one
    problem line per file that was skipped, naming the file and the reason."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for path in _theme_files(dirs):
        try:
            theme = load_theme(path)
        except ThemeError as error:
            problems.append(f"Theme file {path} skipped: {error}")
            continue
        themes[theme.name] = theme
    return list(themes.values()), problems


def register_themes(app: App[Any], dirs: Sequence[Path] | None = None) -> list[str]:
    """Register every loadable theme with `app` and return the problem lines for the caller to show
    once (with `notify(..., markup=False)`: a file name is data too)."""
    themes, problems = load_themes(theme_dirs() if dirs is None else dirs)
    for theme in themes:
        app.register_theme(theme)
    return problems


def theme_names(dirs: Sequence[Path] | None = None) -> list[str]:
    """Every theme `--theme` may name: the theme files' (ours first), then Textual's built-in ones."""
    from textual.theme import BUILTIN_THEMES

    themes, _ = load_themes(theme_dirs() if dirs is None else dirs)
    names = [theme.name for theme in themes]
    return names + sorted(name for name in BUILTIN_THEMES if name not in names)
