"""A third probe of the service judgement, written after the rules the second probe
prompted (`same_service_probe_b.py`) and committed before it was scored: three more
organizations (a recreation centre, a refugee service and a food and housing coalition),
15 look-alike pairs and 7 duplicate pairs. Its first score is the honest figure for the
judgement as it stood then; the first two probes are fitted by now.

Run with `.venv/bin/python -m tests.directory.same_service_probe_c`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_REC = ProbeOrg(
    "Riverside Community Recreation Center",
    [
        _post(
            "q1", "Lap Swim", "Swim laps in the 25-yard pool before work.",
            "Lanes are open for lap swimming **Monday–Friday 6–8 am**. Free for members, $4 "
            "for guests.",
            audience="adults and teens 13+", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(WEEKDAYS, "06:00", "08:00")], phone="(612) 555-0300",
        ),
        _post(
            "q2", "Water Aerobics", "Low-impact exercise in the warm pool.",
            "An instructor leads a 45-minute class in the shallow end, **Mondays, Wednesdays "
            "and Fridays 9–9:45 am**. Great for joints.",
            audience="adults", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Monday", "Wednesday", "Friday"], "09:00", "09:45")],
            phone="(612) 555-0300",
        ),
        _post(
            "q3", "Open Swim", "Family swim time for everyone.",
            "Slides and the splash pad are open **Saturdays 1–4 pm**. Children under 8 must "
            "be with an adult in the water.",
            location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Saturday"], "13:00", "16:00")], phone="(612) 555-0300",
        ),
        _post(
            "q4", "Swim Lessons for Kids (Ages 6–12)", "Learn to swim with certified instructors.",
            "Small-group lessons by skill level, **Saturdays 9 am–noon**, eight-week "
            "sessions. Free; sign up at the front desk.",
            audience="kids ages 6-12", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(612) 555-0300",
        ),
        _post(
            "q5", "Pickleball Open Play", "Drop-in pickleball for all levels.",
            "Courts are set up in the gym **Tuesdays and Thursdays 9–11 am**. Paddles and "
            "balls provided. $2 drop-in.",
            audience="adults", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Tuesday", "Thursday"], "09:00", "11:00")], phone="(612) 555-0300",
        ),
        _post(
            "q6", "Pickleball Clinic for Beginners", "Learn the rules and basic strokes.",
            "A coach teaches serving, scoring and dinking, **Tuesdays 11 am–noon**, four "
            "weeks. $20; registration required.",
            audience="adults new to pickleball", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Tuesday"], "11:00", "12:00")], phone="(612) 555-0300",
        ),
        _post(
            "q7", "Senior Fitness (SilverSneakers)",
            "Strength, balance and stretching for older adults.",
            "A low-impact class with chairs and light weights, **Mondays and Wednesdays "
            "10–11 am**. Free with eligible Medicare plans.",
            audience="older adults", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Monday", "Wednesday"], "10:00", "11:00")], phone="(612) 555-0300",
        ),
        _post(
            "q8", "Zumba", "Dance your way to fitness.",
            "A high-energy Latin dance workout, **Mondays and Wednesdays 6–7 pm**. All "
            "levels; $5 drop-in.",
            audience="adults", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Monday", "Wednesday"], "18:00", "19:00")], phone="(612) 555-0300",
        ),
        _post(
            "q9", "Free Swim Lessons",
            "Kids 6 to 12 can learn to swim on Saturday mornings, 9-noon. Free, sign up at "
            "the front desk!",
        ),
        _post(
            "q10", "Pickleball Drop-In",
            "Drop in and play pickleball Tuesday and Thursday mornings, 9 to 11. Paddles "
            "provided.",
            location="Rec Center gym",
        ),
        _post(
            "q11", "SilverSneakers Classic",
            "Low-impact exercise class for older adults, Mondays and Wednesdays at 10 am. "
            "Free with eligible Medicare plans.",
            phone="(612) 555-0300",
        ),
        _post(
            "q12", "Teen Late Night", "Basketball, games and food for teens on Fridays.",
            "Teens 13–18 get the gym and game room **Fridays 8–11 pm**. Free with a school ID.",
            audience="teens 13-18", location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Friday"], "20:00", "23:00")], phone="(612) 555-0300",
        ),
        _post(
            "q13", "Family Movie Night", "A free movie on the big screen for the whole family.",
            "Bring blankets; popcorn is on us. **Fridays at 7 pm** in the gym, once a month.",
            location="Riverside Rec Center, 600 Park Ave",
            schedule=[(["Friday"], "19:00", "21:00")], phone="(612) 555-0300",
        ),
    ],
    [["q4", "q9"], ["q5", "q10"], ["q7", "q11"]],
    [
        ("q1", "q2", "lap swim vs water aerobics"),
        ("q3", "q4", "open swim vs swim lessons"),
        ("q5", "q6", "pickleball open play vs beginners' clinic"),
        ("q7", "q8", "senior fitness vs Zumba"),
        ("q12", "q13", "teen late night vs family movie night"),
    ],
)  # fmt: skip

_REFUGEE = ProbeOrg(
    "New Horizons Refugee Services",
    [
        _post(
            "w1", "Job Readiness Class", "Get ready to work in the United States.",
            "Learn how to search and apply for jobs, write a resume and prepare for "
            "interviews. **Tuesdays and Thursdays 10 am–noon**, six weeks.",
            audience="refugees and immigrants", location="New Horizons, 1450 University Ave",
            schedule=[(["Tuesday", "Thursday"], "10:00", "12:00")], phone="(651) 555-0400",
        ),
        _post(
            "w2", "Driver's Education for Refugees",
            "Study for the written driving test and learn U.S. road rules.",
            "Classes with interpreters, **Tuesdays and Thursdays 10 am–noon**, four weeks. "
            "We help you schedule the permit test.",
            audience="refugees", location="New Horizons, 1450 University Ave",
            schedule=[(["Tuesday", "Thursday"], "10:00", "12:00")], phone="(651) 555-0400",
        ),
        _post(
            "w3", "Arabic Interpretation Services",
            "Free Arabic interpreters for medical and school appointments.",
            "Request an interpreter at least three days ahead for doctor visits, school "
            "meetings and benefits appointments.",
            location="New Horizons, 1450 University Ave", phone="(651) 555-0410",
        ),
        _post(
            "w4", "Dari Interpretation Services",
            "Free Dari interpreters for medical and school appointments.",
            "Request an interpreter at least three days ahead for doctor visits, school "
            "meetings and benefits appointments.",
            location="New Horizons, 1450 University Ave", phone="(651) 555-0410",
        ),
        _post(
            "w5", "Cultural Orientation",
            "Learn about life in Minnesota in your first months here.",
            "New arrivals learn about housing, money, transportation, schools, health care "
            "and laws. **Mondays 1–4 pm**, with interpreters.",
            audience="newly arrived refugees", location="New Horizons, 1450 University Ave",
            schedule=[(["Monday"], "13:00", "16:00")], phone="(651) 555-0400",
        ),
        _post(
            "w6", "Citizenship Test Prep",
            "Study for the naturalization interview and civics test.",
            "Practice the 100 civics questions and the interview, **Mondays 1–3 pm**.",
            audience="permanent residents", location="New Horizons, 1450 University Ave",
            schedule=[(["Monday"], "13:00", "15:00")], phone="(651) 555-0400",
        ),
        _post(
            "w7", "Women's Sewing Circle", "Sew, talk and learn together.",
            "Sewing machines and fabric provided. **Wednesdays 10 am–noon**, childcare "
            "available.",
            audience="women", location="New Horizons, 1450 University Ave",
            schedule=[(["Wednesday"], "10:00", "12:00")], phone="(651) 555-0400",
        ),
        _post(
            "w8", "Men's Soccer Night", "Pickup soccer for men of all ages.",
            "Meet at the Como Park field **Wednesdays 6–8 pm**, May through September.",
            audience="men", location="Como Park field",
            schedule=[(["Wednesday"], "18:00", "20:00")], phone="(651) 555-0400",
        ),
        _post(
            "w9", "Job Readiness",
            "Learn how to apply for jobs in the U.S., write a resume and prepare for "
            "interviews. Tuesdays and Thursdays, 10 to noon.",
        ),
        _post(
            "w10", "Orientation for New Arrivals",
            "Everything you need to know in your first months: housing, money, buses, "
            "schools and health care. Monday afternoons with interpreters.",
            phone="(651) 555-0400",
        ),
        _post(
            "w11", "Youth Homework Club", "Homework help for refugee students.",
            "Volunteer tutors help students in grades 3–12, **Monday–Thursday 3:30–5 pm**.",
            audience="students in grades 3-12", location="New Horizons, 1450 University Ave",
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "15:30", "17:00")],
            phone="(651) 555-0400",
        ),
        _post(
            "w12", "Adult ESL", "English classes for adults, all levels.",
            "Morning English classes **Monday–Thursday 9–11 am**, with childcare.",
            audience="adults", location="New Horizons, 1450 University Ave",
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "09:00", "11:00")],
            phone="(651) 555-0400",
        ),
    ],
    [["w1", "w9"], ["w5", "w10"]],
    [
        ("w1", "w2", "job readiness vs driver's education"),
        ("w3", "w4", "Arabic vs Dari interpreters"),
        ("w5", "w6", "cultural orientation vs citizenship test prep"),
        ("w7", "w8", "women's sewing circle vs men's soccer"),
        ("w11", "w12", "youth homework club vs adult ESL"),
    ],
)  # fmt: skip

_COALITION = ProbeOrg(
    "Greenfield Food & Housing Coalition",
    [
        _post(
            "x1", "Tuesday Produce Giveaway", "Free fresh fruit and vegetables.",
            "Pick up free produce from local farms **Tuesdays 3–5 pm** in the church parking "
            "lot. Bring a bag.",
            location="Greenfield UCC parking lot, 15 Church St",
            schedule=[(["Tuesday"], "15:00", "17:00")], phone="(413) 555-0500",
        ),
        _post(
            "x2", "Friday Bread Giveaway", "Free bread and pastries from local bakeries.",
            "Day-old bread, bagels and pastries, **Fridays 3–5 pm** in the church parking lot.",
            location="Greenfield UCC parking lot, 15 Church St",
            schedule=[(["Friday"], "15:00", "17:00")], phone="(413) 555-0500",
        ),
        _post(
            "x3", "Housing Search Help", "Help finding an apartment you can afford.",
            "A housing navigator helps you search listings, fill out applications and talk "
            "to landlords. By appointment **Monday–Friday**.",
            location="Greenfield Coalition office, 8 Main St",
            schedule=[(WEEKDAYS, "09:00", "17:00")], phone="(413) 555-0510",
        ),
        _post(
            "x4", "First-Time Homebuyer Class", "Learn the steps to buying your first home.",
            "A four-part class on credit, mortgages, down payment help and inspections. "
            "**Saturdays 9 am–1 pm**; certificate for down payment programs.",
            audience="first-time homebuyers", location="Greenfield Coalition office, 8 Main St",
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(413) 555-0510",
        ),
        _post(
            "x5", "Hotel Vouchers for Families",
            "Emergency motel stays for families with children who have nowhere to sleep.",
            "When shelters are full, families may get up to 7 nights in a motel while we "
            "find a shelter bed. Call the intake line.",
            audience="families with children", phone="(413) 555-0520",
        ),
        _post(
            "x6", "Cold Weather Shelter", "Overnight beds for adults on the coldest nights.",
            "Open 7 pm to 7 am from December to March at the Armory. Cots, blankets, hot "
            "soup.",
            audience="adults 18+", location="Greenfield Armory, 40 Pleasant St",
            phone="(413) 555-0520",
        ),
        _post(
            "x7", "Holiday Meal Delivery",
            "A Thanksgiving dinner delivered to homebound neighbors.",
            "Volunteers deliver a hot turkey dinner on Thanksgiving Day. Sign up by "
            "November 15.",
            audience="homebound neighbors", phone="(413) 555-0500",
        ),
        _post(
            "x8", "Meals on Wheels", "Hot lunches delivered to homebound seniors.",
            "A hot lunch delivered **Monday–Friday** around noon, all year. An assessment "
            "visit is needed to start.",
            audience="homebound seniors 60+", schedule=[(WEEKDAYS, "11:00", "13:00")],
            phone="(413) 555-0530",
        ),
        _post(
            "x9", "Fresh Produce Tuesdays",
            "Free fruits and veggies from local farms every Tuesday afternoon, 3 to 5, in "
            "the UCC lot.",
        ),
        _post(
            "x10", "Apartment Search Assistance",
            "Our housing navigator can help you look for an affordable apartment and apply. "
            "Call for an appointment.",
            phone="(413) 555-0510",
        ),
        _post(
            "x11", "Eviction Diversion Program",
            "Mediation and rent help to stop an eviction.",
            "Tenants with a court date can meet a mediator and may get back rent paid to "
            "settle the case. Call the housing line.",
            audience="tenants facing eviction", phone="(413) 555-0510",
        ),
        _post(
            "x12", "Tenant Organizing", "Organize with your neighbors for better housing.",
            "We help tenants form associations, hold meetings and negotiate repairs with "
            "landlords.",
            audience="tenants", phone="(413) 555-0510",
        ),
    ],
    [["x1", "x9"], ["x3", "x10"]],
    [
        ("x1", "x2", "Tuesday produce vs Friday bread"),
        ("x3", "x4", "apartment search vs homebuyer class"),
        ("x5", "x6", "family motel vouchers vs adult cold weather shelter"),
        ("x7", "x8", "Thanksgiving delivery vs year-round Meals on Wheels"),
        ("x11", "x12", "eviction diversion vs tenant organizing"),
    ],
)  # fmt: skip

PROBE_C: tuple[ProbeOrg, ...] = (_REC, _REFUGEE, _COALITION)

if __name__ == "__main__":
    sys.exit(report(PROBE_C))
