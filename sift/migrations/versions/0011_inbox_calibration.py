"""adaptive grouping: each creator's calibrated similarity and the inbox size it saw

A creator at the default strictness is grouped at the similarity calibrated on their own
inbox (`clustering.calibrate_similarity`); both columns stay NULL until the first regroup
of an inbox big enough to calibrate.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("creators", sa.Column("calibrated_similarity", sa.Float(), nullable=True))
    op.add_column("creators", sa.Column("calibrated_messages", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("creators", "calibrated_messages")
    op.drop_column("creators", "calibrated_similarity")
