"""Who may see and change which inbox, and the units of work the GraphQL API and the pages
share: authorise, open one transaction, call the service.

Creator tokens carry the creator's *external* id (the chat platform's user id, the same one
webhooks name and `sift token creator ID` takes), because that is the id every client
already knows; Sift's UUIDs never need to leave the server for it. A creator token sees and
acts on that creator's clusters only; an admin token sees every creator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sift import db
from sift.auth import NotAuthorized, Principal
from sift.inbox import flows, service
from sift.inbox.models import Cluster as ClusterRow
from sift.inbox.models import ClusterStatus


def scope_of(principal: Principal, creator_id: str | None) -> str | None:
    """The creator whose data a request may see: the one asked for (if allowed), the
    token's own for a creator, or every creator (None) for an admin."""
    if creator_id is not None:
        principal.require_creator(creator_id)
        return creator_id
    if principal.is_admin:
        return None
    if principal.creator_id is None:
        raise NotAuthorized("a creator or admin token is required")
    return principal.creator_id


def cluster_owner_checked(session: Session, principal: Principal, cluster_id: str) -> None:
    principal.require_creator(service.creator_external_id_of_cluster(session, cluster_id))


def parse_status(value: str | None) -> ClusterStatus | None:
    if value is None or value == "all":
        return None
    try:
        return ClusterStatus(value)
    except ValueError:
        raise service.InboxError(
            f"unknown cluster status {value!r} (open, actioned, empty or all)"
        ) from None


def answer(
    principal: Principal, cluster_id: str, response_text: str, expected_channels: int | None
) -> service.ActionResult:
    """Answer a cluster in one transaction; the delivery run starts after it commits."""
    with db.session_scope() as session:
        cluster_owner_checked(session, principal, cluster_id)
        return service.action_cluster(
            session,
            cluster_id=cluster_id,
            response_text=response_text,
            expected_channels=expected_channels,
        )


@dataclass(frozen=True)
class Corrected:
    view: service.ClusterView
    """The cluster the change left the message(s) in."""
    corrections: list[str]
    """The corrections it recorded: what an "Undo" right after it takes back."""


def correct(
    principal: Principal,
    cluster_id: str,
    change: Callable[..., ClusterRow],
    **arguments: object,
) -> Corrected:
    """One correction of the grouping by the cluster's owner (`change`, a service function
    called with the cluster and `arguments`), in one transaction."""
    with db.session_scope() as session:
        cluster_owner_checked(session, principal, cluster_id)
        changed = change(session, cluster_id=cluster_id, **arguments)
        return Corrected(
            service.cluster_view(session, changed.id),
            service.corrections_of_this_transaction(session, changed.id),
        )


def set_strictness(creator_id: str, strictness: float | None) -> None:
    """Store the creator's strictness, then re-group their inbox with it."""
    with db.session_scope() as session:
        service.set_grouping_strictness(
            session, creator_external_id=creator_id, strictness=strictness
        )
    flows.start_regroup(creator_id)


def undelivered(principal: Principal, cluster_id: str) -> int:
    with db.session_scope() as session:
        cluster_owner_checked(session, principal, cluster_id)
        return service.undelivered_channels(session, cluster_id)
