"""Are two records the same real thing? A pairwise matcher built for product listings.

Given two records (a title, a text, named extra fields), `DuplicateMatcher` scores how
likely they describe one real thing. It was trained on product records (Abt-Buy, two shops
listing the same cameras and televisions), where the strongest evidence for sameness is a
shared identifier: a model number, phone number, e-mail, URL, date or booking code.
Embeddings alone confuse *similar* things with *the same* thing (two cameras of one family
read almost alike), so identifiers are compared after normalisation (case, ``-``, ``/``,
``.`` removed) and also fuzzily, because sources abbreviate them (``tr72bx`` / ``tr72b``,
``dmcfs3a`` / ``dmc-fs3``). Surface overlap (tokens, character trigrams, numbers) and length
ratio catch what the other two miss; a date conflict marks another occurrence of a
recurring event. A logistic regression combines them; its weights and threshold are plain
code defaults, so the matcher runs with no training data and no model file.

This is *not* how the directory decides that two posts of one organization are the same
service: every post of one organization shares its phone, website and address, so
identifiers say nothing there. That judgement is `same_service`, used by the clean-up and
by the extraction sync. From this module the directory uses the `Record` shape and
`extract_identifiers` (the clean-up finds candidate pairs by shared identifiers); the
matcher's own decision is what `sift eval dedup` scores (`evaluation/dedup_scoring.py`
reads labelled pairs and re-learns the weights).

Everything per pair is cheap set arithmetic on per-record features computed once, and the
embeddings for all distinct texts are computed in one batch, so scoring thousands of pairs
takes about as long as embedding their distinct texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from sift.directory.extraction.text import EMAIL

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder

__all__ = [
    "FEATURE_NAMES",
    "DuplicateMatcher",
    "MatcherWeights",
    "PairFeatures",
    "Record",
    "compute_features",
    "embed_pairs",
    "extract_identifiers",
    "sigmoid",
]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One side of a candidate pair: a title, a free text and any other named fields.

    Posts map to ``title`` / ``description`` / ``{"contact": …, "location": …}``; products to
    ``name`` / ``description`` / ``{"price": …}``. Extra fields take part in identifier
    extraction (a phone number in ``contact`` is strong evidence) and in the full text.
    """

    title: str
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full_text(self) -> str:
        """Title, text and non-empty extra values, the form the full-text features compare."""
        parts = [self.title, self.text, *(v for v in self.extra.values() if v)]
        return " ".join(p.strip() for p in parts if p and p.strip())


# --------------------------------------------------------------------------------------------
# Identifiers and surface tokens
# --------------------------------------------------------------------------------------------

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')]+"
    # Bare domains only with common TLDs, so ``cu.ft`` or ``s.v.h`` never read as URLs;
    # starting only where a run of domain characters starts keeps long runs linear.
    r"|(?<![a-z0-9.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|info|biz|io|co|us|uk|ca"
    r"|au|nz|ie|de|fr|nl|eu)\b(?:/[^\s<>\"')]*)?",
    re.IGNORECASE,
)
# A full stop may end the sentence after a number (``Call 555-201-3344.``); only a dot that
# goes on (``555.123.4567.8``, a decimal) means the digits are part of something longer.
_PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
    r"(?!\w|\.\w)"
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
# A code candidate: a run of letters/digits possibly joined by - / . (``lc-32d64u``, ``mb591ll/a``).
_CODE = re.compile(r"[a-z0-9]+(?:[-/.][a-z0-9]+)*")
# Number plus short unit (``16gb``, ``1080p``, ``4x``, ``5400rpm``, ``4th``): a spec, not an id.
_MEASURE = re.compile(r"^\d+[a-z]{1,3}$")
# Number, hyphen, word (``2-line``, ``24-port``, ``130-watt``): a counted property, not an id.
_COUNTED = re.compile(r"^\d+-[a-z]+$")
_MIN_CODE = 3
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![a-z0-9.])\d+(?:[.,]\d+)?(?![a-z0-9])")
_SEPARATORS = re.compile(r"[-/.]")


def _normalise_code(token: str) -> str:
    return _SEPARATORS.sub("", token.lower())


