"""A fifth probe of the service judgement, written after the fourth probe
(`same_service_probe_d.py`) and committed before it was scored, by a writer who had not read
the judgement's rules or word lists: five organizations of kinds the first four probes
underuse (a city parks and recreation department, an Arc chapter for people with
intellectual and developmental disabilities, a faith-based family service agency, a
community garden and food co-op, and a mental health peer organization), 26 look-alike
pairs (one organization, two real services a careless reader would merge: one slot or room,
near-identical wording, another audience, subject, modality, season, level, language or step
of a process) and 12 duplicate pairs written as duplicates arise (a hand-typed terse post
and an extracted long one, a social caption and the website's page, a renamed programme, a
term's calendar listing of a standing class, a Russian page of the same service, missing
fields, the schedule only in the text or in another format).

Run with `.venv/bin/python -m tests.directory.same_service_probe_e`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_P_AT = "Cedar Hollow Community Center, 410 Elm Park Rd"
_PARKS = ProbeOrg(
    "Cedar Hollow Parks & Recreation",
    [
        _post(
            "p1", "Youth Soccer League – Fall",
            "Recreational soccer for kids ages 5–12.",
            "Teams are formed by age and play on Saturday mornings at Riverside Fields from "
            "September through October. Every child plays at least half of each game. "
            "Registration opens July 1; $45 residents, $60 non-residents, includes a jersey.",
            audience="children ages 5-12", location="Riverside Fields, 900 River Rd",
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(608) 555-0720",
        ),
        _post(
            "p2", "Youth Soccer League – Spring",
            "Recreational soccer for kids ages 5–12.",
            "Teams are formed by age and play on Saturday mornings at Riverside Fields from "
            "April through May. Every child plays at least half of each game. Registration "
            "opens February 1; $45 residents, $60 non-residents, includes a jersey.",
            audience="children ages 5-12", location="Riverside Fields, 900 River Rd",
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(608) 555-0720",
        ),
        _post(
            "p3", "Pickleball Open Play",
            "Drop-in pickleball in the community center gym.",
            "Courts are set up for doubles; players rotate in as games finish. All levels "
            "welcome, paddles and balls available to borrow. **Mon, Wed, Fri 8–11 am**. "
            "$3 drop-in or use your Rec Pass.",
            audience="adults", location=_P_AT,
            schedule=[(["Monday", "Wednesday", "Friday"], "08:00", "11:00")],
            phone="(608) 555-0720",
        ),
        _post(
            "p4", "Pickleball for Beginners",
            "A four-week clinic for people who have never played pickleball.",
            "A certified instructor teaches the rules, scoring, the serve and the dink, then "
            "supervised games. **Wednesdays 8–9 am** in the community center gym, four "
            "weeks, $30. Paddles provided. Registration required.",
            audience="adults new to pickleball", location=_P_AT,
            schedule=[(["Wednesday"], "08:00", "09:00")], phone="(608) 555-0720",
        ),
        _post(
            "p5", "Summer Day Camp",
            "Full-day summer camp for children ages 6–12.",
            "Weekly themes, games, crafts, swimming at Elm Park Pool and a field trip every "
            "Friday. Camp runs June 15 – August 14, **Monday–Friday 7:30 am–5:30 pm**. "
            "$165 per week; scholarships available.",
            audience="children ages 6-12", location=_P_AT,
            schedule=[(WEEKDAYS, "07:30", "17:30")], phone="(608) 555-0720",
            website="https://cedarhollowparks.org/camp",
        ),
        _post(
            "p6", "Teen Adventure Camp",
            "Summer day trips and outdoor challenges for teens ages 13–15.",
            "Kayaking, rock climbing, hiking and a service project each week, leaving from "
            "the community center. June 15 – August 14, **Monday–Friday 9 am–4 pm**. "
            "$195 per week; scholarships available.",
            audience="teens ages 13-15", location=_P_AT,
            schedule=[(WEEKDAYS, "09:00", "16:00")], phone="(608) 555-0720",
            website="https://cedarhollowparks.org/camp",
        ),
        _post(
            "p7", "Adaptive Swim Night",
            "Pool time for children and adults with disabilities and their families.",
            "The pool is closed to the public, the water is warmed, lights and music are "
            "dimmed, and extra lifeguards and a lift chair are on hand. **Thursdays "
            "6–7:30 pm** at the Elm Park Indoor Pool. Free for participants and one "
            "companion.",
            audience="people with disabilities and their families",
            location="Elm Park Indoor Pool, 415 Elm Park Rd",
            schedule=[(["Thursday"], "18:00", "19:30")], phone="(608) 555-0720",
        ),
        _post(
            "p8", "Family Swim Night",
            "Open swim for the whole family.",
            "Inflatables, diving boards and the water slide are open; children under 8 must "
            "have an adult in the water. **Fridays 6–8 pm** at the Elm Park Indoor Pool. "
            "$10 per family.",
            audience="families", location="Elm Park Indoor Pool, 415 Elm Park Rd",
            schedule=[(["Friday"], "18:00", "20:00")], phone="(608) 555-0720",
        ),
        _post(
            "p9", "Picnic Shelter Reservations",
            "Reserve a park picnic shelter for a party or reunion.",
            "Six shelters in four parks can be reserved for half or whole days, April through "
            "October. Reserve online or by phone; $50–$120 per day, residents first.",
            location=_P_AT, phone="(608) 555-0725",
            website="https://cedarhollowparks.org/reservations",
        ),
        _post(
            "p10", "Athletic Field Reservations",
            "Reserve a ball field or soccer field for practices or games.",
            "Leagues, teams and groups can reserve diamonds and rectangular fields, with or "
            "without lights, April through October. Reserve online or by phone; hourly "
            "rates, residents first.",
            location=_P_AT, phone="(608) 555-0725",
            website="https://cedarhollowparks.org/reservations",
        ),
        _post(
            "p11", "Pickleball",
            "open pickleball in the CC gym mon/wed/fri mornings 8-11. paddles to borrow at "
            "the front desk. $3",
        ),
        _post(
            "p12", "Summer camp registration is open",
            "☀️ Summer Camp registration is OPEN! Kids 6-12, June 15–Aug 14, weekdays "
            "7:30–5:30 at the Cedar Hollow CC. Swimming, crafts & Friday field trips "
            "🏊‍♀️🎨 Scholarships available – sign up at the link in bio! #CedarHollowParks",
        ),
        _post(
            "p13", "Sensory-Friendly Swim",
            "Thurs 6-7:30p @ Elm Park pool. Warm water, quiet, lift available. For swimmers "
            "with disabilities + family. Free.",
        ),
    ],
    [["p3", "p11"], ["p5", "p12"], ["p7", "p13"]],
    [
        ("p1", "p2", "fall vs spring season of one league"),
        ("p3", "p4", "open play vs beginner clinic, one gym and morning"),
        ("p5", "p6", "children's day camp vs teen adventure camp"),
        ("p7", "p8", "adaptive swim vs family swim, one pool"),
        ("p9", "p10", "picnic shelter vs athletic field reservations"),
    ],
)  # fmt: skip

_A_AT = "The Arc of Riverside, 88 Mill St"
_ARC = ProbeOrg(
    "The Arc of Riverside County",
    [
        _post(
            "a1", "Supported Employment",
            "Job coaching for adults with intellectual and developmental disabilities.",
            "An employment specialist helps you find a job in the community that fits your "
            "interests, then a job coach trains alongside you at work until you can do it "
            "on your own. Funded through Vocational Rehabilitation or your waiver.",
            audience="adults with intellectual or developmental disabilities",
            location=_A_AT, phone="(319) 555-0280",
        ),
        _post(
            "a2", "Pre-Employment Transition Services (Pre-ETS)",
            "Career exploration for students with disabilities ages 14–21.",
            "Students explore careers, practice workplace skills, learn to advocate for "
            "themselves and try paid work experiences in the summer. Offered in local high "
            "schools and at our office.",
            audience="students with disabilities ages 14-21", location=_A_AT,
            phone="(319) 555-0280",
        ),
        _post(
            "a3", "Adult Day Services",
            "A weekday program of life skills, recreation and community outings.",
            "Adults with developmental disabilities spend the day building independence: "
            "cooking, money skills, art, exercise and outings to the library and parks. "
            "**Monday–Friday 8:30 am–3:30 pm**. Transportation available.",
            audience="adults 21+ with developmental disabilities", location=_A_AT,
            schedule=[(WEEKDAYS, "08:30", "15:30")], phone="(319) 555-0280",
        ),
        _post(
            "a4", "Teen Social Club",
            "Monthly Saturday get-togethers for teens with disabilities.",
            "Games, crafts, movies and outings with friends, supported by trained staff and "
            "volunteers. **Second Saturday of the month, 1–4 pm**. $10.",
            audience="teens ages 13-20 with disabilities", location=_A_AT,
            schedule=[(["Saturday"], "13:00", "16:00")], phone="(319) 555-0290",
        ),
        _post(
            "a5", "Adult Social Club",
            "Monthly Saturday get-togethers for adults with disabilities.",
            "Dances, karaoke, bowling and dinners out with friends, supported by trained "
            "staff and volunteers. **Second Saturday of the month, 5–8 pm**. $10.",
            audience="adults 21+ with disabilities", location=_A_AT,
            schedule=[(["Saturday"], "17:00", "20:00")], phone="(319) 555-0290",
        ),
        _post(
            "a6", "Guardianship and Its Alternatives",
            "A free evening workshop for families.",
            "As your child turns 18, learn what guardianship means, how to apply, and the "
            "less restrictive options: supported decision-making, power of attorney and "
            "representative payees. **Quarterly, Tuesdays 6–8 pm**; register online.",
            audience="parents and caregivers", location=_A_AT,
            schedule=[(["Tuesday"], "18:00", "20:00")], phone="(319) 555-0280",
        ),
        _post(
            "a7", "Planning for the Future: Trusts and ABLE Accounts",
            "A free evening workshop for families.",
            "Learn how a special needs trust and an ABLE account protect SSI and Medicaid "
            "eligibility, and how to write a letter of intent for whoever cares for your "
            "loved one after you. **Quarterly, Tuesdays 6–8 pm**; register online.",
            audience="parents and caregivers", location=_A_AT,
            schedule=[(["Tuesday"], "18:00", "20:00")], phone="(319) 555-0280",
        ),
        _post(
            "a8", "Waiver Navigation",
            "Help applying for a Medicaid home and community-based services waiver.",
            "A family navigator explains which waiver fits, helps you complete the "
            "application and the assessment, and keeps track of your place on the waiting "
            "list. By appointment.",
            audience="families of people with disabilities", location=_A_AT,
            phone="(319) 555-0285",
        ),
        _post(
            "a9", "Saturday Respite",
            "Drop-off care so parents of children with disabilities can take a break.",
            "Trained staff care for children with disabilities while parents rest or run "
            "errands. **Saturdays 10 am–3 pm**, lunch included; reserve a spot by "
            "Wednesday.",
            audience="children ages 5-17 with disabilities", location=_A_AT,
            schedule=[(["Saturday"], "10:00", "15:00")], phone="(319) 555-0290",
        ),
        _post(
            "a10", "Education Advocacy",
            "An advocate helps families at IEP and 504 meetings.",
            "A family advocate reviews your child's evaluation and IEP, helps you prepare "
            "for meetings with the school, and can come to the meeting with you. By "
            "appointment.",
            audience="families of students with disabilities", location=_A_AT,
            phone="(319) 555-0285",
        ),
        _post(
            "a11", "Job coaching",
            "We help adults with intellectual disabilities get a job and keep it. A job "
            "coach goes to work with you till you've got it down. Call Marcus at "
            "319-555-0280.",
        ),
        _post(
            "a12", "Day Habilitation Program (formerly Adult Day Services)",
            "Life skills, recreation and outings for adults with developmental "
            "disabilities, M–F 8:30a–3:30p at our Mill St location. Rides available.",
            audience="adults with developmental disabilities",
        ),
    ],
    [["a1", "a11"], ["a3", "a12"]],
    [
        ("a1", "a2", "supported employment for adults vs Pre-ETS for students"),
        ("a4", "a5", "teen vs adult social club, one Saturday"),
        ("a6", "a7", "guardianship vs trusts workshop, one slot"),
        ("a8", "a10", "waiver navigation vs IEP advocacy"),
        ("a4", "a9", "social club vs respite care, Saturday for young people"),
    ],
)  # fmt: skip

_J_AT = "Jewish Family & Children's Service, 1200 Asylum Ave"
_JFCS = ProbeOrg(
    "Jewish Family & Children's Service of Greater Hartwell",
    [
        _post(
            "j1", "Counseling for Individuals, Couples and Families",
            "Licensed therapists on a sliding fee scale.",
            "Help with anxiety, depression, grief, relationship problems and life changes, "
            "for people of every faith. Daytime and evening appointments in person or by "
            "video; most insurance accepted.",
            location=_J_AT, phone="(860) 555-0190",
        ),
        _post(
            "j2", "Adult Grief Support Group",
            "A group for adults mourning the death of a loved one.",
            "A licensed social worker leads an eight-week group where adults who have lost a "
            "spouse, parent, child or friend share and learn ways to cope. **Wednesdays "
            "6:30–8 pm**. Free; call to join.",
            audience="adults who have lost a loved one", location=_J_AT,
            schedule=[(["Wednesday"], "18:30", "20:00")], phone="(860) 555-0190",
        ),
        _post(
            "j3", "Children's Grief Group",
            "A group for children who have lost a parent, sibling or grandparent.",
            "Through art, play and talking, children ages 6–12 learn that they are not "
            "alone. Meets **Wednesdays 6:30–8 pm**, while parents meet in their own group. "
            "Free; call to join.",
            audience="children ages 6-12 who have lost a family member", location=_J_AT,
            schedule=[(["Wednesday"], "18:30", "20:00")], phone="(860) 555-0190",
        ),
        _post(
            "j4", "Kosher Food Pantry",
            "Free kosher groceries for anyone in need.",
            "Shelf-stable kosher food, fresh produce, eggs and dairy, chosen by the client. "
            "Open to anyone in the area; you do not need to be Jewish. **Tuesdays and "
            "Thursdays 10 am–1 pm**. Bring ID.",
            location=_J_AT, schedule=[(["Tuesday", "Thursday"], "10:00", "13:00")],
            phone="(860) 555-0195",
        ),
        _post(
            "j5", "Passover Food Boxes",
            "Holiday food boxes for families who need help before Passover.",
            "Each box holds matzah, grape juice, a chicken, vegetables and other seder "
            "staples. Sign up by March 1; boxes are picked up or delivered the week before "
            "the holiday.",
            location=_J_AT, phone="(860) 555-0195",
        ),
        _post(
            "j6", "Holocaust Survivor Services",
            "Home care and case management for Holocaust survivors.",
            "Social workers help survivors stay safely at home: in-home care hours, "
            "emergency financial help, medical equipment and applications for reparations "
            "and pensions. Call to speak with a care manager.",
            audience="Holocaust survivors", phone="(860) 555-0198",
        ),
        _post(
            "j7", "Friendly Visitor Program",
            "Volunteers visit isolated older adults every week.",
            "A trained volunteer visits an older adult who lives alone for an hour a week "
            "to talk, play cards, take a walk or help with small errands. Free.",
            audience="older adults who live alone", phone="(860) 555-0198",
        ),
        _post(
            "j8", "Refugee Resettlement",
            "Help for newly arrived refugee families in their first months.",
            "Case managers meet families at the airport, set up a furnished apartment, "
            "enroll children in school, apply for benefits and connect adults with English "
            "classes and jobs during the first 90 days.",
            audience="newly arrived refugees", location=_J_AT, phone="(860) 555-0192",
        ),
        _post(
            "j9", "Immigration Legal Services",
            "Low-cost help with green cards, citizenship and family petitions.",
            "A DOJ-accredited representative helps with applications for permanent "
            "residence, naturalization, work permits and family petitions. By appointment; "
            "fees on a sliding scale.",
            location=_J_AT, phone="(860) 555-0192",
        ),
        _post(
            "j10", "Citizenship Class",
            "Prepare for the U.S. citizenship interview and test.",
            "Study civics and history questions, practice reading and writing in English, "
            "and rehearse the interview. **Thursdays 6–8 pm**, ten weeks. Free.",
            audience="permanent residents preparing to naturalize", location=_J_AT,
            schedule=[(["Thursday"], "18:00", "20:00")], phone="(860) 555-0192",
        ),
        _post(
            "j11", "Kosher pantry hours",
            "Our Kosher Pantry is open Tuesday and Thursday mornings, 10 to 1! Anyone in need "
            "is welcome – you don't have to be Jewish. Enter from the back parking lot.",
        ),
        _post(
            "j12", "Bereavement Group",
            "weds 6:30-8pm, 8 weeks. for adults grieving a death in the family. free. "
            "call 860-555-0190 to sign up",
        ),
        _post(
            "j13", "Программа «Друг на дом»",
            "Волонтёры еженедельно навещают пожилых людей, которые живут одни.",
            "Волонтёр раз в неделю приходит к пожилому человеку, который живёт один: "
            "поговорить, сыграть в карты, погулять или помочь с мелкими делами. Бесплатно.",
            audience="пожилые люди, живущие одни", phone="(860) 555-0198",
        ),
    ],
    [["j4", "j11"], ["j2", "j12"], ["j7", "j13"]],
    [
        ("j2", "j3", "adult vs children's grief group, one slot"),
        ("j4", "j5", "year-round pantry vs Passover boxes"),
        ("j6", "j7", "survivor home care vs friendly visitors"),
        ("j8", "j9", "resettlement case management vs immigration legal help"),
        ("j9", "j10", "citizenship application help vs citizenship class"),
    ],
)  # fmt: skip

_G_AT = "Southside Grows, 2718 Carson St"
_GROWS = ProbeOrg(
    "Southside Grows Community Gardens & Food Co-op",
    [
        _post(
            "g1", "Community Garden Plots",
            "Rent a raised-bed plot for the growing season.",
            "10×10 raised beds at three neighborhood gardens, with water, compost and shared "
            "tools included. $25 for the season (April–October); fee waived for SNAP "
            "households. Applications are due March 1.",
            location=_G_AT, phone="(412) 555-0560",
        ),
        _post(
            "g2", "Youth Garden Club",
            "Kids grow, harvest and cook their own vegetables.",
            "Children ages 8–13 plant their own bed, learn about bugs, soil and compost, and "
            "cook a snack from the harvest. **Saturdays 10 am–noon, June–August**. Free.",
            audience="children ages 8-13", location="Carson St Garden, 2720 Carson St",
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(412) 555-0560",
        ),
        _post(
            "g3", "Organic Gardening for Beginners",
            "A four-part workshop series for first-time gardeners.",
            "Soil and compost, starting seeds, planting and watering, and keeping pests away "
            "without chemicals. **Saturdays 10 am–noon in April**. $10 per session, free "
            "for plot holders.",
            audience="adults new to gardening", location="Carson St Garden, 2720 Carson St",
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(412) 555-0560",
        ),
        _post(
            "g4", "Seed Library",
            "Borrow free seeds and return some from your harvest.",
            "Take up to ten packets of vegetable, herb and flower seeds a season. At the end "
            "of the season, save seeds from your best plants and bring some back. Open "
            "during co-op store hours.",
            location=_G_AT, phone="(412) 555-0560",
        ),
        _post(
            "g5", "Tool Lending Shed",
            "Borrow garden tools for free.",
            "Shovels, rakes, wheelbarrows, hoses and a tiller can be borrowed for up to a "
            "week with a free library card-style membership. Open during co-op store "
            "hours.",
            location=_G_AT, phone="(412) 555-0560",
        ),
        _post(
            "g6", "Food For All Membership",
            "A discounted co-op membership for households with low incomes.",
            "Households on SNAP, WIC, Medicaid or SSI pay $5 for a co-op share instead of "
            "$100 and get 10% off every shopping trip. Sign up at the register with proof "
            "of a benefit.",
            location=_G_AT, phone="(412) 555-0565",
        ),
        _post(
            "g7", "Double Up Food Bucks at the Farm Stand",
            "We match SNAP dollars spent on fruits and vegetables.",
            "Spend your SNAP/EBT at the Saturday farm stand and get the same amount again, "
            "up to $20 a day, in tokens for fresh produce.",
            location="Carson St Garden, 2720 Carson St", phone="(412) 555-0565",
        ),
        _post(
            "g8", "Saturday Farm Stand",
            "Fresh vegetables grown in our gardens, sold by the pound.",
            "Tomatoes, greens, peppers, squash and herbs from Southside gardens at "
            "neighborhood prices. **Saturdays 9 am–1 pm, June–October**. Cash, card and "
            "SNAP/EBT accepted.",
            location="Carson St Garden, 2720 Carson St",
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(412) 555-0560",
        ),
        _post(
            "g9", "Free Produce Giveaway",
            "Leftover vegetables from the farm stand, free to anyone.",
            "Whatever has not sold is bagged and given away, no questions asked, at the "
            "end of the farm stand: **Saturdays 12:30–1:30 pm, June–October**. Bring a bag.",
            location="Carson St Garden, 2720 Carson St",
            schedule=[(["Saturday"], "12:30", "13:30")], phone="(412) 555-0560",
        ),
        _post(
            "g10", "Canning and Preserving Class",
            "Learn to can tomatoes, make pickles and freeze the harvest safely.",
            "Hands-on class in the co-op's teaching kitchen; everyone takes home jars. "
            "**Tuesdays 6–8 pm in August**. $15, free for plot holders.",
            audience="adults", location=_G_AT,
            schedule=[(["Tuesday"], "18:00", "20:00")], phone="(412) 555-0560",
        ),
        _post(
            "g11", "Garden plots are up for grabs!",
            "🌱 Garden plots for 2027 are up for grabs! $25 for the whole season, 10x10 "
            "raised beds, water + compost included. Free for SNAP households. Applications "
            "due March 1 – link in bio 🥕 #southsidegrows #communitygarden",
        ),
        _post(
            "g12", "Double Dollars",
            "use your EBT at our Sat stand and we match it (up to $20) for fruits & veggies",
        ),
    ],
    [["g1", "g11"], ["g7", "g12"]],
    [
        ("g2", "g3", "kids' garden club vs adult beginner workshop, one slot"),
        ("g4", "g5", "seed library vs tool lending"),
        ("g6", "g7", "co-op discount membership vs SNAP match at the stand"),
        ("g7", "g8", "SNAP match vs the farm stand itself"),
        ("g8", "g9", "farm stand sale vs free giveaway after it"),
    ],
)  # fmt: skip

_N_AT = "NAMI Bridgewater, 45 Pleasant St, Suite 2"
_NAMI = ProbeOrg(
    "NAMI Bridgewater",
    [
        _post(
            "n1", "NAMI Family Support Group",
            "A peer-led support group for family members of people with mental illness.",
            "Family members, partners and friends of someone living with a mental health "
            "condition share what works and support each other. Led by trained family "
            "members. **1st and 3rd Mondays, 7–8:30 pm**. Free and confidential.",
            audience="family members and friends of people with mental illness",
            location=_N_AT, schedule=[(["Monday"], "19:00", "20:30")],
            phone="(603) 555-0940",
        ),
        _post(
            "n2", "NAMI Connection Recovery Support Group",
            "A peer-led support group for adults living with mental illness.",
            "Adults living with a mental health condition share what works and support each "
            "other. Led by trained peers in recovery. **1st and 3rd Mondays, 7–8:30 pm**. "
            "Free and confidential.",
            audience="adults living with a mental health condition", location=_N_AT,
            schedule=[(["Monday"], "19:00", "20:30")], phone="(603) 555-0940",
        ),
        _post(
            "n3", "NAMI Family-to-Family",
            "A free eight-session class for families of adults with mental illness.",
            "Family members learn about diagnoses, treatment, crisis planning, communication "
            "and self-care, taught by trained family members. Offered in spring and fall; "
            "registration required.",
            audience="family members of adults with mental illness", location=_N_AT,
            phone="(603) 555-0940",
        ),
        _post(
            "n4", "NAMI Peer-to-Peer",
            "A free eight-session class for adults with mental illness.",
            "Adults living with a mental health condition learn about diagnoses, treatment, "
            "relapse prevention and talking with providers, taught by trained peers in "
            "recovery. Offered in spring and fall; registration required.",
            audience="adults living with a mental health condition", location=_N_AT,
            phone="(603) 555-0940",
        ),
        _post(
            "n5", "NAMI Basics",
            "A free six-session class for parents of children and teens with mental health "
            "symptoms.",
            "Parents and caregivers of kids under 22 learn about mental health conditions, "
            "treatment, working with schools and handling a crisis, taught by trained "
            "parents. Registration required.",
            audience="parents and caregivers of children and teens", location=_N_AT,
            phone="(603) 555-0940",
        ),
        _post(
            "n6", "Ending the Silence",
            "A free mental health presentation for middle and high school students.",
            "A young adult living with a mental health condition and a family member tell "
            "their stories and teach the warning signs and how to get help. Schools can "
            "book a 50-minute classroom presentation.",
            audience="middle and high school students", phone="(603) 555-0945",
        ),
        _post(
            "n7", "In Our Own Voice",
            "A free presentation by people living with mental illness.",
            "Two trained speakers share their journeys of recovery to change attitudes and "
            "reduce stigma. Community groups, employers and faith communities can book a "
            "60-minute presentation.",
            audience="community groups and workplaces", phone="(603) 555-0945",
        ),
        _post(
            "n8", "NAMI HelpLine",
            "Answers, support and referrals by phone, text or email.",
            "Trained volunteers answer questions about mental health conditions, treatment, "
            "insurance and local services. Not a crisis line; in a crisis call or text 988. "
            "**Monday–Friday 10 am–6 pm**.",
            schedule=[(WEEKDAYS, "10:00", "18:00")], phone="(603) 555-0949",
            email="helpline@namibridgewater.org",
        ),
        _post(
            "n9", "Grupo de Apoyo Familiar de NAMI",
            "Un grupo de apoyo en español para familiares de personas con enfermedades "
            "mentales.",
            "Familiares y amigos de alguien que vive con una condición de salud mental "
            "comparten experiencias y se apoyan. Dirigido por familiares capacitados. "
            "**Segundo jueves de cada mes, 6:30–8 pm**. Gratis y confidencial.",
            audience="familiares de personas con enfermedades mentales", location=_N_AT,
            schedule=[(["Thursday"], "18:30", "20:00")], phone="(603) 555-0940",
        ),
        _post(
            "n10", "Family support group",
            "1st & 3rd Monday of the month at 7pm, Pleasant St office. Free + confidential, "
            "for anyone who loves someone with a mental health condition. Just show up.",
        ),
        _post(
            "n11", "Family-to-Family Class – Fall 2026",
            "Starts September 10: Thursdays 6:30–9 pm for eight weeks at the NAMI "
            "Bridgewater office. For family members of adults living with mental illness. "
            "Free; registration required – call 603-555-0940.",
            schedule=[(["Thursday"], "18:30", "21:00")],
        ),
    ],
    [["n1", "n10"], ["n3", "n11"]],
    [
        ("n1", "n2", "family vs peer support group, one slot"),
        ("n1", "n3", "family support group vs family education class"),
        ("n3", "n4", "family class vs peer class"),
        ("n3", "n5", "class for families of adults vs of children"),
        ("n6", "n7", "school presentation vs community presentation"),
        ("n1", "n9", "English vs Spanish family support group, other meetings"),
    ],
)  # fmt: skip

PROBE_E: tuple[ProbeOrg, ...] = (_PARKS, _ARC, _JFCS, _GROWS, _NAMI)

if __name__ == "__main__":
    sys.exit(report(PROBE_E))
