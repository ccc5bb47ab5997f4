"""The offline rule engine on the demo organisation: website + Instagram in, six posts out.

No database: the demo site is crawled over HTTP by the real crawler and the Instagram
export goes through the real JSON importer, so the engine sees exactly what the extraction
workflow will pool.
"""

from __future__ import annotations

import asyncio
from importlib.resources import files

import pytest

from sift.directory.demo_site import DemoSite
from sift.directory.extraction import (
    ExtractedPost,
    Narrative,
    PageInput,
    TagSet,
    batch_pages,
    extract_posts,
    narratives_for_batches,
)
from sift.directory.extraction.rules import RuleEngine
from sift.directory.extraction.text import (
    detect_audience,
    find_contact,
    find_location,
    parse_schedule,
)
from sift.directory.ingest import DiscoverConfig, JsonImportIngestor, crawl_site
from sift.directory.matching import extract_identifiers

ORG = "Harbor Light Community Center"
TAGS = TagSet(
    kinds={
        "audience": ["youth", "seniors", "adults", "families"],
        "category": ["food", "education", "tax", "sports", "volunteering", "health"],
    }
)
PROGRAMS = {
    "food-pantry": "Weekly Food Pantry",
    "tax-help": "Free Tax Preparation",
    "youth-soccer": "Youth Soccer League",
    "esl": "Adult ESL Classes",
    "senior-lunch": "Senior Lunch Club",
    "volunteer": "Volunteer With Us",
}


@pytest.fixture(scope="module")
def demo_pages() -> list[PageInput]:
    with DemoSite() as site:
        crawl = asyncio.run(crawl_site(site.base_url, allow_hosts=("127.0.0.1",)))
    export = files("sift.directory").joinpath("demo_data").joinpath("instagram.json")
    social = JsonImportIngestor(str(export)).discover(
        DiscoverConfig(
            site_url="https://www.instagram.com/harborlightcc/",
            handle="harborlightcc",
            max_age_days=None,
        )
    )
    raw = sorted(crawl.pages, key=lambda p: p.url) + social
    assert len(crawl.pages) == 14 and len(social) == 12
    return [PageInput.from_raw(page, f"p{n}") for n, page in enumerate(raw, start=1)]


@pytest.fixture(scope="module")
def engine(embedder) -> RuleEngine:
    return RuleEngine(embedder)


@pytest.fixture(scope="module")
def posts(engine: RuleEngine, demo_pages: list[PageInput]) -> list[ExtractedPost]:
    return extract_posts(engine, demo_pages, org_name=ORG, tags=TAGS)


def by_title(posts: list[ExtractedPost], title: str) -> ExtractedPost:
    found = [p for p in posts if p.title == title]
    assert len(found) == 1, f"{title!r} appears {len(found)} times in {[p.title for p in posts]}"
    return found[0]


def test_each_program_comes_out_exactly_once(posts: list[ExtractedPost]) -> None:
    assert sorted(p.title for p in posts) == sorted(PROGRAMS.values())
    assert len({p.key for p in posts}) == len(posts)


def test_food_pantry_from_website_and_three_instagram_posts_is_one_post(
    posts: list[ExtractedPost],
) -> None:
    pantry = by_title(posts, "Weekly Food Pantry")
    assert pantry.contact.phone == "(555) 201-3344"
    assert pantry.contact.email == "pantry@harborlightcc.org"
    assert [(e.days, e.start, e.end) for e in pantry.schedule] == [
        (["Tuesday", "Thursday"], "10:00", "14:00")
    ]
    assert pantry.location is not None and "412 Harbor Street" in pantry.location
    instagram = [u for u in pantry.source_urls if "instagram.com" in u]
    assert len(instagram) == 3
    assert any(u.endswith("/programs/food-pantry") for u in pantry.source_urls)
    assert pantry.source_types == ["website", "instagram"]
    assert "category:food" in pantry.tags
    # Website wording leads; the social posts only add details behind it.
    assert pantry.summary.startswith("Free groceries, fresh produce")
    assert "Instagram" not in pantry.description


def test_youth_soccer_is_one_youth_post_with_its_registration_form(
    posts: list[ExtractedPost],
) -> None:
    soccer = by_title(posts, "Youth Soccer League")
    assert soccer.audience == "youth"
    assert soccer.key == "youth-soccer-league|youth"
    assert soccer.contact.intake_form == "https://forms.harborlightcc.org/soccer-2027"
    assert soccer.contact.phone == "(555) 201-3366"
    assert [(e.days, e.start, e.end) for e in soccer.schedule] == [(["Saturday"], "09:00", "11:00")]
    assert soccer.location is not None and "80 Marina Way" in soccer.location
    assert {"audience:youth", "category:sports"} <= set(soccer.tags)
    assert sum("instagram.com" in u for u in soccer.source_urls) == 2


def test_other_programs_get_their_own_contact_audience_and_schedule(
    posts: list[ExtractedPost],
) -> None:
    lunch = by_title(posts, "Senior Lunch Club")
    assert lunch.audience == "seniors"
    assert lunch.contact.phone == "(555) 201-3388"
    assert lunch.schedule[0].days == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert lunch.schedule[0].start == "12:00"
    esl = by_title(posts, "Adult ESL Classes")
    assert esl.audience == "adults"
    assert (esl.schedule[0].days, esl.schedule[0].start) == (["Monday", "Wednesday"], "18:30")
    tax = by_title(posts, "Free Tax Preparation")
    assert tax.contact.intake_form == "https://forms.harborlightcc.org/tax-intake"
    assert [e.days for e in tax.schedule] == [["Tuesday"], ["Saturday"]]
    assert tax.tags == ["category:tax"]
    volunteer = by_title(posts, "Volunteer With Us")
    assert volunteer.audience is None  # "anyone 14 or older"
    assert volunteer.schedule[0].note == "first Saturday of the month"
    assert volunteer.contact.email == "volunteer@harborlightcc.org"


