"""Fold letters that look like Latin letters into those letters: the step before a name is compared.

Unicode's confusables table (TR39, used by services/impersonation.py) maps many look-alikes to a
*prototype* that is not the Latin letter they imitate: Greek κ and Cyrillic к go to U+0138 ĸ, small
capitals (ᴋ, ɴ, ʀ) to themselves, letters with hooks or descenders (қ, ƙ, ɗ) nowhere. A name such as
"Nordbanκ" or "SκyWays Airlines" then kept a letter no verified name has, and was not warned. This fold
closes that gap, with the standard library alone:

1. NFKD: mathematical alphanumerics (𝐍𝐨𝐫𝐝), fullwidth (Ｎｏｒｄ), circled and other compatibility forms
   become their plain letters, and accents come apart from their letters;
2. combining marks are dropped (N̈ordbank, Nördbank), and so are invisible characters (zero-width, bidi,
   variation selectors, tags);
3. every other letter is looked up: an explicit table of Greek, Cyrillic and Latin letters that look like
   a Latin letter; else, by the letter's Unicode name, a Latin letter drawn differently ("LATIN SMALL
   LETTER K WITH HOOK", "LATIN LETTER SMALL CAPITAL N") is its base letter, and a letter "... WITH ..."
   whose base is in the table ("CYRILLIC SMALL LETTER KA WITH DESCENDER") is what its base folds to.

The result is lower case. Letters that look like no Latin letter (ж, 中, ب) are kept as they are, so names
in other scripts stay distinct; only comparisons use the fold, never what is shown.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["fold_lookalikes", "one_typo_apart"]

# Letters that look like a Latin letter, by script. Keys are one character; values one ASCII letter.
_GREEK = {
    "α": "a", "ά": "a", "β": "b", "ϐ": "b", "γ": "y", "δ": "d", "ε": "e", "ϵ": "e", "έ": "e", "ζ": "z",
    "η": "n", "ή": "n", "ι": "i", "ί": "i", "ϊ": "i", "ΐ": "i", "κ": "k", "ϰ": "k", "ν": "v", "ο": "o",
    "ό": "o", "π": "n", "ϖ": "n", "ρ": "p", "ϱ": "p", "σ": "o", "ς": "c", "ϲ": "c", "τ": "t", "υ": "u",
    "ύ": "u", "ϋ": "u", "χ": "x", "ω": "w", "ώ": "w", "ϳ": "j",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "l", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "ϒ": "y", "Χ": "x", "Ϲ": "c", "Ϳ": "j", "Ϻ": "m",
}  # fmt: skip
_CYRILLIC = {
    "а": "a", "б": "b", "в": "b", "г": "r", "д": "d", "е": "e", "ё": "e", "з": "z", "и": "u", "й": "u",
    "к": "k", "л": "n", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ц": "u", "ш": "w", "щ": "w", "ъ": "b", "ь": "b", "э": "e", "я": "r", "ѐ": "e", "ђ": "h",
    "є": "e", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ћ": "h", "ќ": "k", "ѝ": "u", "ў": "y", "џ": "u",
    "ѡ": "w", "ѵ": "v", "ғ": "f", "ҕ": "b", "қ": "k", "ҝ": "k", "ҟ": "k", "ҡ": "k", "ң": "h", "ҥ": "h",
    "ҫ": "c", "ҭ": "t", "ү": "y", "ұ": "y", "ҳ": "x", "һ": "h", "ҽ": "e", "ҿ": "e", "ӏ": "l", "ӄ": "k",
    "ӈ": "h", "ӊ": "h", "ӎ": "m", "ӑ": "a", "ӓ": "a", "ӗ": "e", "ә": "e", "ӧ": "o", "ө": "o", "ӫ": "o",
    "ӯ": "y", "ӱ": "y", "ӳ": "y", "ԁ": "d", "ԃ": "d", "ԍ": "g", "ԑ": "e", "ԛ": "q", "ԝ": "w", "ԟ": "k",
    "ԧ": "h", "ᲀ": "b", "ᲁ": "d", "ᲂ": "o", "ᲃ": "c", "ᲄ": "t", "ᲅ": "t", "ᲆ": "b",
    "А": "a", "Б": "b", "В": "b", "Г": "r", "Е": "e", "Ё": "e", "З": "z", "И": "n", "Й": "n", "К": "k",
    "М": "m", "Н": "h", "О": "o", "П": "n", "Р": "p", "С": "c", "Т": "t", "У": "y", "Х": "x", "Ъ": "b",
    "Ь": "b", "Ѕ": "s", "І": "l", "Ї": "l", "Ј": "j", "Ќ": "k", "Ў": "y", "Ԛ": "q", "Ԝ": "w", "Ӏ": "l",
    "Ү": "y", "Ұ": "y", "Ҳ": "x", "Һ": "h", "Қ": "k", "Ҝ": "k", "Ҟ": "k", "Ҡ": "k", "Ң": "h", "Ӄ": "k",
    "Ԁ": "d", "Ԍ": "g", "Ԑ": "e",
}  # fmt: skip
_LATIN = {
    "ı": "i", "ȷ": "j", "ĸ": "k", "ſ": "f", "ƅ": "b", "ɑ": "a", "ɒ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i",
    "ɯ": "w", "ʋ": "u", "ʏ": "y", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ᴊ": "j", "ᴋ": "k", "ᴍ": "m",
    "ᴏ": "o", "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ʙ": "b", "ʜ": "h", "ʟ": "l",
    "ɴ": "n", "ʀ": "r", "ꜱ": "s", "ꞯ": "q", "ꜰ": "f", "ɢ": "g", "ꓐ": "b", "ꓑ": "p", "ꓒ": "p", "ꓓ": "d",
    "ꓔ": "t", "ꓗ": "k", "ꓘ": "k", "ꓙ": "j", "ꓚ": "c", "ꓛ": "c", "ꓜ": "z", "ꓝ": "f", "ꓞ": "f",
    "ꓠ": "n", "ꓡ": "l", "ꓢ": "s", "ꓣ": "r", "ꓤ": "r", "ꓥ": "v", "ꓦ": "v", "ꓧ": "h", "ꓨ": "h",
    "ꓩ": "m", "ꓪ": "w", "ꓫ": "x", "ꓬ": "y", "ꓮ": "a", "ꓯ": "a", "ꓰ": "e", "ꓱ": "e", "ꓲ": "l",
    "ꓳ": "o", "ꓴ": "u", "ꓵ": "u", "ꓶ": "l", "ꓷ": "d",
}  # fmt: skip
_TABLE = {**_GREEK, **_CYRILLIC, **_LATIN}

# A Latin letter drawn differently: "LATIN SMALL LETTER K WITH HOOK", "LATIN LETTER SMALL CAPITAL N".
_LATIN_NAME = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .+)?")
_WITH = " WITH "
_MARK_CATEGORIES = ("Mn", "Mc", "Me")


def _invisible(ch: str) -> bool:
    # Format (zero-width, bidi, tags), controls, unassigned/private/surrogates; variation selectors are Mn.
    return unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Co", "Cn")


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character: its look-alike Latin letter (lower case), "" if it draws nothing, else itself."""
    if ch.isascii():
        return ch.lower()
    found = _TABLE.get(ch)
    if found is not None:
        return found
    category = unicodedata.category(ch)
    if category in _MARK_CATEGORIES or _invisible(ch):
        return ""
    if category[0] != "L":
        return ch
    name = unicodedata.name(ch, "")
    if match := _LATIN_NAME.fullmatch(name):
        return match.group(1).lower()
    if _WITH in name:  # a table letter with a hook, tail or descender: what its base letter looks like
        try:
            base = unicodedata.lookup(name.split(_WITH, 1)[0])
        except KeyError:
            return ch
        if base != ch and (found := _TABLE.get(base)) is not None:
            return found
    return ch


def fold_lookalikes(text: str) -> str:
    """`text` with every letter that looks like a Latin letter folded into it (lower case), combining
    marks and invisible characters dropped; other characters as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed.lower()
    return "".join(_fold_char(ch) for ch in decomposed)


def one_typo_apart(a: str, b: str) -> bool:
    """True if `a` and `b` differ by exactly one typo: one letter swapped for another, added, dropped, or
    two neighbours exchanged ("Nordbamk", "Nordbankk", "Norbank", "Nordbnak" for "Nordbank")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        rest_a, rest_b = a[start + 1 :], b[start + 1 :]
        if rest_a == rest_b:
            return True  # one substitution
        return a[start + 2 :] == b[start + 2 :] and a[start : start + 2] == b[start : start + 2][::-1]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]  # one letter added or dropped
