"""Hostile or careless inbox input gets one clear line and stores nothing: impossible dates,
loosely typed booleans, creator ids PostgreSQL cannot hold or no token can match."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import ValidationError

from sift import db
from sift.auth import ALGORITHM, COOKIE_NAME, InvalidClaim, Role, issue_token
from sift.config import get_settings
from sift.inbox import webhooks
from sift.inbox.models import InboundMessage, Message
from tests.support.cli import cli_error_line

from .conftest import new_creator

BC_DATE = "0001-01-01T00:00:00+14:00"


def send(client: TestClient, event: dict[str, Any]) -> Any:
    body = json.dumps({"created_at": datetime.now(UTC).isoformat(), **event}).encode()
    secret = get_settings().webhook_secret.get_secret_value()
    return client.post(
        "/webhooks/stream", content=body, headers={"X-Signature": webhooks.sign(secret, body)}
    )


def fan_event(creator: str, message_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "message.new",
        "cid": f"messaging:{creator}-1",
        "channel": {"creator_id": creator},
        "message": {
            "id": message_id,
            "text": "Is there a replay?",
            "user": {"id": "fan"},
            **fields,
        },
    }


def stored(message_id: str) -> Message | None:
    with db.session_scope() as session:
        found = session.scalar(sa.select(Message).where(Message.external_message_id == message_id))
        session.expunge_all()
        return found


@pytest.mark.parametrize(
    "when", [BC_DATE, "1969-12-31T23:59:59Z", (datetime.now(UTC) + timedelta(days=3)).isoformat()]
)
def test_an_impossible_message_date_is_one_line_and_stores_nothing(
    client: TestClient, when: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        InboundMessage(creator="c", channel="ch", external_id="x", text="hi", created_at=when)
    assert "created_at" in str(caught.value)
    creator = new_creator()
    answer = send(client, fan_event(creator, f"{creator}-1", created_at=when))
    assert answer.status_code == 400 and "created_at" in answer.json()["detail"]
    assert stored(f"{creator}-1") is None


def test_the_cli_refuses_an_impossible_date_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "messages.json"
    item = {"creator": "c", "channel": "ch", "external_id": "x", "text": "hi"}
    path.write_text(json.dumps([{**item, "created_at": BC_DATE}]))
    line = cli_error_line("inbox", "ingest", str(path))
    assert "item 1: created_at" in line


@pytest.mark.parametrize("value", ["false", "true", 0, 1, None])
def test_is_paid_dm_must_be_a_real_boolean(client: TestClient, value: Any) -> None:
    creator = new_creator()
    answer = send(client, fan_event(creator, f"{creator}-1", is_paid_dm=value))
    assert answer.status_code == 400 and "is_paid_dm" in answer.json()["detail"]
    assert stored(f"{creator}-1") is None
    with pytest.raises(ValidationError):
        InboundMessage.model_validate(
            {"creator": "c", "channel": "ch", "external_id": "x", "text": "hi", "is_paid_dm": value}
        )


def test_a_false_paid_flag_is_an_ordinary_message(embedder, client: TestClient) -> None:
    creator = new_creator()
    assert send(client, fan_event(creator, f"{creator}-1", is_paid_dm=False)).status_code == 200
    message = stored(f"{creator}-1")
    assert message is not None and message.is_paid_dm is False


@pytest.mark.parametrize("creator_id", ["a\x00b", "\ud800", "", " padded ", "x" * 201])
def test_an_unusable_creator_id_claim_is_no_login_and_no_500(
    client: TestClient, creator_id: str
) -> None:
    settings = get_settings()
    with pytest.raises(InvalidClaim):
        issue_token(settings, role=Role.creator, subject="s", creator_id=creator_id)
    now = datetime.now(UTC)
    claims = {
        "sub": "s",
        "role": "creator",
        "creator_id": creator_id,
        "iat": now,
        "exp": now + timedelta(hours=1),
        "jti": uuid.uuid4().hex,
    }
    token = jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)
    client.cookies.set(COOKIE_NAME, token)
    try:
        page = client.get("/inbox", follow_redirects=False)
    finally:
        client.cookies.clear()
    assert page.status_code in (303, 401), page.status_code


def test_sift_token_creator_refuses_an_empty_id() -> None:
    assert "creator id" in cli_error_line("token", "creator", "")
