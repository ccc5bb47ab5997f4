"""The offline rule engine on the demo organisation: website + Instagram in, six posts out.

No database: the demo site is crawled over HTTP by the real crawler and the Instagram
export goes through the real JSON importer, so the engine sees exactly what the extraction
workflow will pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from importlib.resources import files

import numpy as np
import pytest

from sift.ai.embeddings import Embedder, get_multilingual_embedder
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
from sift.directory.extraction.addresses import find_location
from sift.directory.extraction.items import entries, entry_name, offered_in
from sift.directory.extraction.judge import OFFER_PROTOTYPES, offer_similarities, told_as_past
from sift.directory.extraction.reading import item_outline
from sift.directory.extraction.rules import RuleEngine
from sift.directory.extraction.text import (
    detect_audience,
    find_contact,
    find_phone,
    parse_schedule,
    phone_region,
)
from sift.directory.extraction.titles import invited_thing, invites
from sift.directory.ingest.ingestor import DiscoverConfig
from sift.directory.ingest.social import JsonImportIngestor
from sift.directory.ingest.website import crawl_site
from sift.directory.record_matching import extract_identifiers

ORG = "Harbor Light Community Center"
TAGS = TagSet(
    kinds={
        "audience": ["youth", "seniors", "adults", "families"],
        "category": ["food", "education", "tax", "sports", "volunteering", "health"],
    }
)
# The demo's captions date from November 2026; its Thanksgiving turkey caption is a
# future one-off on this day and a past one after Nov 24.
DEMO_TODAY = date(2026, 11, 15)
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
    return extract_posts(engine, demo_pages, org_name=ORG, tags=TAGS, today=DEMO_TODAY)


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
    found = engine.narratives(demo_pages, org_name=ORG, tags=TAGS, today=DEMO_TODAY)
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
    found = narratives_for_batches(engine, batches, org_name=ORG, tags=TAGS, today=DEMO_TODAY)
    flat = [n for batch in found for n in batch]
    restored = [Narrative.model_validate(n.model_dump(mode="json")) for n in flat]
    merged = engine.dedupe(restored, org_name=ORG)
    again = [engine.investigate(n, demo_pages, org_name=ORG, tags=TAGS) for n in merged]
    assert [p.model_dump(mode="json") for p in again] == [p.model_dump(mode="json") for p in posts]
    second = extract_posts(engine, demo_pages, org_name=ORG, tags=TAGS, today=DEMO_TODAY)
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


def test_monthly_rules_and_appointments_are_kept_in_the_schedule() -> None:
    """ "The first Saturday" is a monthly rule, not every Saturday; "by appointment" says
    a visit must be booked: both reach the directory's schedule model."""
    (first,) = parse_schedule("Open the first Saturday of the month, 9am-noon.")
    assert (first.days, first.weeks_of_month, first.start) == (["Saturday"], [1], "09:00")
    (twice,) = parse_schedule("Meets the 2nd and 4th Tuesday, 6-8 pm")
    assert twice.weeks_of_month == [2, 4]
    booked = parse_schedule("Tuesdays 5pm to 8pm and Saturdays 9am to 1pm, by appointment only.")
    assert [e.by_appointment for e in booked] == [True, True]
    (weekly,) = parse_schedule("Mondays 10am-2pm")
    assert weekly.model_dump(exclude_none=True) == {
        "days": ["Monday"],
        "start": "10:00",
        "end": "14:00",
    }


def test_audience_and_location_parsers() -> None:
    assert detect_audience("Children aged 6 to 12") == "youth"
    assert detect_audience("neighbors 60 and over") == "seniors"
    assert detect_audience("Adults 18 and older") == "adults"
    assert detect_audience("Anyone who needs food") is None
    assert detect_audience("ages 6 to 12", allowed=["seniors"]) is None
    assert find_location("Room 104, 412 Harbor Street, Port Alder, WA 98390.") == (
        "Room 104, 412 Harbor Street, Port Alder, WA 98390"
    )


