"""Links in bodies: what is found, where it really goes, and what refuses to open."""

from __future__ import annotations

import time

import pytest

from tui_messenger.domain.links import MAX_OPEN_LENGTH, find_links, may_hold_links, parse_link
from tui_messenger.domain.safe_text import clean_body


def one(text: str):
    links = find_links(text)
    assert len(links) == 1, links
    return links[0]


# --- finding -------------------------------------------------------------------------------------------
def test_plain_text_has_no_links() -> None:
    assert find_links("Your card ending 4821 was used at 12:04. Reply YES or NO.") == []
    assert not may_hold_links("no links: here, or there")


def test_offsets_point_at_the_address_as_written() -> None:
    text = "Track it at https://skyways.example/t/AB12 today."
    link = one(text)
    assert text[link.start : link.end] == link.text == "https://skyways.example/t/AB12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(see https://x.example/a)", "https://x.example/a"),
        ("https://en.example/wiki/Dune_(film).", "https://en.example/wiki/Dune_(film)"),
        ("Go to https://x.example/path?, then", "https://x.example/path"),
        ("«https://x.example/»", "https://x.example/"),
        ('"https://x.example/q"', "https://x.example/q"),
        ("<https://x.example/a>", "https://x.example/a"),
        ("見て https://x.example/a。", "https://x.example/a"),
        ("www.nordbank.example/help.", "www.nordbank.example/help"),
    ],
)
def test_sentence_punctuation_is_not_part_of_the_address(text: str, expected: str) -> None:
    assert one(text).text == expected


def test_several_links_in_order() -> None:
    links = find_links("a https://a.example b mailto:c@d.example e www.f.example")
    assert [link.text for link in links] == ["https://a.example", "mailto:c@d.example", "www.f.example"]
    assert [link.scheme for link in links] == ["https", "mailto", "https"]


def test_a_scheme_alone_or_an_address_inside_a_word_is_no_link() -> None:
    assert find_links("type https:// then the rest") == []
    assert find_links("user@www.example.com") == []
    assert find_links("mailto: nobody") == []


# --- where it goes -------------------------------------------------------------------------------------
def test_international_names_are_shown_in_punycode_too() -> None:
    link = one("https://bücher.example/")
    assert link.host == "bücher.example" and link.host_ascii == "xn--bcher-kva.example"
    assert link.url == "https://xn--bcher-kva.example/"
    assert link.is_idn and link.opens
    assert link.annotation() == "xn--bcher-kva.example"


def test_a_punycode_name_is_shown_in_unicode_too() -> None:
    link = one("https://xn--bcher-kva.example/x")
    assert link.host == "bücher.example" and link.is_idn


def test_homograph_mixing_scripts_is_flagged() -> None:
    link = one("https://p\u0430ypal.com/login")  # Cyrillic a
    assert link.host_ascii.startswith("xn--") and link.annotation() == link.host_ascii
    assert any("mixes scripts" in w and "Cyrillic" in w and "Latin" in w for w in link.warnings)


def test_whole_script_cyrillic_name_is_named() -> None:
    link = one("https://\u0430\u0440\u0440\u04cf\u0435.com")  # аррӏе
    assert link.is_idn and any("Cyrillic" in w for w in link.warnings)


def test_ascii_names_carry_no_annotation() -> None:
    link = one("https://nordbank.example/help")
    assert link.annotation() == "" and link.warnings == () and link.url == "https://nordbank.example/help"


def test_userinfo_trick_is_refused_and_names_the_real_host() -> None:
    link = one("https://bank.com@evil.example/login")
    assert link.host == "evil.example" and link.userinfo == "bank.com"
    assert not link.opens and "evil.example" in (link.refusal or "")
    assert link.annotation() == "goes to evil.example · won't open"
    assert link.url == ""


def test_userinfo_with_password_is_refused() -> None:
    link = one("http://nordbank.example:secret@203.0.113.9/")
    assert not link.opens and link.host == "203.0.113.9"


def test_backslash_is_refused() -> None:
    link = one("https://evil.example\\@bank.com/")
    assert not link.opens and "backslash" in (link.refusal or "")


