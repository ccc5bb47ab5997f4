"""A published post is found by meaning from the commit that publishes it (issue 22): the
approval writes its vector, an HSDS import writes those of the services it publishes, and
an embedding API that is down delays the vector to the tick without failing the approval."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from sift import db
from sift.ai.embeddings import get_embedder
from sift.directory.hsds import importer
from sift.directory.models import Post, ProposedOperation
from sift.directory.proposals import review, sync
from sift.directory.public import post_vectors
from sift.directory.registry import service


def staged_insert(title: str) -> uuid.UUID:
    """An extraction's insert of a new post (a draft, not yet published)."""
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Vectors {uuid.uuid4().hex[:6]}")
        fresh = sync.FreshPost(title=title, description=f"{title} for the neighbourhood.")
        batch = sync.stage_extraction(session, organization_id=org.id, fresh=[fresh], embedder=None)
        return session.scalars(
            sa.select(ProposedOperation.id).where(ProposedOperation.batch_id == batch.batch_id)
        ).one()


def vector_state(post_id: uuid.UUID) -> tuple[bool, bool]:
    """(has a vector, the vector is of its current text)."""
    with db.session_scope() as session:
        post = session.get_one(Post, post_id)
        md5 = hashlib.md5(post.search_text.encode()).hexdigest()
        return post.embedding is not None, post.embedded_text_md5 == md5


def test_the_approval_that_publishes_a_post_writes_its_vector(database: str) -> None:
    proposal_id = staged_insert("Free Tax Preparation")
    review.decide(proposal_id, approve=True, reviewer="admin")
    with db.session_scope() as session:
        draft_id = session.get_one(ProposedOperation, proposal_id).draft_post_id
    assert draft_id is not None and vector_state(draft_id) == (True, True)


def test_an_embedder_that_fails_leaves_the_vectors_to_the_tick_and_is_called_once(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def down() -> object:
        calls.append(1)
        raise OSError("the embedding model cannot be loaded")  # not only EmbeddingError

    first, second = staged_insert("Bike Repair Cafe"), staged_insert("Clothing Closet")
    monkeypatch.setattr(post_vectors, "get_embedder", down)
    monkeypatch.setattr(post_vectors, "_resting_until", 0.0)  # restored after the test
    for proposal_id in (first, second):
        review.decide(proposal_id, approve=True, reviewer="admin")  # approved all the same
    assert len(calls) == 1, "after a failure, approvals leave embedding to the tick a while"
    with db.session_scope() as session:
        drafts = [session.get_one(ProposedOperation, p).draft_post_id for p in (first, second)]
    assert all(d is not None and vector_state(d) == (False, False) for d in drafts)
    with db.session_scope() as session:  # what the tick's batch does
        assert post_vectors.embed_stale_posts(session, embedder=get_embedder()) >= 2
    assert all(d is not None and vector_state(d) == (True, True) for d in drafts)


def test_an_import_writes_the_vectors_of_the_services_it_publishes(
    database: str, tmp_path: Path
) -> None:
    active, inactive = uuid.uuid4(), uuid.uuid4()
    document = {
        "id": str(uuid.uuid4()),
        "name": "Imported Vectors Org",
        "description": "From a 211 system.",
        "services": [
            {"id": str(active), "name": "Diaper Bank", "status": "active"},
            {"id": str(inactive), "name": "Old Clinic", "status": "inactive"},
        ],
    }
    path = tmp_path / "org.json"
    path.write_text(json.dumps(document))
    with db.session_scope() as session:
        importer.store(session, importer.read(path))
    assert vector_state(active) == (True, True)
    assert vector_state(inactive)[0] is False, "an archived service is not searched"
