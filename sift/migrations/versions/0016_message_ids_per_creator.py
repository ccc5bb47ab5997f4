"""message ids are unique per creator, not across creators

`messages.external_message_id` was unique over every creator, so one creator could send
(through GraphQL or a file) the id of another creator's message before it arrived, which
was then refused, and the refusal told which ids exist. The key is now
(creator_id, external_message_id); every lookup by external id names its creator.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_unique_constraint(
        "uq_messages_creator_external", "messages", ["creator_id", "external_message_id"]
    )
    op.drop_constraint(op.f("uq_messages_external_message_id"), "messages", type_="unique")


def downgrade() -> None:
    """Fails, as it should, once two creators hold the same message id."""
    op.create_unique_constraint(
        op.f("uq_messages_external_message_id"), "messages", ["external_message_id"]
    )
    op.drop_constraint("uq_messages_creator_external", "messages", type_="unique")
