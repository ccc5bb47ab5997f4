"""The inbox over HTTP: the signed GetStream webhook, GraphQL, and creator isolation."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from sift import db
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.inbox import service, webhooks
from sift.inbox.models import Cluster

from .conftest import fan_message, ingest, new_creator, split_off_twin


def post_event(client: TestClient, event: dict, *, signature: str | None = None):
    """`event` signed as GetStream sends it, dated now unless it says when it happened."""
    body = json.dumps({"created_at": datetime.now(UTC).isoformat(), **event}).encode()
    secret = get_settings().webhook_secret.get_secret_value()
    headers = {"X-Signature": signature if signature is not None else webhooks.sign(secret, body)}
    return client.post("/webhooks/stream", content=body, headers=headers)


def new_message(creator: str, channel: str, message_id: str, text: str, user: str) -> dict:
    return {
        "type": "message.new",
        "cid": f"messaging:{channel}",
        "channel": {"creator_id": creator},
        "message": {"id": message_id, "text": text, "user": {"id": user, "name": user.title()}},
    }


def graphql(client: TestClient, query: str, token: str, **variables: object) -> dict:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def creator_token(creator: str) -> str:
    return issue_token(get_settings(), role=Role.creator, subject=creator, creator_id=creator)


def locked_until(cluster_id: str) -> object:
    with db.session_scope() as session:
        return session.get_one(Cluster, uuid.UUID(cluster_id)).locked_until


def clusters_query(creator: str) -> str:
    return f'{{ clusters(creatorId: "{creator}") {{ id channelCount visitorsLine }} }}'


def seed_two_channel_cluster(client: TestClient, creator: str) -> None:
    for i, text in enumerate(["How much is shipping?", "What does shipping cost?"]):
        event = new_message(creator, f"{creator}-{i}", f"{creator}-m{i}", text, f"fan{i}")
        assert post_event(client, event).json()["outcome"] == "ingested"


def test_a_badly_signed_webhook_is_refused_and_stores_nothing(embedder, client) -> None:
    creator = new_creator()
    event = new_message(creator, "c1", f"{creator}-x", "hello?", "fan")
    assert post_event(client, event, signature="0" * 64).status_code == 401
    assert post_event(client, event, signature="").status_code == 401
    data = graphql(client, clusters_query(creator), creator_token(creator))
    assert data["data"]["clusters"] == []


def test_a_non_ascii_signature_is_refused_like_any_bad_one(client) -> None:
    response = client.post(  # a header byte >= 0x80, as a client may send
        "/webhooks/stream",
        content=b'{"type": "reaction.new"}',
        headers={"X-Signature": "\u00dfad-signature".encode("latin-1")},
    )
    assert response.status_code == 401


def test_malformed_events_get_400_with_a_reason(client) -> None:
    secret = get_settings().webhook_secret.get_secret_value()
    body = b"{not json"
    bad_json = client.post(
        "/webhooks/stream", content=body, headers={"X-Signature": webhooks.sign(secret, body)}
    )
    assert bad_json.status_code == 400 and "not JSON" in bad_json.json()["detail"]
    no_creator = post_event(
        client,
        {
            "type": "message.new",
            "cid": "messaging:x",
            "message": {"id": "1", "text": "a", "user": {"id": "fan"}},
        },
    )
    assert no_creator.status_code == 400 and "creator_id" in no_creator.json()["detail"]
    creator = new_creator()
    nul = post_event(client, new_message(creator, "c1", f"{creator}-nul", "hi\u0000", "fan"))
    assert nul.status_code == 400 and "NUL" in nul.json()["detail"]
    assert (
        graphql(client, clusters_query(creator), creator_token(creator))["data"]["clusters"] == []
    )
    assert post_event(client, {"type": "reaction.new"}).json()["outcome"].startswith("ignored")


def test_webhook_ingests_replays_and_follows_deletions(embedder, client) -> None:
    creator = new_creator()
    seed_two_channel_cluster(client, creator)
    replay = new_message(creator, f"{creator}-0", f"{creator}-m0", "How much is shipping?", "fan0")
    assert post_event(client, replay).json()["outcome"] == "replay"
    token = creator_token(creator)
    [cluster] = graphql(client, clusters_query(creator), token)["data"]["clusters"]
    assert cluster["channelCount"] == 2 and cluster["visitorsLine"] == "Fan0 and 1 other"

    deleted = {  # as GetStream sends it: the channel's cid, not its custom fields
        "type": "message.deleted",
        "cid": f"messaging:{creator}-1",
        "message": {"id": f"{creator}-m1"},
    }
    assert post_event(client, deleted).json()["outcome"] == "deleted"
    elsewhere = {**deleted, "cid": "messaging:nobody-has-it"}
    assert post_event(client, elsewhere).json()["outcome"] == "ignored: unknown channel"
    [cluster] = graphql(client, clusters_query(creator), token)["data"]["clusters"]
    assert cluster["channelCount"] == 1

    reply = new_message(creator, f"{creator}-0", f"{creator}-r", "It's free!", creator)
    assert post_event(client, reply).json()["outcome"] == "external reply"
    assert graphql(client, clusters_query(creator), token)["data"]["clusters"] == []


def test_message_ids_are_per_creator_so_none_can_be_reserved(embedder, client) -> None:
    """Bob sends, through GraphQL, the id Alice's real message will carry; it arrives by
    the signed webhook all the same. Each sees only their own, a repeat is one message,
    and a deletion reaches only the creator it names."""
    alice, bob = new_creator(), new_creator()
    same = f"{alice}-real"
    ingest_bob = (
        f'mutation {{ ingestMessage(message: {{creatorId: "{bob}", channelId: "b1", '
        f'externalMessageId: "{same}", text: "Do you ship to Canada?"}}) {{ replayed }} }}'
    )
    assert graphql(client, ingest_bob, creator_token(bob))["data"]["ingestMessage"] == {
        "replayed": False
    }
    real = new_message(alice, f"{alice}-0", same, "How much is shipping?", "fan0")
    assert post_event(client, real).json()["outcome"] == "ingested"
    assert post_event(client, real).json()["outcome"] == "replay"  # a redelivery
    assert graphql(client, ingest_bob, creator_token(bob))["data"]["ingestMessage"] == {
        "replayed": True
    }

    def texts(creator: str) -> list[str]:
        query = "{ clusters { messages { text externalMessageId } } }"
        found = graphql(client, query, creator_token(creator))["data"]["clusters"]
        return [m["text"] for c in found for m in c["messages"] if m["externalMessageId"] == same]

    assert texts(alice) == ["How much is shipping?"]
    assert texts(bob) == ["Do you ship to Canada?"]
    deleted = {"type": "message.deleted", "channel": {"creator_id": alice}, "message": {"id": same}}
    assert post_event(client, deleted).json()["outcome"] == "deleted"
    assert texts(alice) == [] and texts(bob) == ["Do you ship to Canada?"]
    nowhere = post_event(client, {"type": "message.deleted", "message": {"id": same}})
    assert nowhere.status_code == 400 and "missing `cid`" in nowhere.json()["detail"]
    admin = issue_token(get_settings(), role=Role.admin, subject="admin")
    unnamed = graphql(client, f'mutation {{ deleteMessage(externalMessageId: "{same}") }}', admin)
    assert "needs `creatorId`" in unnamed["errors"][0]["message"]
    delete_bob = f'mutation {{ deleteMessage(externalMessageId: "{same}") }}'
    assert graphql(client, delete_bob, creator_token(bob))["data"]["deleteMessage"] is True
    assert texts(bob) == []


def test_user_deleted_removes_the_creators_data(embedder, client) -> None:
    creator = new_creator()
    seed_two_channel_cluster(client, creator)
    event = {"type": "user.deleted", "user": {"id": creator}}
    assert post_event(client, event).json()["outcome"] == "creator data deleted"
    admin = issue_token(get_settings(), role=Role.admin, subject="admin")
    assert graphql(client, clusters_query(creator), admin)["data"]["clusters"] == []


def test_a_creator_token_cannot_read_or_act_on_another_creators_clusters(embedder, client) -> None:
    alice, bob = new_creator(), new_creator()
    seed_two_channel_cluster(client, alice)
    seed_two_channel_cluster(client, bob)
    bob_token = creator_token(bob)
    [alice_cluster] = graphql(client, clusters_query(alice), creator_token(alice))["data"][
        "clusters"
    ]
    cluster_id = alice_cluster["id"]

    denied = [
        clusters_query(alice),
        f'{{ cluster(id: "{cluster_id}") {{ id }} }}',
        f'mutation {{ actionCluster(id: "{cluster_id}", responseText: "hi") {{ deliveries }} }}',
        f'mutation {{ deleteCreatorData(creatorId: "{alice}") }}',
        f'mutation {{ markChannelReplied(creatorId: "{alice}", channelId: "x:{alice}-0") }}',
        f'mutation {{ deleteMessage(creatorId: "{alice}", externalMessageId: "{alice}-m0") }}',
        f'mutation {{ retryClusterDelivery(id: "{cluster_id}") {{ channels }} }}',
        f'mutation {{ mergeClusters(id: "{cluster_id}", otherId: "{cluster_id}")'
        " { cluster { id } } }",
        f'mutation {{ moveClusterMessage(clusterId: "{cluster_id}", messageId: "{cluster_id}")'
        " { correctionIds } }",
        f'mutation {{ undoCorrections(clusterId: "{cluster_id}", correctionIds: []) {{ id }} }}',
        f'mutation {{ restoreClusterMessage(clusterId: "{cluster_id}", messageId: "{cluster_id}")'
        " { id } }",
        f'mutation {{ setGroupingStrictness(creatorId: "{alice}") {{ __typename }} }}',
        f'{{ groupingStrictness(creatorId: "{alice}") {{ strictness }} }}',
        f'{{ strictnessPreview(creatorId: "{alice}") {{ clusters }} }}',
        f'{{ removedMessages(creatorId: "{alice}") {{ clusterId }} }}',
    ]
    for query in denied:
        errors = graphql(client, query, bob_token).get("errors")
        assert errors and "may not access" in errors[0]["message"], query
    own = graphql(client, "{ clusters { id } }", bob_token)["data"]["clusters"]
    assert cluster_id not in {c["id"] for c in own} and len(own) == 1
    still = graphql(client, clusters_query(alice), creator_token(alice))["data"]["clusters"]
    assert still == [alice_cluster]


def test_graphql_ingest_and_bulk_reply_with_suggestions(embedder, client) -> None:
    creator = new_creator()
    token = creator_token(creator)
    for i, text in enumerate(["Is the course refundable?", "Can I get a refund for the course?"]):
        mutation = (
            f'mutation {{ ingestMessage(message: {{creatorId: "{creator}", channelId: "c{i}", '
            f'externalMessageId: "{creator}-q{i}", text: "{text}"}}) {{ clusterId replayed }} }}'
        )
        assert graphql(client, mutation, token)["data"]["ingestMessage"]["replayed"] is False
    [cluster] = graphql(client, clusters_query(creator), token)["data"]["clusters"]
    detail = graphql(
        client,
        f'{{ cluster(id: "{cluster["id"]}") {{ messages {{ text }} suggestedResponses '
        "{ responseText } } }",
        token,
    )["data"]["cluster"]
    assert len(detail["messages"]) == 2 and detail["suggestedResponses"] == []
    action = graphql(
        client,
        f'mutation {{ actionCluster(id: "{cluster["id"]}", responseText: "Yes, within 30 days.")'
        " { messages deliveries workflowId } }",
        token,
    )["data"]["actionCluster"]
    assert action["messages"] == 2 and action["deliveries"] == 2 and action["workflowId"]


def test_inbox_pages_list_open_reply_and_remove(embedder, client) -> None:
    creator = new_creator()
    seed_two_channel_cluster(client, creator)
    client.cookies.set("sift_token", creator_token(creator))
    listing = client.get("/inbox")
    assert listing.status_code == 200 and "shipping" in listing.text
    assert 'hx-trigger="every 3s"' in listing.text
    fragment = client.get("/inbox/clusters?min=2")
    cluster_id = fragment.text.split('data-cluster="')[1].split('"')[0]
    detail = client.get(f"/inbox/clusters/{cluster_id}")
    assert detail.status_code == 200 and detail.text.count('class="message"') == 2
    assert locked_until(cluster_id) is None  # reading a cluster changes nothing
    remove_url = detail.text.split("/remove")[0].split('action="')[-1] + "/remove"
    client.post(remove_url)
    assert client.get(f"/inbox/clusters/{cluster_id}").text.count('class="message"') == 1
    confirm = client.post(f"/inbox/clusters/{cluster_id}/reply", data={"response_text": "Free!"})
    assert "It goes to <strong>1 fan</strong>" in confirm.text
    assert locked_until(cluster_id) is not None  # opened for reply by the POST
    sent = client.post(
        f"/inbox/clusters/{cluster_id}/reply",
        data={"response_text": "Free!", "confirm_channels": "1"},
    )
    assert "Reply sent to 1 channel." in sent.text
    assert cluster_id not in client.get("/inbox?min=1").text
    other = client.get(f"/inbox/clusters/{cluster_id}", cookies={"sift_token": creator_token("x")})
    assert other.status_code == 403
    client.cookies.clear()


def test_user_errors_are_one_line_4xx_answers(embedder, client) -> None:
    """Bad ids, filters and payloads get the reason, on pages, webhooks and GraphQL."""
    creator = new_creator()
    seed_two_channel_cluster(client, creator)
    odd_channel = post_event(client, {"type": "channel.deleted", "channel": "abc"})
    assert odd_channel.status_code == 400 and "missing `cid`" in odd_channel.json()["detail"]

    client.cookies.set("sift_token", creator_token(creator))
    html = {"Accept": "text/html"}
    for url, status, reason in [
        ("/inbox?status=bogus", 400, "unknown cluster status"),
        ("/inbox/clusters?status=bogus", 400, "unknown cluster status"),
        ("/inbox/clusters/not-a-uuid", 400, "is not a UUID"),
    ]:
        page = client.get(url, headers=html)
        assert page.status_code == status and reason in page.text, url
    unknown = client.post(f"/inbox/clusters/{uuid.uuid4()}/messages/x/remove", headers=html)
    assert unknown.status_code == 404 and "no cluster" in unknown.text
    client.cookies.clear()

    token = creator_token(creator)
    empty = graphql(
        client,
        f'mutation {{ ingestMessage(message: {{creatorId: "{creator}", channelId: "c", '
        f'externalMessageId: "e1", text: "  "}}) {{ clusterId }} }}',
        token,
    )
    assert empty["errors"][0]["message"].startswith("message: text: String should have at least")
    [cluster] = graphql(client, clusters_query(creator), token)["data"]["clusters"]
    retry = graphql(
        client, f'mutation {{ retryClusterDelivery(id: "{cluster["id"]}") {{ channels }} }}', token
    )
    assert "has not been answered" in retry["errors"][0]["message"]
    client.cookies.set("sift_token", token)
    page = client.post(f"/inbox/clusters/{cluster['id']}/retry")
    assert page.status_code == 200 and "has not been answered" in page.text
    client.cookies.clear()


def test_a_creator_signs_in_with_their_token(client) -> None:
    creator = new_creator()
    bad = client.post("/login/token", data={"token": "not-a-token"}, follow_redirects=False)
    assert bad.status_code == 200 and "not valid" in bad.text
    good = client.post(
        "/login/token", data={"token": creator_token(creator)}, follow_redirects=False
    )
    assert good.status_code == 303 and good.headers["location"] == "/inbox"
    assert client.get("/inbox").status_code == 200
    client.cookies.clear()


PRICE = ["How much is the monthly plan?", "What does the monthly plan cost?", "monthly plan price?"]
SIMILAR = "query ($id: ID!) { cluster(id: $id) { similarClusters { similarity cluster { id } } } }"
MERGE = """mutation ($id: ID!, $other: ID!) {
  mergeClusters(id: $id, otherId: $other) {
    cluster { id fanCount channelCount messages { id } } } }"""
MOVE = """mutation ($cluster: ID!, $message: ID!) {
  moveClusterMessage(clusterId: $cluster, messageId: $message) { cluster { id channelCount } } }"""
REMOVE = """mutation ($cluster: ID!, $message: ID!) {
  removeClusterMessage(clusterId: $cluster, messageId: $message) }"""
RESTORE = """mutation ($cluster: ID!, $message: ID!) {
  restoreClusterMessage(clusterId: $cluster, messageId: $message) { channelCount } }"""
REPLY = """mutation ($id: ID!, $channels: Int) {
  actionCluster(id: $id, responseText: "$9", expectedChannels: $channels) { deliveries } }"""
STRICTNESS = """mutation ($creator: String!, $strictness: Float) {
  setGroupingStrictness(creatorId: $creator, strictness: $strictness) { strictness } }"""
CURRENT_STRICTNESS = "query ($c: String!) { groupingStrictness(creatorId: $c) { strictness } }"


def other_than(creator: str, twin: str) -> str:
    with db.session_scope() as session:
        views = service.list_clusters(session, creator_external_id=creator)
    [other] = [str(v.id) for v in views if str(v.id) != twin]
    return other


def test_graphql_corrections_merge_move_undo_and_confirm(embedder, client) -> None:
    creator = new_creator()
    token = creator_token(creator)
    twin = str(split_off_twin(creator, PRICE))
    original = other_than(creator, twin)
    similar = graphql(client, SIMILAR, token, id=original)["data"]["cluster"]["similarClusters"]
    assert [s["cluster"]["id"] for s in similar] == [twin] and similar[0]["similarity"] > 0.5
    merged = graphql(client, MERGE, token, id=original, other=twin)["data"]["mergeClusters"][
        "cluster"
    ]
    assert merged["id"] == original and (merged["fanCount"], merged["channelCount"]) == (3, 3)

    message = merged["messages"][2]["id"]
    moved = graphql(client, MOVE, token, cluster=original, message=message)["data"]
    assert moved["moveClusterMessage"]["cluster"]["id"] not in (original, twin)
    assert moved["moveClusterMessage"]["cluster"]["channelCount"] == 1

    removed = merged["messages"][1]["id"]
    assert graphql(client, REMOVE, token, cluster=original, message=removed)["data"]
    listed = graphql(client, "{ removedMessages { clusterId message { id } } }", token)["data"]
    assert listed["removedMessages"] == [{"clusterId": original, "message": {"id": removed}}]
    restored = graphql(client, RESTORE, token, cluster=original, message=removed)["data"]
    assert restored["restoreClusterMessage"]["channelCount"] == 2

    stale = graphql(client, REPLY, token, id=original, channels=3)
    assert "confirm again" in stale["errors"][0]["message"]
    sent = graphql(client, REPLY, token, id=original, channels=2)["data"]
    assert sent["actionCluster"] == {"deliveries": 2}


@pytest.mark.parametrize("strictness", [-1, 2.5])
def test_graphql_refuses_a_strictness_outside_0_to_1(embedder, client, strictness: float) -> None:
    creator = new_creator()
    ingest(fan_message(creator, "c", "hello"))
    token = creator_token(creator)
    answer = graphql(client, STRICTNESS, token, creator=creator, strictness=strictness)
    assert "from 0 (group most) to 1 (group least)" in answer["errors"][0]["message"]
    current = graphql(client, CURRENT_STRICTNESS, token, c=creator)["data"]
    assert current["groupingStrictness"] == {"strictness": None}
    stored = graphql(client, STRICTNESS, token, creator=creator, strictness=0.3)["data"]
    assert stored["setGroupingStrictness"] == {"strictness": 0.3}
    setting = "{ groupingStrictness(creatorId: $c) { similarity calibratedMessages } }"
    shown = graphql(client, f"query ($c: String!) {setting}", token, c=creator)["data"]
    assert shown["groupingStrictness"] == {
        "similarity": service.clustering_params(0.3).join_similarity,
        "calibratedMessages": None,
    }, "too few messages to have calibrated"


def test_the_inbox_page_slider_sets_the_strictness_and_refuses_nonsense(embedder, client) -> None:
    creator = new_creator()
    ingest(fan_message(creator, "c", "hello"))
    client.cookies.set("sift_token", creator_token(creator))
    assert 'name="strictness"' in client.get("/inbox").text
    saved = client.post("/inbox/strictness", data={"creator": creator, "strictness": "0.8"})
    assert saved.status_code == 200 and 'value="0.8"' in saved.text
    bad = client.post("/inbox/strictness", data={"creator": creator, "strictness": "lots"})
    assert bad.status_code == 400 and "is not a number from 0" in bad.text
    reset = client.post("/inbox/strictness", data={"creator": creator, "reset": "1"})
    assert reset.status_code == 200 and "(automatic: adapts to your inbox)" in reset.text
    other = client.post("/inbox/strictness", data={"creator": "someone-else", "strictness": "1"})
    assert other.status_code == 403
    client.cookies.clear()


def test_the_cluster_page_merges_moves_and_undoes_a_removal(embedder, client) -> None:
    creator = new_creator()
    twin = str(split_off_twin(creator, PRICE))
    original = other_than(creator, twin)
    client.cookies.set("sift_token", creator_token(creator))
    page = client.get(f"/inbox/clusters/{original}")
    assert 'id="similar-clusters"' in page.text and f'value="{twin}"' in page.text
    merged = client.post(f"/inbox/clusters/{original}/merge", data={"other": twin})
    assert merged.status_code == 200 and merged.text.count('class="message"') == 3
    again = client.post(f"/inbox/clusters/{original}/merge", data={"other": twin})
    assert again.status_code == 400 and "only open clusters can be changed" in again.text
    message = merged.text.split('data-message="')[1].split('"')[0]
    client.post(f"/inbox/clusters/{original}/messages/{message}/remove")
    removed = client.get("/inbox?status=removed")
    assert "Undo removal" in removed.text and message in removed.text
    back = client.post(f"/inbox/clusters/{original}/messages/{message}/restore")
    assert back.text.count('class="message"') == 3
    moved = client.post(f"/inbox/clusters/{original}/messages/{message}/move", data={"to": "new"})
    assert moved.status_code == 200 and moved.text.count('class="message"') == 1
    client.cookies.clear()
