"""Links in message bodies: found, taken apart and judged, with the standard library only.

A body is plain text, so a link's visible text is its address: there is no "click here" that hides a
different target. What can still mislead, and what this module answers for the screen and the "open
link?" question:

- the scheme: only `http`, `https` and `mailto` open; `javascript:`, `data:`, `file:` and the rest are
  recognised (so they are shown as links that will not open) and refused with a reason;
- the host: an international name is shown in Unicode and in punycode (`bücher.example` is
  `xn--bcher-kva.example`), a label that mixes scripts (Latin `paypal` with a Cyrillic `а`) is flagged,
  and a numeric host is called an address, not a name;
- userinfo: `https://bank.com@evil.example` goes to `evil.example`; such a link is refused;
- hidden characters: a bidi control, zero-width or control character inside an address (raw, or already
  shown as `⟨U+200B⟩` by `safe_text.clean_body`) makes it refuse, as does a backslash (browsers read
  `\\` as `/`, the standard library does not, so the two would disagree about the host);
- length: an address longer than `MAX_OPEN_LENGTH` is refused.

`Link.url` is what would be opened: the host in punycode and anything non-ASCII percent-encoded, so the
browser gets exactly the address the dialog showed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from tui_messenger.domain.safe_text import clean_body

__all__ = ["MAX_OPEN_LENGTH", "OPENABLE_SCHEMES", "Link", "find_links", "may_hold_links", "parse_link"]

OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_OPEN_LENGTH = 2048
# Schemes recognised without `//`: the ones that open (mailto) and the ones people are tricked with.
_BARE_SCHEMES = "mailto|javascript|vbscript|data|file|tel|sms|about|blob|intent|jar|view-source"
_LINK = re.compile(
    r"(?<![\w+.\-@])"
    rf"(?:[a-zA-Z][a-zA-Z0-9+.\-]{{0,31}}://|(?:{_BARE_SCHEMES}):|www\.)"
    r"[^\s<>\"]+",
    re.IGNORECASE,
)
_HINT = re.compile(rf"://|www\.|(?:{_BARE_SCHEMES}):", re.IGNORECASE)
_TRAILING = set(".,:;!?'\"»”’。、，！？…")
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}
_MARKER = re.compile(r"⟨(?:U\+[0-9A-F]{4,6}|\d+ hidden characters)")
_MARKED = re.compile(r"(?<=⟨)U\+[0-9A-F]{4,6}")
_ASCII_HOST = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?"
)
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]*))*\.?")
_URL_SAFE = "/?#[]@!$&'()*+,;=:%~-._"


@dataclass(frozen=True, slots=True)
class Link:
    """One address in a text. `start`/`end` index the text it was found in."""

    text: str  # as written: what the reader sees
    start: int
    end: int
    scheme: str  # lower case; "https" for a bare `www.` address
    url: str  # what would be opened ("" when it cannot be built)
    host: str = ""  # in Unicode, lower case ("" for schemes without a host)
    host_ascii: str = ""  # in punycode
    port: int | None = None
    userinfo: str = ""
    refusal: str | None = None  # why it does not open; None: it may open (after asking)
    warnings: tuple[str, ...] = ()

    @property
    def opens(self) -> bool:
        return self.refusal is None

    @property
    def is_idn(self) -> bool:
        return bool(self.host_ascii) and self.host != self.host_ascii

    def annotation(self) -> str:
        """What the bubble adds after the address so the reader sees where it really goes ("" if
        nothing): the punycode host of an international name, the real host behind a user name, and
        "won't open" for a refused link."""
        parts = []
        if self.userinfo and self.host_ascii:
            parts.append(f"goes to {self.host_ascii}")
        elif self.is_idn:
            parts.append(self.host_ascii)
        if self.refusal is not None:
            parts.append("won't open")
        return " · ".join(parts)


def may_hold_links(text: str) -> bool:
    """A cheap test that lets the screen skip `find_links` for most messages."""
    return _HINT.search(text) is not None


def find_links(text: str) -> list[Link]:
    """Every address in `text`, in order."""
    if not may_hold_links(text):
        return []
    links = []
    for match in _LINK.finditer(text):
        raw = _trim(match.group())
        if _is_bare_prefix(raw):
            continue
        links.append(parse_link(raw, start=match.start()))
    return links


def _is_bare_prefix(raw: str) -> bool:
    """`https://` or `mailto:` with nothing after it is not a link."""
    lowered = raw.lower()
    return lowered.endswith("://") or lowered.endswith(":") or lowered == "www."


def _trim(raw: str) -> str:
    """Drop sentence punctuation after an address, and a closing bracket that has no opening one in it
    ("(see https://x.example/a)" ends at `a`; a Wikipedia `..._(film)` keeps its bracket)."""
    end = len(raw)
    while end:
        ch = raw[end - 1]
        if ch in _TRAILING:
            end -= 1
        elif ch in _CLOSERS and raw.count(_CLOSERS[ch], 0, end) < raw.count(ch, 0, end):
            end -= 1
        else:
            break
    return raw[:end]


def parse_link(raw: str, *, start: int = 0) -> Link:
    """Judge one address as written."""
    end = start + len(raw)
    lowered = raw.lower()
    if lowered.startswith("www."):
        scheme, full = "https", "https://" + raw
    else:
        scheme = lowered.split(":", 1)[0]
        full = raw
    base = Link(text=raw, start=start, end=end, scheme=scheme, url="")
    if scheme == "mailto":
        link = _mailto(base, full)
    elif full[len(scheme) : len(scheme) + 3] == "://" and scheme != "file":
        link = _hierarchical(base, full)
    else:
        link = base
    # The first reason that applies is the one shown: hidden characters, length, the address's own
    # structure (host, user name), then the scheme.
    refusal = _hidden(raw)
    if refusal is None and len(full) > MAX_OPEN_LENGTH:
        refusal = f"The address is {len(full):,} characters long (more than {MAX_OPEN_LENGTH:,})."
    refusal = refusal or link.refusal
    if refusal is None and scheme not in OPENABLE_SCHEMES:
        refusal = f"Only web (http, https) and e-mail (mailto) links open; this is a {scheme}: link."
    if refusal is not None:
        link = replace(link, refusal=refusal, url="")  # nothing to open by mistake
    return link


def _hidden(raw: str) -> str | None:
    if _MARKER.search(raw) or clean_body(raw) != raw:
        found = sorted({f"U+{ord(c):04X}" for c in raw if _is_hidden(c)} | set(_MARKED.findall(raw)))
        which = f" ({', '.join(found[:4])})" if found else ""
        return f"The address hides invisible or control characters{which}."
    if "\\" in raw:
        return "The address contains a backslash, which browsers read as a slash: its host is unclear."
    return None


def _is_hidden(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") or 0xFE00 <= ord(ch) <= 0xFE0F


def _hierarchical(base: Link, full: str) -> Link:
    """scheme://[userinfo@]host[:port]/path?query#fragment"""
    try:
        parts = urlsplit(full)
        port = parts.port
    except ValueError:
        return replace(base, refusal="The address is not well formed (its host or port is invalid).")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    raw_host = hostport
    if raw_host.startswith("["):
        raw_host = raw_host[: raw_host.find("]") + 1]
    elif ":" in raw_host:
        raw_host = raw_host.rsplit(":", 1)[0]
    host, host_ascii, problem = _host(raw_host)
    warnings = list(_host_warnings(host, host_ascii))
    refusal = problem
    if userinfo:
        shown = userinfo.split(":", 1)[0]
        refusal = refusal or (
            f"The address starts with a user name ({shown}) before '@': it goes to {host_ascii or '?'}, "
            "not to the name before the '@'."
        )
    url = ""
    if problem is None:
        netloc = (f"{userinfo}@" if userinfo else "") + host_ascii + (f":{port}" if port is not None else "")
        rest = (
            parts.path
            + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else "")
        )
        if not host_ascii:
            refusal = refusal or "The address has no host."
        url = f"{parts.scheme.lower()}://{netloc}{quote(rest, safe=_URL_SAFE)}"
    return replace(
        base,
        url=url,
        host=host,
        host_ascii=host_ascii,
        port=port,
        userinfo=userinfo,
        refusal=refusal,
        warnings=tuple(warnings),
    )


