"""organization names unique whatever their case

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Two names differing only in case could be created at the same moment before this
    # index: the later one gets its id appended, so the index can be built and nothing is
    # lost (an admin can rename or merge them).
    op.execute(
        "UPDATE organizations o SET name = o.name || ' (' || o.id || ')' "
        "WHERE EXISTS (SELECT 1 FROM organizations e WHERE lower(e.name) = lower(o.name) "
        "AND (e.created_at, e.id) < (o.created_at, o.id))"
    )
    op.create_index(
        "uq_organizations_name_lower", "organizations", [sa.text("lower(name)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_organizations_name_lower", table_name="organizations")
