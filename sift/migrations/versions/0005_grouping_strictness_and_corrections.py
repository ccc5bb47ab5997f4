"""per-creator grouping strictness, and the creator's own merges and moves

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("creators", sa.Column("grouping_strictness", sa.Float(), nullable=True))
    op.create_check_constraint(
        op.f("ck_creators_grouping_strictness"),
        "creators",
        "grouping_strictness >= 0 AND grouping_strictness <= 1",
    )
    op.create_table(
        "cluster_corrections",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("creator_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Enum("merge", "move", name="correction_kind"), nullable=False),
        sa.Column("source_cluster_id", sa.UUID(), nullable=False),
        sa.Column("target_cluster_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_cluster_corrections_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_corrections_source_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_corrections_target_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_cluster_corrections_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_corrections")),
    )
    op.create_index(
        op.f("ix_cluster_corrections_creator_id"), "cluster_corrections", ["creator_id"]
    )
    op.create_table(
        "kept_apart",
        sa.Column("correction_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["cluster_corrections.id"],
            name=op.f("fk_kept_apart_correction_id_cluster_corrections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_kept_apart_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("correction_id", "message_id", name=op.f("pk_kept_apart")),
    )


def downgrade() -> None:
    op.drop_table("kept_apart")
    op.drop_index(op.f("ix_cluster_corrections_creator_id"), table_name="cluster_corrections")
    op.drop_table("cluster_corrections")
    sa.Enum(name="correction_kind").drop(op.get_bind(), checkfirst=True)
    op.drop_constraint(op.f("ck_creators_grouping_strictness"), "creators", type_="check")
    op.drop_column("creators", "grouping_strictness")