@pytest.mark.parametrize(
    ("sentence", "address"),
    [
        ("The center at Wabash Station, 126 N. Tenth St., opens at 7 p.m.", "126 N. Tenth St"),
        (
            "open every Monday, 10 am to 1 pm, at 7210 W 90th Place in Bridgeview.",
            "7210 W 90th Place",
        ),
        (
            "at its premises, 365 Park Road, Regents Park, on Saturday, May 4",
            "365 Park Road, Regents Park",
        ),
        ("**Riverbend Free Clinic** · 880 River Rd, Suite 2 · Main line", "880 River Rd, Suite 2"),
        ("SATURDAY, NOVEMBER 21, 2026 AT 10 AM \u2013 1 PM", None),
        ("we serve between 150 and 200 families every week", None),
    ],
)
def test_street_addresses_are_read_by_a_parser(sentence: str, address: str | None) -> None:
    """Addresses the patterns missed (a numbered street, a directional, a town after a
    comma) come from `usaddress`; dates, times and counts are not read as streets."""
    found = find_location(sentence)
    assert (found is None) if address is None else (found or "").endswith(address)


def test_contacts_are_found_beside_long_runs_of_address_characters() -> None:
    """Base64 blobs and `-----` rules sit next to real contacts on crawled pages; the
    patterns read them in one pass and still find the address after them."""
    blob = "QUJD" * 2500 + " a.b" * 2000 + " " + "-" * 10_000
    contact = find_contact([f"{blob}\nWrite to help@harbor.org or visit forms.harbor.org/apply"])
    assert contact.email == "help@harbor.org"
    assert extract_identifiers(blob + " sales@acme.com") == {"email:sales@acme.com"}


# --- page kinds, from small hand-written pages ------------------------------------------------

TODAY = date(2026, 11, 15)


def page(content: str, n: int = 1, source_type: str = "website") -> PageInput:
    return PageInput(
        id=f"p{n}",
        url=f"https://example.org/{source_type}/{n}",
        content=content,
        content_hash=f"h{n}",
        source_type=source_type,
    )


def titles(engine: RuleEngine, *pages: PageInput, today: date = TODAY) -> list[str]:
    found = extract_posts(engine, list(pages), org_name="Org", tags=TAGS, today=today)
    return [p.title for p in found]


LISTING = """# Programs at the Oak Street Library

## Chess Club
Every Wednesday, 4:00-5:00 pm, for kids ages 8-12. Free, boards provided.

## Knitting Circle
Thursdays 10 am to noon in the community room. All skill levels welcome.

## Job Search Help
Drop in Mondays 1-3 pm for one-on-one help with applications and resumes.

---

Oak Street Library · 90 Oak Street · (555) 010-0170
"""


def test_listing_page_gives_one_post_per_program(engine: RuleEngine) -> None:
    found = extract_posts(engine, [page(LISTING)], org_name="Org", tags=TAGS, today=TODAY)
    assert [p.title for p in found] == ["Chess Club", "Knitting Circle", "Job Search Help"]
    chess = found[0]
    assert [(e.days, e.start, e.end) for e in chess.schedule] == [(["Wednesday"], "16:00", "17:00")]
    # No phone or address of its own: the footer's general line stands for it.
    assert chess.contact.phone == "(555) 010-0170"
    assert chess.location is not None and "90 Oak Street" in chess.location


def test_program_on_website_and_caption_is_one_post(engine: RuleEngine) -> None:
    caption = page(
        "\u265f\ufe0f CHESS CLUB is back this Wednesday at 4pm! Kids 8-12, free, bring a "
        "friend to the library \U0001f389 #chess #oakstreetlibrary",
        n=2,
        source_type="instagram",
    )
    found = titles(engine, page(LISTING), caption)
    assert sorted(found) == ["Chess Club", "Job Search Help", "Knitting Circle"]


