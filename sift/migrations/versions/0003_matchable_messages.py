"""matchable messages: the cluster of a message's active membership, and a partial HNSW
index over those messages only

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HNSW = {
    "postgresql_using": "hnsw",
    "postgresql_with": {"m": 16, "ef_construction": 64},
    "postgresql_ops": {"embedding": "vector_cosine_ops"},
}


def upgrade() -> None:
    op.add_column("messages", sa.Column("matchable_cluster_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_messages_matchable_cluster_id_clusters"),
        "messages",
        "clusters",
        ["matchable_cluster_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.execute(
        "UPDATE messages m SET matchable_cluster_id = cm.cluster_id FROM cluster_messages cm "
        "WHERE cm.message_id = m.id AND cm.status = 'active' "
        "AND NOT m.is_paid_dm AND m.deleted_at IS NULL"
    )
    op.create_index("ix_messages_matchable_cluster", "messages", ["matchable_cluster_id"])
    op.drop_index("ix_messages_embedding_hnsw", table_name="messages", **_HNSW)
    op.create_index(
        "ix_messages_embedding_hnsw",
        "messages",
        ["embedding"],
        postgresql_where=sa.text("matchable_cluster_id IS NOT NULL"),
        **_HNSW,
    )


def downgrade() -> None:
    op.drop_index("ix_messages_embedding_hnsw", table_name="messages", **_HNSW)
    op.create_index("ix_messages_embedding_hnsw", "messages", ["embedding"], **_HNSW)
    op.drop_index("ix_messages_matchable_cluster", table_name="messages")
    op.drop_constraint(
        op.f("fk_messages_matchable_cluster_id_clusters"), "messages", type_="foreignkey"
    )
    op.drop_column("messages", "matchable_cluster_id")
