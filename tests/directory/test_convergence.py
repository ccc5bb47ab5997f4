"""The review loop converges: whatever a reviewer approves or rejects, in whatever order,
and however extraction and clean-up runs interleave, the queue never holds a pending
proposal nobody can apply nor two that contradict each other, and approving what is left
(with a clean-up run between rounds) ends with one published post per real service.

The demo organization's six programs (as the rules engine extracts them from the demo
website and Instagram export) and its hand-typed senior-lunch listing are the first case;
generated organizations with hand-typed and imported posts are the second. Extraction runs
here are the sync step the extraction workflow ends with; "unjudged" ones match by title
alone, as an extraction whose matching missed the hand-typed post would, which is what
makes an insert and a clean-up merge depend on each other.

Six derandomized examples per organization keep the run short; `SIFT_PROPERTY_EXAMPLES=200`
searches harder with fresh random examples.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sift import db
from sift.ai.embeddings import get_embedder
from sift.directory.cleanup import flows
from sift.directory.demo import HAND_LISTED_POST
from sift.directory.models import (
    BatchStatus,
    OperationKind,
    Organization,
    Post,
    PostStatus,
    ProposalStatus,
    ProposedOperation,
    SourceStatus,
    SyncBatch,
)
from sift.directory.proposals import dependencies, review, sync
from sift.directory.registry import service

DEMO_POSTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "demo_extracted_posts.json").read_text()
)
LUNCH = "Senior Lunch Club"


@dataclass
class Org:
    id: uuid.UUID
    sources: dict[str, str]
    services: list[dict[str, Any]]
    """What the organization's sources describe: one fresh post each."""
    typed: list[dict[str, Any]] = field(default_factory=list)
    """Posts an admin typed in or imported (active, no source)."""


def make_org(services: list[dict[str, Any]], typed: list[dict[str, Any]]) -> Org:
    with db.session_scope() as session:
        org = service.create_organization(session, name=f"Org {uuid.uuid4().hex[:10]}")
        sources = {}
        for kind, value in (("website", f"{uuid.uuid4().hex[:8]}.org"), ("instagram", "h")):
            value = value if kind == "website" else f"h{uuid.uuid4().hex[:8]}"
            source = service.add_source(session, organization=org, source_type=kind, value=value)
            service.set_source_status(session, source=source, status=SourceStatus.approved)
            sources[kind] = str(source.id)
        for content in typed:
            session.add(Post(organization_id=org.id, status=PostStatus.active, **content))
        return Org(org.id, sources, services, typed)


def fresh_posts(org: Org, *, changed: int | None = None) -> list[sync.FreshPost]:
    """The extraction's output; `changed` gives one service a new closing note, as a
    website edit would."""
    posts = []
    for i, content in enumerate(org.services):
        body = {k: v for k, v in content.items() if k != "links"}
        if i == changed:
            body["description"] = body["description"] + "\n\nClosed on public holidays."
        links = [(org.sources[kind], url) for kind, url in content.get("links", [])]
        posts.append(sync.FreshPost(**body, links=links))
    return posts


def extract(org: Org, *, judged: bool, changed: int | None = None) -> None:
    with db.session_scope() as session:
        sync.stage_extraction(
            session,
            organization_id=org.id,
            fresh=fresh_posts(org, changed=changed),
            embedder=get_embedder() if judged else None,
        )


def clean_up(org: Org) -> None:
    """The clean-up workflow's own steps, in its order (detection and staging)."""
    loaded = flows.load_cleanup_posts(str(org.id))
    posts = loaded["posts"]
    if len(posts) > 1:
        groups = flows.detect_duplicates(posts)["groups"]
        if groups:
            flows.stage_cleanup_merges(str(org.id), posts, groups)
    flows.purge_rejected_posts(str(org.id))


def pending(org: Org) -> list[ProposedOperation]:
    """The organization's pending proposals as `sift review list` lists them."""
    with db.session_scope() as session:
        batches = session.scalars(
            sa.select(SyncBatch)
            .where(SyncBatch.entity_id == org.id)
            .where(SyncBatch.status.in_([BatchStatus.pending, BatchStatus.partially_reviewed]))
            .order_by(SyncBatch.created_at.desc())
        ).all()
        listed = [
            p
            for b in batches
            for p in dependencies.safe_order(b.proposals)
            if p.status is ProposalStatus.pending
        ]
        session.expunge_all()
        return listed


def decide(proposal_id: uuid.UUID, *, approve: bool) -> None:
    """A reviewer's click: a proposal withdrawn meanwhile is simply no longer there."""
    with contextlib.suppress(review.ProposalAlreadyReviewed):
        review.decide(proposal_id, approve=approve, reviewer="ana@test")