@pytest.mark.parametrize(
    "content",
    [
        "# Our Menu\n\n## Pizzas\n- **Margherita** - tomato, mozzarella, basil $12\n"
        "- **Funghi** - mushrooms, thyme $14\n\n## Drinks\n- Soda $2\n- Lemonade $3",
        "# Double your Bitcoin in 3 days!!!\n\nOur AI trading bot guarantees 900% returns. "
        "Deposit $200 in crypto today and click here to claim your bonus before it's gone!",
        "# Library board approves new budget\n\n*By a staff reporter*\n\nThe county library "
        "board voted 6-1 on Monday night to approve a budget that trims branch hours. Critics "
        "said the cuts fall hardest on the east side; the chair defended the decision.",
        "# Now hiring: Delivery Driver\n\nWe are looking for a full-time driver to join our "
        "staff.\n\n## Responsibilities\n- Drive routes\n\n## Qualifications\n- Valid licence"
        "\n\nSalary $42,000 with health insurance. Send a resume and cover letter.",
        "# How we handle your data\n\nWe collect your name and e-mail address when you sign up "
        "for our newsletter, and we use cookies to measure visits. We never sell personal "
        "information. You may ask us to delete your data at any time.",
        "# Summer Lunch Program\n\nOur summer lunch program ended in 2024 and will not "
        "return. Thank you to everyone who volunteered over the years.",
        "# Harvest Supper\n\n**Saturday, October 10, 2026, 6 pm.** Join us for a free harvest "
        "supper in the parish hall. Everyone welcome!",
    ],
    ids=["menu", "spam", "news", "job-ad", "policy", "ended-program", "past-event"],
)
def test_pages_that_offer_nothing_give_no_post(engine: RuleEngine, content: str) -> None:
    assert titles(engine, page(content)) == []


def test_an_event_is_a_post_until_its_date_has_passed(engine: RuleEngine) -> None:
    supper = page(
        "# Harvest Supper\n\n**Saturday, October 10, 2026, 6 pm.** Join us for a free harvest "
        "supper in the parish hall. Everyone welcome!"
    )
    assert titles(engine, supper, today=date(2026, 10, 1)) == ["Harvest Supper"]
    assert titles(engine, supper, today=date(2026, 10, 11)) == []


def test_calendar_titles_name_the_event_not_the_date(engine: RuleEngine) -> None:
    calendar = page(
        "# Events\n\n### Every Tuesday \u00b7 10:30 am\n**Baby Rhyme Time**\nSongs and rhymes "
        "for babies with a grown-up. No registration needed.\n\n"
        "### Saturday, November 21 \u00b7 1:00 pm\n**Seed Swap**\nBring seeds, take seeds. "
        "Free for everyone.\n\n### Thursday, November 5 \u00b7 6 pm\n**Author Talk**\n"
        "A novelist reads from her new book; join us in the reading room."
    )
    assert titles(engine, calendar) == ["Baby Rhyme Time", "Seed Swap"]


def test_spanish_page_gives_its_services_with_days(engine: RuleEngine) -> None:
    spanish = page(
        "# Nuestros Servicios\n\n## Despensa Comunitaria\nCada **martes de 10:00 a 12:00** "
        "repartimos alimentos gratis a las familias. No se pide identificaci\u00f3n.\n\n"
        "## Clases de Computaci\u00f3n\n**Lunes y mi\u00e9rcoles de 6:00 a 7:30 de la tarde.** "
        "\u00a1Inscripciones abiertas! Llame al (555) 010-0199."
    )
    found = extract_posts(engine, [spanish], org_name="Org", tags=TAGS, today=TODAY)
    assert [p.title for p in found] == ["Despensa Comunitaria", "Clases de Computaci\u00f3n"]
    assert [e.days for e in found[0].schedule] == [["Tuesday"]]
    assert [e.days for e in found[1].schedule] == [["Monday", "Wednesday"]]