def test_no_post_from_greetings_thanks_donations_or_news(
    engine: RuleEngine, demo_pages: list[PageInput], posts: list[ExtractedPost]
) -> None:
    found = engine.narratives(demo_pages, org_name=ORG, tags=TAGS)
    cited_urls = {page.url for page in demo_pages for n in found if page.id in n.page_ids}
    for path in ("/about", "/contact", "/donate", "/news", "/news/fall-festival-recap"):
        assert not any(url.endswith(path) for url in cited_urls), path
    assert not any(url.endswith("/thank-you") for url in cited_urls)
    skipped = ("DHlc11Thnks", "DHlc08Staff", "DHlc06Volnt", "DHlc02Festv")
    assert not any(code in url for url in cited_urls for code in skipped)
    text = " ".join(f"{p.title} {p.description}" for p in posts).lower()
    for phrase in ("happy thanksgiving", "festival", "support harbor light", "new roof"):
        assert phrase not in text


def test_service_pages_are_one_narrative_and_listing_pages_one_per_entry(
    engine: RuleEngine, demo_pages: list[PageInput]
) -> None:
    pantry_page = next(p for p in demo_pages if p.url.endswith("/programs/food-pantry"))
    (only,) = engine.narratives([pantry_page], org_name=ORG, tags=TAGS)
    assert only.title == "Weekly Food Pantry"
    assert "## When" in only.text and "## Contact" in only.text
    home = next(p for p in demo_pages if p.url.endswith("/") and p.source_type == "website")
    titles = [n.title for n in engine.narratives([home], org_name=ORG, tags=TAGS)]
    assert titles == list(PROGRAMS.values())


def test_passes_are_deterministic_and_json_round_trip(
    engine: RuleEngine, demo_pages: list[PageInput], posts: list[ExtractedPost]
) -> None:
    batches = batch_pages(demo_pages, max_chars=4_000)
    assert len(batches) > 1
    found = narratives_for_batches(engine, batches, org_name=ORG, tags=TAGS)
    flat = [n for batch in found for n in batch]
    restored = [Narrative.model_validate(n.model_dump(mode="json")) for n in flat]
    merged = engine.dedupe(restored, org_name=ORG)
    again = [engine.investigate(n, demo_pages, org_name=ORG, tags=TAGS) for n in merged]
    assert [p.model_dump(mode="json") for p in again] == [p.model_dump(mode="json") for p in posts]
    second = extract_posts(engine, demo_pages, org_name=ORG, tags=TAGS)
    assert [p.model_dump(mode="json") for p in second] == [p.model_dump(mode="json") for p in posts]


def test_differing_audiences_never_merge(engine: RuleEngine) -> None:
    kids = Narrative(
        id="a/1", title="Swim Lessons", audience="youth", text="Swim lessons for kids 6-12.",
        page_ids=["a"], source_types=["website"],
    )  # fmt: skip
    adults = kids.model_copy(
        update={"id": "b/1", "audience": "adults", "text": "Swim lessons for adults 18+.",
                "page_ids": ["b"]}
    )  # fmt: skip
    assert len(engine.dedupe([kids, adults], org_name=ORG)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesdays and Thursdays 10am\u20132pm", [(["Tuesday", "Thursday"], "10:00", "14:00")]),
        ("Mon\u2013Fri at noon", [(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                              "12:00", None)]),
        ("Saturdays 9\u201311am", [(["Saturday"], "09:00", "11:00")]),
        ("Tuesdays 5pm to 8pm and Saturdays 9am to 1pm.",
         [(["Tuesday"], "17:00", "20:00"), (["Saturday"], "09:00", "13:00")]),
        ("Kids 6 to 12, March 6 to May 8.", []),
    ],
)  # fmt: skip
def test_schedule_parser(text: str, expected: list[tuple[list[str], str, str | None]]) -> None:
    assert [(e.days, e.start, e.end) for e in parse_schedule(text)] == expected


def test_audience_and_location_parsers() -> None:
    assert detect_audience("Children aged 6 to 12") == "youth"
    assert detect_audience("neighbors 60 and over") == "seniors"
    assert detect_audience("Adults 18 and older") == "adults"
    assert detect_audience("Anyone who needs food") is None
    assert detect_audience("ages 6 to 12", allowed=["seniors"]) is None
    assert find_location("Room 104, 412 Harbor Street, Port Alder, WA 98390.") == (
        "Room 104, 412 Harbor Street, Port Alder, WA 98390"
    )


def test_contacts_are_found_beside_long_runs_of_address_characters() -> None:
    """Base64 blobs and `-----` rules sit next to real contacts on crawled pages; the
    patterns read them in one pass and still find the address after them."""
    blob = "QUJD" * 2500 + " a.b" * 2000 + " " + "-" * 10_000
    contact = find_contact([f"{blob}\nWrite to help@harbor.org or visit forms.harbor.org/apply"])
    assert contact.email == "help@harbor.org"
    assert extract_identifiers(blob + " sales@acme.com") == {"email:sales@acme.com"}