def extract_identifiers(text: str) -> set[str]:
    """Identifiers in a text, normalised so two spellings of one identifier compare equal.

    Returns e-mails (``email:…``), URLs without scheme/``www``/trailing slash (``url:…``),
    phone numbers as their last 10 digits (bare, so that a phone written ``555-123-4567`` and
    a digit code ``5551234567`` compare equal), dates as ``date:YYYYMMDD`` and codes:
    tokens mixing letters and digits (``LC-32D64U`` → ``lc32d64u``) or digit runs of 5+
    (catalogue and booking numbers), minus number+unit specs such as ``16gb``.
    """
    ids: set[str] = set()
    lowered = text.lower()
    rest = lowered
    for m in EMAIL.finditer(lowered):
        ids.add("email:" + m.group(0).strip("."))
    rest = EMAIL.sub(" ", rest)
    for m in _URL.finditer(rest):
        url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0)).rstrip("/.,;")
        if url:
            ids.add("url:" + url)
    rest = _URL.sub(" ", rest)
    for m in _ISO_DATE.finditer(rest):
        ids.add(f"date:{m.group(1)}{int(m.group(2)):02d}{int(m.group(3)):02d}")
    rest = _ISO_DATE.sub(" ", rest)
    for m in _DMY_DATE.finditer(rest):
        ids.add(f"date:{m.group(3)}{int(m.group(2)):02d}{int(m.group(1)):02d}")
    rest = _DMY_DATE.sub(" ", rest)
    for m in _PHONE.finditer(rest):
        digits = re.sub(r"\D", "", m.group(0))
        if 7 <= len(digits) <= 15:
            ids.add(digits[-10:])
    rest = _PHONE.sub(" ", rest)
    for m in _CODE.finditer(rest):
        raw = m.group(0)
        code = _normalise_code(raw)
        has_digit = any(c.isdigit() for c in code)
        has_alpha = any(c.isalpha() for c in code)
        if has_digit and has_alpha:
            if len(code) >= _MIN_CODE and not _MEASURE.match(code) and not _COUNTED.match(raw):
                ids.add(code)
        elif has_digit and len(code) >= 5 and not re.search(r"[/.,]", raw):
            ids.add(code)  # catalogue/booking number; 10/100 or 1,000.5 are quantities
    return ids


