"""The inbox on the web: the GetStream webhook, the creator's pages (`pages`) and the GraphQL
types and resolvers (`graphql`), put together as the one router, query and mutation the
domain declares (`domain`)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sift import db
from sift.config import get_settings
from sift.inbox import pages, webhooks
from sift.inbox.graphql import Mutation, Query
from sift.web.middleware import BODY_LIMITS

__all__ = ["Mutation", "Query", "router"]

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)


def _apply_event(payload: object, body: bytes) -> str:
    max_age = get_settings().webhook_max_age_s
    with db.session_scope() as session:
        return webhooks.handle(session, payload, body=body, max_age_s=max_age)


@router.post("/webhooks/stream", max_body_size=BODY_LIMITS["webhook"])
async def stream_webhook(request: Request) -> JSONResponse:
    """Verified before anything is read: a request without a signature is refused unread,
    a bad signature stores nothing, and the body is capped (413) while it is read."""
    signature = request.headers.get("x-signature")
    if not signature:
        return JSONResponse({"detail": "missing webhook signature"}, status_code=401)
    body = await request.body()
    secret = get_settings().webhook_secret.get_secret_value()
    if not webhooks.signature_ok(secret, body, signature):
        return JSONResponse({"detail": "invalid webhook signature"}, status_code=401)
    try:
        payload = webhooks.parse(body)
        outcome = await asyncio.to_thread(_apply_event, payload, body)
    except webhooks.MalformedEvent as error:
        return JSONResponse({"detail": str(error)}, status_code=400)
    return JSONResponse({"ok": True, "outcome": outcome})
