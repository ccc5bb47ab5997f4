"""The inbox over HTTP: the signed GetStream webhook, GraphQL, and creator isolation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sift.api import create_app
from sift.auth import Role, issue_token
from sift.config import get_settings
from sift.inbox import webhooks

from .conftest import new_creator


@pytest.fixture(scope="module")
def client(app_runtime: str) -> Iterator[TestClient]:
    with TestClient(create_app(get_settings(), manage_runtime=False)) as test_client:
        yield test_client


def post_event(client: TestClient, event: dict, *, signature: str | None = None):
    body = json.dumps(event).encode()
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


def graphql(client: TestClient, query: str, token: str) -> dict:
    response = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()


def creator_token(creator: str) -> str:
    return issue_token(get_settings(), role=Role.creator, subject=creator, creator_id=creator)


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

    deleted = {"type": "message.deleted", "message": {"id": f"{creator}-m1"}}
    assert post_event(client, deleted).json()["outcome"] == "deleted"
    [cluster] = graphql(client, clusters_query(creator), token)["data"]["clusters"]
    assert cluster["channelCount"] == 1

    reply = new_message(creator, f"{creator}-0", f"{creator}-r", "It's free!", creator)
    assert post_event(client, reply).json()["outcome"] == "external reply"
    assert graphql(client, clusters_query(creator), token)["data"]["clusters"] == []


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
        f'mutation {{ deleteMessage(externalMessageId: "{alice}-m0") }}',
        f'mutation {{ retryClusterDelivery(id: "{cluster_id}") {{ channels }} }}',
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
    remove_url = detail.text.split('action="/inbox/clusters/')[2].split('"')[0]
    client.post(f"/inbox/clusters/{remove_url}")
    assert client.get(f"/inbox/clusters/{cluster_id}").text.count('class="message"') == 1
    sent = client.post(f"/inbox/clusters/{cluster_id}/reply", data={"response_text": "Free!"})
    assert "Reply sent to 1 channel(s)." in sent.text
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
    stolen_id = new_message(new_creator(), "elsewhere", f"{creator}-m0", "Hi!", "fan9")
    clash = post_event(client, stolen_id)
    assert clash.status_code == 400 and "another creator" in clash.json()["detail"]

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
