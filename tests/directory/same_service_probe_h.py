"""An eighth probe of the service judgement, committed before it was scored, by a writer
who had not read the judgement's rules or word lists: five organizations of kinds the
earlier probes do not use (a Catholic Charities-style multi-service agency, a Canadian
newcomer settlement agency, a county aging and disability resource center, a Habitat for
Humanity affiliate and a Sikh gurdwara with its langar), 28 look-alike pairs (one
organization, two real services a careless reader would merge: one room or slot,
near-identical template wording, but another audience, subject, role (use, volunteer or
donate), modality, level, session, site or step of a process) and 16 duplicate pairs
written as duplicates arise (a hand-typed terse post and an extracted long one, an
Instagram or Facebook caption and the website's page, a renamed programme, a calendar
listing of a standing class, a Spanish, French or Punjabi page of the same service,
missing fields, the schedule only in the text or in another format).

Run with `.venv/bin/python -m tests.directory.same_service_probe_h`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_C_AT = "St. Brendan Center, 1820 Mission St"
_C_MON_SAT = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_CHARITIES = ProbeOrg(
    "Catholic Charities of the Diocese of Harwood",
    [
        _post(
            "c1", "Emergency Rent and Utility Assistance",
            "One-time help with rent or a utility bill to prevent eviction or shutoff.",
            "Households in Harwood County with an **eviction notice or a shutoff notice** "
            "can call our intake line **Monday–Thursday, 9 am–12 pm**. A case manager will "
            "schedule an appointment and tell you which documents to bring (ID, lease, the "
            "notice and proof of income). Assistance is paid directly to the landlord or "
            "utility company. Funds are limited and help is available once every 12 months.",
            audience="Harwood County households facing eviction or utility shutoff",
            location=_C_AT, schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"],
                                       "09:00", "12:00")],
            phone="(920) 555-0310", website="https://ccharwood.org/emergency-assistance",
        ),
        _post(
            "c2", "Emergency Assistance Intake Volunteer",
            "Answer the emergency assistance line and help callers get started.",
            "Volunteers staff our intake phones **Monday–Thursday, 9 am–12 pm**, taking "
            "down each caller's situation, explaining what documents to bring and booking "
            "appointments with a case manager. Training is provided; a background check and "
            "a commitment of one morning a week for six months are required.",
            audience="volunteers 18+", location=_C_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "09:00", "12:00")],
            email="volunteer@ccharwood.org", website="https://ccharwood.org/volunteer",
        ),
        _post(
            "c3", "Immigration Legal Consultations",
            "Low-cost consultations with a DOJ-accredited representative.",
            "Meet one-on-one with our accredited representatives about family petitions, "
            "green card renewals, DACA, naturalization and other immigration questions. "
            "Consultations are **Tuesdays, 1–5 pm, by appointment**; the fee is $50 and can "
            "be waived. Services in English and Spanish.",
            audience="immigrants and their families", location=_C_AT,
            schedule=[(["Tuesday"], "13:00", "17:00")], phone="(920) 555-0325",
            website="https://ccharwood.org/immigration",
        ),
        _post(
            "c4", "Consultas de Inmigración",
            "Consultas de bajo costo con un representante acreditado por el DOJ.",
            "Hable en privado con un representante acreditado sobre peticiones familiares, "
            "renovación de la tarjeta de residencia, DACA y ciudadanía. **Los martes de 1 a "
            "5 pm, con cita previa.** El costo es de $50 y se puede exonerar. Llame al "
            "(920) 555-0325 para hacer su cita.",
            location="Centro St. Brendan, 1820 Mission St",
            schedule=[(["Tuesday"], "13:00", "17:00")], phone="(920) 555-0325",
        ),
        _post(
            "c5", "Pregnancy and Parenting Support",
            "Case management and baby supplies for expectant and new parents.",
            "A case manager walks with you through pregnancy and your baby's first year: "
            "prenatal care referrals, WIC and Medicaid applications, a car seat, and monthly "
            "diapers, wipes and clothing from our **Baby Closet**. Open to any expectant "
            "parent or parent of a child under 12 months, regardless of faith. Call for an "
            "appointment, **Monday–Friday 9 am–4 pm**.",
            audience="expectant parents and parents of babies under 12 months",
            location=_C_AT, schedule=[(WEEKDAYS, "09:00", "16:00")], phone="(920) 555-0330",
        ),
        _post(
            "c6", "Baby Closet Diaper Drive",
            "Help stock the Baby Closet with diapers and wipes through Mother's Day.",
            "Our Baby Closet gives diapers to more than 200 families each month, and the "
            "shelves are empty. Through **Sunday, May 9, 2027**, drop unopened packs of "
            "diapers (sizes 4, 5 and 6 are most needed), wipes and diaper cream in the "
            "collection bins at any parish in the diocese or at the St. Brendan Center, "
            "**Monday–Friday 9 am–4 pm**.",
            location=_C_AT, phone="(920) 555-0330",
        ),
        _post(
            "c7", "St. Brendan Community Lunch",
            "A free hot lunch six days a week, open to everyone.",
            "Anyone who is hungry is welcome to a hot meal in the St. Brendan dining room, "
            "**Monday–Saturday, 11:30 am–12:30 pm**. No ID, registration or questions. "
            "Take-out containers are available, and a bag lunch for later is offered on "
            "Saturdays.",
            location=_C_AT, schedule=[(_C_MON_SAT, "11:30", "12:30")],
            phone="(920) 555-0340",
        ),
        _post(
            "c8", "Serve at the Community Lunch",
            "Prepare, serve and clean up at St. Brendan's daily lunch.",
            "Volunteer shifts run **Monday–Saturday, 10 am–1 pm**: help the cook prepare "
            "the meal, serve guests in the dining room, and wash dishes. Groups of up to "
            "eight are welcome (families, parishes, workplaces). Ages 14+; under 16 with an "
            "adult. Sign up online for a shift.",
            audience="volunteers ages 14+", location=_C_AT,
            schedule=[(_C_MON_SAT, "10:00", "13:00")],
            website="https://ccharwood.org/volunteer",
        ),
        _post(
            "c9", "Counseling for Adults and Couples",
            "Licensed therapists for individuals and couples, on a sliding fee scale.",
            "Our therapists help adults and couples with depression, anxiety, grief, "
            "relationship conflict and life transitions. Sessions in person or by video, in "
            "English or Spanish. Most insurance accepted; sliding fee for those without "
            "coverage. Call to schedule an intake.",
            audience="adults and couples", location=_C_AT, phone="(920) 555-0350",
        ),
        _post(
            "c10", "Senior Companion Program",
            "Adults 55+ earn a stipend visiting homebound seniors.",
            "Senior Companions spend 20 hours a week with two to four older neighbors, "
            "keeping them company, running errands and giving family caregivers a break. "
            "Volunteers must be 55 or older; those who meet income guidelines receive a "
            "tax-free hourly stipend and mileage. Training is provided.",
            audience="volunteers ages 55+", phone="(920) 555-0360",
        ),
        _post(
            "c11", "Companionship for Homebound Seniors",
            "A weekly visitor for an older adult who lives alone.",
            "If you, or an older relative, are isolated at home, our Senior Companions can "
            "visit each week to talk, play cards, go for a walk or help with groceries. "
            "Free for adults 60+ in Harwood County. Call to request a companion.",
            audience="homebound adults 60+", phone="(920) 555-0360",
        ),
        _post(
            "c12", "Rent help",
            "Call 920-555-0310 Mon-Thu 9-noon if you have an eviction or shutoff notice. "
            "Once a year. Bring ID + the notice to your appt.",
        ),
        _post(
            "c13", "Lunch is served",
            "🍲 Lunch is on at St. Brendan's! Mon–Sat 11:30–12:30, hot meal, everyone "
            "welcome, no questions asked ❤️ #CatholicCharitiesHarwood #NoOneEatsAlone",
            location="St. Brendan's",
        ),
        _post(
            "c14", "Counseling for Children and Teens",
            "Licensed therapists for kids ages 4–17, on a sliding fee scale.",
            "Our child and adolescent therapists use play therapy and talk therapy to help "
            "children with anxiety, behavior, grief and trauma, and meet with parents too. "
            "Sessions in person or by video, in English or Spanish. Most insurance "
            "accepted; sliding fee for those without coverage. Call to schedule an intake.",
            audience="children and teens ages 4-17", location=_C_AT, phone="(920) 555-0350",
        ),
    ],
    [["c1", "c12"], ["c3", "c4"], ["c7", "c13"]],
    [
        ("c1", "c2", "getting rent help vs volunteering on the intake line, one slot"),
        ("c5", "c6", "getting baby supplies vs donating diapers to the Baby Closet"),
        ("c7", "c8", "eating the community lunch vs serving it"),
        ("c10", "c11", "becoming a Senior Companion vs requesting one"),
        ("c9", "c14", "counseling for adults and couples vs for children and teens"),
    ],
)  # fmt: skip

_S_AT = "Prairie Gateway Centre, 2215 Albert St"
_SETTLEMENT = ProbeOrg(
    "Prairie Gateway Immigrant Services",
    [
        _post(
            "s1", "Settlement Counselling",
            "One-on-one help getting settled in Regina.",
            "Our settlement counsellors help newcomers with the first steps in Canada: "
            "applying for a health card and SIN, finding housing, registering children in "
            "school, and understanding banking, transit and community services. Counselling "
            "is available in more than 12 languages, **Monday–Friday 8:30 am–4:30 pm**, by "
            "appointment or walk-in. Free for permanent residents, protected persons and "
            "convention refugees.",
            audience="permanent residents, protected persons and convention refugees",
            location=_S_AT, schedule=[(WEEKDAYS, "08:30", "16:30")],
            phone="(306) 555-0140", website="https://prairiegateway.ca/settlement",
        ),
        _post(
            "s2", "LINC – Language Instruction for Newcomers to Canada",
            "Free English classes for adult newcomers, CLB levels 1–6.",
            "LINC classes teach English for daily life, work and citizenship. Levels run "
            "from CLB 1 to CLB 6. **Morning classes Monday–Thursday 9 am–12 pm**; "
            "**evening classes Tuesday and Thursday 6–8:30 pm**. Free childcare for "
            "morning students. To register you need a current CLB assessment; eligible "
            "learners are permanent residents and protected persons 18+.",
            audience="adult permanent residents and protected persons", location=_S_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "09:00", "12:00"),
                      (["Tuesday", "Thursday"], "18:00", "20:30")],
            phone="(306) 555-0142", website="https://prairiegateway.ca/linc",
        ),
        _post(
            "s3", "Language Assessment (CLB)",
            "Book the English assessment you need before joining LINC.",
            "Before you can register for LINC classes, a trained assessor measures your "
            "listening, speaking, reading and writing against the Canadian Language "
            "Benchmarks. The assessment takes about three hours and is free. Appointments "
            "**Monday–Friday 9 am–3 pm** at the Prairie Gateway Centre; bring your PR card "
            "or protected person document.",
            audience="adult permanent residents and protected persons", location=_S_AT,
            schedule=[(WEEKDAYS, "09:00", "15:00")], phone="(306) 555-0142",
            website="https://prairiegateway.ca/linc",
        ),
        _post(
            "s4", "English Conversation Circles",
            "Practise speaking English in a relaxed group.",
            "Volunteer-led conversation circles give newcomers a friendly place to practise "
            "everyday English and meet neighbours. **Wednesdays 6–7:30 pm**, drop-in, no "
            "registration. Open to everyone, including temporary residents, international "
            "students and refugee claimants who are not eligible for LINC.",
            audience="newcomers of any status", location=_S_AT,
            schedule=[(["Wednesday"], "18:00", "19:30")], phone="(306) 555-0140",
        ),
        _post(
            "s5", "Volunteer: Conversation Circle Facilitator",
            "Lead a small English conversation group on Wednesday evenings.",
            "Facilitators choose a weekly topic, keep the conversation going and make sure "
            "everyone gets a turn to speak. **Wednesdays 5:45–7:45 pm**, four-month "
            "commitment. You need fluent English, patience and a criminal record check; "
            "orientation and a topic guide are provided.",
            audience="volunteers", location=_S_AT,
            schedule=[(["Wednesday"], "17:45", "19:45")],
            email="volunteer@prairiegateway.ca",
        ),
        _post(
            "s6", "Free Community Tax Clinic",
            "Volunteers file your income tax and benefit return for free.",
            "Through the Community Volunteer Income Tax Program (CVITP), our volunteers "
            "prepare and e-file returns for households with a modest income and a simple "
            "tax situation. Newcomers should file even with no income, to receive the Canada "
            "Child Benefit and GST/HST credit. **Tuesdays 5–8 pm and Saturdays 10 am–2 pm, "
            "February 24 – April 30, by appointment.** Bring your slips, your Notice of "
            "Assessment and ID.",
            audience="households with a modest income", location=_S_AT,
            schedule=[(["Tuesday"], "17:00", "20:00"), (["Saturday"], "10:00", "14:00")],
            phone="(306) 555-0140",
        ),
        _post(
            "s7", "Job Search Workshops",
            "Learn how to find work in Canada: résumés, cover letters and interviews.",
            "A monthly series for newcomers looking for work: Canadian-style résumés, cover "
            "letters, LinkedIn, the hidden job market and interview practice. **Fridays "
            "1–3 pm**, a different topic each week; come to one or all. Free for clients "
            "of Prairie Gateway.",
            audience="newcomers looking for work", location=_S_AT,
            schedule=[(["Friday"], "13:00", "15:00")], phone="(306) 555-0145",
        ),
        _post(
            "s8", "Bridging Program for Internationally Educated Nurses",
            "A 12-week program to help nurses educated abroad return to nursing in Canada.",
            "Internationally educated nurses prepare for the NCLEX-RN, learn Canadian "
            "nursing practice and workplace communication, and are matched with a mentor. "
            "**Monday–Friday 1–4 pm** for 12 weeks; intakes in January and September. "
            "Applicants need CLB 7 and a completed NNAS application.",
            audience="internationally educated nurses", location=_S_AT,
            schedule=[(WEEKDAYS, "13:00", "16:00")], phone="(306) 555-0145",
        ),
        _post(
            "s9", "Newcomer Youth Club",
            "After-school drop-in for newcomer teens ages 13–18.",
            "Teens meet friends, get help with homework, play games and go on monthly field "
            "trips. Youth workers also help with school, part-time jobs and volunteering. "
            "**Thursdays 4–6 pm**, free, snacks provided.",
            audience="newcomer youth ages 13-18", location=_S_AT,
            schedule=[(["Thursday"], "16:00", "18:00")], phone="(306) 555-0148",
        ),
        _post(
            "s10", "Homework Club for Newcomer Children",
            "After-school homework help for newcomer children ages 6–12.",
            "Volunteer tutors help children with reading, math and homework in a friendly "
            "space, with games and a snack afterwards. **Mondays and Wednesdays "
            "3:30–5 pm**, free; parents register their children at the front desk.",
            audience="newcomer children ages 6-12", location=_S_AT,
            schedule=[(["Monday", "Wednesday"], "15:30", "17:00")],
            phone="(306) 555-0148",
        ),
        _post(
            "s11", "English classes",
            "Free English for PRs & protected persons, CLB 1-6. Mornings M-Th 9-12 or "
            "evenings Tu/Th 6-8:30. You need your assessment first - call 306-555-0142.",
        ),
        _post(
            "s12", "Services d'établissement",
            "Aide personnalisée pour vous installer à Regina.",
            "Nos conseillers en établissement aident les nouveaux arrivants à demander la "
            "carte santé et le NAS, à trouver un logement, à inscrire les enfants à l'école "
            "et à comprendre les services de la communauté. Services offerts en français et "
            "dans plus de 12 langues, **du lundi au vendredi, de 8 h 30 à 16 h 30**, sur "
            "rendez-vous ou sans rendez-vous. Gratuit pour les résidents permanents et les "
            "personnes protégées.",
            location=_S_AT, schedule=[(WEEKDAYS, "08:30", "16:30")],
            phone="(306) 555-0140",
        ),
        _post(
            "s13", "Tax clinic is back",
            "🧾 Tax season is here! Our FREE tax clinic is back Feb 24 – Apr 30, Tuesday "
            "evenings + Saturdays, appointments only. Bring your T4s and other slips + last "
            "year's Notice of Assessment 📄 Call 306-555-0140 to book 📞 #Regina "
            "#NewcomersToCanada #FreeTaxClinic",
        ),
        _post(
            "s14", "English Conversation Circle",
            "Wednesday, 6:00 PM – 7:30 PM · Room 104 · Free, drop-in.",
            location="Prairie Gateway Centre – Room 104",
            schedule=[(["Wednesday"], "18:00", "19:30")],
        ),
    ],
    [["s2", "s11"], ["s1", "s12"], ["s6", "s13"], ["s4", "s14"]],
    [
        ("s2", "s3", "LINC classes vs the assessment required before them"),
        ("s2", "s4", "formal LINC classes vs drop-in conversation circles, other eligibility"),
        ("s4", "s5", "attending a conversation circle vs facilitating one"),
        ("s7", "s8", "general job search workshops vs a bridging program for nurses"),
        ("s9", "s10", "youth club for teens vs homework club for children"),
    ],
)  # fmt: skip

_A_AT = "Lakeshore County ADRC, 310 Harbor Ave"
_A_ROOM = "Harbor View Community Room, 318 Harbor Ave"
_ADRC = ProbeOrg(
    "Aging & Disability Resource Center of Lakeshore County",
    [
        _post(
            "a1", "Medicare Counseling",
            "Free, unbiased help understanding your Medicare options.",
            "Our trained Medicare counselors help you understand Original Medicare, "
            "Medicare Advantage, Medigap and Part D drug plans, compare plans during Open "
            "Enrollment (October 15 – December 7), and apply for Extra Help and the Medicare "
            "Savings Programs. Appointments in our office or by phone, **Monday–Friday "
            "8 am–4:30 pm**. We don't sell insurance.",
            audience="people with Medicare and their families", location=_A_AT,
            schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(715) 555-0230",
            website="https://lakeshoreadrc.org/medicare",
        ),
        _post(
            "a2", "Welcome to Medicare Class",
            "A free evening class for people turning 65 or new to Medicare.",
            "Learn how Medicare Parts A, B, C and D work, when to enroll to avoid penalties, "
            "and how Medigap and Medicare Advantage differ. **Second Tuesday of each month, "
            "5:30–7:30 pm** in the Harbor View Community Room. Free; please call to reserve "
            "a seat.",
            audience="people turning 65 or new to Medicare", location=_A_ROOM,
            schedule=[(["Tuesday"], "17:30", "19:30")], phone="(715) 555-0230",
            website="https://lakeshoreadrc.org/medicare",
        ),
        _post(
            "a3", "Elder Benefit Specialist",
            "Help for adults 60+ with public benefits, insurance and appeals.",
            "Our Elder Benefit Specialist helps people age 60 and older apply for and keep "
            "benefits such as Social Security, SSI, Medicaid, FoodShare, the Medicare "
            "Savings Program and energy assistance, and can represent you in an appeal if "
            "you are denied. Free and confidential; call for an appointment.",
            audience="adults 60+", location=_A_AT, phone="(715) 555-0234",
        ),
        _post(
            "a4", "Disability Benefit Specialist",
            "Help for adults 18–59 with disabilities with public benefits and appeals.",
            "Our Disability Benefit Specialist helps people ages 18 to 59 with a physical "
            "or developmental disability, mental illness or substance use disorder apply "
            "for and keep benefits such as SSDI, SSI, Medicaid and FoodShare, and can "
            "represent you in an appeal if you are denied. Free and confidential; call for "
            "an appointment.",
            audience="adults 18-59 with disabilities", location=_A_AT,
            phone="(715) 555-0236",
        ),
        _post(
            "a5", "Memory Café",
            "A relaxed social gathering for people living with memory loss and their care "
            "partners.",
            "Come together for coffee, music, games and conversation in a welcoming place "
            "where no one has to explain. **Third Thursday of every month, 1:30–3 pm**, in "
            "the Harbor View Community Room. Free, no registration; people with dementia "
            "attend with a family member or friend.",
            audience="people living with memory loss and their care partners",
            location=_A_ROOM, schedule=[(["Thursday"], "13:30", "15:00")],
            phone="(715) 555-0238",
        ),
        _post(
            "a6", "Dementia Caregiver Support Group",
            "A monthly support group for family caregivers of people with dementia.",
            "Family members caring for someone with Alzheimer's or another dementia share "
            "experiences, resources and encouragement, led by our Dementia Care Specialist. "
            "**First Thursday of every month, 1:30–3 pm**, in the Harbor View Community "
            "Room. Free; respite care can be arranged with notice.",
            audience="family caregivers of people with dementia", location=_A_ROOM,
            schedule=[(["Thursday"], "13:30", "15:00")], phone="(715) 555-0238",
        ),
        _post(
            "a7", "Powerful Tools for Caregivers",
            "A six-week class that teaches family caregivers to take care of themselves.",
            "Caregivers learn to reduce stress, communicate with family and health "
            "providers, deal with difficult emotions and make tough decisions. **Tuesdays "
            "1–2:30 pm, October 6 – November 10, 2026**, in the Harbor View Community Room. "
            "Free, includes *The Caregiver Helpbook*; registration required.",
            audience="family caregivers", location=_A_ROOM,
            schedule=[(["Tuesday"], "13:00", "14:30")], phone="(715) 555-0238",
        ),
        _post(
            "a8", "Stepping On – Fall 2026",
            "A seven-week falls prevention workshop for older adults.",
            "Build strength and balance, learn how vision, medications and footwear affect "
            "falls, and make your home safer. **Tuesdays 1–3 pm, September 15 – October 27, "
            "2026**, at the Lakeshore Senior Apartments community room, 77 Pine St. Free; "
            "class size is limited to 15, so please register.",
            audience="adults 60+ who have fallen or fear falling",
            location="Lakeshore Senior Apartments, 77 Pine St",
            schedule=[(["Tuesday"], "13:00", "15:00")], phone="(715) 555-0230",
        ),
        _post(
            "a9", "Stepping On – Spring 2027",
            "A seven-week falls prevention workshop for older adults.",
            "Build strength and balance, learn how vision, medications and footwear affect "
            "falls, and make your home safer. **Wednesdays 10 am–12 pm, April 7 – May 19, "
            "2027**, at the Maple Grove Town Hall, 4 Main St. Free; class size is limited "
            "to 15, so please register.",
            audience="adults 60+ who have fallen or fear falling",
            location="Maple Grove Town Hall, 4 Main St",
            schedule=[(["Wednesday"], "10:00", "12:00")], phone="(715) 555-0230",
        ),
        _post(
            "a10", "Volunteer Drivers Needed",
            "Drive older adults and people with disabilities to medical appointments.",
            "Use your own car to take neighbors to doctor visits, dialysis and therapy "
            "appointments in Lakeshore County and to specialists in Green Bay. Choose the "
            "days you drive; mileage is reimbursed at the IRS rate. You need a valid "
            "driver's license, insurance and a clean driving record.",
            audience="volunteer drivers", phone="(715) 555-0240",
        ),
        _post(
            "a11", "Rides to Medical Appointments",
            "Volunteer drivers take older adults and people with disabilities to the "
            "doctor.",
            "Residents 60+ and adults with disabilities who cannot drive can request a ride "
            "to medical, dental and therapy appointments, in the county or to Green Bay. "
            "Call at least **three business days** ahead, **Monday–Friday 8 am–4 pm**. A "
            "suggested donation of $5 each way.",
            audience="adults 60+ and adults with disabilities who cannot drive",
            schedule=[(WEEKDAYS, "08:00", "16:00")], phone="(715) 555-0240",
        ),
        _post(
            "a12", "Benefit help for seniors",
            "Help w/ Medicaid, FoodShare, Medicare Savings Program apps + appeals if you're "
            "denied. Age 60+. Free. Call Dana at 715-555-0234.",
        ),
        _post(
            "a13", "Memory Café this Thursday",
            "☕ Memory Café is this Thursday, 1:30–3 at Harbor View! Coffee, music & good "
            "company for anyone living with memory loss and the people who love them 💜 "
            "Every 3rd Thursday, no need to sign up. #DementiaFriendly #LakeshoreADRC",
        ),
        _post(
            "a14", "SHIP – State Health Insurance Assistance Program",
            "Trained SHIP counselors help you with Medicare questions, free.",
            "SHIP counselors give free, one-on-one, unbiased help with Medicare, Medigap, "
            "Part D and the Medicare Savings Programs. Meet in our office or by phone; call "
            "715-555-0230 to book.",
            location="310 Harbor Ave",
        ),
    ],
    [["a1", "a14"], ["a3", "a12"], ["a5", "a13"]],
    [
        ("a1", "a2", "one-on-one Medicare counseling vs the Welcome to Medicare class"),
        ("a3", "a4", "benefit specialist for adults 60+ vs for adults 18-59 with disabilities"),
        ("a5", "a6", "memory café vs caregiver support group, same room and hour"),
        ("a6", "a7", "caregiver support group vs six-week caregiver class"),
        ("a8", "a9", "falls workshop fall 2026 vs spring 2027, other site"),
        ("a10", "a11", "volunteering as a driver vs requesting a ride"),
    ],
)  # fmt: skip

_B_AT = "Tri-Rivers ReStore, 1450 Ohio Ave"
_HABITAT = ProbeOrg(
    "Habitat for Humanity of the Tri-Rivers",
    [
        _post(
            "b1", "Homeownership Program",
            "Buy a Habitat home with an affordable mortgage.",
            "Habitat partners with families who need safe, affordable housing and can't get "
            "a conventional mortgage. Homeowners buy their home with an affordable mortgage, "
            "complete **300 hours of sweat equity** and take homebuyer classes. Households "
            "earning **30–80% of the area median income** who have lived or worked in the "
            "county for a year may apply. **Applications are accepted March 1–31.**",
            audience="families earning 30-80% of area median income", location=_B_AT,
            phone="(304) 555-0660", website="https://habitattririvers.org/homeownership",
        ),
        _post(
            "b2", "Homeownership Information Sessions",
            "Learn whether the Homeownership Program is right for you before you apply.",
            "Staff explain eligibility, sweat equity, the mortgage and how to fill out the "
            "application, and answer your questions. Sessions are **Tuesday, February 9, "
            "2027 at 6 pm** and **Thursday, February 18, 2027 at 6 pm** in the ReStore "
            "training room. Spanish interpretation available. Free; no registration needed.",
            audience="families thinking of applying", location=_B_AT,
            phone="(304) 555-0660", website="https://habitattririvers.org/homeownership",
        ),
        _post(
            "b3", "Critical Home Repair",
            "Urgent repairs for low-income homeowners.",
            "We repair roofs, furnaces, water heaters, plumbing and electrical hazards so "
            "homeowners can stay safe in their homes. Homeowners pay an affordable share of "
            "the cost on a zero-interest plan. For homeowners earning up to 80% of the area "
            "median income who are current on property taxes. Applications accepted year "
            "round.",
            audience="low-income homeowners", phone="(304) 555-0664",
            website="https://habitattririvers.org/repair",
        ),
        _post(
            "b4", "Aging in Place Home Modifications",
            "Free accessibility changes for homeowners 62 and older.",
            "An occupational therapist visits your home and our crew installs what you need "
            "to live there safely: grab bars, railings, ramps, walk-in showers and better "
            "lighting. Free for homeowners 62 and older earning up to 80% of the area median "
            "income, funded by the Area Agency on Aging. Apply any time.",
            audience="homeowners 62+", phone="(304) 555-0664",
            website="https://habitattririvers.org/repair",
        ),
        _post(
            "b5", "Volunteer on a Build Site",
            "Help build and repair homes – no experience needed.",
            "Build days are **Wednesday–Saturday, 8 am–3:30 pm**. Our site supervisors teach "
            "you everything from framing walls to hanging siding; tools, hard hats and "
            "lunch are provided. Volunteers must be 16 or older (16–17 with a parent's "
            "waiver). Individuals and groups of up to 10 sign up online.",
            audience="volunteers 16+",
            schedule=[(["Wednesday", "Thursday", "Friday", "Saturday"], "08:00", "15:30")],
            website="https://habitattririvers.org/volunteer",
        ),
        _post(
            "b6", "Women Build Week",
            "A week of build days for women, May 3–8, 2027.",
            "Women of every skill level raise the walls of a Habitat home together during "
            "National Women Build Week, **Monday, May 3 – Saturday, May 8, 2027, "
            "8 am–3:30 pm**. Teams of up to 10 sign up for a day and raise $1,000 toward the "
            "house. Tools, training and lunch are provided.",
            audience="women 16+", website="https://habitattririvers.org/womenbuild",
        ),
        _post(
            "b7", "Donate to the ReStore",
            "Give furniture, appliances and building materials a second life.",
            "Drop off gently used furniture, working appliances, cabinets, doors, lighting "
            "and leftover building materials at the ReStore dock **Tuesday–Saturday, "
            "9 am–4 pm**. For large items we offer free pickup – schedule it online or by "
            "phone. Sales fund Habitat homes. Donations are tax-deductible.",
            location=_B_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                       "09:00", "16:00")],
            phone="(304) 555-0662", website="https://habitattririvers.org/restore",
        ),
        _post(
            "b8", "Volunteer at the ReStore",
            "Sort donations, price items and help customers at the ReStore.",
            "ReStore volunteers unload donations at the dock, test appliances, price and "
            "display items and help customers load their purchases. Shifts are "
            "**Tuesday–Saturday, 9 am–12:30 pm or 12:30–4 pm**. Ages 14+ (under 16 with an "
            "adult).",
            audience="volunteers ages 14+", location=_B_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                       "09:00", "16:00")],
            website="https://habitattririvers.org/volunteer",
        ),
        _post(
            "b9", "Free donation pickup",
            "We pick up! Free pickup of furniture + appliances in good condition for the "
            "ReStore. Book online or call 304-555-0662 – usually within a week.",
            phone="(304) 555-0662",
        ),
        _post(
            "b10", "Youth Build Days",
            "Saturday build days for teens ages 14–15.",
            "Teens too young for a construction site can paint, landscape, build planter "
            "boxes and assemble sheds on **Saturdays 9 am–1 pm** at our youth-friendly "
            "project site. One adult chaperone for every five teens. Great for youth "
            "groups, scouts and service hours.",
            audience="teens ages 14-15", schedule=[(["Saturday"], "09:00", "13:00")],
            website="https://habitattririvers.org/volunteer",
        ),
        _post(
            "b11", "Build volunteers needed!",
            "Sign up for a build day. Wed-Sat 8am-3:30pm, 16+, no experience needed, we "
            "provide tools + lunch. habitattririvers.org/volunteer",
        ),
        _post(
            "b12", "Applications are open",
            "🏡 Applications for Habitat homeownership are OPEN March 1–31! Families earning "
            "30–80% of the area median income can apply to buy a home with an affordable "
            "mortgage + 300 hours of sweat equity 🔨 Not sure you qualify? Come to an info "
            "session 👉 link in bio #HabitatTriRivers #HomeSweetHome",
        ),
        _post(
            "b13", "Home Maintenance Workshops",
            "Free hands-on classes for homeowners on keeping up a home.",
            "Learn to caulk a tub, change furnace filters, fix a running toilet, patch "
            "drywall and winterize your home. **Second Saturday of each month, "
            "10 am–12 pm**, in the ReStore training room. Free and open to all homeowners; "
            "required for new Habitat homeowners.",
            audience="homeowners", location=_B_AT,
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(304) 555-0664",
        ),
    ],
    [["b5", "b11"], ["b1", "b12"], ["b7", "b9"]],
    [
        ("b1", "b2", "applying to the program vs the information session before applying"),
        ("b3", "b4", "critical repair vs aging-in-place modifications, other eligibility"),
        ("b5", "b6", "standing build days vs Women Build Week"),
        ("b5", "b10", "build site volunteering for 16+ vs youth build days for 14-15"),
        ("b7", "b8", "donating to the ReStore vs volunteering there"),
        ("b3", "b13", "repairs done by Habitat vs a class in doing your own maintenance"),
    ],
)  # fmt: skip

_G_AT = "Gurdwara Singh Sabha, 55 Cranbury Rd"
_G_EVERY_DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_GURDWARA = ProbeOrg(
    "Gurdwara Singh Sabha of Millbrook",
    [
        _post(
            "g1", "Guru ka Langar – Free Community Meal",
            "A free vegetarian meal served every day to anyone who comes.",
            "The langar hall serves a free hot vegetarian meal – dal, sabzi, roti, rice and "
            "kheer – **every day, 11 am–2 pm and 6–8:30 pm**. Everyone is welcome, of any "
            "faith or none; no questions are asked. Please cover your head (scarves are "
            "provided) and remove your shoes. Seating on the floor, with tables and chairs "
            "for those who need them.",
            audience="everyone", location=_G_AT,
            schedule=[(_G_EVERY_DAY, "11:00", "14:00"), (_G_EVERY_DAY, "18:00", "20:30")],
            phone="(732) 555-0410",
        ),
        _post(
            "g2", "Langar Seva – Volunteer in the Kitchen",
            "Help cook, serve and clean in the langar kitchen.",
            "Seva in the langar is open to everyone. Volunteers roll rotis, chop "
            "vegetables, serve the sangat and wash dishes. Weekend shifts are the busiest: "
            "**Saturday and Sunday, 7 am–3 pm**. Sign up at the office or just come to the "
            "kitchen; cover your head and tie back long hair.",
            audience="volunteers of all ages", location=_G_AT,
            schedule=[(["Saturday", "Sunday"], "07:00", "15:00")], phone="(732) 555-0410",
        ),
        _post(
            "g3", "Donate Rations for the Langar",
            "Give flour, lentils, rice, milk and other supplies for the community kitchen.",
            "The langar depends on the sangat's donations. Most needed: atta (whole wheat "
            "flour), basmati rice, toor and moong dal, ghee, cooking oil, sugar, milk and "
            "fresh vegetables. Drop off at the kitchen store room **every day, "
            "7 am–8 pm**; unopened packages only.",
            location=_G_AT, schedule=[(_G_EVERY_DAY, "07:00", "20:00")],
            phone="(732) 555-0410",
        ),
        _post(
            "g4", "Khalsa Punjabi School",
            "Sunday classes in Punjabi language and Sikh heritage for children 5–16.",
            "Children learn to read and write Gurmukhi, speak Punjabi and learn Sikh history "
            "and values, in classes by level. **Sundays 10 am–12:30 pm**, September to June, "
            "in the school wing. Registration at the office; $60 per child for the year.",
            audience="children ages 5-16", location=_G_AT,
            schedule=[(["Sunday"], "10:00", "12:30")], phone="(732) 555-0412",
        ),
        _post(
            "g5", "Gurmat Sangeet Classes for Children",
            "Sunday kirtan, harmonium and tabla lessons for children 7–16.",
            "Children learn to sing shabads in raag and to play harmonium and tabla with "
            "our ragi teachers, in classes by level. **Sundays 1–3 pm**, September to June, "
            "in the school wing. Registration at the office; $80 per child for the year; "
            "harmoniums available to borrow.",
            audience="children ages 7-16", location=_G_AT,
            schedule=[(["Sunday"], "13:00", "15:00")], phone="(732) 555-0412",
        ),
        _post(
            "g6", "Gatka – Sikh Martial Arts",
            "Weekly gatka training for youth and adults.",
            "Learn gatka, the traditional Sikh martial art, with sticks (soti) and shields: "
            "footwork, strikes, blocks and discipline. **Fridays 7–8:30 pm** in the parking "
            "lot, or the hall in bad weather. Boys and girls 8+ and adults welcome; training "
            "sticks provided. Free.",
            audience="youth 8+ and adults", location=_G_AT,
            schedule=[(["Friday"], "19:00", "20:30")], phone="(732) 555-0410",
        ),
        _post(
            "g7", "Free Health Fair",
            "Free health screenings at the Gurdwara on Sunday, November 8, 2026.",
            "For Guru Nanak Dev Ji's Gurpurab, Sikh doctors and nurses offer free blood "
            "pressure, blood sugar, cholesterol and eye screenings and answer health "
            "questions. **Sunday, November 8, 2026, 10 am–2 pm** in the Gurdwara hall. Open "
            "to everyone; no insurance needed, Punjabi and Hindi spoken.",
            audience="everyone", location=_G_AT, phone="(732) 555-0410",
        ),
        _post(
            "g8", "Blood Drive",
            "Give blood at the Gurdwara on Sunday, November 8, 2026.",
            "For Guru Nanak Dev Ji's Gurpurab, the American Red Cross bloodmobile will be at "
            "the Gurdwara. **Sunday, November 8, 2026, 10 am–2 pm** in the Gurdwara hall. "
            "Donors must be 17+ (16 with parental consent) and weigh at least 110 lbs. "
            "Book a time online or walk in.",
            audience="blood donors 17+", location=_G_AT, phone="(732) 555-0410",
        ),
        _post(
            "g9", "ਗੁਰੂ ਕਾ ਲੰਗਰ",
            "ਹਰ ਰੋਜ਼ ਸਭ ਲਈ ਮੁਫ਼ਤ ਲੰਗਰ।",
            "ਗੁਰੂ ਕਾ ਲੰਗਰ **ਹਰ ਰੋਜ਼ ਸਵੇਰੇ 11 ਵਜੇ ਤੋਂ ਦੁਪਹਿਰ 2 ਵਜੇ ਤੱਕ ਅਤੇ ਸ਼ਾਮ 6 ਵਜੇ ਤੋਂ "
            "8:30 ਵਜੇ ਤੱਕ** ਵਰਤਾਇਆ ਜਾਂਦਾ ਹੈ। ਹਰ ਕੋਈ ਜੀ ਆਇਆਂ ਨੂੰ। ਕਿਰਪਾ ਕਰਕੇ ਸਿਰ ਢੱਕ ਕੇ ਅਤੇ "
            "ਜੁੱਤੀਆਂ ਉਤਾਰ ਕੇ ਲੰਗਰ ਹਾਲ ਵਿੱਚ ਆਓ।",
            location=_G_AT,
            schedule=[(_G_EVERY_DAY, "11:00", "14:00"), (_G_EVERY_DAY, "18:00", "20:30")],
        ),
        _post(
            "g10", "Punjabi classes for kids",
            "Sunday Punjabi school 10-12:30, ages 5-16, Sept-June. Register at the office, "
            "$60/yr.",
        ),
        _post(
            "g11", "Punjabi Classes for Adults",
            "Learn to read and write Gurmukhi as an adult.",
            "A beginners' class for adults who never learned to read Punjabi, including "
            "spouses and parents who want to follow along with their children and read "
            "Gurbani. **Tuesdays 7–8:30 pm**, September to June, in the school wing. Free; "
            "registration at the office.",
            audience="adults", location=_G_AT,
            schedule=[(["Tuesday"], "19:00", "20:30")], phone="(732) 555-0412",
        ),
        _post(
            "g12", "Gatka every Friday",
            "⚔️ Gatka practice every Friday 7–8:30pm! Boys & girls 8+ and adults welcome, "
            "sticks provided, no experience needed 🙏 #Gatka #SikhYouth #MillbrookGurdwara",
        ),
        _post(
            "g13", "Gurmat Summer Camp 2027",
            "A week-long summer day camp for children 6–16, July 12–16, 2027.",
            "Campers learn Punjabi, kirtan, Sikh history and gatka, with games, crafts and "
            "langar every day. **Monday, July 12 – Friday, July 16, 2027, 9 am–3 pm**, in "
            "the school wing. $75 per child; register at the office by June 15.",
            audience="children ages 6-16", location=_G_AT, phone="(732) 555-0412",
        ),
    ],
    [["g1", "g9"], ["g4", "g10"], ["g6", "g12"]],
    [
        ("g1", "g2", "eating at the langar vs volunteering in its kitchen"),
        ("g1", "g3", "eating at the langar vs donating rations to it"),
        ("g4", "g5", "Sunday Punjabi school vs Sunday kirtan classes, same wing"),
        ("g4", "g11", "Punjabi classes for children vs for adults"),
        ("g4", "g13", "school-year Punjabi school vs summer camp"),
        ("g7", "g8", "health fair vs blood drive, same hall and hour"),
    ],
)  # fmt: skip

PROBE_H: tuple[ProbeOrg, ...] = (_CHARITIES, _SETTLEMENT, _ADRC, _HABITAT, _GURDWARA)

if __name__ == "__main__":
    sys.exit(report(PROBE_H))
