"""The rules that tell look-alike posts apart beyond the dev set they were first written
for (issue #20): how a service is run is not the reader's role, "men and women" limits no
audience, a season or a kind of offer is a different offer, two sites that no post links
are two places, two stated audiences that read unalike are two audiences, and the org's
opening hours are no evidence that two posts are one."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from sift.ai.embeddings import get_embedder
from sift.directory.same_service import ServiceFacts, judge_post_pairs, vetoes


def post(title: str, summary: str = "", **fields: Any) -> dict[str, Any]:
    return {"title": title, "summary": summary, "description": "", "contact": {}, **fields}


def veto(left: dict[str, Any], right: dict[str, Any], *others: dict[str, Any]) -> str:
    return vetoes([left, right, *others], [(0, 1)])[(0, 1)]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (post("Drive-Thru Food Pantry"), post("Food Pantry", "Free groceries every Friday.")),
        (post("Community Yoga (by donation)"), post("Community Yoga", "Gentle yoga for all.")),
        (post("Volunteer Income Tax Assistance"), post("Free Tax Help", "Free tax returns.")),
        (post("Volunteer-Run Tax Clinic"), post("Free Tax Clinic", "Free tax returns.")),
    ],
)
def test_how_a_service_is_run_or_paid_for_is_not_the_readers_role(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    assert veto(left, right) == ""


def test_men_and_women_limit_no_audience() -> None:
    left = post("After-School Program", audience="boys and girls 6-12")
    right = post("After-School Program", audience="children 6-12")
    assert veto(left, right) == ""
    assert veto(post("Men's Breakfast"), post("Breakfast")) == "different audience"


def test_a_season_in_both_titles_is_an_edition() -> None:
    spring = post("Spring Soccer League", "Register now.")
    fall = post("Fall Soccer League", "Register now.")
    assert veto(spring, fall) == "different editions"
    assert veto(spring, post("Youth Soccer — Spring Season")) == ""
    assert veto(post("Fall Prevention Class"), post("Winter Balance Class")) == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (post("Citizenship Application Workshop"), post("Citizenship Test Prep Class")),
        (post("Exhibit Opening: Grain & Glaze"), post("Artist Talk: Grain & Glaze")),
        (post("Diabetes Clinic"), post("Diabetes Self-Management Class")),
        (post("Bike Commuting 101"), post("Winter Riding Workshop")),
    ],
)
def test_a_different_kind_of_offer_is_a_different_offer(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    assert veto(left, right) == "different kind of offer"


def test_one_kind_of_offer_in_other_words_is_no_veto() -> None:
    assert veto(post("Know Your Rights Workshop"), post("Renters' Rights Training")) == ""
    assert veto(post("DACA Renewal Clinic"), post("Clínica de Renovación de DACA")) == ""
    assert veto(post("Tenant Hotline"), post("Call Our Renters' Helpline")) == ""


def test_sites_no_post_links_are_different_places() -> None:
    central = post("Baby Storytime", location="Central Library, 100 Library Plaza")
    eastside = post("Baby Storytime", location="Eastside Branch, E Holly St")
    assert veto(central, eastside) == "different place"


def test_a_venue_no_post_gives_a_street_for_may_be_a_room_of_another() -> None:
    hall = post("Community Meal", location="Fellowship Hall")
    church = post("Friday Night Dinner", location="First Methodist Church, 200 Main St")
    assert veto(hall, church) == ""


def test_two_sites_named_in_the_titles_are_different_places() -> None:
    lincoln = post("Mobile Pantry at Lincoln School")
    park = post("Mobile Pantry at Washington Park")
    assert veto(lincoln, park) == "different place"
    assert veto(lincoln, post("Mobile Pantry", location="Lincoln School gym")) == ""


def test_a_third_posts_location_links_two_names_of_one_site() -> None:
    hall = post("Tuesday Night Supper", location="Parish Hall, 27 Vine St")
    church = post("Hot Meal Every Tuesday", location="St. Columba Episcopal Church, Elm St")
    both = post("Free Community Dinner", location="Parish Hall, St. Columba Church")
    assert veto(hall, church) == "different place"
    assert veto(hall, church, both) == ""


def test_audiences_that_read_unalike_are_different_audiences() -> None:
    residents = post("Know Your Rights", audience="community groups and residents")
    employers = post("Know Your Rights", audience="employers and managers")
    [verdict] = judge_post_pairs([residents, employers], [(0, 1)], embedder=get_embedder())
    assert verdict.vetoed and verdict.reason == "different audience"
    adults = post("Diabetes Class", audience="adults with type 2 diabetes")
    adultos = post("Diabetes Class", audience="adultos con diabetes tipo 2")
    [verdict] = judge_post_pairs([adults, adultos], [(0, 1)], embedder=get_embedder())
    assert verdict.duplicate


class EvenlyAlike:
    """Every two distinct texts at cosine 0.6: between the bar a schedule clue gives and
    the bar for wording alone, so the clue alone decides."""

    name = "evenly-alike"
    dimensions = 64
    cosine = 0.6

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            row[0] = np.sqrt(self.cosine)
            slot = 1 + int(hashlib.sha256(text.encode()).hexdigest(), 16) % 63
            row[slot] = np.sqrt(1 - self.cosine)
        return rows


class ReadsAsOne(EvenlyAlike):
    """A multilingual model that reads every two texts as one (cosine 0.7, above the bar
    of a pair in two languages)."""

    name = "reads-as-one"
    cosine = 0.7


def test_the_orgs_opening_hours_are_no_evidence() -> None:
    """Six services all kept Monday to Friday from 9: the shared schedule says nothing."""
    office = [{"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "start": "09:00"}]
    names = ["Benefits Help", "Job Search Help", "Housing Help", "Legal Advice", "ID Help", "Food"]
    posts = [post(name, schedule=office) for name in names]
    [verdict] = judge_post_pairs(posts, [(0, 1)], embedder=EvenlyAlike())
    assert not verdict.duplicate
    [verdict] = judge_post_pairs(posts[:2], [(0, 1)], embedder=EvenlyAlike())
    assert verdict.duplicate and verdict.reason == "same schedule"


def test_a_venue_and_a_bare_street_address_are_not_compared() -> None:
    assert (
        veto(post("Supper", location="Parish Hall"), post("Supper", location="27 Church St")) == ""
    )


def test_online_locations_are_one_place() -> None:
    online = post("Budgeting Workshop", location="Online via Zoom")
    virtual = post("Budgeting Workshop", location="Virtual")
    library = post("Budgeting Workshop", location="Central Library, 100 Library Plaza")
    assert veto(online, virtual) == ""
    assert veto(online, library) == "different place"


def test_a_language_each_title_names_is_the_sessions() -> None:
    assert veto(post("Spanish Storytime"), post("Bilingual Storytime")) == "different language"
    assert veto(post("English Classes"), post("Clases de Inglés")) == ""
    assert veto(post("Diabetes Self-Management Class"), post("Clases para la Diabetes")) == ""


def test_young_children_include_infants() -> None:
    left = post("Diaper Bank", audience="families with young children")
    right = post("Free Diapers", audience="parents of infants and toddlers")
    assert veto(left, right) == ""


def test_talk_as_a_verb_names_no_kind_of_offer() -> None:
    assert veto(post("Talk to a Lawyer for Free"), post("Free Legal Clinic")) == ""


def test_a_year_of_the_organizations_history_is_no_edition() -> None:
    left = post("Food Pantry", "Serving Eastside families since 1998.")
    right = post("Food Pantry", "Free groceries all through 2026.")
    assert veto(left, right) == ""
    assert veto(post("Holiday Boxes 2025"), post("Holiday Boxes 2026")) == "different editions"


def test_days_a_post_is_closed_on_are_not_its_days() -> None:
    closed = post("Food Pantry", description="Free groceries. Closed Mondays and holidays.")
    tuesday = post("Food Pantry", schedule=[{"days": ["Tuesday"], "start": "10:00"}])
    assert veto(closed, tuesday) == ""
    monday = post("Food Pantry", description="Free groceries on Mondays.")
    assert veto(monday, tuesday) == "different days"


def test_an_occasion_or_a_month_in_both_titles_is_an_edition() -> None:
    thanksgiving = post("Thanksgiving Turkey Giveaway", "Free turkeys for families.")
    christmas = post("Christmas Toy Giveaway", "Free toys for families.")
    assert veto(thanksgiving, christmas) == "different occasions"
    assert veto(post("November Food Drive"), post("December Food Drive")) == "different editions"
    assert veto(post("Help You May Need"), post("October Help")) == ""


def test_an_age_span_guessed_from_a_word_vetoes_only_when_it_misses_entirely() -> None:
    youth = post("Youth Drop-in Center", audience="youth")
    young_adults = post("Drop-in for Young People", audience="ages 16-24")
    assert veto(youth, young_adults) == ""
    assert veto(post("Storytime", audience="babies"), post("Storytime", audience="ages 3-5")) == (
        "different audience"
    )


@pytest.mark.parametrize(
    ("content", "role", "days", "exact_ages"),
    [
        (post("Get Your Taxes Done for Free"), "use", frozenset(), False),  # "done" is no "donar"
        (post("Free Lunch", "Sponsored by Rotary."), "use", frozenset(), False),
        (post("Open Gym", "Closed on holidays, open Tuesday and Thursday."), "use", {1, 3}, False),
        (post("Math Club", audience="Grades 6-8"), "use", frozenset(), False),
        (post("Storytime 10-11 am", "Every Monday."), "use", {0}, False),
        (post("Soccer", audience="Ages 6-12"), "use", frozenset(), True),
    ],
)
def test_a_post_is_read_for_what_it_says_not_for_look_alike_words(
    content: dict[str, Any], role: str, days: set[int], exact_ages: bool
) -> None:
    """Review findings: a word inside another ("done"), who pays ("sponsored by"), days
    named after a closure's comma, school grades and clock times are no role, closed day or
    age span."""
    facts = ServiceFacts.of(content)
    assert (facts.role, facts.stated_days, facts.exact_ages) == (role, days, exact_ages)


def test_weeks_of_the_month_that_do_not_meet_are_different_days() -> None:
    """A weekday schedule reads the first Tuesday's group and the third Tuesday's alike."""
    tuesday = [{"days": ["Tuesday"], "start": "14:00"}]
    caregivers = post("Caregiver Support Group", "Meets the first Tuesday.", schedule=tuesday)
    grief = post("Grief Support Group", "Meets the third Tuesday.", schedule=tuesday)
    assert veto(caregivers, grief) == "different days"
    english = post("Immigration Clinic", "The first and third Tuesday, 5-7 pm.")
    spanish = post("Clínica de Inmigración", "El primer y tercer martes, de 5 a 7 pm.")
    assert veto(english, spanish) == ""
    weekly = post("Diabetes Class", "Four Tuesdays, starting the first Tuesday of the month.")
    assert ServiceFacts.of(weekly).weeks == frozenset()
    assert veto(post("Book Club", "The last Monday."), post("Book Club", "4th Monday")) == ""


def test_weekdays_in_words_are_monday_to_friday() -> None:
    facts = ServiceFacts.of(post("Day Center", "Open weekdays 8 am to 3 pm."))
    assert facts.stated_days == frozenset(range(5))
    assert veto(post("Day Center", "Open weekdays."), post("Day Center", "Saturdays.")) == (
        "different days"
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (post("Flu Shot Clinic"), post("COVID-19 Vaccine Clinic")),
        (post("SNAP Application Help"), post("Medicaid Enrollment Help")),
        (post("Immigration Legal Clinic"), post("Family Law Clinic")),
        (post("Energy Assistance (LIHEAP)"), post("Home Weatherization Program")),
    ],
)
def test_a_different_subject_in_both_titles_is_a_different_service(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    assert veto(left, right) == "different subject"


def test_one_subject_in_other_words_or_in_one_title_only_is_no_veto() -> None:
    assert veto(post("Help Applying for Food Stamps"), post("SNAP Application Help")) == ""
    assert veto(post("Tenant Hotline"), post("Eviction Help Line")) == ""
    assert veto(post("Clínica de Inmigración"), post("Immigration Clinic")) == ""
    assert veto(post("Free Shots"), post("Flu Shot Clinic")) == ""
    assert veto(post("Flu and COVID Vaccines"), post("COVID-19 Vaccine Clinic")) == ""


def test_a_different_level_in_both_titles_is_a_different_class() -> None:
    beginners = post("Line Dancing for Beginners")
    assert veto(beginners, post("Intermediate Line Dancing")) == "different level"
    assert veto(beginners, post("Beginner Line Dancing")) == ""
    assert veto(beginners, post("Line Dancing")) == ""


def test_one_on_one_help_and_a_class_are_two_kinds_of_offer() -> None:
    assert veto(post("One-on-One Tech Help"), post("Tech Basics Class")) == (
        "different kind of offer"
    )


def test_two_direct_lines_are_two_services_but_the_front_desk_names_none() -> None:
    desk = {"phone": "(215) 555-0100"}
    others = [post(f"Clinic {k}", contact=desk) for k in range(3)]
    seniors = post("Senior Legal Hotline", contact={"phone": "(215) 555-0160"})
    general = post("Legal Advice Hotline", contact={"phone": "215-555-0150"})
    assert veto(seniors, general, *others) == "different phone line"
    typed = post("Legal Advice Hotline", contact=desk)
    assert veto(typed, general, *others) == ""
    assert veto(seniors, general) == ""  # no main line known: nothing to tell apart


def test_a_post_and_its_translation_are_compared_in_a_multilingual_model() -> None:
    """The English model reads "Clases de Inglés para Adultos" as unrelated to "ESL Classes
    for Adults" (0.28); a multilingual one reads them as one class, and only pairs written
    in two languages are compared in it."""
    monday = [{"days": ["Monday", "Wednesday"], "start": "18:00"}]
    english = post(
        "ESL Classes for Adults", "Free English classes for adults, all levels.", schedule=monday
    )
    spanish = post(
        "Clases de Inglés para Adultos",
        "Clases de inglés gratis para adultos, todos los niveles.",
        schedule=monday,
    )
    assert (ServiceFacts.of(english).language, ServiceFacts.of(spanish).language) == ("en", "es")
    [verdict] = judge_post_pairs([english, spanish], [(0, 1)], embedder=get_embedder())
    assert verdict.duplicate and verdict.similarity > 0.6
    [verdict] = judge_post_pairs(
        [english, spanish], [(0, 1)], embedder=get_embedder(), cross_language=ReadsAsOne()
    )
    assert verdict.duplicate and verdict.reason == "same text in two languages"


def test_every_day_in_words_is_every_day_but_the_closed_ones() -> None:
    assert ServiceFacts.of(post("Soup Kitchen", "Lunch every day.")).stated_days == set(range(7))
    daily = ServiceFacts.of(post("Soup Kitchen", "Open daily except Sunday."))
    assert daily.stated_days == set(range(6))


def test_a_gender_in_the_summary_of_a_post_without_an_audience_counts() -> None:
    """A hand-typed post puts its audience in the summary; the extracted one in a field."""
    typed = post("Free Mammograms", "Women 40 and over can get a free mammogram.")
    extracted = post("Free Mammogram Day", audience="women 40+")
    assert veto(typed, extracted) == ""
    assert veto(post("Breakfast", "Men and boys welcome."), post("Breakfast")) == (
        "different audience"
    )


def test_a_playgroup_is_a_group() -> None:
    assert veto(post("Toddler Playgroup"), post("Parent-Child Music Class")) == (
        "different kind of offer"
    )


def test_two_topics_of_one_series_are_two_sessions() -> None:
    resume = post("Job Seekers Workshop: Resume Writing")
    interview = post("Job Seekers Workshop: Interview Skills")
    assert veto(resume, interview) == "different topic"
    assert veto(resume, post("Job Seekers Workshop: Resume Writing Basics")) == ""
    assert veto(resume, post("Resume Writing Workshop")) == ""


def test_a_session_language_one_title_names_is_not_the_language_the_other_is_in() -> None:
    spanish = post("Spanish Storytime", "Stories and songs in Spanish for the little ones.")
    english = post("Family Storytime", "Stories and songs for the whole family.")
    cuentos = post("Cuentos en Español", "Cuentos y canciones para los niños y sus familias.")
    assert veto(spanish, english) == "different language"
    assert veto(spanish, cuentos) == ""
    hora = post("Hora del Cuento", "Cuentos y canciones para los niños y sus familias.")
    assert veto(english, hora) == ""  # one session's English and Spanish posts


def test_goods_are_subjects_and_a_meal_by_any_name_is_food() -> None:
    assert veto(post("Baby Pantry"), post("Food Pantry")) == "different subject"
    assert veto(post("Clothing Closet"), post("Community Dinner")) == "different subject"
    assert veto(post("Community Dinner"), post("Wednesday Night Supper")) == ""
    assert veto(post("Diaper and Hygiene Pantry"), post("Free Diapers")) == ""


def test_a_post_in_another_script_is_in_another_language() -> None:
    """A Russian or Arabic page of a programme is a translation whatever its language: the
    English model cannot compare its words, so its audience is not compared by it (it read
    "families of children with disabilities" and its Russian as unalike) and its text is
    compared in the multilingual model."""
    tuesday = [{"days": ["Tuesday"], "start": "10:00"}]
    english = post(
        "Parent Support Circle",
        "A support group for parents of children with disabilities.",
        audience="parents of children with disabilities",
        schedule=tuesday,
    )
    russian = post(
        "Группа поддержки родителей",
        "Группа поддержки для родителей детей с инвалидностью.",  # noqa: RUF001
        audience="родители детей с инвалидностью",  # noqa: RUF001
        schedule=tuesday,
    )
    assert ServiceFacts.of(russian).language == "cyrillic"
    assert ServiceFacts.of(post("Café Crème", "Über alles: déjà vu")).language != "cyrillic"
    [verdict] = judge_post_pairs(
        [english, russian], [(0, 1)], embedder=get_embedder(), cross_language=ReadsAsOne()
    )
    assert verdict.duplicate and verdict.reason == "same text in two languages"


def test_two_services_in_two_languages_are_not_merged_by_their_shared_slot() -> None:
    """Across languages the English model's similarity and the clue bars mean nothing: two
    services of one Saturday slot, one of them posted in Spanish, share a schedule and a
    phone, and only the multilingual model's reading decides."""
    saturday = [{"days": ["Saturday"], "start": "09:00", "end": "13:00"}]
    phone = {"phone": "(555) 555-0142", "email": None, "website": None}
    tax = post(
        "Free Tax Preparation (VITA)",
        "IRS-certified volunteers prepare and e-file your tax return for free.",
        schedule=saturday,
        contact=phone,
    )
    itin = post(
        "Solicitud y Renovación de ITIN",
        "Le ayudamos a solicitar o renovar su número ITIN con un agente certificado.",
        schedule=saturday,
        contact=phone,
    )
    others = [post(f"Servicio {n}", schedule=[{"days": ["Monday"]}]) for n in range(4)]
    [verdict] = judge_post_pairs([tax, itin, *others], [(0, 1)], embedder=get_embedder())
    assert not verdict.duplicate and verdict.reason == "not similar enough"


