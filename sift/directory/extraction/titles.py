"""What a post is titled by: the thing offered, never what only frames it on the page.

A page's text carries many short strings that sit where a name would but name nothing:

- a news **dateline** ("JACKSONVILLE, Fla. -", "COLUMBUS, Ohio (AP) --") opens a story
  with the place it was filed from;
- a **when** ("Monday", "Tuesday and", "9:30 - 11") says when a thing happens;
- a **remark label** ("Note:", "Reminder:", "Please note:") marks a remark on the item
  above it, not an item;
- a **question** ("Are you 16 or 17?", "Is the pantry open today?") asks what the text below
  answers;
- a **range** ("about 1 1/2 - 2 hours", "monday - friday") has a dash inside it, so what
  stands before the dash is half of it, not a name followed by its details.

When an item has no name of its own, its title is the noun phrase its lead sentence
introduces ("Columbia will run a temporary overnight warming center at the Wabash Bus
Station on Saturday" → "Temporary overnight warming center at the Wabash Bus Station"):
an offer is told by introducing it with an indefinite article, in English, Spanish and
German alike.
"""

from __future__ import annotations

import re

from sift.directory.extraction.text import DAY_WORDS

_DATELINE = re.compile(
    r"^\s*(?:\*\*)?(?P<place>[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3})"
    r"(?:(?P<state>,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})(?:\*\*)?"
    r"(?:\s*\((?:AP|Reuters|AFP|dpa|EFE|CNN|UPI)\))?"
    r"|(?:\*\*)?\s*\((?:AP|Reuters|AFP|dpa|EFE|CNN|UPI)\))\s*[\u2013\u2014-]{1,2}\s+(?=\S)"
)
"""A place in capitals with its state or country, or with the wire that filed it, and a
dash, opening a paragraph: where a news story was filed from, before its first sentence.
A capitalised word alone before a dash ("FAQ -", "FOOD PANTRY -") is a heading, not one."""

_WHEN_WORD = re.compile(
    rf"^(?:(?:{DAY_WORDS})\.?|and|or|to|through|thru|&|y|und|bis|every|each|from|\d[\d:.]*"
    r"|[ap]\.?m\.?|noon|midnight|weekdays?|weekends?|daily)$",
    re.IGNORECASE,
)
_REMARK_WORDS = (
    r"(?:please\s+)?(?:note|nb|n\.b\.|p\.?s\.?|reminder|important|update|tip|warning"
    r"|disclaimer|nota|aviso|ojo|hinweis|achtung|wichtig)"
)
"""The labels every language puts before a remark: a closed class of words, like articles."""
_REMARK_LABEL = re.compile(rf"^{_REMARK_WORDS}$", re.IGNORECASE)
_REMARK_OPENING = re.compile(
    rf"^\s*(?:\*\*)?{_REMARK_WORDS}(?:\*\*)?\s*[:!\u2013\u2014-]", re.IGNORECASE
)
_RANGE_END = re.compile(rf"(?:\d|\b(?:{DAY_WORDS})\.?)$", re.IGNORECASE)
_RANGE_START = re.compile(rf"^\s*(?:\d|(?:{DAY_WORDS})\b)", re.IGNORECASE)

