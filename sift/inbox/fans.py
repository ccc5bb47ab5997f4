"""Generated fan messages for the demo and the benchmark: recurring questions, each asked
in several phrasings, so clustering has real groups to find (deterministic per seed)."""

from __future__ import annotations

import random
from dataclasses import dataclass

QUESTIONS: dict[str, list[str]] = {
    "merch": [
        "Where can I buy your merch?",
        "Is there a store for your merch?",
        "where do I get your hoodies and merch",
        "Do you sell merch anywhere online?",
    ],
    "live": [
        "When is your next live stream?",
        "What time is the next live stream?",
        "when are you going live next??",
        "Is there a live stream this week?",
    ],
    "collab": [
        "Would you ever do a collab with my channel?",
        "Are you open to collaborations?",
        "can we collab on a video sometime",
    ],
    "camera": [
        "What camera do you use for your videos?",
        "Which camera do you film with?",
        "what camera and lens are you using?",
    ],
    "tour": [
        "Are you coming to Berlin on your tour?",
        "Will the tour stop in Germany?",
        "any tour dates in Berlin this year?",
    ],
    "course": [
        "Is your course refundable?",
        "Can I get a refund for the course?",
        "what's the refund policy on your course",
    ],
}
FILLERS = ["", "", "Hi! ", "Hey :) ", "Love your stuff! ", "Quick question: "]
FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Finn", "Gia", "Hugo", "Ivy", "Jon", "Kai"]


@dataclass(frozen=True)
class FanMessage:
    channel: str
    visitor: str
    topic: str
    text: str


def phrase(topic: str, rng: random.Random) -> str:
    return rng.choice(FILLERS) + rng.choice(QUESTIONS[topic])


def fan_inbox(channels: int, messages: int, *, seed: int = 0) -> list[FanMessage]:
    """`messages` questions from `channels` fans; some fans write more than once."""
    rng = random.Random(seed)
    fans = [
        (f"fan-{i:04d}", f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {chr(65 + i % 26)}.")
        for i in range(channels)
    ]
    order = list(range(channels)) + [rng.randrange(channels) for _ in range(messages - channels)]
    topics = list(QUESTIONS)
    return [
        FanMessage(fans[i][0], fans[i][1], topic, phrase(topic, rng))
        for i in order
        for topic in [rng.choice(topics)]
    ]


def varied_text(rng: random.Random, serial: int) -> str:
    """A distinct message (no embedding cache hit) on one of the recurring topics."""
    topic = rng.choice(list(QUESTIONS))
    name = rng.choice(FIRST_NAMES)
    return f"{phrase(topic, rng)} — {name} #{serial}"
