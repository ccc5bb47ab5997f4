"""A page's layout into candidate items: one block of text per thing the page names.

Pages written by people come in a few shapes, and each names its things in its own place:
a service page (an h1 with facet sections such as Hours / Location), a listing (a heading
per program, at whatever level), a calendar (date headings, the event's name in bold
below), an FAQ (question headings, the service in bold inside the answer), a table with one
row per class, or paragraphs that each open with a bold name. The reader below walks the
heading tree and picks the name from where that shape keeps it, so no title is a section
heading like "Our Locations" or a date. The footer (after the last `---`) is kept apart:
it holds the organisation's general phone and address, a fallback for every item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sift.directory.extraction.addresses import is_place_name
from sift.directory.extraction.text import clean_inline, parse_schedule

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:---+|\*\*\*+|___+)\s*$")
_BOLD_LEAD = re.compile(r"^\s*(?:[-*+]\s+)?(?:~~)?\*\*(?P<name>[^*]{3,90}?)\*\*")
_BULLET_ENTRY = re.compile(
    r"^\s*[-*+]\s+(?P<name>[^\u2013\u2014:]{3,80}?)\s+(?:\u2013|\u2014|-|:)\s+(?P<detail>.+)$"
)
_TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_FACET = re.compile(
    r"^(?:what(?: to (?:bring|expect)| it is| you get)?|when|where|who\b.*|contact.*"
    r"|how to\b.*|hours|schedule|times?|cost|fees?"
    r"|prices?|eligib\w*|location|address|details|registration|sign[ -]?up|requirements"
    r"|about (?:this|the) \w+|horario|d[oó]nde|cu[aá]ndo|requisitos)$",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:every|each|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tue|wed|thu|fri|sat|sun"
    r"|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*"
    r"|am|pm|noon|\d+(?:st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
_NAME_CUT = re.compile(r"\s+(?:\u2014|\u2013|-|:)\s+|[.!]\s|[.!:]$")
_PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
_LINK = re.compile(r"\[([^\]]{3,90})\]\([^)]*\)")
_LINK_CHROME = re.compile(r"^(?:read|learn|see|click|view|back|more|find out|go)\b", re.I)
_FEW = 3
"""A heading with this many sub-sections or fewer can be a thing with side notes (a league
with its coaches and store); one with more is an index page whose intro describes no one
thing."""
_SECTION_WORDS = frozenset(
    {
        "a", "about", "activities", "all", "an", "and", "article", "asked", "can", "class",
        "classes", "details", "do", "donate", "donations", "entry", "event", "events", "faq",
        "faqs", "for", "frequently", "get", "give", "giving", "help", "here", "highlights",
        "home", "how", "in", "info", "information", "involved", "item", "latest", "more",
        "news", "of", "opportunities", "opportunity", "our", "overview", "page", "part",
        "post", "program", "programme", "programmes", "programs", "questions", "resources",
        "section", "service", "services", "source", "support", "the", "to", "updates",
        "upcoming", "us", "volunteer", "volunteering", "volunteers", "way", "ways", "we",
        "welcome", "what", "you", "your",
        "ayudar", "cómo", "eventos", "nuestros", "nuestras", "oportunidades", "programas",
        "preguntas", "puede", "servicios", "voluntarios",
    }
)  # fmt: skip
"""Words of headings that name a kind of section ("Volunteer Opportunities", "How you can
help", "FAQ") or a position in a feed ("SOURCE 1", "--- Post 1 ---") rather than a thing."""
_FAQ_SHARE = 0.5
"""Question headings, among a heading's sub-sections, that make it an FAQ."""


@dataclass
class Block:
    """A candidate item: its name, the text that describes it, where it sat on the page."""

    title: str
    text: str
    context: str = ""  # headings above it ("For Adults"), which say what kind of thing it is


@dataclass
class _Node:
    level: int
    heading: str
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()

    def full_text(self) -> str:
        return _own_text(self, self.children)


@dataclass(frozen=True)
class Layout:
    title: str | None
    blocks: list[Block]
    footer: str


def split_footer(content: str) -> tuple[str, str]:
    """The main text and the footer after the last horizontal rule, when the footer is short."""
    lines = content.splitlines()
    rules = [i for i, line in enumerate(lines) if _RULE.match(line)]
    if rules and len(lines) - rules[-1] <= 8:
        return "\n".join(lines[: rules[-1]]), "\n".join(lines[rules[-1] + 1 :])
    return content, ""


def _tree(content: str) -> _Node:
    root = _Node(0, "")
    stack = [root]
    for line in content.splitlines():
        match = _HEADING.match(line)
        if match:
            node = _Node(len(match.group(1)), clean_inline(match.group(2)))
            while stack[-1].level >= node.level:
                stack.pop()
            stack[-1].children.append(node)
            stack.append(node)
        elif not _RULE.match(line):
            stack[-1].lines.append(line)
    return root


def is_date_heading(heading: str) -> bool:
    """`Saturday, November 21 · 10:00 am` or `Every Tuesday`: a when, not a name."""
    rest = _DATE_WORDS.sub(" ", heading)
    return bool(_DATE_WORDS.search(heading)) and not re.search(r"[A-Za-z]{3,}", rest)


def is_facet(name: str) -> bool:
    """A label of one side of a thing ("When", "Cost", "Who"), not the name of a thing."""
    return bool(_FACET.match(name.strip(" *:")))


def is_section_name(title: str) -> bool:
    """A heading made only of section words, numbers and marks: no name of a thing."""
    return all(word in _SECTION_WORDS for word in re.findall(r"[^\W\d_]+", title.lower()))


def _is_question(heading: str) -> bool:
    return heading.rstrip().endswith("?")


def _is_sentence(heading: str) -> bool:
    """ "A place to belong." is a tagline: a name has no full stop (abbreviations aside)."""
    return heading.rstrip().endswith(".") and len(heading.split()) >= 3


def bold_name(body: str) -> str | None:
    """The first bold phrase that reads as a name (not a phone, a price or a sentence)."""
    for match in re.finditer(r"\*\*([^*]{3,90}?)\*\*", body):
        name = _NAME_CUT.split(clean_inline(match.group(1)), maxsplit=1)[0].strip(" .:")
        plain = len(name) >= 3 and not _PHONE_LIKE.match(name) and name[0].isupper()
        if plain and len(name.split()) <= 8 and not is_date_heading(name):
            return name
    return None


def link_name(body: str) -> str | None:
    """The first link whose text names something ("Give to the Diaper Bank", "Sign up for
    a shift"), not page chrome ("Read more", "Donate")."""
    for match in _LINK.finditer(body):
        name = clean_inline(match.group(1)).strip(" .:\u2192\u00bb>")
        named = len(name.split()) >= 2 and name[0].isupper() and not is_section_name(name)
        if named and not _LINK_CHROME.match(name):
            return name
    return None


def _name_for(node: _Node) -> str:
    """Where each page shape keeps the name: the heading, or bold text under a date or a
    question heading."""
    heading = node.heading
    if is_date_heading(heading) or _is_question(heading) or _is_sentence(heading):
        return bold_name(node.body) or heading
    return heading


def _split_facets(node: _Node) -> tuple[list[_Node], list[_Node]]:
    """Sub-sections that say something about this node's thing, and those naming others.

    A facet is a section like Hours / Where / Who, a list of the sites where the thing is
    held (one service at two centres stays one post), or, in an FAQ, a question whose
    answer names no program of its own ("Do you charge fees?" is about the organisation's
    service, not a service).
    """
    questions = sum(_is_question(c.heading) for c in node.children)
    faq = len(node.children) >= _FEW and questions >= _FAQ_SHARE * len(node.children)
    facets: list[_Node] = []
    others: list[_Node] = []
    for child in node.children:
        unnamed_answer = faq and _is_question(child.heading) and not bold_name(child.body)
        if _FACET.match(child.heading) or unnamed_answer or _lists_sites(child.body):
            facets.append(child)
        else:
            others.append(child)
    return facets, others


def _lists_sites(body: str) -> bool:
    """A body whose listed entries are all places: sites of one thing, not things."""
    for reader in (_table_entries, _bullet_entries, _bold_paragraphs):
        names = [name for name, _ in reader(body)]
        if len(names) >= 2:
            return all(is_place_name(name) for name in names)
    return False


def read_layout(content: str, page_title: str | None = None) -> Layout:
    """The page's candidate items, in page order, and its footer."""
    main, footer = split_footer(content)
    root = _tree(main)
    tops = root.children
    if len(tops) == 1 and tops[0].level == 1 and not root.body:
        root = tops[0]
    title = root.heading or page_title
    blocks: list[Block] = []
    _walk(root, blocks, context=[], name=title or "")
    return Layout(title=title, blocks=blocks, footer=footer)


def _walk(node: _Node, out: list[Block], *, context: list[str], name: str) -> None:
    """A node with no sub-headings, or mostly facet sub-headings, is one thing (unless its
    body lists several); any other node is a container whose children are walked."""
    facets, others = _split_facets(node)
    where = " / ".join(c for c in context if c)
    inner = [*context, node.heading] if node.level else context
    entries = _body_entries(node.body, inner)
    text = _own_text(node, facets)
    if name != node.heading and node.heading:
        text = f"{node.heading}\n\n{text}"  # a date heading says when the named thing is
    if not node.children or (facets and len(facets) >= len(others)):
        if entries and not node.children:
            out.extend(entries)
        elif node.body or facets:
            out.append(Block(name, f"# {name}\n\n{text}", where))
    elif entries:
        out.extend(entries)
    elif len(node.children) <= _FEW and _describes_one_thing(node):
        out.append(Block(name, f"# {name}\n\n{text}", where))
    for child in others:
        _walk(child, out, context=inner, name=_name_for(child))


def _describes_one_thing(node: _Node) -> bool:
    """A container's own text that says when something happens is a thing, not an intro;
    under a tagline ("A place to belong.") it introduces the organisation."""
    body = node.body
    named = not _is_sentence(node.heading)
    return named and len(body) >= 150 and bool(parse_schedule(body) or _DATE_WORDS.search(body))


def _own_text(node: _Node, facets: list[_Node]) -> str:
    parts = [node.body] + [f"## {c.heading}\n{c.full_text()}" for c in facets]
    return "\n\n".join(p for p in parts if p.strip())


def _body_entries(body: str, context: list[str]) -> list[Block]:
    """Items named inside a body: table rows, `Name - detail` bullets, or paragraphs that
    each open with a bold name. Fewer than two means the body names no list."""
    where = " / ".join(c for c in context if c)
    if _lists_sites(body):
        return []
    for reader in (_table_entries, _bullet_entries, _bold_paragraphs):
        entries = reader(body)
        if len(entries) >= 2:
            return [Block(name, f"# {name}\n\n{text}", where) for name, text in entries]
    return []


def _table_entries(body: str) -> list[tuple[str, str]]:
    """One entry per row of a table whose first column names things; rows whose names share
    a first word (`ESL Level 1`, `ESL Morning`) are one class in several sections."""
    rows = [line for line in body.splitlines() if _TABLE_ROW.match(line)]
    if len(rows) < 3 or not _TABLE_RULE.match(rows[1]):
        return []
    header = [clean_inline(c) for c in rows[0].strip().strip("|").split("|")]
    groups: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for row in rows[2:]:
        cells = [clean_inline(c) for c in row.strip().strip("|").split("|")]
        if not cells or not re.search(r"[A-Za-z]{3,}", cells[0]) or is_date_heading(cells[0]):
            return []  # a table of days or hours describes one thing, it lists nothing
        key = cells[0].split()[0].lower()
        line = "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=False) if c)
        groups.setdefault(key, []).append(line + ".")
        names.setdefault(key, []).append(cells[0])
    return [(_common_name(names[k]), "\n".join(lines)) for k, lines in groups.items()]


def _common_name(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    split = [n.split() for n in names]
    common: list[str] = []
    for words in zip(*split, strict=False):
        if len({w.lower() for w in words}) != 1:
            break
        common.append(words[0])
    return " ".join(common).strip(" -\u2014\u2013") or names[0]


def _bullet_entries(body: str) -> list[tuple[str, str]]:
    found = [m for line in body.splitlines() if (m := _BULLET_ENTRY.match(line))]
    return [(clean_inline(m.group("name")), clean_inline(m.group("detail"))) for m in found]


def _bold_paragraphs(body: str) -> list[tuple[str, str]]:
    out = []
    for paragraph in re.split(r"\n\s*\n", body):
        match = _BOLD_LEAD.match(paragraph)
        if match:
            name = _NAME_CUT.split(clean_inline(match.group("name")), maxsplit=1)[0].strip(" .:")
            out.append((name, paragraph.strip()))
    if len(out) < 2 or len(out) * 2 < len(re.split(r"\n\s*\n", body.strip())):
        return []
    return out