def test_the_family_group_of_a_condition_is_not_its_peer_group() -> None:
    family = post(
        "Family Support Group",
        "A peer-led group for family members of people with mental illness.",
    )
    peers = post(
        "Recovery Support Group",
        "A peer-led group where adults share what works and support each other.",
        audience="adults living with a mental health condition",
    )
    loved = post("Family support group", "Free, for anyone who loves someone with a condition.")
    young = post("Diaper Bank", audience="families with young children")
    assert veto(family, peers) == "different audience"
    assert veto(family, loved) == ""
    assert veto(young, post("Free Diapers", audience="parents of infants")) == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            post("Food Pantry", "Households up to $3,900 a month for a family of four."),
            post("Food Pantry", "Free groceries every Tuesday.", audience="residents of Ward 4"),
        ),
        (
            post("Used Book Sale", "Friends of the Library sale, all proceeds to the branch."),
            post("Used Book Sale", audience="book lovers"),
        ),
        (
            post("Parenting Classes", audience="parents of children 0-5"),
            post("Parenting Classes", "Tuesdays 7 pm, Room 4."),
        ),
        (
            post("Al-Anon Meeting", "For families and friends of problem drinkers."),
            post("Al-Anon Meeting", "Tuesdays 7 pm at the parish hall."),
        ),
        (
            post("Mental Health First Aid", "Learn to support someone in a crisis."),
            post("Mental Health First Aid", audience="adults"),
        ),
    ],
)
def test_kin_words_that_name_no_carers_audience_veto_nothing(
    left: dict[str, Any], right: dict[str, Any]
) -> None:
    assert veto(left, right) == ""


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Docent-Led School Tours", "use"),
        ("Docent Tour of the Galleries", "use"),
        ("Museum tour led by a docent", "use"),
        ("Become a Docent", "volunteer"),
        ("Reading Tutor Training", "volunteer"),
        ("Job Coach Orientation", "use"),
        ("Medical Interpreter Training", "use"),
        ("Become a Better Coach for Your Kids", "use"),
        ("Become a U.S. Citizen", "use"),
    ],
)
def test_giving_a_service_is_becoming_or_training_as_its_giver(title: str, role: str) -> None:
    assert ServiceFacts.of(post(title)).role == role


