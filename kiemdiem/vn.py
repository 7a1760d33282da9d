"""Vietnamese at the surface: name ordering and dates as documents write them.

`name_sort_key` is the one place that decides how people are ordered. Lists order by the
stored `Member.sort_key` (computed by it) so the database can sort and paginate; in-memory
lists and exports call `sort_by_name`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Dictionary order of Vietnamese letters; initial consonant clusters are letters of their own
# that follow their first letter (c < ch, g < gh < gi, n < ng < ngh < nh ...), as in the
# Hoàng Phê dictionary. f, j, w, z appear in foreign and minority names.
_LETTERS = [
    "a", "ă", "â", "b", "c", "ch", "d", "đ", "e", "ê", "f", "g", "gh", "gi", "h", "i", "j",
    "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "o", "ô", "ơ", "p", "ph", "q", "qu", "r", "s",
    "t", "th", "tr", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_CODE = {letter: f"{i + 10:02d}" for i, letter in enumerate(_LETTERS)}
_CLUSTERS = sorted((x for x in _LETTERS if len(x) > 1), key=len, reverse=True)

# Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a different letter rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)

_WORD_END = "00"  # sorts before every letter code, so "An" < "Anh"
_PART_END = "01"  # between name parts (given | middle | family)


def _syllable(word: str) -> tuple[list[str], str]:
    """Split a word into base letters (with their letter marks) and its tone digit."""
    tone = "0"
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        elif ch in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif unicodedata.category(ch) == "Mn":
            continue  # stray marks (e.g. from foreign names) do not change the order
        else:
            letters.append("đ" if ch in "đð" else ch)
    return letters, tone


def _word_key(word: str) -> str:
    letters, tone = _syllable(word)
    text = "".join(letters)
    codes: list[str] = []
    i = 0
    # Only a syllable's initial consonant forms a cluster: "nhanh" is nh-a-n-h.
    for cluster in _CLUSTERS:
        if text.startswith(cluster) and not (cluster == "gi" and len(text) == 2):
            codes.append(_CODE[cluster])
            i = len(cluster)
            break
    for ch in text[i:]:
        codes.append(_CODE.get(ch, "99" if ch.isalnum() else ""))
    return "".join(codes) + _WORD_END + tone


def split_name(full_name: str) -> tuple[str, str, str]:
    """Return (family, middle, given) from a full name written family-first."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """A key whose plain (byte or digit) order is the Vietnamese order of people's names:
    given name, then middle names, then family name; letters in dictionary order, then tones.

    The key holds only digits so every database collation orders it the same way.
    """
    family, middle, given = split_name(full_name)
    parts = [given, middle, family]
    return _PART_END.join("".join(_word_key(w) for w in part.split()) for part in parts)


def sort_by_name(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    return sorted(items, key=lambda item: name_sort_key(name(item)))


def long_date(value: dt.date) -> str:
    """'ngày 20 tháng 11 năm 2023', as official documents write dates.

    Days below 10 and the months 1 and 2 take a leading zero ('ngày 05 tháng 02 năm 2024'),
    as the Party's document rules (Hướng dẫn 36-HD/VPTW) write them.
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    return f"ngày {day} tháng {month} năm {value.year}"


def short_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
