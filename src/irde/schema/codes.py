"""Code lists that do not live in `schema/vocabularies/` — ISO 3166-1 alpha-3 countries and ISO 639-1
languages from pycountry — and the "did you mean" suggestions shared by every check.

Only current ISO codes are accepted (never FIPS: FIPS "RS" is Russia, ISO "RS" is Serbia).
"""

from __future__ import annotations

import difflib
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
        if category == "Cf" or (category == "Cc" and char not in "\n"):
            name = unicodedata.name(char, "control character")
            return f"contains invisible character U+{ord(char):04X} ({name}) at position {index + 1}"
    if unicodedata.normalize("NFC", text) != text:
        return "text is not in Unicode NFC form (run `irde format`)"
    return None
