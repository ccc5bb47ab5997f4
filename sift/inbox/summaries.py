"""A label and a one-line description per cluster, so a creator scans topics, not messages.

With an LLM configured the small model writes them. Offline (or when the call fails) no
label is stored: the inbox then titles the cluster by its most representative question
(`listing.representative_question`), because keyword triples with filler words ("live ·
next · question") read as noise to creators, and a fan's own question reads as what is
asked. The keyword summary (TF-IDF with the clusters as documents) stays as the offline
*description* ("5 messages about refund, course").
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from sift.ai.llm import LLMError, get_llm
from sift.config import get_settings

log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z][a-z0-9']{2,}")
_STOPWORD_TEXT = """the and for are but not you your yours with this that have has had was were will
    would can could should what when where which who whom why how all any some there their
    they them then than too very just from into about over out our ours its it's i'm i've
    you're don't can't does did doing been being also only own same such more most other
    hey hi hello please thanks thank really much like get got know want need one two
    again ever still yet here let lot lots way make made going gonna wanna today
    tomorrow yesterday day time me my mine him his her hers she he we us an a of to in on
    is be do so if or as at by it no yes ok okay"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
KEYWORDS = 3
_MAX_TEXTS = 30
"""Texts per cluster shown to the model: enough to see the question, cheap in tokens."""


@dataclass(frozen=True)
class Summary:
    label: str
    description: str


class _LLMSummary(BaseModel):
    label: str = Field(description="2 to 5 words naming the question the fans ask")
    description: str = Field(description="one sentence describing what the fans want")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


def keyword_summaries(clusters: Sequence[Sequence[str]]) -> list[Summary]:
    """One keyword summary per cluster, each scored against all the others."""
    term_counts = [Counter(w for text in texts for w in _words(text)) for texts in clusters]
    document_freq = Counter(w for counts in term_counts for w in counts)
    n = len(clusters)
    out = []
    for texts, counts in zip(clusters, term_counts, strict=True):
        ranked = sorted(
            counts,
            key=lambda w: (-counts[w] * math.log((1 + n) / (1 + document_freq[w]) + 1), w),
        )
        keywords = ranked[:KEYWORDS]
        label = " · ".join(keywords) if keywords else "misc"
        topic = ", ".join(keywords) or "various things"
        count = f"{len(texts)} message{'s' if len(texts) != 1 else ''}"
        out.append(Summary(label, f"{count} about {topic}"))
    return out


def llm_summary(texts: Sequence[str]) -> Summary:
    """The small model's label and description; raises `LLMError` when it cannot help."""
    sample = "\n".join(f"- {t[:300]}" for t in texts[:_MAX_TEXTS])
    reply = get_llm().structured(
        f"Fans sent a creator these similar messages:\n{sample}\n\n"
        "Name the shared question in 2-5 words and describe it in one sentence.",
        _LLMSummary,
        model=get_settings().llm_model_small,
    )
    return Summary(reply.label.strip()[:80], reply.description.strip()[:240])


def summarise(clusters: Sequence[Sequence[str]]) -> list[Summary]:
    """Summaries of several clusters of one creator: the LLM's label and description where
    it answers, else no label (the cluster is titled by its representative question) and
    the keyword description."""
    offline = [Summary("", s.description) for s in keyword_summaries(clusters)]
    if not get_llm().configured:
        return offline
    out = []
    for texts, fallback in zip(clusters, offline, strict=True):
        try:
            out.append(llm_summary(texts))
        except LLMError as error:
            log.warning("cluster summary fell back to its representative question: %s", error)
            out.append(fallback)
    return out
