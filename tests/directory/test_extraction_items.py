"""Candidate items the rule engine reads from prose: a lone paragraph that says when and
where, a paragraph that tells of two things with their own hours, what a recap still
announces, a story on several drives, a closure's alternative, the offer model's fit,
and German and Spanish days, times and dates. Pages here are written for the
tests, not taken from the shared data sets."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sift.directory.extraction import PageInput, TagSet, extract_posts
from sift.directory.extraction.items import entries
from sift.directory.extraction.judge import NOT_OFFER_PROTOTYPES, OFFER_PROTOTYPES, stated_dates
from sift.directory.extraction.offer_model import (
    FEATURES,
    Candidate,
    OfferModel,
    features,
    shipped_model,
)
from sift.directory.extraction.offer_training import MONOTONE, Rows, fit
from sift.directory.extraction.reading import item_outline, page_narratives
from sift.directory.extraction.rules import RuleEngine
from sift.directory.extraction.text import clock_times, parse_schedule

TODAY = date(2026, 5, 2)


def page(content: str, title: str | None = None) -> PageInput:
    return PageInput(
        id="p1",
        url="https://example.org/news/1",
        title=title,
        content=content,
        content_hash="h1",
        source_type="website",
    )


def detailed(text: str) -> bool:
    return bool(clock_times(text)) or "June" in text


def test_a_lone_paragraph_with_particulars_is_an_entry_of_a_story() -> None:
    body = (
        "The neighbourhood has changed a lot over the last ten years, residents say.\n\n"
        "Many of the older shops have closed and new families have moved in.\n\n"
        "The repair cafe opens on Saturday, June 6, from 10 am at the old fire station."
    )
    found = entries(body, detailed)
    assert [e.text for e in found] == [
        "The repair cafe opens on Saturday, June 6, from 10 am at the old fire station."
    ]


def test_a_single_paragraph_is_its_section_not_an_entry() -> None:
    assert entries("The repair cafe opens on Saturday at 10 am.", detailed) == []


def test_a_paragraph_is_cut_where_a_new_time_of_day_begins() -> None:
    body = (
        "Every Wednesday from 5 pm to 7 pm we serve a free supper in the hall. "
        "Volunteers bring plates to the tables. "
        "Before supper, our benefits clinic is open in the side room from 2 pm to 4:30 pm. "
        "Advisers help with forms and appeals.\n\n"
        "Supper is served even on public holidays, from 5 pm."
    )
    found = entries(body, detailed)
    assert [e.text.split(".")[0] for e in found] == [
        "Every Wednesday from 5 pm to 7 pm we serve a free supper in the hall",
        "Before supper, our benefits clinic is open in the side room from 2 pm to 4:30 pm",
        "Supper is served even on public holidays, from 5 pm",
    ]


def test_a_list_item_is_never_cut_at_its_times() -> None:
    body = (
        "- Supper from 5 pm to 7 pm, then cards from 7:30 pm in the hall.\n"
        "- Breakfast from 8 am on Saturdays in the hall."
    )
    assert len(entries(body, detailed)) == 2


def test_clock_times_read_times_without_their_days() -> None:
    assert clock_times("open from 3pm to 6pm on Mondays, and again at 9:30 a.m.") == {
        "15:00",
        "09:30",
    }


RECAP = (
    "Spring Lunches a Big Success\n\n"
    "Over the spring break we served 400 lunches in the school cafeteria, with help "
    "from local restaurants.\n\n"
    "Our volunteers came out every Wednesday and packed food bags for families.\n\n"
    "Our Summer Lunch Program starts Monday, June 15 at noon in the school cafeteria."
)


def test_a_recap_keeps_only_what_it_announces() -> None:
    outline = item_outline(page(RECAP), "Eastside Eats", TODAY)
    assert any("Summer Lunch Program starts" in line for line in outline)
    assert not any("volunteers came out" in line for line in outline)


def test_a_recap_announcing_a_programme_ahead_gives_that_programme(embedder) -> None:
    engine = RuleEngine(embedder)
    posts = extract_posts(
        engine, [page(RECAP)], org_name="Eastside Eats", tags=TagSet(), today=TODAY
    )
    assert ["Summer Lunch Program" in f"{p.title} {p.summary}" for p in posts] == [True]


def test_the_offer_model_reads_every_prototype_similarity() -> None:
    prototypes = len(OFFER_PROTOTYPES) + len(NOT_OFFER_PROTOTYPES)
    candidate = Candidate(
        title="Supper",
        text="Supper every Wednesday at 5 pm in the hall.",
        entry=True,
        named=False,
        siblings=2,
        social=False,
        article=False,
    )
    similarities = np.linspace(-0.2, 0.6, prototypes)
    row = features(candidate, similarities, similarities, TODAY)
    assert len(row) == len(FEATURES) == len(shipped_model().coef)
    assert row[-prototypes:] == pytest.approx(similarities.tolist())


@pytest.mark.parametrize(
    ("text", "days", "start"),
    [
        (
            "Nachbarschaftscafé: donnerstags von 15 bis 17 Uhr im Stadtteilladen.",
            ["Thursday"],
            "15:00",
        ),
        ("Offene Sitzung jeden Dienstag um 19 Uhr im Gemeindehaus.", ["Tuesday"], "19:00"),
        ("Clases los martes y jueves de 10:00 a 12:00.", ["Tuesday", "Thursday"], "10:00"),
    ],
)
def test_german_and_spanish_schedules_are_read(text: str, days: list[str], start: str) -> None:
    (entry,) = parse_schedule(text)
    assert (entry.days, entry.start) == (days, start)


def test_a_german_date_is_read() -> None:
    assert stated_dates("Anträge bis zum 30. Juni, Sprechstunde am 3. März 2027.", TODAY) == [
        date(2026, 6, 30),
        date(2027, 3, 3),
    ]


def test_a_german_page_lists_its_offers_not_its_heading(embedder) -> None:
    content = (
        "Mitmachen im Viertel\n\n"
        "Der Bürgerverein lädt alle Nachbarinnen und Nachbarn herzlich ein.\n\n"
        "Offener Stammtisch: jeden Mittwoch um 19 Uhr im Gemeindesaal, Ahornweg 4. Eine "
        "Anmeldung ist nicht nötig.\n\n"
        "Reparaturtreff: samstags von 10 bis 13 Uhr reparieren Ehrenamtliche Fahrräder und "
        "Toaster im Keller der Schule.\n\n"
        "Im vergangenen Jahr hatten wir viele schöne Feste."
    )
    posts = extract_posts(
        RuleEngine(embedder), [page(content)], org_name="Bürgerverein", tags=TagSet(), today=TODAY
    )
    assert [p.title for p in posts] == ["Offener Stammtisch", "Reparaturtreff"]


TOY_DRIVES = (
    "Where to give toys this spring\n\n"
    "By a staff reporter · April 20, 2026\n\n"
    "Several groups are collecting toys for children in need this year.\n\n"
    "The fire brigade's toy drive takes new, unwrapped toys at Station 3, 410 Oak St., "
    "through May 20.\n\n"
    "Grace Chapel will hold a toy collection on May 9 from 9 a.m. to noon at 225 Elm Ave.\n\n"
    "Last year, more than 2,000 toys were given out across the county."
)


def test_a_story_on_several_drives_gives_each_not_its_headline(embedder) -> None:
    """The cut, not the judgement: every item is taken as an offer here (a model that
    accepts all), and the story's two drives, each with its own place and date, are two
    items rather than the headline's one."""
    accept_all = OfferModel(
        mean=np.zeros(len(FEATURES)),
        scale=np.ones(len(FEATURES)),
        coef=np.zeros(len(FEATURES)),
        intercept=5.0,
        threshold=0.5,
    )
    found = page_narratives(
        [page(TOY_DRIVES)],
        embedder,
        accept_all,
        org_name="Daily",
        allowed_audiences=None,
        today=TODAY,
    )
    assert [n.title for n in found] == ["Fire brigade's toy drive", "Toy collection"]


