"""unread clusters: when the creator last opened each cluster

A cluster is unread while it has a message newer than `seen_at` (or was never opened).
Existing clusters start unread, as nothing recorded a visit before.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("clusters", sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("clusters", "seen_at")