_ARTICLE = re.compile(
    r"(?:^|\s)(?P<article>an?|un|una|ein|eine|einen|einem|einer)\s+(?=[\w'\u2018\u201c\"])",
    re.IGNORECASE,
)
_PHRASE_STOP = re.compile(
    rf"^(?:to|from|on|every|each|who|that|which|where|when|until|by|with|if|because|so"
    rf"|during|this|next|starting|beginning|since|after|before|between|is|are|was|were|will"
    rf"|but|as|than|a|que|para|de|el|la|los|las|desde|hasta|con|der|die|das|von|zu"
    rf"|am|um|ab|bis|mit|und|oder|(?:{DAY_WORDS})\.?|\d.*)$",
    re.IGNORECASE,
)
"""Where an introduced thing's name ends: a preposition of time or aim, a clause, a verb,
a day or a number (its details), punctuation."""
_PLACE_PREPOSITION = re.compile(r"^(?:at|in|of|for|en|del|im|bei)$", re.IGNORECASE)
_QUANTIFIER = re.compile(
    r"(?:few|lot|lots|number|couple|bit|little|great|good|bunch|total|half|dozen|while"
    r"|long|variety|range|series)\b",
    re.IGNORECASE,
)
"""Words that make "a …" a quantity or a span ("a few", "a lot of", "a while")."""
_SPANISH_WORD = re.compile(r"\b(?:de|la|el|los|las|que|y|en|para|con|del|por)\b", re.I)
_ENGLISH_WORD = re.compile(r"\b(?:the|and|of|to|for|with|is|are|will|on|at)\b", re.I)
_POSSESSIVE = re.compile(
    r"\b(?:is|are|will|to|opens?|holds?|holding|hosts?|hosting|runs?|running|offers?"
    r"|offering|launch\w*|starts?|starting)\s+(?:its|their|our)\s+(?:\d+(?:st|nd|rd|th)\s+)?",
    re.IGNORECASE,
)
"""A possessive after a verb introduces the thing as an article does ("is holding its
20th annual Healthy Community Day"); after a preposition ("at its premises") it does not."""
_SUBJECT = re.compile(
    r"^(?:the\s+)?(?P<subject>[^\W\d_][\w'\u2019&-]*(?:\s+[\w'\u2019&-]+){1,5}?)\s+"
    r"(?:usually\s+|also\s+|now\s+)?(?:is|are|will|can|opens?|meets?|runs?|offers?|serves?"
    r"|gives?|provides?|hosts?|holds?|takes?|helps?|welcomes?)\b",
    re.IGNORECASE,
)
"""A sentence's subject before the verb that tells what it does ("The Men's Shed opens")."""
_NO_SUBJECT = re.compile(
    r"^(?:it|there|this|that|these|those|you|we|they|he|she|i|our|your|their|its|all|some"
    r"|many|each|every|one|everyone|anyone)\b",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"^(?:and|or|y|o|und|oder|&)$", re.IGNORECASE)
"""Conjunctions go on a phrase ("a hot and healthy dinner") but never end one."""
_PHRASE_WORDS = 10
_MIN_PHRASE_WORDS = 2


def strip_dateline(text: str) -> str:
    """`text` without the dateline that opens it, if any."""
    return _DATELINE.sub("", text, count=1)


def is_dateline(name: str) -> bool:
    """A name that is a dateline's place ("JACKSONVILLE, Fla.")."""
    return bool(_DATELINE.match(f"{name.strip()} \u2013 x"))


def only_when(name: str) -> bool:
    """Only days, times and the words joining them ("Monday", "Tuesday and", "9 - 11")."""
    words = re.findall(r"[\w.:&]+", name)
    return bool(words) and all(_WHEN_WORD.match(w) for w in words)


def is_remark_label(name: str) -> bool:
    """ "Note", "Please note", "Reminder": a label before a remark, not a name."""
    return bool(_REMARK_LABEL.match(name.strip(" *:.!")))


def opens_with_remark(text: str) -> bool:
    """The text is a remark ("Note: volunteers can't give legal advice.") on what precedes."""
    return bool(_REMARK_OPENING.match(text))


def is_question(name: str) -> bool:
    return name.rstrip(" *").endswith("?")


_INVITING = re.compile(
    r"^[\s\u00bf*]*(?:(?P<lead>(?:do you |are you )?(?:need|looking for|want|wanting"
    r"|interested in|in need of|searching for|necesita[sn]?|busca[sn]?|brauchen sie"
    r"|suchen sie))\s+(?P<object>[^?]+)"
    r"|(?:how|ways?|c[oó]mo|wie)\b[^?]*\b(?:help|give|join|volunteer|get involved|take part"
    r"|ayudar|participar|helfen|mitmachen)\b[^?]*)\?",
    re.IGNORECASE,
)
"""A question that invites ("Need emergency food?", "How can you help?"): a heading that
offers what it asks about, unlike one that asks about the reader ("Are you 16 or 17?") or
the facts ("Is the pantry open today?")."""