def _mailto(base: Link, full: str) -> Link:
    body = full[len("mailto:") :]
    addresses, _, query = body.partition("?")
    first = addresses.split(",", 1)[0]
    local, at, domain = first.rpartition("@")
    if not at or not local:
        return replace(base, refusal="The e-mail link has no address to write to.")
    host, host_ascii, problem = _host(domain)
    if problem is not None:
        return replace(base, host=host, host_ascii=host_ascii, refusal=problem)
    rest = addresses[len(first) :] + (f"?{query}" if query else "")
    url = f"mailto:{quote(local, safe=_URL_SAFE)}@{host_ascii}{quote(rest, safe=_URL_SAFE)}"
    return replace(
        base, url=url, host=host, host_ascii=host_ascii, warnings=tuple(_host_warnings(host, host_ascii))
    )


def _host(raw: str) -> tuple[str, str, str | None]:
    """(unicode host, ascii host, problem)."""
    if raw.startswith("[") and raw.endswith("]"):
        if re.fullmatch(r"\[[0-9a-fA-F:.]+\]", raw):
            return raw.lower(), raw.lower(), None
        return raw, "", "The address's host is not a valid IPv6 address."
    if not raw:
        return "", "", "The address has no host."
    try:
        host_ascii = raw.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return raw.lower(), "", "The address's host is not a valid domain name."
    if not _ASCII_HOST.fullmatch(host_ascii):
        return raw.lower(), "", "The address's host is not a valid domain name."
    try:
        host = host_ascii.encode("ascii").decode("idna")
    except UnicodeError:
        host = host_ascii
    return host.lower(), host_ascii, None


def _host_warnings(host: str, host_ascii: str) -> list[str]:
    warnings = []
    if host_ascii and _NUMERIC_HOST.fullmatch(host_ascii):
        warnings.append("The host is a numeric address, not a name.")
    for label in host.split("."):
        scripts = _scripts(label)
        if len(scripts) > 1:
            warnings.append(
                f"The name {label!r} mixes scripts ({', '.join(sorted(scripts))}): "
                "it may imitate another site."
            )
        elif scripts and scripts != {"Latin"} and host != host_ascii:
            warnings.append(f"The name {label!r} is written in {scripts.pop()} letters.")
    return warnings


_HAN = {"Cjk": "Han", "Hiragana": "Han", "Katakana": "Han"}  # Japanese mixes these by design


def _scripts(label: str) -> set[str]:
    scripts = set()
    for ch in label:
        if ch.isascii() and not ch.isalpha():
            continue
        try:
            name = unicodedata.name(ch)
        except ValueError:
            continue
        if not ch.isalpha():
            continue
        script = name.split(" ", 1)[0].title()
        scripts.add(_HAN.get(script, script))
    return scripts
