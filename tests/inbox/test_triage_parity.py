"""GraphQL triages like the pages: every open cluster by default (paid DMs first), merges
and moves answered with what takes them back, `undoCorrections` doing the pages' undo, and
the slider's "about N clusters" as `strictnessPreview`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sift import db
from sift.api import create_app
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.inbox import service

from .conftest import fan_message, ingest, new_creator, split_off_twin
from .test_triage import PRICE, SHIPPING, cluster_of, seed

MOVE = """mutation($cluster: ID!, $message: ID!) {
  moveClusterMessage(clusterId: $cluster, messageId: $message) {
    cluster { id messageCount } correctionIds } }"""
MERGE = """mutation($cluster: ID!, $other: ID!) {
  mergeClusters(id: $cluster, otherId: $other) { cluster { id channelCount } correctionIds } }"""
UNDO = """mutation($cluster: ID!, $corrections: [ID!]!) {
  undoCorrections(clusterId: $cluster, correctionIds: $corrections) { id messageCount } }"""
PREVIEW = """query($creator: String!, $strictness: Float) {
  strictnessPreview(creatorId: $creator, strictness: $strictness) {
    strictness similarity clusters } }"""


@pytest.fixture(scope="module")
def client(app_runtime: str) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


@pytest.fixture
def creator() -> str:
    return new_creator()


def ask(client: TestClient, who: str, query: str, /, **variables: object) -> dict:
    """One GraphQL request with creator `who`'s token: its `data`, or its `errors`."""
    token = issue_token(get_settings(), role=Role.creator, subject=who, creator_id=who)
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    return answer.get("data") if "errors" not in answer else {"errors": answer["errors"]}


def open_clusters(creator: str) -> list[service.ClusterView]:
    with db.session_scope() as session:
        return service.list_clusters(session, creator_external_id=creator)


def test_clusters_lists_every_open_cluster_paid_first_by_default(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    alone = str(ingest(fan_message(creator, "solo", "Will you come to Lisbon?")).cluster_id)
    paid = str(ingest(fan_message(creator, "vip", "A birthday video?", paid=True)).cluster_id)
    listed = ask(client, creator, "{ clusters { id isPaid } }")["clusters"]
    assert listed[0] == {"id": paid, "isPaid": True}
    assert {c["id"] for c in listed} == {paid, price, alone}


def test_a_move_is_undone_through_graphql(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    moved = str(cluster_of(price).members[2].message_id)
    done = ask(client, creator, MOVE, cluster=price, message=moved)["moveClusterMessage"]
    new_cluster, corrections = done["cluster"]["id"], done["correctionIds"]
    assert done["cluster"]["messageCount"] == 1 and len(corrections) == 1
    back = ask(client, creator, UNDO, cluster=new_cluster, corrections=corrections)
    assert back["undoCorrections"] == {"id": price, "messageCount": 3}
    assert cluster_of(new_cluster).status.value == "empty"
    again = ask(client, creator, UNDO, cluster=new_cluster, corrections=corrections)
    assert "can no longer be undone" in again["errors"][0]["message"]


def test_a_merge_is_undone_through_graphql(embedder, client, creator) -> None:
    twin = str(split_off_twin(creator, PRICE))
    [price] = [c.id for c in open_clusters(creator) if str(c.id) != twin]
    done = ask(client, creator, MERGE, cluster=str(price), other=twin)["mergeClusters"]
    assert done["cluster"] == {"id": str(price), "channelCount": 3}
    ask(client, creator, UNDO, cluster=str(price), corrections=done["correctionIds"])
    assert cluster_of(str(price)).channel_count == 2
    assert cluster_of(twin).status.value == "open" and cluster_of(twin).channel_count == 1


def test_no_creator_can_undo_anothers_correction(embedder, client, creator) -> None:
    price = seed(creator, PRICE, "p")
    moved = str(cluster_of(price).members[0].message_id)
    done = ask(client, creator, MOVE, cluster=price, message=moved)["moveClusterMessage"]
    undo = done["correctionIds"]
    intruder = new_creator()
    theirs = seed(intruder, SHIPPING, "s")
    on_theirs = ask(client, intruder, UNDO, cluster=done["cluster"]["id"], corrections=undo)
    assert "may not access" in on_theirs["errors"][0]["message"]
    on_own = ask(client, intruder, UNDO, cluster=theirs, corrections=undo)
    assert "can no longer be undone" in on_own["errors"][0]["message"]
    assert cluster_of(price).message_count == 2  # the move stands


def test_strictness_preview_is_the_sliders(embedder, client, creator) -> None:
    seed(creator, PRICE, "p")
    seed(creator, SHIPPING, "s")
    preview = ask(client, creator, PREVIEW, creator=creator, strictness=0.9)["strictnessPreview"]
    with db.session_scope() as session:
        slider = service.preview_strictness(session, creator_external_id=creator, strictness=0.9)
    assert preview == {
        "strictness": 0.9,
        "similarity": slider.similarity,
        "clusters": slider.clusters,
    }
    assert ask(client, creator, PREVIEW, creator=creator)["strictnessPreview"]["clusters"] >= 1
    bad = ask(client, creator, PREVIEW, creator=creator, strictness=7)["errors"][0]["message"]
    assert "\n" not in bad and "7" in bad
    other = ask(client, new_creator(), PREVIEW, creator=creator)["errors"][0]["message"]
    assert "may not access" in other
