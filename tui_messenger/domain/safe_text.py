"""Make untrusted text safe to show in a terminal (DESIGN.md section 3, rule 1).

Standard library only, and fast: `clean_body` runs on every rendered message. Each step is one
precompiled regular expression or `str` method; every pattern starts with a character class (so `re`
skips ordinary text at C speed) and uses only fixed-width look-arounds, so the cost is linear in the
length of the text. Text with nothing suspicious costs one scan (~5-15 ms per MB) and is returned as is.
Python code runs only once per run of hidden characters that is not an emoji's own (see below).

What is removed everywhere:
- ESC sequences: CSI (`ESC [ ... final`), OSC (`ESC ]`), DCS/SOS/PM/APC (`ESC P`, `ESC X`, `ESC ^`,
  `ESC _`) with their payloads up to BEL or ST (`ESC \\` or U+009C), and two-char / nF forms (`ESC c`,
  `ESC ( B`, `ESC 7`, ...). An unterminated string sequence is dropped up to the end of its line: the
  introducer is gone, so whatever follows is plain text either way, and the message's later lines survive.
- The 8-bit C1 forms of the same (U+009B CSI, U+009D OSC, U+0090 DCS, U+0098, U+009E, U+009F) with their
  payloads, and every other C0 control except newline and tab, DEL and C1 control.
- Lone surrogates (possible in a `str` decoded from JSON `"\\ud800"`): they crash the terminal writer, so
  they become U+FFFD.

`\\r\\n` and lone `\\r` (and U+2028/U+2029) become `\\n`; tabs become spaces (a tab written by a Line API
view would move the terminal cursor and break the layout).

Bidi controls and invisible characters: shown as `⟨U+202E⟩` in bodies (the reader sees that something is
hidden there, and bidi overrides cannot reorder the text around them) and removed from names.
Kept on purpose, because emoji and some scripts need them and they cannot hide or reorder anything:
- ZWJ (U+200D) and ZWNJ (U+200C) between two non-ASCII, non-space characters: emoji ZWJ sequences
  (👩‍💻, 🏳️‍🌈) and Persian/Indic joining. Between ASCII letters (`Nord\\u200dbank`) they are shown/removed.
- One variation selector right after a visible non-ASCII character, and VS16 in a keycap (`1`+VS16+U+20E3):
  U+FE0F makes ❤️ and 1️⃣ render as emoji, VS1-14 and VS17+ select CJK glyph variants. A run of selectors
  (the "emoji smuggling" trick that hides bytes in them), or one after ASCII, a space or at the start,
  is shown/removed. A run of more than 64 hidden characters is shown as one summary marker.
- Tag characters (U+E0020-E007F) only as a subdivision flag: 🏴 + tags + CANCEL TAG (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
  Elsewhere they are invisible ASCII ("ASCII smuggling") and are shown/removed.
Runs of more than 4 combining marks ("Zalgo") are cut to 4: legitimate text stacks at most 3-4, and
taller stacks draw over the lines above in a terminal.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["clean_body", "clean_name", "has_controls", "json_safe", "preview"]

# --- ESC / control sequences --------------------------------------------------------------------------
# Every pattern below starts with a plain character class, so `re` skips ordinary text at C speed and
# only starts a match at a control character; which sequence it is gets decided by a look-behind.
_C0C1 = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_PLAIN_CONTROLS = r"\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x8f\x91-\x97\x99\x9a\x9c"
_STRING_BODY = r"[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # payload up to BEL or ST, else to end of line
_CSI_BODY = r"[0-?]*[ -/]*[@-~]?"  # parameters, intermediates, final byte (if missing: drop what is there)
_ESCAPES = re.compile(
    rf"[{_C0C1}](?:"
    # ESC (a run of them: each one aborts the one before): then OSC/DCS/SOS/PM/APC, CSI, or the
    # two-char and nF forms (ESC c, ESC 7, ESC ( B, a stray ESC \).
    rf"(?<=\x1b)\x1b*(?:[\]PX^_]{_STRING_BODY}|\[{_CSI_BODY}|[ -/]*[0-~]?)"
    # 8-bit DCS, SOS, OSC, PM, APC and CSI with their payloads.
    rf"|(?<=[\x90\x98\x9d\x9e\x9f]){_STRING_BODY}"
    rf"|(?<=\x9b){_CSI_BODY}"
    # Any other C0 (except \t \n), DEL and C1 control, a run at a time.
    rf"|[{_PLAIN_CONTROLS}]*)"
)
_CONTROL = re.compile(rf"[{_C0C1}]")

# --- invisible and bidi characters -------------------------------------------------------------------
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width and blank-looking format characters with no rendering of their own.
_ALWAYS_INVISIBLE = (
    _BIDI + "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u2060-\u2064\u206a-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e001f"
)
_JOINERS = "\u200c\u200d"
_VS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
_TAGS = "\U000e0020-\U000e007f"
_SURROGATES = "\ud800-\udfff"
_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_ZALGO_KEEP = 4

_HIDDEN = f"{_ALWAYS_INVISIBLE}{_JOINERS}{_VS}{_TAGS}{_SURROGATES}"
# A neighbour that lets a joiner or selector stay: non-ASCII, not a space (an emoji, a Persian letter),
# not hidden. In look-behinds it must exclude hidden characters (it proves where the run starts); after
# a maximal run the next character is never hidden, so look-aheads use the cheaper class.
_V = rf"[^\x00-\x7f\s{_HIDDEN}]"
_V_AFTER = r"[^\x00-\x7f\s]"
# A maximal run of hidden characters, unless the whole run is one of the forms emoji need: a selector
# right after a visible non-ASCII character (❤️); VS16 of a keycap (1️⃣, #️⃣); a joiner between two visible
# non-ASCII characters (👩‍💻), possibly after such a selector (🏳️‍🌈). Each test is a fixed-width look-around
# placed after the consumed characters, so the pattern still starts with a class (see above) and kept
# emoji never reach Python code. A run can only be kept whole if it is 1 or 2 characters long, so
# rejecting a start costs O(1) and the scan stays linear.
_HIDDEN_RUN = re.compile(
    rf"[{_HIDDEN}](?<![{_HIDDEN}][{_HIDDEN}])[{_HIDDEN}]*(?![{_HIDDEN}])"
    rf"(?<!{_V}[{_VS}])"
    r"(?:(?<![0-9#*]\ufe0f)|(?!\u20e3))"
    rf"(?:(?<!{_V}[{_JOINERS}])|(?!{_V_AFTER}))"
    rf"(?:(?<!{_V}[{_VS}][{_JOINERS}])|(?!{_V_AFTER}))"
)
_FLAG_TAGS = re.compile(r"[\U000e0020-\U000e007e]{1,8}\U000e007f")
_SELECTOR = re.compile(rf"[{_VS}]")
_NEIGHBOUR = re.compile(_V_AFTER)  # only used on the character before a run
_ZALGO = re.compile(rf"[{_COMBINING}][{_COMBINING}]{{{_ZALGO_KEEP},}}")  # not `[..]{5,}`: see above
# Anything that needs the slow path; most messages contain none of it and are returned as they are.
_SUSPECT = re.compile(rf"[{_C0C1}\t\u2028\u2029{_HIDDEN}{_COMBINING}]")
_SUSPECT_ASCII = re.compile(rf"[{_C0C1}\t]")  # a far smaller class: 4x faster on ASCII-only text
_TAB_SIZE = 4
_LONG_RUN = 64  # a longer run of hidden characters is summarised, not spelled out


class _Table(dict[int, str]):
    """A `str.translate` table filled on first use: the marker (or nothing) for each hidden character."""

    def __init__(self, show: bool) -> None:
        super().__init__()
        self.show = show

    def __missing__(self, cp: int) -> str:
        if 0xD800 <= cp <= 0xDFFF:
            value = "\ufffd"  # a lone surrogate would crash the terminal writer
        else:
            value = f"⟨U+{cp:04X}⟩" if self.show else ""
        self[cp] = value
        return value


_SHOW = _Table(show=True)
_DROP = _Table(show=False)


def _fix_run(match: re.Match[str], table: _Table) -> str:
    run, start = match.group(), match.start()
    before = match.string[start - 1] if start else " "
    kept = ""
    if before == "\U0001f3f4" and (flag := _FLAG_TAGS.match(run)):
        kept, run = flag.group(), run[flag.end() :]  # subdivision flag: 🏴 + tag letters + CANCEL TAG
    elif _SELECTOR.match(run) and _NEIGHBOUR.match(before):
        kept, run = run[0], run[1:]  # ❤️ followed by more hidden characters: keep the emoji's selector
    if len(run) > _LONG_RUN and table.show:
        kinds = sorted(set(run))
        sample = ", ".join(f"U+{ord(c):04X}" for c in kinds[:4]) + (", …" if len(kinds) > 4 else "")
        return f"{kept}⟨{len(run)} hidden characters: {sample}⟩"
    return kept + run.translate(table)


def _show_run(match: re.Match[str]) -> str:
    run = match.group()
    # Most runs are one character, and a kept form of one character never matches: skip the checks.
    return _SHOW[ord(run)] if len(run) == 1 else _fix_run(match, _SHOW)


def _drop_run(match: re.Match[str]) -> str:
    run = match.group()
    return _DROP[ord(run)] if len(run) == 1 else _fix_run(match, _DROP)


def _suspect(text: str) -> bool:
    pattern = _SUSPECT_ASCII if text.isascii() else _SUSPECT
    return pattern.search(text) is not None


def _fix_hidden(text: str, show: bool) -> str:
    text = _HIDDEN_RUN.sub(_show_run if show else _drop_run, text)
    return _ZALGO.sub(_cut_zalgo, text)


def _cut_zalgo(match: re.Match[str]) -> str:
    return match.group()[:_ZALGO_KEEP]


def _strip_controls(text: str) -> str:
    """Line endings to `\\n`, then ESC sequences and control characters out."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _ESCAPES.sub("", text)