def assert_queue_is_sound(org: Org) -> None:
    """Every pending proposal can be applied as it stands, and no two contradict."""
    with db.session_scope() as session:
        live = [session.get_one(ProposedOperation, p.id) for p in pending(org)]
        stuck = {str(p.id)[:8]: dependencies.blocker(session, p) for p in live}
        assert {k: v for k, v in stuck.items() if v} == {}
        merges = [p for p in live if p.operation is OperationKind.merge]
        for a, b in itertools.combinations(merges, 2):
            assert not _posts(a) & _posts(b), "two pending merges of one post"
        targets = [(p.operation, i) for p in live for i, _ in dependencies.touched(p)[:1]]
        assert len(targets) == len(set(targets)), "two pending proposals of one kind on one post"


def _posts(proposal: ProposedOperation) -> set[uuid.UUID]:
    return {post_id for post_id, _ in dependencies.touched(proposal)}


def approve_everything(org: Org, *, reverse: bool = False) -> None:
    """Approve the pending proposals one at a time, in listed (or reverse) order."""
    listed = pending(org)
    for proposal in reversed(listed) if reverse else listed:
        decide(proposal.id, approve=True)
        assert_queue_is_sound(org)


def published(org: Org) -> list[str]:
    with db.session_scope() as session:
        return sorted(
            session.scalars(
                sa.select(Post.title).where(
                    Post.organization_id == org.id,
                    Post.deleted_at.is_(None),
                    Post.status == PostStatus.active,
                )
            )
        )


def drain(org: Org, *, reverse: bool = False, extract_first: bool = True) -> int:
    """Rounds of (extract,) approve all, clean up, approve all, until nothing is pending;
    returns how many rounds it took."""
    for round_ in range(1, 4):
        if extract_first:
            extract(org, judged=True)
            assert_queue_is_sound(org)
        approve_everything(org, reverse=reverse)
        clean_up(org)
        assert_queue_is_sound(org)
        approve_everything(org, reverse=reverse)
        if not pending(org):
            return round_
    raise AssertionError(f"still pending after 3 rounds: {[p.operation for p in pending(org)]}")


# --- the demo organization, step by step -----------------------------------------------------


@pytest.fixture
def demo(database: str) -> Org:
    return make_org(DEMO_POSTS, [dict(HAND_LISTED_POST)])


def _lunch_proposals(org: Org) -> dict[OperationKind, ProposedOperation]:
    """The insert of the extracted lunch club and the clean-up's merge of it."""
    listed = pending(org)
    found = {p.operation: p for p in listed if p.operation is OperationKind.merge}
    found.update({p.operation: p for p in listed if p.operation is OperationKind.insert
                  and _title(p) == LUNCH})  # fmt: skip
    return found


def _title(proposal: ProposedOperation) -> str:
    with db.session_scope() as session:
        return session.get_one(Post, proposal.draft_post_id or proposal.target_post_id).title


def _history(proposal_id: uuid.UUID) -> tuple[ProposalStatus, list[str]]:
    with db.session_scope() as session:
        proposal = session.get_one(ProposedOperation, proposal_id)
        return proposal.status, [line["text"] for line in proposal.history]


def test_extraction_updates_the_hand_typed_listing_instead_of_inserting_a_twin(demo: Org) -> None:
    extract(demo, judged=True)
    kinds = sorted(p.operation.value for p in pending(demo))
    assert kinds == ["insert"] * 5 + ["update"]
    [update] = [p for p in pending(demo) if p.operation is OperationKind.update]
    assert _title(update) == HAND_LISTED_POST["title"]
    clean_up(demo)
    assert len(pending(demo)) == 6, "nothing left for the clean-up to merge"


def test_approving_the_insert_first_re_bases_the_merge_and_a_new_clean_up_adds_nothing(
    demo: Org,
) -> None:
    extract(demo, judged=False)
    clean_up(demo)
    lunch = _lunch_proposals(demo)
    decide(lunch[OperationKind.insert].id, approve=True)
    status, history = _history(lunch[OperationKind.merge].id)
    assert status is ProposalStatus.pending and history[-1].startswith("Re-based after insert")
    clean_up(demo)
    merges = [p for p in pending(demo) if p.operation is OperationKind.merge]
    assert [m.id for m in merges] == [lunch[OperationKind.merge].id], "no opposite merge"
    decide(merges[0].id, approve=True)
    assert published(demo).count(LUNCH) + published(demo).count(HAND_LISTED_POST["title"]) == 1


