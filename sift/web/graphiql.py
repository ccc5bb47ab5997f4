"""GraphiQL at `/graphql`, served entirely by Sift.

Strawberry's own page loads React and GraphiQL from a CDN, so offline (or behind a strict
proxy) it stays on "Loading…". This router serves the same IDE from the copies vendored in
`static/vendor/graphiql/` (see `static/NOTICE.md`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter


class SelfHostedGraphiQL(GraphQLRouter):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        from sift.web import templates

        return templates.TemplateResponse(request, "graphiql.html", {})
