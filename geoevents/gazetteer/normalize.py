"""Name normalization: the matching key shared by the index and every lookup.

Why one function: the index stores ``normalize_name(name)`` for every name it holds, and the
geoparser normalizes the n-grams of an article the same way, so "Al-Qa'im", "Al Qā’im", "al qaim",
"Qaim" and "القائم" meet on one key without any fuzzy search. The folds are deliberately few and
listed here, because each one both finds variants and merges unrelated names:

1. Unicode NFKC and casefold (``ﬁ``->``fi``, ``Ä``->``ä``).
2. Latin script: diacritics stripped and other non-Arabic scripts transliterated with ``anyascii``
   (``Ḩuşaybah``->``husaybah``, ``Bağdat``->``bagdat``).
3. Arabic script is kept as Arabic, with tashkeel (harakat, shadda, sukun, superscript alef) and
   tatweel removed and letter variants unified: ``أ إ آ ٱ``->``ا``, ``ؤ``->``و``, ``ئ ى ی``->``ي``,
   ``ة ۀ``->``ه``, ``ک``->``ك``, hamza ``ء`` dropped.
4. Apostrophes and ayn/hamza marks (``' ’ ‘ ʿ ʾ ` ´``) are removed: ``Qa'im``->``qaim``; dotted
   initialisms are closed up: ``U.S.``->``us``, ``U.K.``->``uk``.
5. Every other character that is not a letter or digit (hyphens, dots, commas, brackets) becomes a
   space; runs of spaces collapse.
6. Articles: a Latin Arabic article token (``al el ad an ar as at az ash ath adh ed es ez ul``) is
   dropped wherever it stands (``Jurf al-Sakhar``->``jurf sakhar``, ``Ar Ramadi``->``ramadi``),
   and so is the Arabic ``ال`` prefix of every word of four or more letters (``جرف الصخر``->``جرف صخر``).
   A leading English ``the`` is dropped (``the Netherlands``). A name that is only an article keeps it.
7. Transliteration folds on Latin tokens: ``q``->``k`` (``Qaim``~``Kaim``), ``ou``->``u``,
   ``ee``->``i``, doubled letters collapsed (``Fallujah``~``Faluja``), and a word-final ``h`` after a
   vowel dropped (ta marbuta: ``Fallujah``~``Falluja``, ``Hillah``~``Hilla``).

``name_skeleton`` is the secondary, looser key used only as a fallback: the key with the vowels
``a e i o u y`` removed from Latin tokens (``jurf sakhar`` and ``jurf sakhr`` -> ``jrf skhr``;
``ain asad`` and ``ayn asad`` -> ``n sd``), so e/a vowel variants meet there and not in the main key.

Speed matters (the geoparser calls this on every n-gram): results are memoised with ``lru_cache`` and
pure-ASCII input skips the Unicode steps.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

__all__ = [
    "GENERIC_PREFIXES",
    "GENERIC_SUFFIXES",
    "is_arabic",
    "name_skeleton",
    "name_variants",
    "normalize_name",
]

LATIN_ARTICLES = frozenset(
    {"al", "el", "ad", "an", "ar", "as", "at", "az", "ash", "ath", "adh", "ed", "es", "ez", "ul"}
)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(f"[{_ARABIC}]+")
_NON_ARABIC_RUN = re.compile(f"[^{_ARABIC}]+")
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ک": "ك",
        "ء": "",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bb\u02bc\u02bd\u02be\u02bf\u00b4\u2032\u02b9\u02c8\"]")
_SEPARATORS = re.compile(f"[^a-z0-9{_ARABIC}]+")
_AR_PUNCT = re.compile("[\u060c\u061b\u061f\u066a-\u066d\u06d4]")
_DOUBLES = re.compile(r"([a-z])\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_VOWELS = re.compile("[aeiouy]")
_INITIALISM = re.compile(r"(?<![a-z0-9])([a-z](?:\.[a-z])+)\.?(?![a-z0-9])")

GENERIC_SUFFIXES: tuple[str, ...] = (
    "air base",
    "airbase",
    "air field",
    "airfield",
    "airport",
    "base",
    "district",
    "governorate",
    "province",
    "city",
    "town",
    "village",
    "region",
    "area",
    "camp",
    "subdistrict",
    "municipality",
    "lga",
    "local government area",
    "raion",
    "oblast",
    "river",
    "township",
    "county",
    "valley",
    "island",
)
"""Trailing words ``name_variants`` strips to make a looser key ("Ain al-Asad airbase"->"ain asad")."""
GENERIC_PREFIXES: tuple[str, ...] = (
    "city of",
    "town of",
    "village of",
    "province of",
    "port of",
    "river",
    "nahiyat",
    "nahiya",
    "markaz",
    "qadaa",
    "qada",
    "muhafazat",
    "mintaqat",
    "قاعده",
    "مطار",
    "محافظه",
    "ناحيه",
    "قضاء",
    "قضا",
    "مدينه",
    "بلده",
    "قريه",
    "مخيم",
    "منطقه",
)
"""Leading words ``name_variants`` strips ("Nahiyat Jurf as Sakhr"->"jurf sakhr")."""


def is_arabic(ch: str) -> bool:
    """Tell whether ``ch`` is a character of the Arabic script blocks."""
    return bool(_ARABIC_RUN.match(ch))


@lru_cache(maxsize=1 << 17)
def _fold_latin_token(tok: str) -> str:
    if not tok.isascii() or not tok.isalpha():
        return tok
    orig = tok
    for _ in range(4):  # until stable, so that normalize_name(normalize_name(s)) == normalize_name(s)
        prev = tok
        tok = tok.replace("q", "k").replace("ou", "u").replace("ee", "i")
        tok = _DOUBLES.sub(r"\1", tok)
        if len(tok) > 3:
            tok = _FINAL_H.sub("", tok)
        if tok == prev:
            break
    if tok in LATIN_ARTICLES:  # "All", "Ann", "Arr." must not turn into an article that a re-run drops
        return orig
    return tok


def _tokens(s: str) -> list[str]:
    if s.isascii():
        s = s.lower()
    else:
        s = unicodedata.normalize("NFKC", s).casefold()
        s = _APOSTROPHES.sub("", s)
        if _ARABIC_RUN.search(s):
            s = _TASHKEEL.sub("", s).translate(_AR_FOLD)
            s = _AR_PUNCT.sub(" ", s)
            s = _NON_ARABIC_RUN.sub(lambda m: anyascii(m.group()).lower(), s)
        else:
            s = anyascii(s).lower()
    s = _APOSTROPHES.sub("", s)
    if "." in s:
        s = _INITIALISM.sub(lambda m: m.group(1).replace(".", ""), s)
    return _SEPARATORS.sub(" ", s).split()


@lru_cache(maxsize=1 << 18)
def normalize_name(s: str) -> str:
    """Return the matching key of a place name (see the module docstring for every fold).

    >>> normalize_name("Al-Qa'im") == normalize_name("Qaim") == normalize_name("al qaim")
    True
    >>> normalize_name("Jurf al-Sakhar")
    'jurf sakhar'
    """
    toks = _tokens(s)
    if not toks:
        return ""
    if len(toks) > 1 and toks[0] == "the":
        toks = toks[1:]
    out = []
    for tok in toks:
        if tok in LATIN_ARTICLES:
            continue
        while tok.startswith("ال") and len(tok) >= 4:  # repeated so the key is stable: الألباوي -> باوي
            tok = tok[2:]
        out.append(_fold_latin_token(tok))
    if not out:  # the name was only articles ("Al", "As"): keep it rather than return nothing
        out = [_fold_latin_token(t) for t in toks]
    return " ".join(out)


@lru_cache(maxsize=1 << 18)
def name_skeleton(key: str) -> str:
    """Return the looser fallback key of an already normalized ``key``: Latin vowels removed.

    A token made only of vowels keeps its first letter, so the skeleton is never empty for a
    non-empty key.
    """
    out = []
    for tok in key.split():
        if tok.isascii() and tok.isalpha():
            sk = _DOUBLES.sub(r"\1", _VOWELS.sub("", tok)) or tok[0]
            out.append(sk)
        else:
            out.append(tok)
    return " ".join(out)


@lru_cache(maxsize=1 << 16)
def _variants(key: str) -> tuple[str, ...]:
    out = [key]
    for pre in GENERIC_PREFIXES:
        if key.startswith(pre + " ") and len(key) > len(pre) + 2:
            out.append(key[len(pre) + 1 :])
    for k in list(out):
        for suf in GENERIC_SUFFIXES:
            nsuf = normalize_name(suf)
            if k.endswith(" " + nsuf) and len(k) > len(nsuf) + 2:
                out.append(k[: -len(nsuf) - 1])
    return tuple(dict.fromkeys(out))


def name_variants(s: str) -> list[str]:
    """Return the keys to try for ``s``: its key first, then the key without generic words.

    Generic words are the ``GENERIC_PREFIXES``/``GENERIC_SUFFIXES`` ("airbase", "district",
    "Nahiyat", "مطار" ...), so "Ain al-Asad airbase" also tries "ain asad".
    """
    key = normalize_name(s)
    return list(_variants(key)) if key else []
