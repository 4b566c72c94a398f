"""An independent-style set of look-alikes of the demo world's verified names, and of unrelated names.

Built without the project's own tables: letters are named by their Unicode names (`unicodedata.lookup`)
from what homoglyph lists and phishing kits use, and each technique writes its names its own way:
Greek and Cyrillic swaps (one letter, several, or every letter that has one), mathematical alphanumeric
styles, fullwidth and circled forms, small capitals, Latin letters with hooks, tails and strokes, combining
marks, zero-width and bidi characters, digit/letter swaps (N0rdbank), spacing, case, badges and "Support"
words, and mixes of two. Unrelated names are first names from many languages (with their accents and
scripts) and real companies, some of them banks and airlines whose names share words with the verified
ones.
"""

from __future__ import annotations

import random
import unicodedata

VERIFIED = {"nordbank": "Nordbank", "skyways": "SkyWays Airlines"}

# Letters that look like a Latin letter, by Unicode name, as homoglyph lists give them.
_HOMOGLYPH_NAMES: dict[str, list[str]] = {
    "a": ["CYRILLIC SMALL LETTER A", "GREEK SMALL LETTER ALPHA", "LATIN SMALL LETTER ALPHA",
          "LATIN LETTER SMALL CAPITAL A", "LATIN SMALL LETTER A WITH DOT BELOW"],
    "b": ["CYRILLIC SMALL LETTER VE", "LATIN LETTER SMALL CAPITAL B", "LATIN SMALL LETTER B WITH HOOK",
          "CYRILLIC SMALL LETTER SOFT SIGN", "LATIN SMALL LETTER B WITH STROKE"],
    "d": ["CYRILLIC SMALL LETTER KOMI DE", "LATIN SMALL LETTER D WITH HOOK", "LATIN LETTER SMALL CAPITAL D",
          "LATIN SMALL LETTER D WITH STROKE", "LATIN SMALL LETTER D WITH TAIL"],
    "e": ["CYRILLIC SMALL LETTER IE", "GREEK SMALL LETTER EPSILON", "LATIN LETTER SMALL CAPITAL E",
          "CYRILLIC SMALL LETTER UKRAINIAN IE", "LATIN SMALL LETTER E WITH DOT BELOW"],
    "i": ["CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I", "GREEK SMALL LETTER IOTA",
          "LATIN SMALL LETTER DOTLESS I", "LATIN LETTER SMALL CAPITAL I", "LATIN SMALL LETTER IOTA"],
    "k": ["GREEK SMALL LETTER KAPPA", "CYRILLIC SMALL LETTER KA", "GREEK KAPPA SYMBOL",
          "LATIN LETTER SMALL CAPITAL K", "CYRILLIC SMALL LETTER KA WITH DESCENDER",
          "LATIN SMALL LETTER K WITH HOOK", "LATIN SMALL LETTER KRA", "CYRILLIC SMALL LETTER KA WITH STROKE"],
    "l": ["CYRILLIC LETTER PALOCHKA", "LATIN SMALL LETTER L WITH MIDDLE TILDE",
          "LATIN LETTER SMALL CAPITAL L", "GREEK CAPITAL LETTER IOTA", "LATIN SMALL LETTER L WITH BELT"],
    "n": ["GREEK SMALL LETTER ETA", "CYRILLIC SMALL LETTER PE", "LATIN LETTER SMALL CAPITAL N",
          "LATIN SMALL LETTER N WITH LEFT HOOK", "GREEK SMALL LETTER PI"],
    "N": ["GREEK CAPITAL LETTER NU", "LATIN CAPITAL LETTER N WITH LEFT HOOK",
          "LATIN CAPITAL LETTER N WITH DOT ABOVE", "LATIN CAPITAL LETTER N WITH DESCENDER"],
    "o": ["CYRILLIC SMALL LETTER O", "GREEK SMALL LETTER OMICRON", "LATIN LETTER SMALL CAPITAL O",
          "GREEK SMALL LETTER SIGMA", "LATIN SMALL LETTER O WITH STROKE", "ARMENIAN SMALL LETTER OH"],
    "r": ["CYRILLIC SMALL LETTER GHE", "LATIN LETTER SMALL CAPITAL R", "LATIN SMALL LETTER R WITH FISHHOOK",
          "LATIN SMALL LETTER R WITH STROKE"],
    "s": ["CYRILLIC SMALL LETTER DZE", "LATIN LETTER SMALL CAPITAL S", "LATIN SMALL LETTER S WITH HOOK"],
    "S": ["CYRILLIC CAPITAL LETTER DZE", "LATIN CAPITAL LETTER S WITH DOT BELOW"],
    "w": ["CYRILLIC SMALL LETTER WE", "GREEK SMALL LETTER OMEGA", "LATIN LETTER SMALL CAPITAL W",
          "CYRILLIC SMALL LETTER OMEGA", "LATIN SMALL LETTER W WITH HOOK"],
    "W": ["CYRILLIC CAPITAL LETTER WE", "LATIN CAPITAL LETTER W WITH DOT BELOW"],
    "y": ["CYRILLIC SMALL LETTER U", "GREEK SMALL LETTER GAMMA", "LATIN LETTER SMALL CAPITAL Y",
          "CYRILLIC SMALL LETTER STRAIGHT U", "LATIN SMALL LETTER Y WITH HOOK"],
    "A": ["GREEK CAPITAL LETTER ALPHA", "CYRILLIC CAPITAL LETTER A",
          "LATIN CAPITAL LETTER A WITH RING BELOW"],
}  # fmt: skip
HOMOGLYPHS = {letter: [unicodedata.lookup(n) for n in names] for letter, names in _HOMOGLYPH_NAMES.items()}