CLOSED = (
    "Pantry closed this week\n\n"
    "Our food pantry is temporarily closed this week while we repair the roof.\n\n"
    "In the meantime, you can call our food line at (555) 234-5678 to arrange a home "
    "delivery of groceries, Monday to Friday from 9 am to 4 pm."
)


def test_a_closure_notice_proposes_the_alternative(embedder) -> None:
    posts = extract_posts(
        RuleEngine(embedder), [page(CLOSED)], org_name="Pantry", tags=TagSet(), today=TODAY
    )
    assert [p.title for p in posts] == ["Home delivery"]


def test_particulars_never_weigh_against_an_offer() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURES)))
    phone = FEATURES.index("phone")
    y = (x[:, 0] - x[:, phone] > 0).astype(int)  # data in which a phone marks no offer
    model = fit(Rows(x, y, np.zeros(200, dtype=int)), threshold=0.5)
    assert model.coef[phone] >= 0.0
    assert all(model.coef[FEATURES.index(name)] >= 0.0 for name in MONOTONE)
    assert model.coef[0] > 0.0


def test_a_visit_us_block_announces_nothing() -> None:
    content = (
        "# Visit us\n\n"
        "18 Quay Road, Port Ellis. Open Monday to Friday 9am to 5pm. Call (555) 201-4400.\n\n"
        "Read about our history or make a gift."
    )
    assert item_outline(page(content), "Quay Centre", TODAY) == []
