"""The LLM extraction engine through the real `openai` SDK against the scripted fake server.

Every model answer here is scripted, so what is tested is the engine's side of the
contract: what it sends, which answers it accepts, how it retries and what it refuses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from sift.ai.llm import LLMClient, usage_scope
from sift.config import Settings
from sift.directory.extraction import (
    ExtractionNotConfigured,
    ExtractionOutputInvalid,
    Narrative,
    PageInput,
    TagSet,
    batch_pages,
    build_engine,
    extract_posts,
    narratives_for_batches,
)
from sift.directory.extraction.llm import MAX_DEDUPE_BATCH, LLMEngine, similarity_groups
from sift.directory.extraction.rules import RuleEngine
from sift.directory.ingest.pages import RawPage, content_hash
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply

ORG = "Harbor Light Community Center"
TAGS = TagSet(
    kinds={
        "audience": ["youth", "seniors", "adults", "families"],
        "category": ["food", "education", "tax", "sports", "volunteering", "health"],
    }
)
PANTRY_URL = "https://harborlightcc.org/programs/food-pantry"
POST_URL = "https://www.instagram.com/p/DHlc05Pantr/"


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def page(page_id: str, url: str, content: str, source_type: str = "website") -> PageInput:
    return PageInput(
        id=page_id,
        url=url,
        title=None,
        content=content,
        content_hash=content_hash(content),
        source_type=source_type,
    )


PAGES = [
    page(
        "p1",
        PANTRY_URL,
        "# Weekly Food Pantry\n\nFree groceries.\n\n## When\n\nTuesdays and Thursdays, 10am "
        "to 2pm.\n\n## Contact\n\nPantry phone: (555) 201-3344",
    ),
    page(
        "p2",
        POST_URL,
        "Reminder: the pantry is open every Tuesday AND Thursday, 10am-2pm. (555) 201-3344",
        "instagram",
    ),
]


def draft(title: str, page_ids: list[str], audience: str | None = None) -> dict[str, Any]:
    return {
        "title": title,
        "audience": audience,
        "text": f"{title}: details.",
        "page_ids": page_ids,
    }


def investigation(**overrides: Any) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "title": "Weekly Food Pantry",
        "summary": "Free groceries twice a week.",
        "description": "Free groceries for any household, Tuesdays and Thursdays.",
        "audience": None,
        "contact": {
            "phone": "(555) 201-3344",
            "email": None,
            "website": PANTRY_URL,
            "intake_form": None,
        },
        "location": "412 Harbor Street, Port Alder, WA 98390",
        "schedule": [
            {"days": ["Tuesday", "Thursday"], "start": "10:00", "end": "14:00", "note": None}
        ],
        "tags": ["category:food", "category:made-up", "food"],
    }
    reply.update(overrides)
    return reply


def make_engine(server: FakeOpenAIServer, embedder: Any = None, **kwargs: Any) -> LLMEngine:
    client = LLMClient(
        base_url=server.base_url,
        api_key="sk-fake",
        model_small="tiny-model",
        model_large="big-model",
        timeout_s=0.5,
        max_retries=2,
        backoff_base_s=0.01,
        retry_after_cap_s=0.05,
    )
    return LLMEngine(client, embedder=embedder, **kwargs)


def last_user_message(request: RecordedRequest) -> str:
    return next(m["content"] for m in reversed(request.messages) if m["role"] == "user")


# end to end --------------------------------------------------------------------------------


def test_three_passes_end_to_end(server: FakeOpenAIServer, embedder: Any) -> None:
    server.enqueue(
        Reply.json(
            {
                "narratives": [
                    draft("Weekly Food Pantry", ["p1"]),
                    draft("Pantry reminder", ["p2"]),
                ]
            }
        ),
        Reply.json(
            {
                "groups": [
                    {
                        "narrative_ids": ["n1", "n2"],  # numbered as the workflow does
                        "title": "Weekly Food Pantry",
                        "audience": None,
                        "text": "Free groceries, Tuesdays and Thursdays 10am-2pm.",
                    }
                ]
            }
        ),
        Reply.json(investigation()),
    )
    engine = make_engine(server, embedder)
    with usage_scope() as meter:
        posts = extract_posts(engine, PAGES, org_name=ORG, tags=TAGS)
    server.assert_script_consumed()
    assert meter.usage.calls == 3

    (post,) = posts
    assert post.key == "food-pantry|all"
    assert post.contact.phone == "(555) 201-3344"
    assert [(e.days, e.start, e.end) for e in post.schedule] == [
        (["Tuesday", "Thursday"], "10:00", "14:00")
    ]
    assert post.tags == ["category:food"]  # unknown tag dropped, bare "food" deduplicated
    assert post.source_urls == [PANTRY_URL, POST_URL]
    assert post.source_types == ["website", "instagram"]

    first, second, third = server.chat_requests
    assert {r.model for r in server.chat_requests} == {"tiny-model"}
    assert '<page id="p1"' in first.prompt and '<page id="p2"' in first.prompt
    assert first.body["response_format"]["type"] == "json_schema"
    assert 'id="n1"' in second.prompt and 'sources="instagram"' in second.prompt
    assert "category: food, education" in third.prompt and "(555) 201-3344" in third.prompt


def test_narratives_carry_engine_ids_and_source_types(server: FakeOpenAIServer) -> None:
    server.enqueue(
        Reply.json({"narratives": [draft("Pantry", ["p1", "p2", "p1"], audience="Everyone")]})
    )
    (narrative,) = make_engine(server).narratives(PAGES, org_name=ORG, tags=TAGS)
    assert narrative.id == "p1/1"
    assert narrative.page_ids == ["p1", "p2"]
    assert narrative.source_types == ["website", "instagram"]
    assert narrative.audience is None  # not an allowed audience value
    assert Narrative.model_validate(narrative.model_dump(mode="json")) == narrative


def test_pass_one_sees_each_pages_candidate_items(server: FakeOpenAIServer) -> None:
    """The LLM is given the rule engine's item outline, so it judges a listing item by
    item instead of collapsing it under its section heading."""
    listing = page(
        "p9",
        "https://harborlight.example/seniors",
        "Programs & Activities\n\nChair Yoga Monday 9:30-10:30\nSide B Dining Room\n"
        "Bridge Thursday 12:30-3:30\nSide A Dining Room\n",
    )
    server.enqueue(Reply.json({"narratives": [draft("Chair Yoga", ["p9"])]}))
    make_engine(server).narratives([listing], org_name=ORG, tags=TAGS)
    prompt = last_user_message(server.requests[-1])
    outline = prompt.split('<items page="p9">', 1)[1]
    assert "  - Chair Yoga" in outline and "  - Bridge" in outline


# invalid output ------------------------------------------------------------------------


def test_malformed_json_is_retried_once_with_a_correction(
    server: FakeOpenAIServer,
) -> None:
    server.enqueue(
        Reply.text('{"narratives": [ {"title": '),
        Reply.json({"narratives": [draft("Pantry", ["p1"])]}),
    )
    found = make_engine(server).narratives(PAGES, org_name=ORG, tags=TAGS)
    assert [n.title for n in found] == ["Pantry"]
    retry = server.chat_requests[1]
    assert len(server.chat_requests) == 2
    assert "cannot be used" in last_user_message(retry)
    assert "did not return JSON" in last_user_message(retry)


def test_hallucinated_page_id_twice_raises_and_names_the_id(
    server: FakeOpenAIServer,
) -> None:
    bad = {"narratives": [draft("Pantry", ["p1"]), draft("Ghost", ["p9"])]}
    server.enqueue(Reply.json(bad), Reply.json(bad))
    with pytest.raises(ExtractionOutputInvalid, match="p9") as caught:
        make_engine(server).narratives(PAGES, org_name=ORG, tags=TAGS)
    assert "pass 1" in str(caught.value)
    assert len(server.chat_requests) == 2
    retry = server.chat_requests[1]
    roles = [m["role"] for m in retry.messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert "unknown page ids p9" in last_user_message(retry)


def test_dedupe_rejects_unknown_ids_and_cross_audience_merges(
    server: FakeOpenAIServer,
) -> None:
    narratives = [
        Narrative(id="p1/1", title="Kids swim", audience="youth", text="Swim, kids 6-12.",
                  page_ids=["p1"], source_types=["website"]),
        Narrative(id="p2/1", title="Adult swim", audience="adults", text="Swim, adults.",
                  page_ids=["p2"], source_types=["instagram"]),
        Narrative(id="p2/2", title="Swim lessons", audience=None, text="Swim lessons.",
                  page_ids=["p2"], source_types=["instagram"]),
    ]  # fmt: skip
    group = {"title": "Swim", "audience": None, "text": "Swim lessons."}
    server.enqueue(
        Reply.json({"groups": [{**group, "narrative_ids": ["p1/1", "p2/1", "p7/7"]}]}),
        Reply.json({"groups": [{**group, "narrative_ids": ["p1/1", "p2/2"]}]}),
    )
    merged = make_engine(server).dedupe(narratives, org_name=ORG)
    problem = last_user_message(server.chat_requests[1])
    assert "unknown narrative ids p7/7" in problem and "different audiences" in problem
    assert [n.id for n in merged] == ["p1/1", "p2/1"]
    assert merged[0].page_ids == ["p1", "p2"]
    assert merged[0].audience == "youth"
    assert merged[0].source_types == ["website", "instagram"]


# transport failures ----------------------------------------------------------------------


def test_rate_limit_then_success(server: FakeOpenAIServer) -> None:
    server.enqueue(
        Reply.error(429, retry_after=0),
        Reply.json({"narratives": [draft("Pantry", ["p1"])]}),
    )
    found = make_engine(server).narratives(PAGES, org_name=ORG, tags=TAGS)
    assert [n.title for n in found] == ["Pantry"]
    assert [r.status for r in server.chat_requests] == [429, 200]


def test_timeout_then_success(server: FakeOpenAIServer) -> None:
    server.enqueue(
        Reply.slow(2.0, Reply.json({"narratives": [draft("Late", ["p1"])]})),
        Reply.json({"narratives": [draft("Pantry", ["p1"])]}),
    )
    found = make_engine(server).narratives(PAGES, org_name=ORG, tags=TAGS)
    assert [n.title for n in found] == ["Pantry"]
    assert len(server.chat_requests) == 2


def test_batches_run_in_parallel_and_count_usage(server: FakeOpenAIServer) -> None:
    for pid in ("p1", "p2"):
        server.enqueue(
            Reply.json(
                {"narratives": [draft(f"From {pid}", [pid])]},
                when=lambda r, pid=pid: f'<page id="{pid}"' in r.prompt,
            )
        )
    batches = [[PAGES[0]], [PAGES[1]]]
    with usage_scope() as meter:
        found = narratives_for_batches(make_engine(server), batches, org_name=ORG, tags=TAGS)
    assert [[n.id for n in batch] for batch in found] == [["p1/1"], ["p2/1"]]
    assert meter.usage.calls == 2


# pass 3 second look ----------------------------------------------------------------------


def test_missing_contact_and_schedule_fetch_the_cited_pages(
    server: FakeOpenAIServer,
) -> None:
    fetched: list[Sequence[str]] = []

    def fetcher(urls: Sequence[str]) -> list[RawPage]:
        fetched.append(list(urls))
        return [RawPage(url=PANTRY_URL, site_url="https://harborlightcc.org", content="Call us")]

    no_contact = {"phone": None, "email": None, "website": None, "intake_form": None}
    server.enqueue(
        Reply.json(investigation(contact=no_contact, schedule=[])),
        Reply.json(investigation(location="somewhere else")),
    )
    narrative = Narrative(
        id="p1/1", title="Pantry", text="Pantry.", page_ids=["p1", "p2"],
        source_types=["website", "instagram"],
    )  # fmt: skip
    engine = make_engine(server, fetcher=fetcher)
    post = engine.investigate(narrative, PAGES, org_name=ORG, tags=TAGS)
    assert fetched == [[PANTRY_URL]]  # social posts are not fetched again
    assert "Call us" in server.chat_requests[1].prompt
    assert post.contact.phone == "(555) 201-3344"
    assert post.schedule[0].days == ["Tuesday", "Thursday"]
    assert post.location == "412 Harbor Street, Port Alder, WA 98390"  # first answer kept


# batching and clustering -----------------------------------------------------------------


def test_pages_are_batched_by_size_and_oversized_pages_split() -> None:
    small = [page(f"p{n}", f"https://a.org/{n}", "x" * 300) for n in range(1, 6)]
    paragraphs = "\n\n".join(f"Paragraph {n}. " + "y" * 200 for n in range(12))
    big = page("p6", "https://a.org/big", paragraphs)
    batches = batch_pages([*small, big], max_chars=1_000)
    ids = [p.id for batch in batches for p in batch]
    assert all(sum(len(p.content) + len(p.url) + 32 for p in b) <= 1_000 for b in batches)
    assert sorted(i for i in ids if "#" not in i) == ["p1", "p2", "p3", "p4", "p5"]
    parts = [p for batch in batches for p in batch if p.id.startswith("p6#")]
    assert [p.id for p in parts] == [f"p6#{n}" for n in range(1, len(parts) + 1)]
    assert len(parts) > 1 and {p.url for p in parts} == {big.url}
    assert {p.content_hash for p in parts} == {big.content_hash}
    assert "\n\n".join(p.content for p in parts) == paragraphs
    assert batch_pages(small, max_chars=100_000) == [small]


TOPICS = (
    "Food pantry at the community center gives free groceries every {day}; line {n}.",
    "Youth soccer league for kids ages 6 to 12 plays on {day} mornings, team {n}.",
    "Free tax preparation by IRS-certified volunteers, appointments on {day}, desk {n}.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def synthetic(count_per_topic: int) -> list[Narrative]:
    out = []
    for t, template in enumerate(TOPICS):
        for n in range(count_per_topic):
            text = template.format(day=DAYS[n % 5], n=n)
            out.append(
                Narrative(id=f"t{t}/{n}", title=text.split(" ")[0], text=text,
                          page_ids=[f"t{t}"], source_types=["website"])
            )  # fmt: skip
    return out


def test_similarity_groups_keep_each_topic_together(embedder: Any) -> None:
    narratives = synthetic(25)
    vectors = embedder.embed([f"{n.title}. {n.text}" for n in narratives])
    groups = similarity_groups(vectors, 30)
    assert sorted(i for g in groups for i in g) == list(range(len(narratives)))
    assert all(len(g) <= 30 for g in groups)
    for t in range(len(TOPICS)):
        holding = [g for g in groups if any(narratives[i].id.startswith(f"t{t}/") for i in g)]
        assert len(holding) == 1, f"topic {t} split across {len(holding)} groups"


def test_large_dedupe_is_split_into_similarity_groups(
    server: FakeOpenAIServer, embedder: Any
) -> None:
    narratives = synthetic(25)
    assert len(narratives) > MAX_DEDUPE_BATCH
    server.enqueue(*(Reply.json({"groups": []}) for _ in range(2)))
    merged = make_engine(server, embedder).dedupe(narratives, org_name=ORG)
    assert merged == narratives  # nothing merged, order kept
    requests = server.chat_requests
    assert len(requests) == 2
    sizes = [r.prompt.count("<narrative id=") for r in requests]
    assert sorted(sizes) == [25, 50]
    for request in requests:  # no topic is split between the two calls
        topics = {t for t in range(3) if f'id="t{t}/' in request.prompt}
        assert all(request.prompt.count(f'id="t{t}/') == 25 for t in topics)


# choosing an engine ----------------------------------------------------------------------


def test_build_engine_picks_by_setting() -> None:
    rules = build_engine(Settings.model_construct(extraction_engine="rules"))
    assert isinstance(rules, RuleEngine)
    with pytest.raises(ExtractionNotConfigured, match="SIFT_LLM_BASE_URL"):
        build_engine(
            Settings.model_construct(extraction_engine="llm", llm_base_url=None, llm_api_key=None)
        )
