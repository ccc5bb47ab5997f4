"""The inbox's GraphQL types and resolvers. Resolvers stay thin: authorise (`access`), open a
unit of work, call the service, shape the answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import strawberry
from pydantic import ValidationError

from sift import db
from sift.api import blocking, info_context
from sift.auth import Principal
from sift.inbox import flows, ingest, service
from sift.inbox.access import (
    Corrected,
    answer,
    cluster_owner_checked,
    correct,
    parse_status,
    scope_of,
    set_strictness,
    undelivered,
)
from sift.inbox.models import Cluster as ClusterRow
from sift.inbox.models import Creator, InboundMessage, first_problem


def principal_of(info: strawberry.Info) -> Principal:
    return info_context(info).principal


# --- GraphQL types --------------------------------------------------------------------------


@strawberry.type
class ClusterMessage:
    id: strawberry.ID
    external_message_id: str
    channel_id: str
    visitor_name: str | None
    avatar_url: str | None
    text: str
    created_at: datetime
    status: str

    @classmethod
    def of(cls, member: service.MemberView) -> ClusterMessage:
        return cls(
            id=strawberry.ID(str(member.message_id)),
            external_message_id=member.external_message_id,
            channel_id=member.channel_external_id,
            visitor_name=member.visitor_name,
            avatar_url=member.avatar_url,
            text=member.text,
            created_at=member.created_at,
            status=member.status.value,
        )


@strawberry.type
class SuggestedResponse:
    response_text: str
    question_text: str
    similarity: float
    use_count: int
    last_used_at: datetime


@strawberry.type
class Cluster:
    id: strawberry.ID
    creator_id: str
    status: str
    is_paid: bool
    fan_count: int
    channel_count: int
    message_count: int
    preview_text: str
    representative_visitor: str
    other_visitors: int
    visitors_line: str
    avatars: list[str]
    title: str = strawberry.field(
        description="The LLM's label where one was written, else the member nearest the "
        "cluster's mean (its most representative question)."
    )
    latest_at: datetime | None = strawberry.field(
        description="When the newest counted message arrived."
    )
    summary_label: str | None
    summary_description: str | None
    response_text: str | None
    replied_at: datetime | None
    locked_until: datetime | None
    created_at: datetime
    messages: list[ClusterMessage]

    @strawberry.field(description="Past replies to similar questions, best first (top 3).")
    @blocking
    def suggested_responses(self) -> list[SuggestedResponse]:
        with db.session_scope() as session:
            return [
                SuggestedResponse(
                    response_text=s.response_text,
                    question_text=s.question_text,
                    similarity=round(s.similarity, 4),
                    use_count=s.use_count,
                    last_used_at=s.last_used_at,
                )
                for s in service.suggest_responses(session, str(self.id))
            ]

    @strawberry.field(
        description="The nearest open clusters close enough to suggest merging, closest first."
    )
    @blocking
    def similar_clusters(self) -> list[SimilarCluster]:
        with db.session_scope() as session:
            return [
                SimilarCluster(similarity=round(s.similarity, 4), cluster=Cluster.of(s.cluster))
                for s in service.similar_clusters(session, str(self.id))
            ]

    @classmethod
    def of(cls, view: service.ClusterView) -> Cluster:
        return cls(
            id=strawberry.ID(str(view.id)),
            creator_id=view.creator_external_id,
            status=view.status.value,
            is_paid=view.is_paid,
            fan_count=view.fan_count,
            channel_count=view.channel_count,
            message_count=view.message_count,
            preview_text=view.preview_text,
            representative_visitor=view.representative,
            other_visitors=view.others,
            visitors_line=view.visitors_line,
            avatars=view.avatars,
            title=view.title,
            latest_at=view.latest_at,
            summary_label=view.summary_label,
            summary_description=view.summary_description,
            response_text=view.response_text,
            replied_at=view.replied_at,
            locked_until=view.locked_until,
            created_at=view.created_at,
            messages=[ClusterMessage.of(m) for m in view.members],
        )


@strawberry.type
class SimilarCluster:
    similarity: float = strawberry.field(
        description="Average cosine between the members of the two clusters."
    )
    cluster: Cluster


@strawberry.type
class RemovedMessage:
    cluster_id: strawberry.ID
    message: ClusterMessage


@strawberry.type
class GroupingStrictness:
    creator_id: str
    strictness: float | None = strawberry.field(
        description="0 groups the most, 1 the least; null is the default, which adapts to "
        "the inbox."
    )
    similarity: float = strawberry.field(
        description="The similarity messages are grouped at now: the chosen strictness's, "
        "or at the default the one calibrated on the inbox."
    )
    calibrated_messages: int | None = strawberry.field(
        description="How many messages the inbox's last calibration saw; null before one."
    )

    @classmethod
    def of(cls, creator: Creator) -> GroupingStrictness:
        return cls(
            creator_id=creator.external_id,
            strictness=creator.grouping_strictness,
            similarity=service.creator_params(creator).join_similarity,
            calibrated_messages=creator.calibrated_messages,
        )


@strawberry.type
class StrictnessPreview:
    strictness: float = strawberry.field(description="The position previewed (0 to 1).")
    similarity: float = strawberry.field(description="The similarity it groups messages at.")
    clusters: int = strawberry.field(
        description="About how many open clusters the inbox would hold with it."
    )


@strawberry.type
class CorrectionOutcome:
    cluster: Cluster = strawberry.field(
        description="The cluster the change left the message(s) in."
    )
    correction_ids: list[strawberry.ID] = strawberry.field(
        description="What `undoCorrections` takes back, with this cluster's id."
    )


@strawberry.type
class IngestOutcome:
    message_id: strawberry.ID
    cluster_id: strawberry.ID | None
    replayed: bool
    new_cluster: bool


@strawberry.type
class ActionOutcome:
    cluster_id: strawberry.ID
    messages: int
    deliveries: int
    workflow_id: str


@strawberry.type
class DeliveryRetry:
    cluster_id: strawberry.ID
    channels: int
    workflow_id: str


@strawberry.input
class MessageInput:
    creator_id: str
    channel_id: str
    external_message_id: str
    text: str
    is_paid_dm: bool = False
    sender_id: str | None = None
    visitor_name: str | None = None
    visitor_avatar_url: str | None = None


# --- GraphQL ----------------------------------------------------------------------------------


@strawberry.type
class Query:
    @strawberry.field(
        description="A creator's clusters, counting active members only: paid DMs first, "
        "then by `sort` (size, newest or oldest). `search` matches words or meaning."
    )
    @blocking
    def clusters(
        self,
        info: strawberry.Info,
        creator_id: str | None = None,
        status: str | None = "open",
        min_channel_count: int = service.DEFAULT_MIN_CHANNELS,
        search: str | None = None,
        sort: str = "size",
    ) -> list[Cluster]:
        scope = scope_of(principal_of(info), creator_id)
        with db.session_scope() as session:
            views = service.list_clusters(
                session,
                creator_external_id=scope,
                status=parse_status(status),
                min_channel_count=min_channel_count,
                search=(search or "").strip()[:200] or None,
                sort=sort,
            )
            return [Cluster.of(v) for v in views]

    @strawberry.field
    @blocking
    def cluster(self, info: strawberry.Info, id: strawberry.ID) -> Cluster:
        with db.session_scope() as session:
            cluster_owner_checked(session, principal_of(info), str(id))
            return Cluster.of(service.cluster_view(session, str(id)))

    @strawberry.field(description="Messages the creator removed, most recent first.")
    @blocking
    def removed_messages(
        self, info: strawberry.Info, creator_id: str | None = None
    ) -> list[RemovedMessage]:
        scope = scope_of(principal_of(info), creator_id)
        with db.session_scope() as session:
            return [
                RemovedMessage(
                    cluster_id=strawberry.ID(str(r.cluster_id)), message=ClusterMessage.of(r.member)
                )
                for r in service.removed_messages(session, creator_external_id=scope)
            ]

    @strawberry.field
    @blocking
    def grouping_strictness(self, info: strawberry.Info, creator_id: str) -> GroupingStrictness:
        principal_of(info).require_creator(creator_id)
        with db.session_scope() as session:
            return GroupingStrictness.of(service.get_creator_or_raise(session, creator_id))

    @strawberry.field(
        description="About how many clusters the inbox would hold at `strictness` (null: "
        "the default), before `setGroupingStrictness` re-groups it: the page's slider preview."
    )
    @blocking
    def strictness_preview(
        self, info: strawberry.Info, creator_id: str, strictness: float | None = None
    ) -> StrictnessPreview:
        principal_of(info).require_creator(creator_id)
        with db.session_scope() as session:
            preview = service.preview_strictness(
                session, creator_external_id=creator_id, strictness=strictness
            )
        return StrictnessPreview(
            strictness=preview.strictness, similarity=preview.similarity, clusters=preview.clusters
        )


@strawberry.type
class Mutation:
    @strawberry.mutation
    @blocking
    def ingest_message(self, info: strawberry.Info, message: MessageInput) -> IngestOutcome:
        principal_of(info).require_creator(message.creator_id)
        try:
            inbound = InboundMessage(
                creator=message.creator_id,
                channel=message.channel_id,
                external_id=message.external_message_id,
                text=message.text,
                is_paid_dm=message.is_paid_dm,
                sender_id=message.sender_id,
                visitor_name=message.visitor_name,
                visitor_avatar_url=message.visitor_avatar_url,
            )
        except ValidationError as error:
            raise service.InboxError(f"message: {first_problem(error)}") from None
        with db.session_scope() as session:
            result = ingest.ingest(session, inbound)
        return IngestOutcome(
            message_id=strawberry.ID(str(result.message_id)),
            cluster_id=strawberry.ID(str(result.cluster_id)) if result.cluster_id else None,
            replayed=result.replayed,
            new_cluster=result.new_cluster,
        )

    @strawberry.mutation(description="Keep re-grouping away from a cluster while replying.")
    @blocking
    def open_cluster_for_reply(self, info: strawberry.Info, id: strawberry.ID) -> Cluster:
        with db.session_scope() as session:
            cluster_owner_checked(session, principal_of(info), str(id))
            service.open_for_reply(session, str(id))
            return Cluster.of(service.cluster_view(session, str(id)))

    @strawberry.mutation(
        description="Answer every active message of a cluster. With `expectedChannels` (the "
        "count the creator confirmed) nothing is sent if the cluster has changed since."
    )
    @blocking
    def action_cluster(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        response_text: str,
        expected_channels: int | None = None,
    ) -> ActionOutcome:
        result = answer(principal_of(info), str(id), response_text, expected_channels)
        return ActionOutcome(
            cluster_id=strawberry.ID(str(result.cluster_id)),
            messages=result.messages,
            deliveries=result.deliveries,
            workflow_id=flows.start_delivery(result.cluster_id),
        )

    @strawberry.mutation(
        description="Send an answered cluster's reply again to the channels it has not "
        "reached; channels that have it are never sent it twice."
    )
    @blocking
    def retry_cluster_delivery(self, info: strawberry.Info, id: strawberry.ID) -> DeliveryRetry:
        channels = undelivered(principal_of(info), str(id))
        return DeliveryRetry(
            cluster_id=id, channels=channels, workflow_id=flows.start_delivery(str(id))
        )

    @strawberry.mutation
    @blocking
    def remove_cluster_message(
        self, info: strawberry.Info, cluster_id: strawberry.ID, message_id: strawberry.ID
    ) -> bool:
        with db.session_scope() as session:
            cluster_owner_checked(session, principal_of(info), str(cluster_id))
            return service.remove_cluster_message(
                session,
                cluster_id=service.parse_uuid(str(cluster_id), "cluster"),
                message_id=service.parse_uuid(str(message_id), "message"),
            )

    @strawberry.mutation(description="Undo a removal; returns the cluster the message is in.")
    @blocking
    def restore_cluster_message(
        self, info: strawberry.Info, cluster_id: strawberry.ID, message_id: strawberry.ID
    ) -> Cluster:
        return _corrected(
            principal_of(info),
            str(cluster_id),
            service.restore_cluster_message,
            message_id=str(message_id),
        )

    @strawberry.mutation(
        description="Merge `otherId` into cluster `id`; re-grouping never splits the result "
        "(until `undoCorrections` takes it back)."
    )
    @blocking
    def merge_clusters(
        self, info: strawberry.Info, id: strawberry.ID, other_id: strawberry.ID
    ) -> CorrectionOutcome:
        return _undoable(
            correct(
                principal_of(info), str(id), service.merge_clusters, other_cluster_id=str(other_id)
            )
        )

    @strawberry.mutation(
        description="Move a message to another open cluster, or to a new one of its own "
        "without `toClusterId`; re-grouping never puts it back (until `undoCorrections`)."
    )
    @blocking
    def move_cluster_message(
        self,
        info: strawberry.Info,
        cluster_id: strawberry.ID,
        message_id: strawberry.ID,
        to_cluster_id: strawberry.ID | None = None,
    ) -> CorrectionOutcome:
        return _undoable(
            correct(
                principal_of(info),
                str(cluster_id),
                service.move_message,
                message_id=str(message_id),
                to_cluster_id=None if to_cluster_id is None else str(to_cluster_id),
            )
        )

    @strawberry.mutation(
        description="Take back a merge or move: `clusterId` and `correctionIds` as it "
        "returned them. The messages go back where they were; returns the cluster the "
        "change was made from. Refused once that cluster has been answered."
    )
    @blocking
    def undo_corrections(
        self,
        info: strawberry.Info,
        cluster_id: strawberry.ID,
        correction_ids: list[strawberry.ID],
    ) -> Cluster:
        return _corrected(
            principal_of(info),
            str(cluster_id),
            service.undo_corrections,
            correction_ids=[str(c) for c in correction_ids],
        )

    @strawberry.mutation(
        description="How readily the creator's messages are grouped: 0 groups the most, "
        "1 the least, null the default (adapts to the inbox). The inbox is re-grouped with it."
    )
    @blocking
    def set_grouping_strictness(
        self, info: strawberry.Info, creator_id: str, strictness: float | None = None
    ) -> GroupingStrictness:
        principal_of(info).require_creator(creator_id)
        set_strictness(creator_id, strictness)
        with db.session_scope() as session:
            return GroupingStrictness.of(service.get_creator_or_raise(session, creator_id))

    @strawberry.mutation
    @blocking
    def mark_channel_replied(self, info: strawberry.Info, creator_id: str, channel_id: str) -> bool:
        principal_of(info).require_creator(creator_id)
        with db.session_scope() as session:
            service.mark_channel_replied(
                session, creator_external_id=creator_id, channel_external_id=channel_id
            )
        return True

    @strawberry.mutation(
        description="Delete a creator's message by its external id (ids are per creator: "
        "another creator's message with the same id stays). A creator token may leave out "
        "`creatorId`; an admin must name the creator."
    )
    @blocking
    def delete_message(
        self, info: strawberry.Info, external_message_id: str, creator_id: str | None = None
    ) -> bool:
        scope = scope_of(principal_of(info), creator_id)
        if scope is None:
            raise service.InboxError("deleteMessage needs `creatorId`: message ids are per creator")
        with db.session_scope() as session:
            return service.delete_message(
                session, creator_external_id=scope, external_message_id=external_message_id
            )

    @strawberry.mutation
    @blocking
    def delete_creator_data(self, info: strawberry.Info, creator_id: str) -> bool:
        principal_of(info).require_creator(creator_id)
        with db.session_scope() as session:
            return service.delete_creator_data(session, creator_external_id=creator_id)


def _corrected(
    principal: Principal, cluster_id: str, change: Callable[..., ClusterRow], **arguments: object
) -> Cluster:
    """`access.correct`, answered with the cluster the change left the message(s) in."""
    return Cluster.of(correct(principal, cluster_id, change, **arguments).view)


def _undoable(done: Corrected) -> CorrectionOutcome:
    """A merge or move's answer: where it left the messages, and how to take it back."""
    return CorrectionOutcome(
        cluster=Cluster.of(done.view),
        correction_ids=[strawberry.ID(c) for c in done.corrections],
    )