def test_approving_the_merge_first_withdraws_the_insert_it_made_moot(demo: Org) -> None:
    extract(demo, judged=False)
    clean_up(demo)
    lunch = _lunch_proposals(demo)
    decide(lunch[OperationKind.merge].id, approve=True)
    status, history = _history(lunch[OperationKind.insert].id)
    assert status is ProposalStatus.superseded
    assert "was merged into another post" in history[-1] and history[-1].startswith("Withdrawn")
    with pytest.raises(review.ProposalAlreadyReviewed, match="withdrawn"):
        review.decide(lunch[OperationKind.insert].id, approve=True, reviewer="ana@test")


def test_the_queue_names_proposals_that_depend_on_each_other(demo: Org) -> None:
    from sift.directory.proposals import batches

    extract(demo, judged=False)
    clean_up(demo)
    lunch = _lunch_proposals(demo)
    with db.session_scope() as session:
        view = batches.proposal_view(
            session, session.get_one(ProposedOperation, lunch[OperationKind.insert].id)
        )
    assert [d.proposal_id for d in view.depends_on] == [str(lunch[OperationKind.merge].id)]


@pytest.mark.parametrize("reverse", [False, True], ids=["listed order", "reverse order"])
def test_the_demo_queue_clears_in_one_round_with_six_listings(demo: Org, reverse: bool) -> None:
    """The product side's check: approve all, clean up, approve what it stages, repeat."""
    extract(demo, judged=True)
    clean_up(demo)
    assert drain(demo, reverse=reverse, extract_first=False) == 1
    assert published(demo) == sorted(p["title"] for p in DEMO_POSTS)


# --- any order, any interleaving -------------------------------------------------------------

Step = tuple[str, int, bool]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("extract"), st.integers(-1, 5), st.booleans()),
        st.tuples(st.just("cleanup"), st.just(0), st.just(False)),
        st.tuples(st.just("decide"), st.integers(0, 20), st.booleans()),
    ),
    min_size=2,
    max_size=9,
)
PROPERTY = settings(
    max_examples=int(os.environ.get("SIFT_PROPERTY_EXAMPLES", "6")),
    deadline=None,
    derandomize=os.environ.get("SIFT_PROPERTY_EXAMPLES") is None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def run_steps(org: Org, steps: list[Step]) -> None:
    for kind, number, flag in steps:
        if kind == "extract":  # number: which service changed (-1 none); flag: judged
            extract(org, judged=flag, changed=number if number >= 0 else None)
        elif kind == "cleanup":
            clean_up(org)
        else:  # number picks the proposal from the listed queue; flag: approve
            listed = pending(org)
            if listed:
                decide(listed[number % len(listed)].id, approve=flag)
        assert_queue_is_sound(org)


@PROPERTY
@given(steps=STEPS, reverse=st.booleans())
def test_any_review_order_on_the_demo_organization_converges(
    database: str, steps: list[Step], reverse: bool
) -> None:
    org = make_org(DEMO_POSTS, [dict(HAND_LISTED_POST)])
    run_steps(org, steps)
    drain(org, reverse=reverse)
    assert published(org) == sorted(p["title"] for p in DEMO_POSTS)


SERVICE_POOL: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (
        {
            "title": "Community Food Shelf",
            "summary": "Free groceries for any household, every Wednesday.",
            "description": "Pick up a week of groceries, Wednesdays 3pm to 6pm. No ID needed.",
            "schedule": [{"days": ["Wednesday"], "start": "15:00", "end": "18:00"}],
            "contact": {"phone": "(555) 300-1001"},
        },
        {
            "title": "Wednesday Groceries",
            "summary": "Free groceries for households every Wednesday afternoon.",
            "description": "Groceries for anyone who needs them, Wednesdays 3 to 6pm.",
            "schedule": [{"days": ["Wednesday"], "start": "15:00", "end": "18:00"}],
            "contact": {"phone": "(555) 300-1001"},
        },
    ),
    (
        {
            "title": "Homework Help Club",
            "summary": "Volunteer tutors help students with homework after school.",
            "description": "Drop in Mondays and Thursdays 3:30pm to 5pm in the library.",
            "schedule": [{"days": ["Monday", "Thursday"], "start": "15:30", "end": "17:00"}],
            "audience": "kids 8-14",
            "contact": {"email": "homework@example.org"},
        },
        {
            "title": "After-school Homework Help",
            "summary": "Tutors help kids with their homework after school.",
            "description": "Mondays and Thursdays from 3:30pm, library room B.",
            "schedule": [{"days": ["Monday", "Thursday"], "start": "15:30", "end": "17:00"}],
            "audience": "kids 8-14",
            "contact": {"email": "homework@example.org"},
        },
    ),
    (
        {
            "title": "Free Legal Clinic",
            "summary": "Volunteer lawyers answer questions about housing and benefits.",
            "description": "First Tuesday of the month, 6pm to 8pm. Walk-ins welcome.",
            "schedule": [{"days": ["Tuesday"], "start": "18:00", "end": "20:00"}],
            "contact": {"phone": "(555) 300-1003"},
        },
        {
            "title": "Legal Advice Night",
            "summary": "Free legal advice on housing and benefits from volunteer lawyers.",
            "description": "Tuesdays once a month from 6pm; no appointment needed.",
            "schedule": [{"days": ["Tuesday"], "start": "18:00", "end": "20:00"}],
            "contact": {"phone": "(555) 300-1003"},
        },
    ),
    (
        {
            "title": "Knitting Circle",
            "summary": "Knit, crochet and chat, all skill levels, yarn provided.",
            "description": "Fridays 10am to noon in the lounge.",
            "schedule": [{"days": ["Friday"], "start": "10:00", "end": "12:00"}],
            "audience": "adults",
        },
        {
            "title": "Friday Knitting Group",
            "summary": "A friendly knitting and crochet group; yarn is provided.",
            "description": "Every Friday morning from 10 in the lounge.",
            "schedule": [{"days": ["Friday"], "start": "10:00", "end": "12:00"}],
            "audience": "adults",
        },
    ),
    (
        {
            "title": "Winter Coat Drive",
            "summary": "Donate warm coats for neighbors in need.",
            "description": "Drop clean coats at the front desk, November to January.",
            "tags": ["donate"],
        },
        {
            "title": "Coat Drive: donate a coat",
            "summary": "Give a warm winter coat to a neighbor in need.",
            "description": "Bring clean coats to the front desk through January.",
        },
    ),
]