def test_phones_are_read_in_their_country_format() -> None:
    uk = "Ring our helpline on 01632 960418 (Mon-Fri)."
    au = "Call the shed on (02) 5550 4477 or drop in."
    us = "Tel. (915) 555-0152 \u00b7 Lunes a viernes"
    assert [phone_region(t) for t in (uk, au, us)] == ["GB", "AU", "US"]
    assert find_phone(uk, "GB") == "01632 960418"
    assert find_phone(au, "AU") == "(02) 5550 4477"
    assert find_phone(us, "US") == "(915) 555-0152"
    assert find_phone("Open 24/7 since 2019, ZIP 55411", "US") is None


def test_addresses_with_directions_and_spanish_street_names() -> None:
    assert find_location("Meet at 4410 SE Harmon St on the second Tuesday.") == (
        "4410 SE Harmon St"
    )
    assert find_location("Visit us at 2418 Emerson Ave N, lower level.") == "2418 Emerson Ave N"
    assert find_location("Centro \u00b7 742 Avenida Olivo, Valle Verde, CA") == (
        "742 Avenida Olivo, Valle Verde, CA"
    )


# --- titles, facets and offers that generalise (hand-made pages) -------------------------------


def posts_of(engine: RuleEngine, *pages: PageInput, org: str = "Org") -> list[ExtractedPost]:
    return extract_posts(engine, list(pages), org_name=org, tags=TAGS, today=TODAY)


@pytest.mark.parametrize(
    ("content", "source_type", "expected"),
    [
        (
            "# Volunteer Opportunities\n\n**Saturday Sort Crew**: help sort donated food every "
            "Saturday 9-11 am in the warehouse. Sign up at the front desk.",
            "website",
            "Saturday Sort Crew",
        ),
        (
            "# SOURCE 1\n\nFree community breakfast every Sunday 8-10 am at 12 Elm Street. "
            "Everyone welcome, no sign-up.",
            "website",
            "Maple Street Pantry",
        ),
        (
            "--- Post 1 ---\nFree flu shots this Saturday 10am-2pm at the clinic! No appointment "
            "needed \U0001f489 #health",
            "instagram",
            "Free flu shots this Saturday 10am-2pm at the clinic",
        ),
        (
            "Maple Street Pantry\nNovember 3 at 9:12 AM \u00b7\n\nKnitting circle meets Thursdays "
            "at 10am in the back room. Yarn provided!\n\n\U0001f44d 12 \u00b7 3 comments",
            "facebook",
            "Knitting circle meets Thursdays at 10am in the back room",
        ),
    ],
    ids=["volunteer-opportunities", "source-1", "post-1-label", "facebook-header"],
)
def test_section_names_labels_and_feed_headers_are_never_titles(
    engine: RuleEngine, content: str, source_type: str, expected: str
) -> None:
    found = posts_of(engine, page(content, source_type=source_type), org="Maple Street Pantry")
    assert [p.title for p in found] == [expected]


def test_an_item_with_nothing_to_act_on_must_clearly_be_an_offer(engine: RuleEngine) -> None:
    listing = page(
        "# Get Involved\n\n## Tuesday Tutoring\nVolunteer tutors help kids ages 7-12 with "
        "reading, Tuesdays 3:30-5 pm. Sign up at the library desk.\n\n## Our Shop\nHoodies, "
        "mugs and tote bags with our logo, from our online store.\n\n## Leave a Legacy\n"
        "Remember the library in your will."
    )
    assert [p.title for p in posts_of(engine, listing)] == ["Tuesday Tutoring"]


def test_faq_answers_without_a_program_describe_the_organisation_service(
    engine: RuleEngine,
) -> None:
    faq = page(
        "# FAQ\n\n### Who can use the pantry?\nAny household in Elm County.\n\n"
        "### When are you open?\nTuesdays and Fridays, 10 am to 1 pm.\n\n"
        "### Is there a cost?\nNo, everything is free.\n\n"
        "### Can I get help with my heating bill?\nYes: our **Energy Help Desk** meets on "
        "Mondays 9-11 am; bring your latest bill.\n"
    )
    found = posts_of(engine, faq, org="Elm County Pantry")
    assert [p.title for p in found] == ["Elm County Pantry", "Energy Help Desk"]
    assert [e.days for e in found[0].schedule] == [["Tuesday", "Friday"]]