def test_a_terse_post_is_known_by_its_name() -> None:
    """A staff member's two-line post says little more than the extracted page's title."""
    page = post(
        "Master Gardener Helpline",
        "Trained volunteers answer your garden, lawn and pest questions by phone or email.",
        description="Call or email a photo of the problem plant or insect; a Master Gardener "
        "volunteer researches it and replies within a week. Free. Soil test kits are at the "
        "front desk.",
    )
    typed = post("Master gardener help line", "call mon-fri")
    [verdict] = judge_post_pairs([page, typed], [(0, 1)], embedder=get_embedder())
    assert verdict.duplicate and verdict.reason == "same name, one post terse"
    other = post("Master Gardener Training", "become one: 40 hours, spring")
    [verdict] = judge_post_pairs([page, other], [(0, 1)], embedder=get_embedder())
    assert not verdict.duplicate


def test_a_terse_post_a_word_apart_or_untitled_is_not_known_by_its_name() -> None:
    pantry = post("Food Pantry", "Groceries for families in need, Tuesdays.")
    mobile = post("Mobile Food Pantry", "The truck parks at Elm School.")
    untitled = [post("", "Free groceries at the church."), post("", "Flu shots for adults.")]
    embedder = get_embedder()
    assert not judge_post_pairs([pantry, mobile], [(0, 1)], embedder=embedder)[0].duplicate
    assert not judge_post_pairs(untitled, [(0, 1)], embedder=EvenlyAlike())[0].duplicate


def test_a_gender_most_of_the_orgs_posts_name_is_its_own_audience() -> None:
    """An LGBTQ+ centre's caption that leaves out "LGBTQ+" is not another audience, while
    its women's group stays apart from its general drop-in."""
    centre = [
        post("Youth Drop-In", "A safe space for LGBTQ+ youth 13-18, after school."),
        post("Youth Drop-In is open!!", "Mon-Thurs 3-6, snacks and games, 13-18 only."),
        post("Queer Book Club", "Monthly LGBTQ+ book club for adults."),
        post("Trans Clothing Closet", "Free gender-affirming clothing."),
        post("Women's Circle", "A peer group for lesbian, bi and queer women."),
    ]
    assert veto(*centre[:2], *centre[2:]) == ""
    assert veto(centre[0], centre[4], *centre[1:4]) == "different audience"
