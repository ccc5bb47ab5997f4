"""The creator's inbox pages over HTTP: what needs the creator first (paid DMs, unread
clusters), finding a question, and actions that can be taken back or are told only once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sift.auth import Role, issue_token
from sift.config import get_settings

from .conftest import cid, fan_message, ingest, new_creator

PRICE = [
    "How much does the monthly subscription cost?",
    "What is the price of the monthly subscription?",
]
SHIPPING = ["Do you ship to Canada?", "Can you ship to Canada?"]


@pytest.fixture
def creator(client: TestClient) -> Iterator[str]:
    """A new creator, signed in to the inbox with their own token."""
    name = new_creator()
    token = issue_token(get_settings(), role=Role.creator, subject=name, creator_id=name)
    client.cookies.set("sift_token", token)
    yield name
    client.cookies.clear()


def seed(creator: str, texts: list[str], prefix: str) -> str:
    results = [ingest(fan_message(creator, f"{prefix}{i}", t)) for i, t in enumerate(texts)]
    assert len({r.cluster_id for r in results}) == 1
    return str(results[0].cluster_id)


def rows(page: str) -> list[str]:
    """The cluster rows of the list, in order, as their opening tags."""
    return re.findall(r"<tr data-cluster=[^>]*>", page)


def test_a_paid_dm_is_listed_first_with_a_paid_badge(embedder, client, creator) -> None:
    seed(creator, PRICE, "p")
    paid = ingest(fan_message(creator, "vip", "Can you record a birthday video?", paid=True))
    page = client.get("/inbox?min=1").text
    listed = rows(page)
    assert len(listed) == 2
    assert str(paid.cluster_id) in listed[0] and "paid" in listed[0]
    assert '<span class="status paid">Paid</span>' in page


def test_a_removal_can_be_undone_and_the_header_counts_follow(embedder, client, creator) -> None:
    cluster_id = seed(creator, SHIPPING, "s")
    detail = client.get(f"/inbox/clusters/{cluster_id}").text
    assert "2 fans" in detail and "2 channels" in detail and "2 messages" in detail
    remove_url = re.search(r'action="([^"]+/remove)"', detail).group(1)

    removed = client.post(remove_url)
    assert removed.history[0].headers["location"] == f"/inbox/clusters/{cluster_id}"
    assert "Message removed from this cluster." in removed.text
    assert "1 fan<" in removed.text and "1 channel<" in removed.text
    assert "1 message<" in removed.text
    listed = client.get("/inbox?min=1").text  # the list counts what the header counts
    counted = re.search(
        rf'data-cluster="{cluster_id}".*?class="channel-count">(\d+)<', listed, re.S
    )
    assert counted.group(1) == "1"
    undo_url = re.search(
        r'action="([^"]+/restore)">\s*<button class="link" id="undo-remove"', removed.text
    ).group(1)
    assert "Message removed" not in client.get(f"/inbox/clusters/{cluster_id}").text  # told once

    restored = client.post(undo_url)
    assert restored.status_code == 200
    assert restored.text.count('class="message"') == 2
    assert "2 fans" in restored.text and "2 messages" in restored.text


def test_reply_notice_is_told_once_and_deliveries_name_the_fans(embedder, client, creator) -> None:
    cluster_id = seed(creator, SHIPPING, "d")
    sent = client.post(
        f"/inbox/clusters/{cluster_id}/reply",
        data={"response_text": "Yes, we ship to Canada.", "confirm_channels": "2"},
    )
    assert sent.history[0].headers["location"] == "/inbox"
    assert "notice" not in str(sent.url) and "Reply sent to 2 channels." in sent.text
    assert "Reply sent to" not in client.get("/inbox").text  # a reload does not repeat it

    detail = client.get(f"/inbox/clusters/{cluster_id}").text
    fans = re.findall(r'<td class="fan" title="([^"]+)">([^<]+)</td>', detail)
    assert sorted(fans) == [(cid(creator, "d0"), "Fan d0"), (cid(creator, "d1"), "Fan d1")]


def test_search_finds_clusters_by_their_words_in_any_case(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "q")
    shipping = seed(creator, SHIPPING, "r")
    found = client.get("/inbox?q=CANADA").text
    assert shipping in found and price not in found
    assert 'value="CANADA"' in found
    fragment = client.get("/inbox/clusters?q=subscription&min=2").text
    assert price in fragment and shipping not in fragment
    assert "matching “100%”" in client.get("/inbox?q=100%25").text  # % is not a wildcard


def test_a_cluster_is_unread_until_opened_and_again_when_a_fan_writes(
    embedder, client, creator
) -> None:
    cluster_id = seed(creator, SHIPPING, "u")

    def row() -> str:
        [tag] = [r for r in rows(client.get("/inbox?min=1").text) if cluster_id in r]
        return tag

    assert "unread" in row()
    client.get(f"/inbox/clusters/{cluster_id}")
    assert "unread" not in row()
    again = ingest(fan_message(creator, "u2", "Do you ship to Canada too?"))
    assert str(again.cluster_id) == cluster_id
    assert "unread" in row()


def test_the_open_cluster_is_shown_beside_the_creators_other_clusters(
    embedder, client, creator
) -> None:
    price = seed(creator, PRICE, "w")
    shipping = seed(creator, SHIPPING, "x")
    page = client.get(f"/inbox/clusters/{shipping}").text
    rail = page.split('<nav class="cluster-rail"')[1].split("</nav>")[0]
    assert f'href="/inbox/clusters/{shipping}" aria-current="page"' in rail
    assert f'href="/inbox/clusters/{price}"' in rail