def test_one_service_at_two_sites_is_one_post(engine: RuleEngine) -> None:
    parcels = page(
        "# Need a food parcel?\n\nWe give three days of food to anyone referred by a partner "
        "agency. Ring 01632 960111 if you have no referral.\n\n## Where to collect\n\n"
        "- **Oak Hall**, Birch Lane, AB1 2CD \u2014 Tuesdays 10am \u2013 12 noon\n"
        "- **The Annex**, 5 Hill Road, AB3 4EF \u2014 Fridays 1pm \u2013 3pm\n"
    )
    found = posts_of(engine, parcels)
    assert [p.title for p in found] == ["Food parcel"]  # the thing asked about, no question
    assert found[0].contact.phone == "01632 960111"


def test_a_denied_cancellation_does_not_end_a_program(engine: RuleEngine) -> None:
    league = page(
        "# Walking Football\n\nFor players 50 and over, Wednesdays 10-11 am at Riverside Park. "
        "Sessions are never cancelled for drizzle; bring water."
    )
    assert [p.title for p in posts_of(engine, league)] == ["Walking Football"]


def test_a_dated_news_story_is_no_offer_unless_it_gives_a_schedule(engine: RuleEngine) -> None:
    story = page(
        "# Residents win new crosswalk on Pine Road\n\n*September 30, 2026*\n\nAfter a year "
        "of petitions, the city agreed to paint a crosswalk by January 5. Neighbours who want "
        "to join the next campaign can call our office.",
    )
    launch = page(
        "# Our new Homework Club\n\n*By the team \u00b7 November 2, 2026*\n\nStarting this "
        "month, kids ages 8-12 can get homework help every Thursday, 4-6 pm, at 9 Ash Street.",
        n=2,
    )
    assert [p.title for p in posts_of(engine, story, launch)] == ["Our new Homework Club"]


def test_a_tagline_over_an_intro_is_not_a_post(engine: RuleEngine) -> None:
    home = page(
        "# Everyone has a seat here.\n\nOakwood House is a free drop-in centre for young "
        "people ages 12-18 in the Oakwood neighbourhood, open after school most days of "
        "the week.\n\n## Study Hall\nQuiet room and tutors, Monday to Thursday 3-6 pm. Just "
        "turn up.\n"
    )
    assert [p.title for p in posts_of(engine, home)] == ["Study Hall"]


def test_pass_two_merges_a_program_across_pages_but_not_its_volunteers_or_other_days(
    engine: RuleEngine,
) -> None:
    site = page(
        "# Community Supper\n\nA free hot meal for anyone, every Wednesday 5:30-7 pm in the "
        "parish hall, 40 Vine Street. No sign-up needed.",
    )
    caption = page(
        "Supper's on this Wednesday! \U0001f372 Free hot meal 5:30-7pm in the parish hall, "
        "everyone welcome #communitysupper",
        n=2,
        source_type="instagram",
    )
    cooks = page(
        "We need volunteers to cook for the Wednesday community supper! Come at 3pm to the "
        "parish hall kitchen and help chop and stir \U0001f9c5 #volunteer",
        n=3,
        source_type="instagram",
    )
    saturday = page(
        "# Saturday Breakfast\n\nA free hot breakfast for anyone, every Saturday 8-9:30 am in "
        "the parish hall, 40 Vine Street.",
        n=4,
    )
    found = posts_of(engine, site, caption, cooks, saturday)
    assert len(found) == 3
    supper = next(p for p in found if p.title == "Community Supper")
    assert supper.source_types == ["website", "instagram"]
    assert any("volunteer" in p.title.lower() for p in found)


