"""Code lists that do not live in `schema/vocabularies/` — ISO 3166-1 alpha-3 countries and ISO 639-1
languages from pycountry — and the "did you mean" suggestions shared by every check.

Only current ISO codes are accepted (never FIPS: FIPS "RS" is Russia, ISO "RS" is Serbia).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

# Bidirectional overrides and embeddings, invisible separators and other format characters that
# can make text display differently from what it stores. The zero-width non-joiner (U+200C) is
# allowed because Persian spelling needs it (e.g. می‌خواهد).
ALLOWED_FORMAT_CHARACTERS = {"\u200c"}


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.countries}


@lru_cache(maxsize=1)
def languages() -> dict[str, str]:
    import pycountry

    return {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}


def suggest(value: str, candidates) -> str | None:
    """The closest candidate to a mistyped value, or None."""
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    if value.lower() in lowered:
        return lowered[value.lower()]
    match = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        match = [lowered[m] for m in match]
    return match[0] if match else None


def suggest_country(value: str) -> str | None:
    """Suggest an alpha-3 code for an alpha-2 code, a country name or a near-miss code."""
    import pycountry

    if len(value) == 2:
        found = pycountry.countries.get(alpha_2=value.upper())
        if found:
            return found.alpha_3
    try:
        return pycountry.countries.lookup(value).alpha_3
    except LookupError:
        return suggest(value.upper(), countries())


def text_problem(text: str) -> str | None:
    """Why a text value is unsafe to store, or None: control and invisible format characters, non-NFC."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char in ALLOWED_FORMAT_CHARACTERS:
            continue
        if category == "Cs":
            return f"contains an unpaired surrogate U+{ord(char):04X} at position {index + 1}"
        if category == "Cf" or (category == "Cc" and char not in "\n"):
            name = unicodedata.name(char, "control character")
            return f"contains invisible character U+{ord(char):04X} ({name}) at position {index + 1}"
    if unicodedata.normalize("NFC", text) != text:
        return "text is not in Unicode NFC form (run `irde format`)"
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    # `\d` would take Arabic-Indic and full-width digits too; identifiers use ASCII digits only.
    return re.compile(pattern.replace(r"\d", "[0-9]"))


def matches_pattern(pattern: str, text: str) -> bool:
    """The whole of `text` matches the schema pattern (`$` does not let a trailing newline through)."""
    return _compiled(pattern).fullmatch(text) is not None


# Latin look-alikes from Cyrillic and Greek, so that "Rеuters" (Cyrillic е) is the same publisher as
# "Reuters"; enough for names typed or pasted by mistake, not a full Unicode confusables table.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


def fold_confusables(text: str) -> str:
    return text.translate(_CONFUSABLES)


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in `text` (LATIN, CYRILLIC, GREEK, ARABIC, …), from their Unicode names."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name:
                found.add(name.split(" ")[0])
    return found
