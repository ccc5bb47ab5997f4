"""public post search: the searchable text of a post, its embedding, and their indexes

`pg_trgm` ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13,
so the database owner may create it. Existing posts get no embedding here: the directory's
embedding tick (`directory-embed-posts`) fills them in, and until then they are found by
words.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = sa.text("status = 'active' AND deleted_at IS NULL")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column(
        "posts",
        sa.Column(
            "search_text",
            sa.Text(),
            sa.Computed(
                "title || ' ' || coalesce(summary, '') || ' ' || description", persisted=True
            ),
            nullable=False,
        ),
    )
    op.add_column("posts", sa.Column("embedding", pgvector.sqlalchemy.Vector(384), nullable=True))
    op.add_column("posts", sa.Column("embedded_text_md5", sa.String(32), nullable=True))
    op.create_index(
        "ix_posts_search_text_trgm",
        "posts",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        postgresql_where=PUBLISHED,
    )
    op.create_index(
        "ix_posts_embedding_hnsw",
        "posts",
        ["embedding"],
        postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 64},
        postgresql_ops={"embedding": "vector_cosine_ops"},
        postgresql_where=PUBLISHED,
    )


def downgrade() -> None:
    """The `pg_trgm` extension stays: other schemas of the database may use it."""
    op.drop_index("ix_posts_embedding_hnsw", table_name="posts")
    op.drop_index("ix_posts_search_text_trgm", table_name="posts")
    op.drop_column("posts", "embedded_text_md5")
    op.drop_column("posts", "embedding")
    op.drop_column("posts", "search_text")