def clean_body(text: str) -> str:
    """A message body, safe for a terminal, with hidden characters shown as `⟨U+XXXX⟩`. Multi-line."""
    if not _suspect(text):
        return text
    text = _strip_controls(text)
    if "\t" in text:
        text = text.expandtabs(_TAB_SIZE)
    return _fix_hidden(text, show=True)


def _one_line(text: str) -> str:
    """Controls and hidden characters removed, all whitespace collapsed to single spaces."""
    if _suspect(text):
        text = _fix_hidden(_strip_controls(text), show=False)
    # str.split() splits on every Unicode space (NBSP, U+3000, ...); U+2800 is a blank used to fake names.
    return " ".join(text.replace("\u2800", " ").split())


def _trim_tail(text: str) -> str:
    # A cut may leave a joiner, selector or half a tag sequence at the end; none of them stands alone.
    end = len(text)
    while end and (text[end - 1] in _JOINERS or _is_selector_or_tag(text[end - 1])):
        end -= 1
    return text[:end].rstrip()


def _is_selector_or_tag(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0020 <= cp <= 0xE007F or 0xE0100 <= cp <= 0xE01EF


# Check marks and shields draw a fake verified badge inside a name; the real badge has its own place.
_BADGE_GLYPHS = str.maketrans(
    dict.fromkeys(map(ord, "\u2713\u2714\u2611\u2705\U0001f5f8\U0001f5f9\U0001f6e1"), " ")
)


def clean_name(text: str, max_len: int = 64) -> str:
    """A display name, title or label: one line, hidden characters removed, at most `max_len` characters.

    Check-mark and shield glyphs are removed too: only the directory draws a badge.

    `max_len` counts code points, not terminal cells; widgets clip by cells anyway, this only bounds
    what a hostile directory entry can make us lay out.
    """
    if max_len < 1:
        return ""
    # Bound the work for a megabyte "name" before cleaning: a name never needs more than this.
    text = _one_line(text[: max_len * 8 + 1024].translate(_BADGE_GLYPHS))
    if len(text) <= max_len:
        return text
    return _trim_tail(text[: max_len - 1]) + "…"


def _cell_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def preview(text: str, width: int) -> str:
    """The last-message line of the chat list: one line, at most `width` terminal cells, ending in "…".

    Hidden characters are removed rather than shown: a list row has no room for markers, and removal is
    as safe. Widths follow East Asian Width; emoji with VS16 may still be one cell off in some terminals.
    """
    if width <= 0:
        return ""
    line = _one_line(text[: width * 8 + 4096])
    widths = [_cell_width(ch) for ch in line[: width * 4 + 8]]
    if len(line) <= len(widths) and sum(widths) <= width:
        return line
    # Keep as many characters as fit in `width - 1` cells, then the ellipsis.
    used = end = 0
    while end < len(widths) and used + widths[end] <= width - 1:
        used += widths[end]
        end += 1
    return _trim_tail(line[:end]) + "…"


def has_controls(text: str) -> bool:
    """True if `text` holds a C0 control other than newline and tab, ESC, DEL or a C1 control."""
    return _CONTROL.search(text) is not None


# What a JSON encoder may leave raw, other than printable ASCII and the whitespace between values (which
# is never raw inside a string): only these characters are looked at.
_JSON_SUSPECT = re.compile(r"[^\x20-\x7e\t\n\r]")


@functools.lru_cache(maxsize=4096)
def _json_char(char: str) -> str:
    """`char` as a JSON string may hold it on a terminal: itself if printable and kept as it is by the safe
    path, else its `\\uXXXX` escape (a surrogate pair above U+FFFF)."""
    if char.isprintable() and clean_body(char) == char:
        return char
    cp = ord(char)
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return _json_char(match.group())


def json_safe(json_text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)` or pydantic) made safe to write to a terminal,
    still valid JSON that decodes to the same values.

    Outside its strings JSON text is printable ASCII, so every other character is inside a string, where
    a `\\uXXXX` escape means the same. Escaped: C0 and C1 controls and DEL, bidi controls, tag characters,
    invisible and format characters, lone surrogates, separators: whatever is not printable or that the
    safe path (`clean_body`) would change. Letters, accents, emoji stay as they are.
    """
    if json_text.isascii() and json_text.isprintable():
        return json_text
    return _JSON_SUSPECT.sub(_json_escape, json_text)