def test_numeric_hosts_are_called_addresses() -> None:
    for text in ("http://2130706433/", "http://0x7f.1/", "http://127.0.0.1:8080/"):
        link = one(text)
        assert any("numeric" in w for w in link.warnings), text


def test_ipv6_host() -> None:
    link = one("https://[2001:db8::1]:8443/x")
    assert link.opens and link.host == "[2001:db8::1]" and link.port == 8443


def test_path_and_query_are_percent_encoded_for_opening() -> None:
    link = one("https://x.example/straße?q=ü#größe")
    assert link.url == "https://x.example/stra%C3%9Fe?q=%C3%BC#gr%C3%B6%C3%9Fe"
    assert link.text == "https://x.example/straße?q=ü#größe"


def test_uppercase_scheme_and_host_are_normalised() -> None:
    link = one("HTTPS://Nordbank.EXAMPLE/A")
    assert link.scheme == "https" and link.host == "nordbank.example" and link.url.startswith("https://")


def test_bare_www_opens_as_https() -> None:
    link = one("www.skyways.example")
    assert link.url == "https://www.skyways.example" and link.opens


def test_mailto() -> None:
    link = one("mailto:anna@bücher.example?subject=Hi")
    assert link.opens and link.host_ascii == "xn--bcher-kva.example"
    assert link.url == "mailto:anna@xn--bcher-kva.example?subject=Hi"
    assert not one("mailto:?subject=x").opens


# --- hostile schemes and characters -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "file://server/share/x.exe",
        "vbscript:msgbox(1)",
        "ftp://files.example/x",
        "intent://scan/#Intent;scheme=zxing;end",
        "tel:+491234",
    ],
)
def test_other_schemes_are_shown_but_refused(text: str) -> None:
    link = one(text)
    assert link.text == text and not link.opens and link.url == ""
    assert "Only web (http, https) and e-mail (mailto) links open" in (link.refusal or "")
    assert "won't open" in link.annotation()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("https://paypa\u200bl.com/", "U+200B"),
        ("https://x.example/\u202egnp.exe", "U+202E"),
        ("https://nord\u2066bank.example/", "U+2066"),
        ("https://x.example/\u00ad", "U+00AD"),
        ("https://x.example/a\ufeff", "U+FEFF"),
        ("https://x.example/\x1b]8;;x", "U+001B"),
        ("https://x.example/\x7f", "U+007F"),
        ("https://x.example/\x9b31m", "U+009B"),
    ],
)
def test_hidden_and_control_characters_refuse(text: str, code: str) -> None:
    link = find_links(text)[0]
    assert not link.opens and "invisible or control characters" in (link.refusal or "")
    assert code in (link.refusal or "")


def test_hidden_characters_already_shown_as_markers_refuse() -> None:
    shown = clean_body("https://paypa\u200bl.com/login")
    assert "⟨U+200B⟩" in shown
    link = one(shown)
    assert link.text == shown and not link.opens and "U+200B" in (link.refusal or "")


def test_invalid_hosts_and_ports_refuse() -> None:
    assert not one("https://a.example:99999/").opens
    assert not one("https://%62ank.example/").opens
    assert not one("https://" + "a" * 64 + ".example/").opens
    assert not one("https://exa_mple.com/").opens
    assert not one("https://[zz::1]/").opens


def test_very_long_addresses_refuse() -> None:
    link = one("https://x.example/" + "a" * MAX_OPEN_LENGTH)
    assert not link.opens and "characters long" in (link.refusal or "")
    assert one("https://x.example/" + "a" * 100).opens


def test_huge_text_is_linear() -> None:
    text = ("word https://x.example/" + "a" * 50 + " ") * 20_000 + "https://" * 50_000
    started = time.perf_counter()
    links = find_links(text)
    assert len(links) >= 20_000
    assert time.perf_counter() - started < 5


def test_parse_link_keeps_the_given_start() -> None:
    link = parse_link("https://x.example", start=7)
    assert (link.start, link.end) == (7, 24)
