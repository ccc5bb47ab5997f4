"""Triage a creator can trust, over HTTP: every open cluster listed (paid DMs first), titled
by a fan's own question, sorted and searched by meaning; moves and merges told with an undo
that puts everything back; several messages moved or removed at once; the strictness
slider's preview and the word after Save."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sift import db
from sift.api import create_app
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.inbox import service

from .conftest import fan_message, ingest, new_creator, split_off_twin

PRICE = [
    "How much does the monthly subscription cost?",
    "What is the price of the monthly subscription?",
    "how much is the subscription per month",
]
MERCH = ["Is the store restocking the hoodies?", "When will the hoodies be back in the store?"]
SHIPPING = ["Do you ship to Canada?", "Can you ship to Canada?"]


@pytest.fixture(scope="module")
def client(app_runtime: str) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


@pytest.fixture
def creator(client: TestClient) -> Iterator[str]:
    name = new_creator()
    token = issue_token(get_settings(), role=Role.creator, subject=name, creator_id=name)
    client.cookies.set("sift_token", token)
    yield name
    client.cookies.clear()


def seed(creator: str, texts: list[str], prefix: str, at: datetime | None = None) -> str:
    results = [
        ingest(
            fan_message(creator, f"{prefix}{i}", t).model_copy(
                update={"created_at": at + timedelta(seconds=i) if at else None}
            )
        )
        for i, t in enumerate(texts)
    ]
    assert len({r.cluster_id for r in results}) == 1
    return str(results[0].cluster_id)


def listed(page: str) -> list[str]:
    return re.findall(r'<tr data-cluster="([^"]+)"', page)


def cluster_of(cluster_id: str) -> service.ClusterView:
    with db.session_scope() as session:
        return service.cluster_view(session, cluster_id)


def test_the_default_list_shows_every_open_cluster_paid_first(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    alone = str(ingest(fan_message(creator, "solo", "Will you come to Lisbon?")).cluster_id)
    paid = str(ingest(fan_message(creator, "vip", "A birthday video?", paid=True)).cluster_id)
    page = client.get("/inbox").text
    assert listed(page)[0] == paid and set(listed(page)) == {paid, price, alone}
    assert "Listed clusters by number of channels" in page  # the chart counts what is listed


def test_a_cluster_is_titled_by_its_most_representative_question(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    page = client.get("/inbox").text
    title = re.search(rf'href="/inbox/clusters/{price}" class="cluster-title">([^<]+)<', page)
    assert title and title.group(1) == cluster_of(price).title
    assert title.group(1) in PRICE and "·" not in page.split('<table class="clusters">')[1]


def test_the_list_sorts_by_size_newest_or_waiting_longest(embedder, client, creator) -> None:
    now = datetime.now(UTC)
    big = seed(creator, PRICE, "p", at=now - timedelta(hours=5))
    newest = seed(creator, SHIPPING, "s", at=now - timedelta(minutes=2))
    oldest = str(
        ingest(
            fan_message(creator, "solo", "Will you come to Lisbon?").model_copy(
                update={"created_at": now - timedelta(days=2)}
            )
        ).cluster_id
    )
    assert listed(client.get("/inbox").text) == [big, newest, oldest]
    assert listed(client.get("/inbox?sort=newest").text) == [newest, big, oldest]
    assert listed(client.get("/inbox?sort=oldest").text) == [oldest, big, newest]
    page = client.get("/inbox").text
    assert ">2 days ago<" in page and ">4 h ago<" in page
    assert client.get("/inbox?sort=sideways").status_code == 200  # unknown: the default


def test_search_finds_a_cluster_by_meaning_too(embedder, client, creator) -> None:
    merch = seed(creator, MERCH, "m")
    shipping = seed(creator, SHIPPING, "s")
    found = listed(client.get("/inbox?q=shop").text)
    assert merch in found and shipping not in found  # no message says "shop"
    assert listed(client.get("/inbox?q=Canada").text) == [shipping]  # words still match


def test_move_starts_on_a_placeholder_and_refuses_no_choice(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    seed(creator, SHIPPING, "s")
    detail = client.get(f"/inbox/clusters/{price}").text
    select = re.search(
        r'<select name="to" aria-label="Move this message to" required>(.*?)</select>', detail, re.S
    )
    assert select and re.match(
        r'\s*<option value="" selected disabled>Move to…</option>', select.group(1)
    )
    move_url = re.search(r'action="([^"]+/move)"', detail).group(1)
    refused = client.post(move_url, data={"to": ""})
    assert refused.status_code == 400 and "choose where to move it" in refused.text


def test_a_move_is_told_and_can_be_undone(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    moved_id = cluster_of(price).members[2].message_id
    done = client.post(f"/inbox/clusters/{price}/messages/{moved_id}/move", data={"to": "new"})
    assert "Message moved to this cluster." in done.text and 'id="undo-change"' in done.text
    new_cluster = done.url.path.rsplit("/", 1)[1]
    assert [m.message_id for m in cluster_of(new_cluster).members] == [moved_id]
    undo = re.search(r'<form method="post" action="([^"]+/undo)">(.*?)</form>', done.text, re.S)
    corrections = re.findall(r'name="correction" value="([^"]+)"', undo.group(2))
    back = client.post(undo.group(1), data={"correction": corrections})
    assert "Undone" in back.text and back.url.path == f"/inbox/clusters/{price}"
    assert cluster_of(price).message_count == 3
    assert cluster_of(new_cluster).status.value == "empty"
    again = client.post(undo.group(1), data={"correction": corrections})
    assert again.status_code == 400 and "can no longer be undone" in again.text


def test_a_merge_asks_first_is_told_and_can_be_undone(embedder, client, creator) -> None:
    twin = str(split_off_twin(creator, PRICE))
    [price] = [c for c in listed(client.get("/inbox").text) if c != twin]
    page = client.get(f"/inbox/clusters/{price}").text
    assert "data-confirm=" in page.split(f'value="{twin}"')[0].rsplit("<form", 1)[1]
    merged = client.post(f"/inbox/clusters/{price}/merge", data={"other": twin})
    assert "Merged: this cluster now holds 3 channels." in merged.text
    action = re.search(r'action="([^"]+/undo)"', merged.text).group(1)
    corrections = re.findall(r'name="correction" value="([^"]+)"', merged.text)
    client.post(action, data={"correction": corrections})
    assert cluster_of(price).channel_count == 2
    assert cluster_of(twin).status.value == "open" and cluster_of(twin).channel_count == 1


def test_several_messages_move_together_and_come_back_together(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    picked = [str(m.message_id) for m in cluster_of(price).members[1:]]
    done = client.post(
        f"/inbox/clusters/{price}/messages",
        data={"message": picked, "action": "move", "to": "new"},
    )
    assert done.url.path == f"/inbox/clusters/{price}"  # stays where the creator was
    assert "2 messages moved to" in done.text and cluster_of(price).message_count == 1
    corrections = re.findall(r'name="correction" value="([^"]+)"', done.text)
    assert len(corrections) == 2
    client.post(f"/inbox/clusters/{price}/undo", data={"correction": corrections})
    assert cluster_of(price).message_count == 3


def test_several_messages_are_removed_and_restored_together(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    picked = [str(m.message_id) for m in cluster_of(price).members[:2]]
    done = client.post(
        f"/inbox/clusters/{price}/messages", data={"message": picked, "action": "remove"}
    )
    assert "2 messages removed from this cluster." in done.text
    assert cluster_of(price).message_count == 1
    undo = re.search(r'<form method="post" action="([^"]+/restore)">(.*?)</form>', done.text, re.S)
    client.post(undo.group(1), data={"message": re.findall(r'value="([^"]+)"', undo.group(2))})
    assert cluster_of(price).message_count == 3
    nothing = client.post(f"/inbox/clusters/{price}/messages", data={"action": "remove"})
    assert nothing.status_code == 400 and "no message was selected" in nothing.text


def test_the_slider_previews_and_save_is_told(embedder, client, creator) -> None:
    seed(creator, PRICE, "p")
    seed(creator, SHIPPING, "s")
    page = client.get("/inbox").text
    assert 'id="strictness-value"' in page and 'hx-get="/inbox/strictness/preview"' in page
    preview = client.get(f"/inbox/strictness/preview?creator={creator}&strictness=0.9")
    assert preview.status_code == 200 and re.search(r"About \d+ clusters?", preview.text)
    bad = client.get(f"/inbox/strictness/preview?creator={creator}&strictness=7")
    assert bad.status_code == 400 and "\n" not in bad.text.strip()
    saved = client.post("/inbox/strictness", data={"creator": creator, "strictness": "0.9"})
    assert "Grouping saved: 0.90" in saved.text and "re-grouped" in saved.text
    back = client.post("/inbox/strictness", data={"creator": creator, "reset": "1"})
    assert "Grouping saved: automatic" in back.text


def test_the_preview_counts_fewer_clusters_when_grouping_more(embedder, creator) -> None:
    for i, text in enumerate(PRICE + SHIPPING + MERCH):
        ingest(fan_message(creator, f"x{i}", text))
    with db.session_scope() as session:
        loose = service.preview_strictness(session, creator_external_id=creator, strictness=0.0)
        strict = service.preview_strictness(session, creator_external_id=creator, strictness=1.0)
    assert loose.clusters <= strict.clusters and loose.similarity < strict.similarity


def test_graphql_lists_titles_sorted_and_searched(embedder, client, creator) -> None:
    merch = seed(creator, MERCH, "m")
    query = """query($q: String) { clusters(search: $q, sort: "newest") { id title latestAt } }"""
    answer = client.post("/graphql", json={"query": query, "variables": {"q": "shop"}}).json()
    [found] = [c for c in answer["data"]["clusters"] if c["id"] == merch]
    assert found["title"] in MERCH and found["latestAt"]


def test_odd_triage_input_is_one_line_never_a_500(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    member = str(cluster_of(price).members[0].message_id)
    asks = [
        client.post(f"/inbox/clusters/{price}/undo", data={"correction": ["not-a-uuid"]}),
        client.post(f"/inbox/clusters/{price}/undo", data={"correction": [member]}),
        client.post(f"/inbox/clusters/{price}/undo"),
        client.post(
            f"/inbox/clusters/{price}/messages",
            data={"message": [member], "action": "move", "to": "nowhere"},
        ),
        client.post(
            f"/inbox/clusters/{price}/messages",
            data={"message": ["x"], "action": "move", "to": "new"},
        ),
        client.post(f"/inbox/clusters/{price}/messages", data={"message": [member]}),
        client.post(f"/inbox/clusters/{price}/restore", data={"message": [member]}),
        client.get(f"/inbox/strictness/preview?creator={creator}&strictness=abc"),
    ]
    for answer in asks:
        assert answer.status_code == 400, answer.text[:200]
    assert client.get("/inbox?sort=newest&q=%25_").status_code == 200