def test_pass_one_memo_is_kept_per_day(embedder) -> None:
    days = iter([date(2026, 11, 15), date(2026, 11, 16)])
    engine = RuleEngine(embedder, clock=lambda: next(days))
    first, second = engine.prompt_version, engine.prompt_version
    assert first != second and first.endswith("2026-11-15")


class _CountingEmbedder:
    """The real embedder, counting the texts of each call pass 1 makes."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dimensions = inner, inner.name, inner.dimensions
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return self.inner.embed(texts)


def test_pass_one_judges_a_batch_in_one_embedding_call_as_page_by_page(
    embedder, demo_pages: list[PageInput]
) -> None:
    counting = _CountingEmbedder(get_multilingual_embedder())
    engine = RuleEngine(embedder, offer_embedder=counting)
    engine.narratives(demo_pages[:1], org_name=ORG, tags=TAGS, today=DEMO_TODAY)  # prototypes
    counting.calls.clear()
    together = engine.narratives(demo_pages, org_name=ORG, tags=TAGS, today=DEMO_TODAY)
    assert len(counting.calls) == 1 and counting.calls[0] > len(demo_pages) // 2
    alone = [
        n
        for page in demo_pages
        for n in RuleEngine(embedder).narratives([page], org_name=ORG, tags=TAGS, today=DEMO_TODAY)
    ]
    assert together == alone


def test_a_pages_offer_similarities_do_not_depend_on_the_pages_judged_with_it(embedder) -> None:
    pantry = "Free food pantry every Tuesday, 9am to noon, bring a bag."
    groups = [[pantry, "Our history: founded by neighbours in 1962."], [], [pantry], ["Menu"]]
    together = offer_similarities(embedder, groups)
    alone = [offer_similarities(embedder, [group])[0] for group in groups]
    for joint, single in zip(together, alone, strict=True):
        np.testing.assert_allclose(joint, single, atol=1e-6)
    # one text, one vector; nearer the offers than the non-offers, unlike the history line
    n = len(OFFER_PROTOTYPES)
    offers = together[0][:, :n].max(axis=1) - together[0][:, n:].max(axis=1)
    assert offers[0] > 0 > offers[1]


# --- titles: the thing offered, never what frames it (issue 19) ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # a dateline is where a story was filed; a range's first half is no name
        ("JACKSONVILLE, Fla. \u2013 Families can sign up for toys until Dec. 1.", None),
        ("Practice interviews usually take about 1 1/2 - 2 hours.", None),
        ("lunch monday - friday, 11:30 - 2:30 lounge appetizers", None),
        ("Note: tutors can't give legal advice at the sessions.", None),
        ("Monday - Thursday 8:00AM - 10:30AM at the learning center", None),
        ("Peer Advocacy Office: Mondays 3-6 pm, drop in", "Peer Advocacy Office"),
    ],
)
def test_an_entry_is_never_named_by_a_dateline_a_day_a_label_or_half_a_range(
    text: str, expected: str | None
) -> None:
    assert entry_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Columbia will run a temporary overnight warming center at the Wabash Bus Station "
            "on Saturday and Sunday nights.",
            "Temporary overnight warming center at the Wabash Bus Station",
        ),
        (
            "Every Monday, 5:15pm to 6:30pm, we serve a hot and healthy drop-in dinner to "
            "anyone who'd like one.",
            "Hot and healthy drop-in dinner",
        ),
        (
            "COLUMBUS, Ohio \u2013 The clinic opens a walk-in flu clinic for adults.",
            "Walk-in flu clinic",
        ),
        ("One evening, a few volunteers put the last touches on the tables.", None),
        (
            "The Medical Center is holding its 20th annual Healthy Community Day, a health fair.",
            "Annual Healthy Community Day",
        ),
        ("The Men's Shed opens Mondays and Tuesdays from 7am.", "Men's Shed"),
        ("The last day to donate is Dec. 9.", None),
        ("It also needs fifty volunteers for its weekly food distributions.", None),
        ("Cada día, de lunes a domingo, damos un desayuno caliente.", "Desayuno caliente"),
    ],
    ids=[
        "place-it-is-at",
        "and-inside",
        "after-a-dateline",
        "a-quantity-is-no-thing",
        "possessive-after-a-verb",
        "named-subject",
        "subject-that-is-no-name",
        "pronoun-subject",
        "spanish",
    ],
)
def test_prose_is_titled_by_the_thing_its_lead_sentence_introduces(
    text: str, expected: str | None
) -> None:
    assert offered_in(text) == expected


def test_a_remark_and_a_lowercase_continuation_join_the_item_above() -> None:
    body = (
        "Practice interviews with a volunteer officer, every Tuesday at 6 pm.\n\n"
        "Note: volunteers can't give legal advice.\n\n"
        "with the extra room we can seat twenty people on Tuesdays."
    )
    assert entries(body, lambda text: True) == []  # one item: nothing listed


def test_questions_datelines_and_days_never_title_a_post(engine: RuleEngine) -> None:
    adult_ed = page(
        "# Adult Education\n\n## Evening Classes\n\nForest Park High School (GED & ESL "
        "classes)\n\nMonday and Wednesday\n\n5:30PM - 8:30 PM\n\nHearts To Nourish Hope (GED "
        "classes only)\n\nTuesday and Thursday\n\n5:30PM - 8:30 PM\n\n## Are you 16 or 17?\n\n"
        "Students who are 16 or 17 must come to Orientation with a parent before enrolling.",
        n=1,
    )
    news = page(
        "# Toy drive opens\n\nJACKSONVILLE, Fla. \u2013 Families have until Dec. 1 to sign up "
        "to receive free toys at the Toys for Tots warehouse, 10320 Main St. Call 904-555-0100.",
        n=2,
    )
    found = titles(engine, adult_ed, news)
    assert "Evening Classes" in found
    assert not [t for t in found if t.endswith("?") or t.startswith("JACKSONVILLE")]
    assert not [t for t in found if t.split()[0] in ("Monday", "Tuesday")]


def test_an_inviting_question_heads_its_offer_titled_by_what_it_asks_about() -> None:
    assert invites("Need emergency food?") and invited_thing("Need emergency food?") == (
        "Emergency food"
    )
    assert invites("\u00bfC\u00f3mo puede ayudar?") and not invites("Are you 16 or 17?")
    assert not invites("Is The Food Pantry Open Today?")


def test_prose_that_tells_what_happened_is_no_offer() -> None:
    assert told_as_past("In Leeds, a team of volunteers went out on the Monday.", TODAY)
    assert not told_as_past("Volunteers go out every Monday with hot meals.", TODAY)
    assert not told_as_past("Volunteers will go out on Monday with hot meals.", TODAY)
    assert not told_as_past("Volunteers went out on Monday; next on Dec. 31.", date(2026, 12, 1))


def test_a_byline_is_no_item() -> None:
    wrap_up = page(
        "Year five of the Summer Lunch Program served 6300 lunches at Big Lake Park.\n\n"
        "Submitted by the Summer Lunch Program Coordinator at Big Lake Park, 4 Elm St.\n\n"
        "Leave a Reply\n\nYour email address will not be published. Required fields at "
        "12 Elm St. are marked *"
    )
    outline = " ".join(item_outline(wrap_up, "Org", TODAY))
    assert "Submitted" not in outline and "email address" not in outline


@pytest.mark.parametrize(
    "line",
    [
        "**When:** Saturdays, March 13 - May 22. Younger players practice once a week.",
        "Class: ESL Levels 2-3; Days: Tue & Thu; Time: 6:00-8:00 pm; Room: 104.",
    ],
    ids=["facet-label", "label-and-value"],
)
def test_a_facet_or_a_field_label_never_names_an_entry(line: str) -> None:
    assert entry_name(line) is None
