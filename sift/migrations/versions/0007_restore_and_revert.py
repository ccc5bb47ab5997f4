"""restore and revert: recovery proposals, who asked for them, and the content a revision
replaced

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # PostgreSQL 12+ adds enum values inside a transaction; they are used only after it.
    op.execute("ALTER TYPE operation_kind ADD VALUE IF NOT EXISTS 'restore'")
    op.execute("ALTER TYPE operation_kind ADD VALUE IF NOT EXISTS 'revert'")
    op.execute("ALTER TYPE batch_kind ADD VALUE IF NOT EXISTS 'recovery'")
    op.add_column(
        "post_revisions",
        sa.Column("replaced_content", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column("proposed_operations", sa.Column("reverts_id", sa.UUID(), nullable=True))
    op.add_column("proposed_operations", sa.Column("requested_by", sa.Text(), nullable=True))
    op.create_foreign_key(
        op.f("fk_proposed_operations_reverts_id_proposed_operations"),
        "proposed_operations",
        "proposed_operations",
        ["reverts_id"],
        ["id"],
    )
    op.create_index(
        op.f("ix_proposed_operations_reverts_id"), "proposed_operations", ["reverts_id"]
    )


def downgrade() -> None:
    """PostgreSQL cannot drop enum values: `restore`, `revert` and `recovery` stay."""
    op.drop_index(op.f("ix_proposed_operations_reverts_id"), table_name="proposed_operations")
    op.drop_constraint(
        op.f("fk_proposed_operations_reverts_id_proposed_operations"),
        "proposed_operations",
        type_="foreignkey",
    )
    op.drop_column("proposed_operations", "requested_by")
    op.drop_column("proposed_operations", "reverts_id")
    op.drop_column("post_revisions", "replaced_content")