def invites(question: str) -> bool:
    return bool(_INVITING.match(question.strip()))


def invited_thing(question: str) -> str | None:
    """What an inviting question offers ("Need emergency food?" → "Emergency food")."""
    match = _INVITING.match(question.strip())
    found = match.group("object") if match else None
    if not found:
        return None
    thing = re.sub(r"^(?:an?|some|any|help with|help)\s+", "", found.strip(" *"), flags=re.I)
    return thing[:1].upper() + thing[1:] if thing else None


def dash_in_range(before: str, after: str) -> bool:
    """The dash between `before` and `after` joins a range ("1 1/2 - 2", "monday -
    friday"): what stands before it is half of the range, not a name."""
    return bool(_RANGE_END.search(before.strip(" *"))) and bool(_RANGE_START.match(after))


def frames_only(name: str) -> bool:
    """A string that sits where a name would but names nothing offered."""
    return is_dateline(name) or only_when(name) or is_remark_label(name) or is_question(name)


def offer_phrase(sentence: str) -> str | None:
    """The noun phrase a lead sentence introduces, with the named place it is at ("a
    temporary overnight warming center at the Wabash Bus Station"), capitalised: the first
    one brought in by an indefinite article, else by a possessive after a verb ("is
    holding its annual Healthy Community Day"), else the sentence's subject when it is a
    name of two or more words ("Practice interviews usually take…"); None when there is
    none of these."""
    spanish = len(_SPANISH_WORD.findall(sentence)) > len(_ENGLISH_WORD.findall(sentence))
    starts = [
        m.end()
        for m in _ARTICLE.finditer(sentence)
        if not (spanish and m.group("article").lower() in ("a", "an"))
    ]  # "de lunes a domingo": Spanish "a" is a preposition
    starts += [m.end() for m in _POSSESSIVE.finditer(sentence)]
    for start in sorted(starts):
        rest = sentence[start:]
        if _QUANTIFIER.match(rest):
            continue  # "a few volunteers put…": a quantity, not a thing introduced
        phrase = _phrase(rest)
        if phrase:
            return phrase
    subject = _SUBJECT.match(sentence)
    if not subject or _NO_SUBJECT.match(subject.group("subject")):
        return None
    name = subject.group("subject")
    whole = len(_phrase_words(name)) == len(name.split())  # "The last day to donate is"
    return _phrase(name) if whole else None


def _phrase(rest: str) -> str | None:
    words = _phrase_words(rest)
    while words and _TRAILING.match(words[-1]):
        words.pop()
    if len(words) < _MIN_PHRASE_WORDS:
        return None
    phrase = " ".join(words).strip(" '\u2018\u2019\"\u201c\u201d")
    return phrase[:1].upper() + phrase[1:]


def _phrase_words(rest: str) -> list[str]:
    tokens = re.findall(r"[^\s,;:.()!?\u2013\u2014]+|[,;:.()!?\u2013\u2014]", rest)
    words: list[str] = []
    k = 0
    while k < len(tokens) and len(words) < _PHRASE_WORDS:
        token = tokens[k]
        if not re.match(r"[\w'\u2018\u2019\"\u201c\u201d&-]", token) or _PHRASE_STOP.match(token):
            break
        if _PLACE_PREPOSITION.match(token):
            place = _named_place(tokens[k + 1 :])
            if not place:
                break
            words += [token, *place]
            break
        words.append(token)
        k += 1
    return words[:_PHRASE_WORDS]


def _named_place(tokens: list[str]) -> list[str]:
    """Capitalised words after a preposition ("the Wabash Bus Station"), else nothing."""
    out: list[str] = []
    for token in tokens:
        if not out and token.lower() in ("the", "la", "el", "der", "die", "dem"):
            out.append(token)
            continue
        if token[:1].isupper() and token[:1].isalpha():
            out.append(token)
            continue
        break
    named = [w for w in out if w[:1].isupper()]
    return out if named and not (len(out) == 1 and out[0].lower() in ("the",)) else []