_MATH_STYLES = [
    "BOLD", "ITALIC", "BOLD ITALIC", "SCRIPT", "BOLD SCRIPT", "FRAKTUR", "DOUBLE-STRUCK", "BOLD FRAKTUR",
    "SANS-SERIF", "SANS-SERIF BOLD", "SANS-SERIF ITALIC", "SANS-SERIF BOLD ITALIC", "MONOSPACE",
]  # fmt: skip
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2062", "\u2063", "\u180e",
             "\u200e", "\u200f", "\u034f", "\ufe0f", "\U000e0041"]  # fmt: skip
SWAPS = {"o": "0", "O": "0", "i": "1", "l": "1", "I": "1", "a": "4", "A": "4", "e": "3", "s": "5",
         "S": "5", "B": "8", "b": "6", "W": "VV", "w": "vv", "y": "ү"}  # fmt: skip
BADGES = ["✓", "✔", "☑", "✅", "🛡", "✔\ufe0f"]


def _math(name: str, style: str) -> str:
    out = []
    for ch in name:
        if ch.isascii() and ch.isalpha():
            case = "CAPITAL" if ch.isupper() else "SMALL"
            try:
                out.append(unicodedata.lookup(f"MATHEMATICAL {style} {case} {ch.upper()}"))
                continue
            except KeyError:
                pass  # a letter that lives among the letterlike symbols (ℬ, ℯ): kept plain
        out.append(ch)
    return "".join(out)