def _code_similarity(a: str, b: str) -> tuple[float, float]:
    """(containment, variant) similarity of two different normalised codes, each in [0, 1].

    Containment covers truncated or prefixed spellings of one code (``tr72b`` in ``tr72bx``,
    ``24734`` in ``tv24734``). Variant covers codes that share a stem and then diverge
    (``dscw150b`` / ``dscw150n``: the same camera in two colours; two phone numbers or dates
    differing in the last digits): similar, but often *not* the same thing, so it gets its
    own weight. Both demand a digit in the shared part, so ``abc`` shared by ``abc123`` and
    ``abc999`` counts for nothing.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and short in long_ and any(c.isdigit() for c in short):
        return len(short) / len(long_), 0.0
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    if n >= 4 and any(c.isdigit() for c in a[:n]):
        return 0.0, n / len(long_)
    return 0.0, 0.0


def _id_match(a: frozenset[str], b: frozenset[str]) -> tuple[float, float, float]:
    """(exact share, best containment, best variant) between two identifier sets."""
    if not a or not b:
        return 0.0, 0.0, 0.0
    shared = a & b
    exact = len(shared) / min(len(a), len(b))
    contain = 1.0 if shared else 0.0
    variant = 0.0
    for x in a - shared:
        for y in b - shared:
            c, v = _code_similarity(x, y)
            contain = max(contain, c)
            variant = max(variant, v)
    return exact, contain, variant


@dataclass(frozen=True)
class _Surface:
    """Per-record surface features, computed once per distinct record."""

    ids: frozenset[str]
    key_ids: frozenset[str]
    dates: frozenset[str]
    title_words: frozenset[str]
    all_words: frozenset[str]
    title_grams: frozenset[str]
    title_numbers: frozenset[str]
    title_len: int


def _trigrams(text: str) -> frozenset[str]:
    squashed = " " + " ".join(_WORD.findall(text)) + " "
    return frozenset(squashed[i : i + 3] for i in range(len(squashed) - 2))


def _surface(record: Record) -> _Surface:
    title = record.title.lower()
    full = record.full_text.lower()
    ids = frozenset(extract_identifiers(record.full_text))
    return _Surface(
        ids=ids,
        key_ids=frozenset(extract_identifiers(record.title)) or ids,
        dates=frozenset(x for x in ids if x.startswith("date:")),
        title_words=frozenset(_WORD.findall(title)),
        all_words=frozenset(_WORD.findall(full)),
        title_grams=_trigrams(title),
        title_numbers=frozenset(n.replace(",", "") for n in _NUMBER.findall(title)),
        title_len=max(len(title.split()), 1),
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the larger: short listings vs long ones."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# --------------------------------------------------------------------------------------------
# Pair features
# --------------------------------------------------------------------------------------------

FEATURE_NAMES: tuple[str, ...] = (
    "cos_title",  # embedding cosine of the titles
    "cos_full",  # embedding cosine of title + text + extra fields
    "id_exact",  # shared normalised identifiers / size of the smaller identifier set
    "id_contain",  # best containment similarity of identifiers (1 when one is shared)
    "id_variant",  # best shared-stem-then-diverging similarity (colour/size variants)
    "id_conflict",  # both sides carry identifiers and none matches even fuzzily
    "key_id",  # each side's key identifiers (title ones, else all) are found on the other
    "title_jaccard",  # word Jaccard of the titles
    "title_trigram",  # character-trigram containment of the titles
    "word_containment",  # word containment of the full texts
    "number_agree",  # Jaccard of the plain numbers in the titles (sizes, capacities)
    "number_conflict",  # both titles carry numbers and share none
    "length_ratio",  # shorter / longer title length in words
    "date_conflict",  # both sides carry dates and share none (another occurrence of an event)
)


@dataclass(frozen=True)
class PairFeatures:
    """Feature matrix for many pairs, one row per pair in :data:`FEATURE_NAMES` order."""

    matrix: np.ndarray

    @classmethod
    def compute(
        cls,
        pairs: Sequence[tuple[Record, Record]],
        *,
        title_vectors: tuple[np.ndarray, np.ndarray],
        full_vectors: tuple[np.ndarray, np.ndarray],
    ) -> PairFeatures:
        """Build features from precomputed unit embeddings (left rows, right rows) per pair.

        Cosines are one vectorised row-wise dot product; surface features are set
        arithmetic on per-record summaries cached by record, since candidate pairs share
        records heavily (one post is compared with many).
        """
        n = len(pairs)
        m = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float64)
        if n == 0:
            return cls(m)
        m[:, 0] = np.einsum("ij,ij->i", title_vectors[0], title_vectors[1])
        m[:, 1] = np.einsum("ij,ij->i", full_vectors[0], full_vectors[1])
        cache: dict[tuple[str, str, tuple[tuple[str, str], ...]], _Surface] = {}

        def surface(record: Record) -> _Surface:
            key = _hashable_record(record)
            found = cache.get(key)
            if found is None:
                found = cache[key] = _surface(record)
            return found

        col = {name: k for k, name in enumerate(FEATURE_NAMES)}
        for i, (left, right) in enumerate(pairs):
            a, b = surface(left), surface(right)
            row = m[i]
            exact, contain, variant = _id_match(a.ids, b.ids)
            row[col["id_exact"]], row[col["id_contain"]], row[col["id_variant"]] = (
                exact,
                contain,
                variant,
            )
            if a.ids and b.ids and max(contain, variant) == 0.0:
                row[col["id_conflict"]] = 1.0
            # A title's identifier names the thing itself, while description ids often name
            # related things (ink cartridge -> compatible printers); posts rarely carry ids
            # in the title, so their key ids fall back to all ids (the contact phone, say).
            if a.key_ids or b.key_ids:
                ab = _id_match(a.key_ids, b.ids)[1] if a.key_ids else 1.0
                ba = _id_match(b.key_ids, a.ids)[1] if b.key_ids else 1.0
                row[col["key_id"]] = min(ab, ba)
            row[col["title_jaccard"]] = _jaccard(a.title_words, b.title_words)
            row[col["title_trigram"]] = _containment(a.title_grams, b.title_grams)
            row[col["word_containment"]] = _containment(a.all_words, b.all_words)
            if a.title_numbers and b.title_numbers:
                agree = _jaccard(a.title_numbers, b.title_numbers)
                row[col["number_agree"]] = agree
                row[col["number_conflict"]] = 1.0 if agree == 0.0 else 0.0
            row[col["length_ratio"]] = min(a.title_len, b.title_len) / max(a.title_len, b.title_len)
            if a.dates and b.dates and not a.dates & b.dates:
                row[col["date_conflict"]] = 1.0
        return cls(m)


def _hashable_record(record: Record) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return record.title, record.text, tuple(sorted(record.extra.items()))


def embed_pairs(
    pairs: Sequence[tuple[Record, Record]], embedder: Embedder
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Embed every distinct title and full text of the pairs in one batch.

    Returns ``((title_left, title_right), (full_left, full_right))`` row-aligned with pairs.
    """
    index: dict[str, int] = {}
    texts: list[str] = []

    def slot(text: str) -> int:
        found = index.get(text)
        if found is None:
            found = index[text] = len(texts)
            texts.append(text)
        return found

    rows = np.array(
        [
            [slot(left.title), slot(right.title), slot(left.full_text), slot(right.full_text)]
            for left, right in pairs
        ],
        dtype=np.int64,
    ).reshape(-1, 4)
    if not texts:
        empty = np.zeros((0, 1), dtype=np.float32)
        return (empty, empty), (empty, empty)
    vectors = embedder.embed(texts)
    return (vectors[rows[:, 0]], vectors[rows[:, 1]]), (vectors[rows[:, 2]], vectors[rows[:, 3]])