def _service(entry: dict[str, Any], index: int) -> dict[str, Any]:
    base = {"contact": {}, "schedule": [], "tags": [], "location": None, "audience": None}
    return {**base, **entry, "links": [["website", f"https://example.org/s/{index}"]]}


ORGS = st.lists(st.sampled_from(range(len(SERVICE_POOL))), min_size=2, max_size=4, unique=True)


@PROPERTY
@given(chosen=ORGS, typed=st.lists(st.sampled_from(["typed", "imported", "none"]), min_size=4,
       max_size=4), steps=STEPS, reverse=st.booleans())  # fmt: skip
def test_any_review_order_on_a_generated_organization_converges(
    database: str, chosen: list[int], typed: list[str], steps: list[Step], reverse: bool
) -> None:
    """Each service may also exist as a hand-typed listing in other words, or as an
    imported copy with the same title, before the first extraction."""
    services = [_service(SERVICE_POOL[i][0], i) for i in chosen]
    existing = []
    for i, how in zip(chosen, typed, strict=False):
        if how == "typed":
            existing.append({**_service(SERVICE_POOL[i][1], i), "links": None})
        elif how == "imported":
            existing.append({**_service(SERVICE_POOL[i][0], i), "links": None})
    org = make_org(services, [{k: v for k, v in e.items() if k != "links"} for e in existing])
    run_steps(org, steps)
    drain(org, reverse=reverse)
    assert len(published(org)) == len(services), published(org)


# --- the CLI for scripts ---------------------------------------------------------------------


def sift_json(url: str, *args: str) -> dict[str, Any]:
    """Run the CLI with --json against this module's database; its last line is JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "sift.cli", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SIFT_DATABASE_URL": url},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_review_and_post_lists_print_one_json_object_last(demo: Org, database: str) -> None:
    extract(demo, judged=False)
    clean_up(demo)
    with db.session_scope() as session:
        name = session.get_one(Organization, demo.id).name
    listed = sift_json(database, "review", "list", "--org", name)
    proposals = [p for b in listed["batches"] for p in b["proposals"]]
    assert {p["kind"] for p in proposals} == {"insert", "merge"}
    assert all(set(p) >= {"id", "kind", "title", "status"} for p in proposals)
    [merge] = [p for p in proposals if p["kind"] == "merge"]
    [insert] = [p for p in proposals if p["kind"] == "insert" and p["title"] == LUNCH]
    assert merge["depends_on"] == [insert["id"]] and insert["depends_on"] == [merge["id"]]
    posts = sift_json(database, "post", "list", name)["posts"]
    assert [(p["title"], p["status"]) for p in posts] == [(HAND_LISTED_POST["title"], "active")]
    every = sift_json(database, "post", "list", "--status", "pending_approval")["posts"]
    assert LUNCH in {p["title"] for p in every}
