"""The generated organization `sift bench extract` runs on: website service pages, social
posts announcing the same services, chatter and reposts, deterministic for a seed."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from sift.directory.schedules import WEEKDAYS

_ACTIVITIES = (
    "Chess Club", "Food Pantry", "Homework Help", "Tax Preparation", "ESL Conversation",
    "Knitting Circle", "Bike Repair Clinic", "Yoga", "Computer Basics", "Job Search Workshop",
    "Community Garden", "Story Time", "Walking Group", "Soccer Practice", "Art Studio",
    "Choir", "Legal Advice Clinic", "Blood Pressure Checks", "Cooking Class", "Book Club",
    "Coding Club", "Tenant Rights Workshop", "Repair Cafe", "Clothing Swap", "Grief Support",
)  # fmt: skip
_QUALIFIERS = (
    "Morning", "Evening", "Weekend", "Beginner", "Advanced", "Drop-in", "Neighbourhood",
    "Riverside", "Free", "Outdoor", "Lunchtime", "Summer",
)  # fmt: skip
_BRANCHES = ("Elm Street", "Harbor Hall", "Mill Lane", "North Library", "Old Station")
_AUDIENCES = (
    ("youth", "kids aged 8 to 12"),
    ("families", "families with young children"),
    ("adults", "adults"),
    ("seniors", "seniors 60 and over"),
    (None, "everyone"),
)
_DAYS = WEEKDAYS[:6]  # the generated centre is closed on Sundays
_SLOTS = (("9am", "11am"), ("10am", "12pm"), ("1pm", "3pm"), ("4pm", "6pm"), ("6pm", "8pm"))
_CHATTER = (
    "Thank you to all our volunteers for a wonderful year! #Riverside",
    "Happy holidays from all of us at Riverside Community Network!",
    "What a turnout at last weekend's street fair. Photos are in our stories.",
    "Our building will be closed on Monday for the public holiday.",
    "Meet Dana, who has volunteered with us for ten years. We are so grateful!",
)
BENCH_DOMAIN = "riverside-bench.example"
BENCH_HANDLE = "riversidebench"


@dataclass(frozen=True)
class BenchPage:
    """One generated page: a website page (`path` on the bench domain) or a social post."""

    source: str  # "website" or "instagram"
    path: str
    title: str | None
    content: str


@dataclass(frozen=True)
class GeneratedOrg:
    pages: list[BenchPage]
    services: int

    @property
    def website_pages(self) -> int:
        return sum(p.source == "website" for p in self.pages)

    @property
    def social_posts(self) -> int:
        return sum(p.source != "website" for p in self.pages)


@dataclass(frozen=True)
class _Service:
    name: str
    audience: str | None
    who: str
    day: str
    start: str
    end: str
    place: str
    phone: str
    email: str


def _services(count: int, rng: random.Random) -> list[_Service]:
    names = [f"{q} {a}" for q in _QUALIFIERS for a in _ACTIVITIES]
    names += [f"{n} at {b}" for b in _BRANCHES for n in list(names)]
    rng.shuffle(names)
    out = []
    for i in range(count):
        audience, who = _AUDIENCES[i % len(_AUDIENCES)]
        start, end = rng.choice(_SLOTS)
        slug = re.sub(r"[^a-z0-9]+", "-", names[i % len(names)].lower()).strip("-")
        out.append(
            _Service(
                name=names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else ""),
                audience=audience,
                who=who,
                day=rng.choice(_DAYS),
                start=start,
                end=end,
                place=f"{100 + i % 900} River Road, Room {1 + i % 12}",
                phone=f"(555) {200 + i // 10_000:03d}-{i % 10_000:04d}",
                email=f"{slug[:40]}@{BENCH_DOMAIN}",
            )
        )
    return out


def _service_page(s: _Service, rng: random.Random) -> str:
    cost = rng.choice(("free", "low-cost", "free, drop-in"))
    extra = rng.choice(
        (
            "",
            "\n\n## What to bring\n\nJust yourself; everything else is provided.",
            "\n\n## Registration\n\nSign up at the front desk or by phone; spaces are limited.",
        )
    )
    return (
        f"# {s.name}\n\n{s.name} is a {cost} program for {s.who} at the Riverside centre. "
        f"Come along, meet your neighbours and learn something new.\n\n"
        f"## When\n\nEvery {s.day}, {s.start} to {s.end}.\n\n## Where\n\n{s.place}\n\n"
        f"## Who\n\nOpen to {s.who}.{extra}\n\n## Contact\n\nCall {s.phone} or email {s.email}."
    )


def _social_post(s: _Service, rng: random.Random) -> str:
    return rng.choice(
        (
            f"Reminder: {s.name} meets this {s.day}, {s.start}-{s.end} at {s.place}! "
            f"Open to {s.who}. Questions? Call {s.phone}. #Riverside",
            f"Spots open for {s.name} ({s.who}) on {s.day}s, {s.start} to {s.end}. "
            f"Sign up: {s.phone} or {s.email}",
            f"This {s.day}: {s.name}! Free, drop in at {s.place}, {s.start}-{s.end}. "
            f"Call {s.phone} with questions.",
        )
    )


def generate_org(pages: int, *, seed: int = 11) -> GeneratedOrg:
    """An organization's pooled pages: N in all, deterministic for a seed.

    Shaped like a busy community centre: two in five pages are website service pages (one
    per service, facet sections like real program pages), a few website pages are about the
    organization, and the rest are social posts, mostly announcing a service the website
    also describes (the duplicates extraction must merge), some chatter with nothing to
    attend, and some exact reposts of an earlier post under a new URL.
    """
    rng = random.Random(seed)
    services = _services(max(1, pages * 2 // 5), rng)
    out: list[BenchPage] = []
    for s in services[:pages]:
        slug = re.sub(r"[^a-z0-9]+", "-", s.name.lower()).strip("-")
        out.append(BenchPage("website", f"/programs/{slug}", s.name, _service_page(s, rng)))
    for i in range(min(pages // 25, pages - len(out))):
        out.append(
            BenchPage(
                "website",
                f"/news/{i:04d}",
                f"News {i}",
                f"# News from the centre ({i})\n\n{rng.choice(_CHATTER)}",
            )
        )
    social: list[BenchPage] = []
    while len(out) + len(social) < pages:
        roll = rng.random()
        if roll < 0.1 and social:
            content = rng.choice(social).content  # a repost: same text, new URL
        elif roll < 0.25:
            content = rng.choice(_CHATTER)
        else:
            content = _social_post(rng.choice(services), rng)
        social.append(BenchPage("instagram", f"/p/bench{len(social):05d}/", None, content))
    return GeneratedOrg(pages=out + social, services=len(services))
