"""A second probe of the service judgement, written after the rules that fixed the first
(`same_service_probe.py`) and scored once, unchanged: the first probe's figures after those
fixes are fitted to it, these are not. Five more organizations (a free clinic, a
neighbourhood house, a boys & girls club, a Catholic outreach and a library), with 23
look-alike pairs and 11 duplicate pairs, as the first probe's.

Run with `.venv/bin/python -m tests.directory.same_service_probe_b`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_FREE_CLINIC = ProbeOrg(
    "Maple Valley Free Clinic",
    [
        _post(
            "b1", "Free Mammogram Day", "Screening mammograms for uninsured women 40 and over.",
            "The mobile mammography unit visits on the **first Saturday of each month, 9 am–"
            "1 pm**. Appointments required; no insurance needed.",
            audience="women 40+", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(541) 555-0101",
        ),
        _post(
            "b2", "Pap Smear Clinic", "Free cervical cancer screening for women 21 to 65.",
            "Walk-in Pap tests and HPV testing on the **third Saturday of each month, 9 am–"
            "1 pm**, with a women's health nurse practitioner.",
            audience="women 21-65", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(541) 555-0101",
        ),
        _post(
            "b3", "Eye Exams and Glasses", "Free eye exams and low-cost glasses.",
            "Volunteer optometrists see patients **Thursdays 1–5 pm**. Glasses cost $10 and "
            "arrive in two weeks.",
            location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Thursday"], "13:00", "17:00")], phone="(541) 555-0101",
        ),
        _post(
            "b4", "Hearing Aid Clinic", "Hearing tests and donated hearing aids.",
            "An audiologist tests your hearing and fits refurbished hearing aids **Thursdays "
            "1–5 pm**, by appointment.",
            location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Thursday"], "13:00", "17:00")], phone="(541) 555-0101",
        ),
        _post(
            "b5", "Shingles and Pneumonia Vaccines for Seniors",
            "Free vaccines for adults 65 and older.",
            "Shingrix and pneumococcal vaccines at no cost for adults 65+, **Tuesdays 9–11 "
            "am**. Bring your vaccine card.",
            audience="adults 65+", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Tuesday"], "09:00", "11:00")], phone="(541) 555-0101",
        ),
        _post(
            "b6", "Childhood Immunizations", "Free shots for kids from birth to 18.",
            "All routine childhood and school-entry vaccines, **Tuesdays 9–11 am**. Bring "
            "your child's shot record.",
            audience="children birth to 18", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Tuesday"], "09:00", "11:00")], phone="(541) 555-0101",
        ),
        _post(
            "b7", "Free Mammograms",
            "Women 40 and over can get a free screening mammogram on the first Saturday of "
            "the month, 9am-1pm. Call to book.",
            phone="(541) 555-0101",
        ),
        _post(
            "b8", "Vision Clinic",
            "Free eye exams and low-cost glasses every Thursday afternoon.",
        ),
        _post(
            "b9", "Freedom From Smoking", "A 7-week class to help you quit tobacco.",
            "A trained facilitator leads the American Lung Association program **Tuesdays "
            "6–7 pm** for seven weeks. Free nicotine patches for participants.",
            audience="adults who smoke or vape", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Tuesday"], "18:00", "19:00")], phone="(541) 555-0109",
        ),
        _post(
            "b10", "Healthy Weight Program", "Lose weight and keep it off with support.",
            "A 12-week program with a dietitian and weekly weigh-ins, **Tuesdays 6–7 pm**.",
            audience="adults", location="Maple Valley Free Clinic, 410 Cedar Rd",
            schedule=[(["Tuesday"], "18:00", "19:00")], phone="(541) 555-0109",
        ),
        _post(
            "b11", "Quit Smoking Class",
            "A 7-week group class to help you quit tobacco, Tuesday evenings at 6. Free "
            "patches!",
            phone="(541) 555-0109",
        ),
    ],
    [["b1", "b7"], ["b3", "b8"], ["b9", "b11"]],
    [
        ("b1", "b2", "mammograms vs Pap tests"),
        ("b3", "b4", "eye exams vs hearing aids"),
        ("b5", "b6", "seniors' vaccines vs childhood immunizations"),
        ("b9", "b10", "quit smoking vs weight loss"),
    ],
)  # fmt: skip

_HOUSE = ProbeOrg(
    "Northside Neighborhood House",
    [
        _post(
            "n1", "Toddler Playgroup", "Free play and songs for toddlers and their parents.",
            "Drop in **Tuesdays 10–11:30 am** with your 1- to 3-year-old for play, songs and "
            "snack.",
            audience="toddlers 1-3 with a parent", location="1720 N Lincoln Ave",
            schedule=[(["Tuesday"], "10:00", "11:30")], phone="(312) 555-0120",
        ),
        _post(
            "n2", "Parent-Child Music Class", "Sing, dance and play instruments together.",
            "An 8-week music class for babies and preschoolers with a grown-up, **Tuesdays "
            "10–10:45 am**; $40, scholarships available.",
            audience="children 0-4 with a grown-up", location="1720 N Lincoln Ave",
            schedule=[(["Tuesday"], "10:00", "10:45")], phone="(312) 555-0120",
        ),
        _post(
            "n3", "GED Prep", "Study for your high school equivalency diploma.",
            "Free classes in math, reading, writing, science and social studies, **Monday–"
            "Thursday 9 am–noon**. Testing vouchers for students who are ready.",
            audience="adults 18+ without a diploma", location="1720 N Lincoln Ave",
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "09:00", "12:00")],
            phone="(312) 555-0125",
        ),
        _post(
            "n4", "English as a Second Language", "Free English classes for adult immigrants.",
            "Beginning and intermediate ESL, **Monday–Thursday 9 am–noon**. Register in person.",
            audience="adult English learners", location="1720 N Lincoln Ave",
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "09:00", "12:00")],
            phone="(312) 555-0125",
        ),
        _post(
            "n5", "Youth Soccer Clinic (Ages 5–8)", "Learn soccer basics on Saturday mornings.",
            "Coaches teach dribbling, passing and teamwork, **Saturdays 9–10 am**, April–May.",
            audience="ages 5-8", location="Northside Park field",
            schedule=[(["Saturday"], "09:00", "10:00")], phone="(312) 555-0120",
        ),
        _post(
            "n6", "Youth Soccer Clinic (Ages 9–12)", "Skills and scrimmages for older kids.",
            "Drills and small-sided games, **Saturdays 10–11:30 am**, April–May.",
            audience="ages 9-12", location="Northside Park field",
            schedule=[(["Saturday"], "10:00", "11:30")], phone="(312) 555-0120",
        ),
        _post(
            "n7", "Food Pantry", "Free groceries for Northside families.",
            "Choose fresh produce, bread and staples **Thursdays 2–6 pm**. Bring proof of "
            "address the first time.",
            location="1720 N Lincoln Ave", schedule=[(["Thursday"], "14:00", "18:00")],
            phone="(312) 555-0120",
        ),
        _post(
            "n8", "Thanksgiving Food Baskets",
            "A turkey and all the fixings for families in need.",
            "Sign up by November 10; baskets are picked up **Saturday, November 22, 10 am–"
            "1 pm**.",
            location="1720 N Lincoln Ave", phone="(312) 555-0120",
        ),
        _post(
            "n9", "GED Classes",
            "Study for your high school equivalency (GED) with a teacher, Monday to Thursday "
            "mornings 9-12. Free.",
        ),
        _post(
            "n10", "Pantry Thursdays",
            "Free groceries for Northside families every Thursday 2 to 6 pm.",
            location="1720 N Lincoln",
        ),
        _post(
            "n11", "Free Legal Advice Night", "Talk with a volunteer lawyer for free.",
            "Volunteer attorneys give brief advice on any civil problem on the **first "
            "Wednesday of the month, 6–8 pm**. First come, first served.",
            location="1720 N Lincoln Ave", schedule=[(["Wednesday"], "18:00", "20:00")],
            phone="(312) 555-0120",
        ),
        _post(
            "n12", "Benefits Enrollment Night", "Apply for public benefits with help.",
            "Caseworkers help you apply for food, cash and health benefits on the **third "
            "Wednesday of the month, 6–8 pm**.",
            location="1720 N Lincoln Ave", schedule=[(["Wednesday"], "18:00", "20:00")],
            phone="(312) 555-0120",
        ),
    ],
    [["n3", "n9"], ["n7", "n10"]],
    [
        ("n1", "n2", "free playgroup vs paid music class"),
        ("n3", "n4", "GED prep vs ESL"),
        ("n5", "n6", "soccer clinic for 5-8 vs for 9-12"),
        ("n7", "n8", "weekly pantry vs Thanksgiving baskets"),
        ("n11", "n12", "legal advice night vs benefits enrollment night"),
    ],
)  # fmt: skip

_CLUB = ProbeOrg(
    "Bright Futures Boys & Girls Club",
    [
        _post(
            "k1", "Teen Center", "A place for teens after school.",
            "Teens 13–18 can hang out, play games, get homework help and join clubs, "
            "**Monday–Friday 3–8 pm**.",
            audience="teens 13-18", location="Bright Futures Club, 55 Harbor St",
            schedule=[(WEEKDAYS, "15:00", "20:00")], phone="(757) 555-0130",
        ),
        _post(
            "k2", "Power Hour Homework Help", "Daily homework time with tutors for members.",
            "Members ages 6–12 start each afternoon with an hour of homework help, "
            "**Monday–Friday 3–4 pm**.",
            audience="members ages 6-12", location="Bright Futures Club, 55 Harbor St",
            schedule=[(WEEKDAYS, "15:00", "16:00")], phone="(757) 555-0130",
        ),
        _post(
            "k3", "Summer Camp — Session 1 (June)", "Two weeks of summer fun in June.",
            "Field trips, swimming and STEM projects, **June 16–27, weekdays 8 am–5 pm**.",
            audience="ages 6-12", location="Bright Futures Club, 55 Harbor St",
            schedule=[(WEEKDAYS, "08:00", "17:00")], phone="(757) 555-0130",
        ),
        _post(
            "k4", "Summer Camp — Session 2 (July)", "Two more weeks of summer fun in July.",
            "Field trips, swimming and art projects, **July 7–18, weekdays 8 am–5 pm**.",
            audience="ages 6-12", location="Bright Futures Club, 55 Harbor St",
            schedule=[(WEEKDAYS, "08:00", "17:00")], phone="(757) 555-0130",
        ),
        _post(
            "k5", "Girls Who Code Club", "Free coding club for girls.",
            "Girls in grades 3–12 learn to code games and websites, **Wednesdays 4–5:30 pm**.",
            audience="girls in grades 3-12", location="Bright Futures Club, 55 Harbor St",
            schedule=[(["Wednesday"], "16:00", "17:30")], phone="(757) 555-0130",
        ),
        _post(
            "k6", "Robotics Club", "Build and program robots for competitions.",
            "Teams of members ages 10–16 build LEGO robots, **Wednesdays 4–5:30 pm**.",
            audience="ages 10-16", location="Bright Futures Club, 55 Harbor St",
            schedule=[(["Wednesday"], "16:00", "17:30")], phone="(757) 555-0130",
        ),
        _post(
            "k7", "Teen Center Open Hours",
            "Teens 13 to 18 can hang out, play games and get homework help weekdays from 3 "
            "to 8 pm.",
        ),
        _post(
            "k8", "Torch Club", "A leadership and service club for ages 11–13.",
            "Members plan service projects and elect officers, **Thursdays 5–6 pm**.",
            audience="ages 11-13", location="Bright Futures Club, 55 Harbor St",
            schedule=[(["Thursday"], "17:00", "18:00")], phone="(757) 555-0130",
        ),
        _post(
            "k9", "Keystone Club", "A leadership and service club for teens 14–18.",
            "Teens lead service projects and prepare for college, **Thursdays 5–6 pm**.",
            audience="teens 14-18", location="Bright Futures Club, 55 Harbor St",
            schedule=[(["Thursday"], "17:00", "18:00")], phone="(757) 555-0130",
        ),
        _post(
            "k10", "Girls Who Code",
            "A free coding club for girls in grades 3-12, Wednesdays 4-5:30 pm.",
            audience="girls",
        ),
    ],
    [["k1", "k7"], ["k5", "k10"]],
    [
        ("k1", "k2", "teen center vs homework hour for 6-12"),
        ("k3", "k4", "June camp session vs July camp session"),
        ("k5", "k6", "coding club for girls vs robotics club"),
        ("k8", "k9", "Torch Club (11-13) vs Keystone Club (14-18)"),
    ],
)  # fmt: skip

_OUTREACH = ProbeOrg(
    "St. Vincent's Outreach",
    [
        _post(
            "v1", "Emergency Rent Assistance", "One-time help with rent to prevent eviction.",
            "Households with a past-due notice may receive up to one month's rent, paid to "
            "the landlord. Call **Monday–Friday 9 am–noon** for an appointment.",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(WEEKDAYS, "09:00", "12:00")], phone="(401) 555-0140",
        ),
        _post(
            "v2", "Utility Bill Assistance", "Help paying a past-due electric or gas bill.",
            "Households with a shutoff notice may receive help toward the bill. Call "
            "**Monday–Friday 9 am–noon** for an appointment.",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(WEEKDAYS, "09:00", "12:00")], phone="(401) 555-0140",
        ),
        _post(
            "v3", "Soup Kitchen", "A hot lunch every day, no questions asked.",
            "Lunch is served in the dining room **every day, 11:30 am–1 pm**.",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday"), "11:30", "13:00")],
            phone="(401) 555-0140",
        ),
        _post(
            "v4", "Sack Lunch Program", "Bag lunches to take with you.",
            "Grab a sack lunch at the side door **Monday–Friday 3–4 pm** for dinner later.",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(WEEKDAYS, "15:00", "16:00")], phone="(401) 555-0140",
        ),
        _post(
            "v5", "Furniture Bank", "Free beds, tables and furniture for families in need.",
            "With a referral from a caseworker, families moving out of homelessness choose "
            "furniture at our warehouse, **Saturdays 9 am–noon**.",
            audience="families with a caseworker referral", location="88 Mill St warehouse",
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(401) 555-0145",
        ),
        _post(
            "v6", "Donate Furniture", "Give your gently used furniture a second home.",
            "We pick up clean beds, sofas, tables and dressers. Call to schedule a pickup.",
            location="88 Mill St warehouse", phone="(401) 555-0145",
        ),
        _post(
            "v7", "Free Lunch Every Day",
            "Hot lunch served 11:30 to 1 every day of the week in the dining room. All "
            "welcome.",
        ),
        _post(
            "v8", "Help with Rent",
            "Behind on rent? We may be able to help with one month's rent. Call weekday "
            "mornings for an appointment.",
            phone="(401) 555-0140",
        ),
        _post(
            "v9", "Prison Re-entry Support",
            "Help for people coming home from prison or jail.",
            "Case managers help with IDs, housing, jobs and benefits in the first months "
            "after release. Walk in **Tuesdays and Thursdays 1–4 pm**.",
            audience="people returning from incarceration",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(["Tuesday", "Thursday"], "13:00", "16:00")], phone="(401) 555-0140",
        ),
        _post(
            "v10", "Veterans Services", "Help for veterans and their families.",
            "A veterans' service officer helps with VA benefits, housing and jobs. Walk in "
            "**Tuesdays and Thursdays 1–4 pm**.",
            audience="veterans and their families",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(["Tuesday", "Thursday"], "13:00", "16:00")], phone="(401) 555-0140",
        ),
        _post(
            "v11", "Baby Pantry", "Diapers, wipes and formula for babies.",
            "Parents of children under 3 can pick up diapers, wipes and formula once a "
            "month, **Wednesdays 10 am–2 pm**.",
            audience="parents of children under 3",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(["Wednesday"], "10:00", "14:00")], phone="(401) 555-0140",
        ),
        _post(
            "v12", "Food Pantry", "Groceries for individuals and families.",
            "Choose canned goods, produce and bread once a month, **Wednesdays 10 am–2 pm**.",
            location="St. Vincent's Outreach, 230 Grove St",
            schedule=[(["Wednesday"], "10:00", "14:00")], phone="(401) 555-0140",
        ),
    ],
    [["v1", "v8"], ["v3", "v7"]],
    [
        ("v1", "v2", "rent assistance vs utility assistance"),
        ("v3", "v4", "soup kitchen vs sack lunches"),
        ("v5", "v6", "receive furniture vs donate furniture"),
        ("v9", "v10", "re-entry support vs veterans services"),
        ("v11", "v12", "baby pantry vs food pantry"),
    ],
)  # fmt: skip

_LIBRARY = ProbeOrg(
    "Harborview Public Library",
    [
        _post(
            "r1", "Job Seekers Workshop: Resume Writing",
            "Learn to write a resume that gets you an interview.",
            "A career coach covers formats, keywords and cover letters. **Tuesday, March 3, "
            "6–7:30 pm**. Bring a draft if you have one.",
            audience="job seekers", location="Harborview Library, 12 Water St",
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(207) 555-0150",
        ),
        _post(
            "r2", "Job Seekers Workshop: Interview Skills",
            "Practice answering common interview questions.",
            "A career coach runs mock interviews and gives feedback. **Tuesday, March 10, "
            "6–7:30 pm**.",
            audience="job seekers", location="Harborview Library, 12 Water St",
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(207) 555-0150",
        ),
        _post(
            "r3", "Knitting Circle", "Knit, crochet and chat.",
            "All skill levels welcome; bring your own project. **Mondays 1–3 pm**.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Monday"], "13:00", "15:00")], phone="(207) 555-0150",
        ),
        _post(
            "r4", "Afternoon Book Club", "Discuss a new book each month.",
            "Copies are available at the desk a month ahead. **Mondays 1–2:30 pm**, the last "
            "Monday of the month.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Monday"], "13:00", "14:30")], phone="(207) 555-0150",
        ),
        _post(
            "r5", "Medicare 101", "Understand Medicare before you turn 65.",
            "A volunteer SHIP counselor explains Parts A, B, C and D and when to enroll. "
            "**Thursday, April 9, 2 pm**.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Thursday"], "14:00", "15:30")], phone="(207) 555-0150",
        ),
        _post(
            "r6", "Estate Planning Seminar", "Wills, trusts and powers of attorney explained.",
            "A local elder law attorney answers questions about planning ahead. **Thursday, "
            "April 16, 2 pm**.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Thursday"], "14:00", "15:30")], phone="(207) 555-0150",
        ),
        _post(
            "r7", "Résumé Writing Workshop",
            "Learn to write a resume that gets noticed. Part of our Job Seekers series, "
            "Tuesday March 3 at 6 pm.",
        ),
        _post(
            "r8", "Spanish Storytime", "Stories, songs and rhymes in Spanish for young kids.",
            "For children 0–5 and their families, **Saturdays 11 am**. Everyone welcome, no "
            "Spanish needed.",
            audience="children 0-5 and families", location="Harborview Library, 12 Water St",
            schedule=[(["Saturday"], "11:00", "11:30")], phone="(207) 555-0150",
        ),
        _post(
            "r9", "Family Storytime", "Stories, songs and a craft for the whole family.",
            "Stories in English for children 0–5 and their grown-ups, **Saturdays 10 am**.",
            audience="children 0-5 and families", location="Harborview Library, 12 Water St",
            schedule=[(["Saturday"], "10:00", "10:30")], phone="(207) 555-0150",
        ),
        _post(
            "r10", "Cuentos en Español",
            "Cuentos, canciones y rimas en español para niños de 0 a 5 años y sus familias. "
            "Todos los sábados a las 11 de la mañana.",
            schedule=[(["Saturday"], "11:00", "11:30")],
        ),
        _post(
            "r11", "Passport Services", "Apply for a U.S. passport at the library.",
            "Passport acceptance by appointment, **Wednesdays 10 am–2 pm**. Bring your "
            "photo, ID and proof of citizenship.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Wednesday"], "10:00", "14:00")], phone="(207) 555-0155",
        ),
        _post(
            "r12", "Free Notary Service", "Get documents notarized for free.",
            "A notary public is available **Wednesdays 10 am–2 pm**. Bring unsigned "
            "documents and photo ID.",
            location="Harborview Library, 12 Water St",
            schedule=[(["Wednesday"], "10:00", "14:00")], phone="(207) 555-0155",
        ),
    ],
    [["r1", "r7"], ["r8", "r10"]],
    [
        ("r1", "r2", "resume workshop vs interview workshop"),
        ("r3", "r4", "knitting circle vs book club"),
        ("r5", "r6", "Medicare talk vs estate planning seminar"),
        ("r8", "r9", "Spanish storytime vs English family storytime"),
        ("r11", "r12", "passport services vs notary service"),
    ],
)  # fmt: skip

PROBE_B: tuple[ProbeOrg, ...] = (_FREE_CLINIC, _HOUSE, _CLUB, _OUTREACH, _LIBRARY)

if __name__ == "__main__":
    sys.exit(report(PROBE_B))