def compute_features(pairs: Sequence[tuple[Record, Record]], embedder: Embedder) -> np.ndarray:
    """Feature matrix for pairs, embedding their distinct texts in one batch."""
    titles, fulls = embed_pairs(pairs, embedder)
    return PairFeatures.compute(pairs, title_vectors=titles, full_vectors=fulls).matrix


# --------------------------------------------------------------------------------------------
# Weights and scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatcherWeights:
    """Logistic-regression weights on raw features plus the decision threshold.

    The defaults were learned by ``bench/tune_dedup.py --train`` on the Abt-Buy *train*
    split only; the threshold was picked on cross-validated train predictions so that
    precision stays at or above the target. Kept as code, not a model file, so a reviewer
    sees exactly what decides a merge and a change to them is a reviewed diff.
    """

    bias: float = -8.9184
    cos_title: float = 5.3152
    cos_full: float = 2.0290
    id_exact: float = 1.1450
    id_contain: float = -0.6029
    id_variant: float = -4.1390
    id_conflict: float = -3.1229
    key_id: float = 3.6952
    title_jaccard: float = -3.0884
    title_trigram: float = 2.3089
    word_containment: float = 3.4170
    number_agree: float = -0.0314
    number_conflict: float = -1.0814
    length_ratio: float = -0.3553
    # Hand-set prior, not learned: Abt-Buy has no dates. Weekly posts of one event differ
    # only in the date and are different things, so a date conflict all but vetoes a merge.
    date_conflict: float = -6.0
    threshold: float = 0.5957

    def vector(self) -> np.ndarray:
        """Feature weights in :data:`FEATURE_NAMES` order."""
        return np.array([getattr(self, name) for name in FEATURE_NAMES], dtype=np.float64)

    def as_code(self) -> str:
        """The weights as keyword arguments, ready to paste as new code defaults."""
        return ",\n".join(f"    {k}={v:.4f}" for k, v in asdict(self).items())


assert [f.name for f in fields(MatcherWeights)][1:-1] == list(FEATURE_NAMES)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, clipped so that extreme scores neither overflow nor warn."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


class DuplicateMatcher:
    """Scores candidate pairs with fixed weights; higher score = more likely the same thing."""

    def __init__(self, weights: MatcherWeights | None = None, embedder: Embedder | None = None):
        self.weights = weights or MatcherWeights()
        if embedder is None:
            from sift.ai.embeddings import get_embedder

            embedder = get_embedder()
        self.embedder = embedder

    def score_features(self, features: np.ndarray) -> np.ndarray:
        """Probability-like scores in [0, 1] from a precomputed feature matrix."""
        w = self.weights
        return sigmoid(features @ w.vector() + w.bias)

    def score_pairs(self, pairs: Sequence[tuple[Record, Record]]) -> np.ndarray:
        """Scores for many pairs; all distinct texts are embedded in one batch."""
        if not pairs:
            return np.zeros(0)
        return self.score_features(compute_features(pairs, self.embedder))

    def is_duplicate(self, pairs: Sequence[tuple[Record, Record]]) -> np.ndarray:
        """Boolean decisions at the stored threshold, one per pair."""
        return self.score_pairs(pairs) >= self.weights.threshold