def lookalikes(seed: int = 11) -> dict[str, list[str]]:
    """Technique -> its look-alike names (each differs from the verified name it imitates)."""
    rng = random.Random(seed)
    marks = [chr(cp) for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))]
    made: dict[str, list[str]] = {}

    def add(kind: str, fake: str, real: str) -> None:
        if fake != real and fake not in made.setdefault(kind, []):
            made[kind].append(fake)

    for real in VERIFIED.values():
        spots = [i for i, c in enumerate(real) if c in HOMOGLYPHS]
        for i in spots:  # one letter swapped, each look-alike of it in turn
            for glyph in HOMOGLYPHS[real[i]]:
                add("one homoglyph", real[:i] + glyph + real[i + 1 :], real)
        for _ in range(8):  # several letters
            chars = list(real)
            for i in rng.sample(spots, k=min(len(spots), rng.randint(2, 4))):
                chars[i] = rng.choice(HOMOGLYPHS[chars[i]])
            add("several homoglyphs", "".join(chars), real)
        add("every letter", "".join(HOMOGLYPHS[c][0] if c in HOMOGLYPHS else c for c in real), real)
        for style in _MATH_STYLES:
            add("math alphanumerics", _math(real, style), real)
        add("fullwidth", "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in real), real)
        circled = "".join(
            unicodedata.lookup(f"CIRCLED LATIN {'CAPITAL' if c.isupper() else 'SMALL'} LETTER {c.upper()}")
            if c.isalpha() else c for c in real
        )  # fmt: skip
        add("circled", circled, real)
        small_caps = []
        for c in real:
            try:
                small_caps.append(unicodedata.lookup(f"LATIN LETTER SMALL CAPITAL {c.upper()}"))
            except KeyError:
                small_caps.append(c)
        add("small capitals", "".join(small_caps), real)
        for _ in range(8):
            chars = list(real)
            for i in rng.sample(range(len(chars)), k=rng.randint(1, 3)):
                if chars[i] != " ":
                    chars[i] += "".join(rng.choice(marks) for _ in range(rng.randint(1, 2)))
            add("combining marks", "".join(chars), real)
        for _ in range(8):
            chars = list(real)
            for _ in range(rng.randint(1, 3)):
                chars.insert(rng.randint(1, len(chars) - 1), rng.choice(INVISIBLE))
            add("invisible characters", "".join(chars), real)
        digit_spots = [i for i, c in enumerate(real) if c in SWAPS]
        for i in digit_spots:
            add("digit and letter swaps", real[:i] + SWAPS[real[i]] + real[i + 1 :], real)
        for _ in range(4):
            chars = list(real)
            for i in rng.sample(digit_spots, k=2):
                chars[i] = SWAPS[chars[i]]
            add("digit and letter swaps", "".join(chars), real)
        for fake in (real.upper(), real.lower(), real.swapcase(), " ".join(real), real.replace(" ", ""),
                     f"  {real}  ", real[:4] + " " + real[4:], real[:4] + "-" + real[4:]):  # fmt: skip
            add("case and spacing", fake, real)
        for badge in BADGES:
            add("badges and words", f"{real} {badge}", real)
        for word in ("Support", "Official", "Help", "Kundenservice", "Team"):
            add("badges and words", f"{real} {word}", real)
            add("badges and words", f"Official {real} {word}", real)
        for _ in range(6):  # two techniques at once
            chars = list(real)
            i = rng.choice(spots)
            chars[i] = rng.choice(HOMOGLYPHS[chars[i]])
            chars.insert(rng.randint(1, len(chars) - 1), rng.choice(INVISIBLE))
            mixed = "".join(chars)
            add("mixed", rng.choice([mixed, _math(mixed, rng.choice(_MATH_STYLES)), mixed + " ✓"]), real)
    add("one homoglyph", "Nordban\u03ba", "Nordbank")  # the cases the independent check found
    add("one homoglyph", "S\u03bayWays Airlines", "SkyWays Airlines")
    return made


FIRST_NAMES = [
    "Anna", "Ben", "Zoë", "Chloé", "Renée", "Noël", "Anaïs", "José", "Jürgen", "Søren", "Łukasz", "Dvořák",
    "Şükrü", "Nguyễn Văn An", "Björk", "François", "Ægir", "Zoltán", "Małgorzata", "Ørjan", "Ñuño",
    "Jörg Müller", "Müller", "Émile", "Agnès", "Inès", "Maëlle", "Kateřina", "Þóra", "Ðorđe", "İlkay",
    "Mia", "Noah", "Emma", "Liam", "Olivia", "Sophia", "Lucas", "Mateo", "Elena", "Hugo", "Leon", "Paul",
    "Finn", "Jonas", "Lena", "Hannah", "Lea", "Marie", "Clara", "Felix", "Max", "Moritz", "Emil", "Ida",
    "Nora", "Norbert", "Nordine", "Bank", "Skye", "Skyler", "Wayne", "Sky", "Kai", "Kira", "Ingrid",
    "Astrid", "Sigrid", "Björn", "Lars", "Nils", "Erik", "Anders", "Freya", "Maja", "Aino", "Juhani",
    "Дмитрий", "Наталья", "Ольга", "Борис", "Κώστας", "Σοφία", "Νίκος", "Ελένη", "Γιώργος", "Αθηνά",
    "محمد", "فاطمة", "王伟", "李娜", "さくら", "翔太", "지훈", "서연", "Aarav", "Priya", "अनन्या", "Chidi",
    "Oluwaseun", "Thandiwe", "Kwame", "Amara", "Santiago", "Valentina", "Joaquín", "Camila", "João",
    "Conceição", "Gonçalo", "Zeynep", "Emre", "Yasmin", "Omar", "Leila", "Dana", "Noa", "Yael", "Aleksandr",
    "Wojciech", "Zbigniew", "Jiří", "Ľubomír", "Đặng Thị Mai", "Tomás", "Siobhán", "Seán", "Eoghan",
]  # fmt: skip
COMPANIES = [
    "Deutsche Bank", "Commerzbank", "Sparkasse Köln", "Nordea", "Danske Bank", "Swedbank", "Handelsbanken",
    "DNB", "ING", "Revolut", "N26", "Monzo", "Barclays", "HSBC", "Santander", "BNP Paribas", "UniCredit",
    "Raiffeisen", "Sydbank", "Jyske Bank", "Nykredit", "Landsbankinn", "Arion banki", "Bank Norwegian",
    "Norddeutsche Landesbank", "Nordnet", "Northern Trust", "Bank of America", "Wells Fargo", "Citibank",
    "Goldman Sachs", "Crédit Agricole", "Société Générale", "Caixa Geral", "Lufthansa", "Ryanair",
    "easyJet", "KLM", "Air France", "British Airways", "SAS Scandinavian Airlines", "Norwegian Air Shuttle",
    "Finnair", "Icelandair", "Emirates", "Qatar Airways", "Delta Air Lines", "United Airlines",
    "American Airlines", "Southwest Airlines", "JetBlue", "Alaska Airlines", "SkyWest Airlines",
    "Sky News", "Skype", "Skyscanner", "Sky Sports", "Skyline Bakery", "Waymo", "Wayfair", "Nordstrom",
    "Nordic Semiconductor", "Novo Nordisk", "Nordsee", "NordVPN", "Nordex", "Northrop Grumman", "Nokia",
    "Amazon", "Google", "Apple", "Microsoft", "Spotify", "IKEA", "H&M", "Volvo", "Siemens", "SAP", "Bosch",
    "Zalando", "DHL", "Deutsche Post", "Hermes", "UPS", "FedEx", "Airbnb", "Booking.com", "Expedia",
    "Uber", "Netflix", "PayPal", "Klarna", "Wise", "Adyen", "Visa", "Mastercard", "American Express",
    "Allianz", "AXA", "Vodafone", "Telekom", "Orange", "Telia", "Lidl", "Aldi Süd", "Rewe", "Edeka",
    "Tesco", "Carrefour", "Zara", "Adidas", "Puma", "Lego", "Carlsberg", "Heineken", "Nestlé", "Philips",
    "Samsung", "Sony", "Nintendo", "Toyota", "Škoda", "Citroën", "Peugeot", "Renault", "Porsche", "BMW",
    "Mercedes-Benz", "Volkswagen", "Café Nord", "Bäckerei Schmidt", "Fahrschule Nord", "MegaDeals 24",
]  # fmt: skip


def unrelated() -> list[str]:
    return list(dict.fromkeys(FIRST_NAMES + COMPANIES))
