"""The service-post duplicate judgement: the same choir posted on the website and on
Instagram is one service; look-alike posts of one organization that differ in role,
audience, day or edition are not, the organization's own contacts prove nothing, and a
merge group never chains through a third post."""

from __future__ import annotations

from typing import Any

import pytest

from sift.ai.embeddings import get_embedder
from sift.directory.cleanup.service import PostInfo, complete_linkage_groups, find_duplicate_groups
from sift.directory.same_service import (
    ServiceFacts,
    judge_post_pairs,
    rare_markers,
    same_service,
)

ORG_CONTACT = {"phone": "(555) 014-2200", "website": "https://maplewood.example"}


def post(title: str, summary: str = "", **fields: Any) -> dict[str, Any]:
    return {"title": title, "summary": summary, "description": "", "contact": {}, **fields}


def thursdays(start: str = "19:00") -> list[dict[str, Any]]:
    return [{"days": ["Thursday"], "start": start, "end": None}]


CHOIR_SITE = post(
    "Maplewood Community Choir",
    "Our community choir rehearses every Thursday evening in the Fellowship Hall.",
    location="Fellowship Hall, 12 Linden Rd",
    schedule=[{"days": ["Thursday"], "start": "19:00", "end": "20:30"}],
    contact=ORG_CONTACT,
)
CHOIR_INSTAGRAM = post(
    "Come sing with us!",
    "🎶 Choir practice Thursdays at 7pm in the hall, all voices welcome.",
    location="12 Linden Rd",
    schedule=thursdays(),
)


def test_the_choir_on_the_website_and_on_instagram_is_one_service() -> None:
    assert same_service(CHOIR_SITE, CHOIR_INSTAGRAM, embedder=get_embedder())


@pytest.mark.parametrize(
    ("left", "right", "reason"),
    [
        (
            post("Free Groceries Every Thursday", "Pick up free food at the pantry.",
                 schedule=thursdays("13:00")),
            post("Volunteer at the Thursday Grocery Pickup", "Help hand out free food.",
                 schedule=thursdays("13:00")),
            "different role",
        ),
        (
            post("Winter Coat Closet", "Get a free warm coat for the winter."),
            post("Donate Winter Coats", "Give a warm coat for the winter closet."),
            "different role",
        ),
        (
            post("Chess Club", "Weekly chess club for all levels.", schedule=thursdays()),
            post("Chess Club", "Weekly chess club for all levels.",
                 schedule=[{"days": ["Monday"], "start": "19:00", "end": None}]),
            "different days",
        ),
        (
            post("Swim Lessons for Kids", "Learn to swim.", audience="children 5-10"),
            post("Swim Lessons for Seniors", "Learn to swim.", audience="adults 65+"),
            "different audience",
        ),
        (
            post("Open Mic Night", "Bring a song or a poem."),
            post("Women's Open Mic Night", "Bring a song or a poem."),
            "different audience",
        ),
        (
            post("Harvest Festival 2025", "Our harvest festival on October 4, 2025."),
            post("Harvest Festival 2026", "Our harvest festival on October 3, 2026."),
            "different editions",
        ),
    ],
)  # fmt: skip
def test_look_alike_posts_that_differ_are_not_merged(
    left: dict[str, Any], right: dict[str, Any], reason: str
) -> None:
    [verdict] = judge_post_pairs([left, right], [(0, 1)], embedder=get_embedder())
    assert not verdict.duplicate
    assert verdict.reason.startswith(reason)


def test_contacts_the_whole_organization_shares_are_not_evidence() -> None:
    """Six posts on one phone, website and address (food pickup, two volunteer roles, two
    drives, a class): none merges, and the shared contacts are no clue."""
    shared = {"contact": ORG_CONTACT, "location": "40 Elm St"}
    posts = [
        post("Food Pickup", "Free groceries on Tuesdays.", **shared),
        post("Volunteer Drivers", "Drive groceries to homebound neighbours.", **shared),
        post("Volunteer Sorters", "Sort donated food in the warehouse.", **shared),
        post("Toy Drive", "Donate new toys for the holidays.", **shared),
        post("Coat Drive", "Donate warm coats before winter.", **shared),
        post("Cooking on a Budget", "A free class on cheap healthy meals.", **shared),
    ]
    rare = rare_markers([ServiceFacts.of(p) for p in posts])
    assert not {m for m in rare if not m.startswith("word:")}, "the org's contacts are no clue"
    infos = [PostInfo(str(i), p, True, 0) for i, p in enumerate(posts)]
    assert find_duplicate_groups(infos, embedder=get_embedder()).groups == []


def test_a_contact_only_two_posts_share_is_a_clue() -> None:
    posts = [
        post("Tenant Hotline", "Call with questions about repairs or rent.",
             contact={"phone": "(555) 014-7777"}),
        post("Call Our Renters' Helpline", "Questions about your lease? Call us.",
             contact={"phone": "555-014-7777"}),
        *(post(f"Program {k}", f"Something else entirely, number {k}.", contact=ORG_CONTACT)
          for k in range(4)),
    ]  # fmt: skip
    facts = [ServiceFacts.of(p) for p in posts]
    assert "phone:5550147777" in rare_markers(facts)
    assert "phone:5550142200" not in rare_markers(facts)


def test_merge_groups_never_chain_through_a_third_post() -> None:
    """A~B and B~C but A≁C: only the stronger pair merges, C stays on its own."""
    assert complete_linkage_groups({(0, 1): 0.9, (1, 2): 0.8}) == [[0, 1]]
    assert complete_linkage_groups({(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}) == [[0, 1, 2]]
    assert complete_linkage_groups({(0, 1): 0.9, (2, 3): 0.8}) == [[0, 1], [2, 3]]
