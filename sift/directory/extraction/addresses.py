"""Street addresses in page text, and names that say where rather than what.

A number that opens an address is read by `usaddress`, a parser trained on US addresses
("126 N. Tenth St.", "7210 W 90th Place"); the patterns remain for what it was not trained
on (a "Calle …", a UK street without a town). The room or hall named just before an address
is kept with it ("Room 104, 412 Harbor Street").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import usaddress

from sift.directory.extraction.text import DAY_WORDS, MONTH_WORDS, clean_inline, sentences

_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Way|Lane|Ln|Boulevard|Blvd|Drive|Dr|Place|Pl|Court|Ct"
    r"|Highway|Hwy|Square|Sq|Parkway|Pkwy|Terrace|Plaza"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}\s+(?:(?:[NSEW]|NE|NW|SE|SW)\.?\s+)?"
    rf"(?:(?:[A-Z][a-z]+\.?\s+){{1,3}}(?:{_STREET})\b\.?(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b)?"
    rf"|(?:Calle|Avenida|Camino|Paseo)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?(?:,\s*[A-Z]{2}(?:\s+\d{5})?)?"
)
_VENUE = re.compile(r"(?:^|[,;:]\s*|\b(?:in|at)\s+)([A-Z][\w'-]*(?:\s+[\w'-]+){0,3}),\s*$")


def find_location(text: str) -> str | None:
    """A street address, with the room or hall named just before it ("Room 104, 412 …").

    A number that opens an address is read by `usaddress` (a parser trained on US
    addresses: "126 N. Tenth St.", "7210 W 90th Place"); the patterns above remain for
    what it was not trained on (a "Calle …")."""
    for sentence in sentences(text):
        plain = clean_inline(sentence)
        parsed = _parsed_address(plain)
        found, where = (parsed, plain) if parsed else (_matched_address(sentence), sentence)
        if found is None:
            continue
        start, address = found
        venue = _VENUE.search(where[:start])
        return f"{venue.group(1)}, {address}" if venue else address
    return None


_NUMBER_START = re.compile(r"\b\d{1,6}\s+(?=[A-Z0-9])")
_STREET_LABELS = frozenset(
    {
        "AddressNumber", "StreetNamePreDirectional", "StreetNamePreType",
        "StreetNamePreModifier", "StreetName", "StreetNamePostType",
        "StreetNamePostDirectional", "StreetNamePostModifier",
    }
)  # fmt: skip
_ADDRESS_SPAN = 90
_STREET_TYPE = re.compile(_STREET, re.IGNORECASE)
_CLOCK_WORD = re.compile(r"[ap]\.?m\.?|noon", re.IGNORECASE)
_CALENDAR_WORD = re.compile(rf"{DAY_WORDS}|{MONTH_WORDS}", re.IGNORECASE)


def _parsed_address(sentence: str) -> tuple[int, str] | None:
    """The first address `usaddress` reads at a number in the sentence: the street, then
    the town, state and ZIP that follow it when they look like ones (capitalised, two
    capitals, digits); its labels on plain words further on are not trusted."""
    for match in _NUMBER_START.finditer(sentence):
        try:
            tokens = usaddress.parse(sentence[match.start() : match.start() + _ADDRESS_SPAN])
        except Exception:  # the parser's own errors on odd text
            continue
        street = list(itertools.takewhile(lambda t: t[1] in _STREET_LABELS, tokens))
        street += _occupancy(tokens[len(street) :])
        if any(_not_a_street(word, label) for word, label in street):
            continue
        labels = {label for _, label in street}
        typed = labels & {"StreetNamePostType", "StreetNamePreType", "StreetNamePreDirectional"}
        if not ({"AddressNumber", "StreetName"} <= labels and typed):
            continue
        words = [word for word, _ in street]
        after = tokens[len(street) :]
        if (
            after
            and not words[-1].endswith(",")
            and _STREET_TYPE.fullmatch(after[0][0].rstrip(".,"))
        ):
            words.append(after[0][0])  # "90th Place": the type it read as a town name
        if not words[-1].endswith(","):
            return match.start(), " ".join(words).rstrip(".,;:)*")
        for word, label in tokens[len(street) :]:
            if not _looks_like(label, word.rstrip(".,")):
                break
            words.append(word)
        return match.start(), " ".join(words).rstrip(".,;:)*")
    return None


def _not_a_street(word: str, label: str) -> bool:
    """ "NOVEMBER 21, 2026 AT 10 AM", "5 Tuesdays": a date, a time or a count that the
    parser read as a street."""
    plain = word.strip(".,")
    name = label == "StreetName" and (plain.isdigit() or (plain.isalpha() and len(plain) < 3))
    return bool(_CALENDAR_WORD.fullmatch(plain) or _CLOCK_WORD.fullmatch(plain)) or name


def _occupancy(tokens: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """ "Suite 200", "Unit B": a unit type word and its one identifier, nothing more (the
    parser also labels a phone number after an address as one)."""
    if len(tokens) >= 2 and tokens[0][1] == "OccupancyType" and tokens[0][0][:1].isalpha():
        identifier = tokens[1][0].rstrip(".,")
        if tokens[1][1] == "OccupancyIdentifier" and identifier.isalnum() and len(identifier) <= 5:
            return [tokens[0], tokens[1]]
    return []


def _looks_like(label: str, word: str) -> bool:
    if _CALENDAR_WORD.fullmatch(word):
        return False
    return (
        (label == "PlaceName" and word[:1].isupper())
        or (label == "StateName" and len(word) == 2 and word.isupper())
        or (label == "ZipCode" and word.isdigit())
    )


def _matched_address(sentence: str) -> tuple[int, str] | None:
    match = _ADDRESS.search(sentence)
    return (match.start(), match.group(0).rstrip(".")) if match else None


_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"  # UK: KV3 2PL
    r"|[A-Z]\d[A-Z]\s?\d[A-Z]\d"  # Canada: M5V 2T6
    r"|\d{5}(?:-\d{4})?)\b"  # US ZIP
)
_STREET_PART = re.compile(rf",\s*(?:[A-Z][\w'.-]*\s+){{1,3}}(?:{_STREET})\b")


def is_place_name(name: str) -> bool:
    """A name that says where rather than what: a street address, a postcode, or a venue
    followed by its street ("St Aidan's Hall, Mill Lane"). "Fremont Street Shelter" is not
    one: a street word inside a name does not make it an address."""
    return bool(find_location(name) or _POSTCODE.search(name) or _STREET_PART.search(name))
