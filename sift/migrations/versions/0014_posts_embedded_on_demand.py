"""posts embedded on demand: an edited post drops its stale embedding, and the posts still
waiting for one are found by an index

The public search embeds published posts that have no embedding yet while it runs (see
`sift.directory.search`), so a new or edited post is found by meaning at once instead of
after the next embedding tick. For that it must find them cheaply (a partial index of the
published posts without an embedding) and an edit must not leave the old text's vector in
place: a trigger clears it whenever the title, summary or description changes.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("embedding IS NULL AND status = 'active' AND deleted_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_posts_waiting_for_embedding", "posts", ["id"], postgresql_where=WAITING)
    op.execute(
        """
        CREATE FUNCTION posts_forget_stale_embedding() RETURNS trigger AS $$
        BEGIN
            NEW.embedding := NULL;
            NEW.embedded_text_md5 := NULL;
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER posts_forget_stale_embedding
        BEFORE UPDATE OF title, summary, description ON posts
        FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title
              OR OLD.summary IS DISTINCT FROM NEW.summary
              OR OLD.description IS DISTINCT FROM NEW.description)
        EXECUTE FUNCTION posts_forget_stale_embedding()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS posts_forget_stale_embedding ON posts")
    op.execute("DROP FUNCTION IF EXISTS posts_forget_stale_embedding()")
    op.drop_index("ix_posts_waiting_for_embedding", table_name="posts")
