"""A fourth probe of the service judgement, written after the third probe
(`same_service_probe_c.py`) and committed before it was scored, by a writer who had not read
the judgement's rules or word lists: six organizations of kinds the first three probes
underuse (a YMCA, a county health department, a veterans' centre, a hospice, a workforce
centre and a centre for independent living), 26 look-alike pairs (one organization, two
real services a careless reader would merge: one slot, near-identical wording, another
audience, subject, modality, season, level or step of a process) and 12 duplicate pairs
written as duplicates arise (a hand-typed terse post and an extracted long one, a social
caption and the website's page, an old and a new title, a Spanish page of the same service,
missing fields, the schedule only in the text).

Run with `.venv/bin/python -m tests.directory.same_service_probe_d`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_Y_AT = "Lakeshore Family YMCA, 2200 Shore Dr"
_YMCA = ProbeOrg(
    "Lakeshore Family YMCA",
    [
        _post(
            "y1", "Youth Swim Lessons – Stages 1–3",
            "Water comfort and first strokes for beginners.",
            "For children who are new to the water or can't yet swim across the pool. "
            "Instructors work on floating, kicking and front glide. **Saturdays 9–10 am**, "
            "eight-week sessions; $60 members, $90 community.",
            audience="children ages 6-12, beginners", location=_Y_AT,
            schedule=[(["Saturday"], "09:00", "10:00")], phone="(414) 555-0610",
        ),
        _post(
            "y2", "Youth Swim Lessons – Stages 4–6",
            "Stroke technique for swimmers who can already swim a length.",
            "For children who can swim 25 yards on their own. Swimmers refine freestyle and "
            "backstroke and learn breaststroke and butterfly. **Saturdays 10–11 am**, "
            "eight-week sessions; $60 members, $90 community.",
            audience="children ages 6-12 who can swim 25 yards", location=_Y_AT,
            schedule=[(["Saturday"], "10:00", "11:00")], phone="(414) 555-0610",
        ),
        _post(
            "y3", "LIVESTRONG at the YMCA",
            "A free 12-week exercise program for adult cancer survivors.",
            "Small groups work with trained staff to rebuild strength, stamina and "
            "confidence during or after cancer treatment. **Tuesdays and Thursdays "
            "1–2:15 pm**. Free, with a family membership during the program.",
            audience="adults who have had cancer", location=_Y_AT,
            schedule=[(["Tuesday", "Thursday"], "13:00", "14:15")], phone="(414) 555-0610",
        ),
        _post(
            "y4", "Moving For Better Balance",
            "A free 12-week class to prevent falls for older adults.",
            "Gentle Tai Chi-based movements improve balance and leg strength and lower the "
            "risk of falling. **Tuesdays and Thursdays 1–2 pm**. Free; no membership "
            "needed.",
            audience="adults 60+ worried about falling", location=_Y_AT,
            schedule=[(["Tuesday", "Thursday"], "13:00", "14:00")], phone="(414) 555-0610",
        ),
        _post(
            "y5", "YMCA's Diabetes Prevention Program",
            "A year-long lifestyle program for adults with prediabetes.",
            "A trained lifestyle coach helps a small group eat healthier, move more and lose "
            "5–7% of body weight to cut the risk of type 2 diabetes. Meets in person "
            "**Mondays 6–7 pm**: weekly for 16 weeks, then monthly.",
            audience="adults with prediabetes", location=_Y_AT,
            schedule=[(["Monday"], "18:00", "19:00")], phone="(414) 555-0610",
        ),
        _post(
            "y6", "Blood Pressure Self-Monitoring Program",
            "A four-month program for adults with high blood pressure.",
            "Learn to take your own blood pressure at home and meet a Healthy Heart "
            "Ambassador twice a month to track readings and set nutrition goals. "
            "**Mondays 6–7 pm**.",
            audience="adults with hypertension", location=_Y_AT,
            schedule=[(["Monday"], "18:00", "19:00")], phone="(414) 555-0610",
        ),
        _post(
            "y7", "Summer Day Camp", "Full-day summer camp for kids.",
            "Swimming, field trips, arts and crafts and outdoor games, **June through "
            "August, Monday–Friday 7 am–6 pm**. Weekly registration; financial assistance "
            "available.",
            audience="children ages 5-12", location=_Y_AT,
            schedule=[(WEEKDAYS, "07:00", "18:00")], phone="(414) 555-0610",
        ),
        _post(
            "y8", "Before & After School Care", "Child care on school days.",
            "Homework help, snacks, gym time and crafts during the school year, "
            "**Monday–Friday 6:30–8 am and 3–6 pm**, at the Y and at three elementary "
            "schools. Financial assistance available.",
            audience="children ages 5-12", location=_Y_AT,
            schedule=[(WEEKDAYS, "06:30", "08:00"), (WEEKDAYS, "15:00", "18:00")],
            phone="(414) 555-0610",
        ),
        _post(
            "y9", "LIVESTRONG",
            "Finished cancer treatment? 💛 LIVESTRONG at the Y is a free 12-week program to "
            "get your strength and energy back, Tue & Thu afternoons. Link in bio to sign up! "
            "#LIVESTRONGattheY #survivor",
        ),
        _post(
            "y10", "Prediabetes Program",
            "Told you have prediabetes? Join our year-long group, Mondays 6pm at the Y. Lose "
            "weight, lower your risk of type 2. Call 414-555-0610.",
        ),
        _post(
            "y11", "Virtual Diabetes Prevention Program",
            "The year-long prediabetes lifestyle program, live online.",
            "The same CDC-recognized curriculum with a lifestyle coach, held on Zoom "
            "**Thursdays 12–1 pm**. You need a device with a camera; we can lend a "
            "tablet.",
            audience="adults with prediabetes", schedule=[(["Thursday"], "12:00", "13:00")],
            phone="(414) 555-0610",
        ),
    ],
    [["y3", "y9"], ["y5", "y10"]],
    [
        ("y1", "y2", "beginner vs advanced swim stages"),
        ("y3", "y4", "cancer survivors' exercise vs fall prevention, one slot"),
        ("y5", "y6", "prediabetes vs blood pressure program, one slot"),
        ("y7", "y8", "summer camp vs school-year care"),
        ("y5", "y11", "in-person vs online diabetes prevention"),
    ],
)  # fmt: skip

_H_AT = "Marion County Health Department, 3838 N Rural St"
_HEALTH = ProbeOrg(
    "Marion County Public Health Department",
    [
        _post(
            "h1", "Childhood Immunizations",
            "Vaccines children need for child care and school.",
            "Walk-in clinic for children from birth to 18: DTaP, polio, MMR, chickenpox, "
            "hepatitis and more. **Tuesdays and Thursdays 8 am–4 pm**. No child is turned "
            "away for inability to pay; bring the shot record.",
            audience="children birth to 18", location=_H_AT,
            schedule=[(["Tuesday", "Thursday"], "08:00", "16:00")], phone="(317) 555-0700",
        ),
        _post(
            "h2", "Adult Immunizations",
            "Tdap, shingles, hepatitis and travel vaccines for adults.",
            "Vaccines for adults 19 and older, by appointment **Tuesdays and Thursdays "
            "8 am–4 pm**. Most insurance accepted; sliding fee for the uninsured.",
            audience="adults 19+", location=_H_AT,
            schedule=[(["Tuesday", "Thursday"], "08:00", "16:00")], phone="(317) 555-0700",
        ),
        _post(
            "h3", "WIC", "Healthy food and nutrition help for moms and young children.",
            "WIC provides food benefits, nutrition counseling and referrals to pregnant "
            "women, new mothers, infants and children under 5. **Monday–Friday "
            "8 am–4:30 pm**, appointments preferred.",
            audience="pregnant women, new mothers and children under 5", location=_H_AT,
            schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(317) 555-0720",
        ),
        _post(
            "h4", "Breastfeeding Support",
            "Help from a lactation consultant for nursing mothers.",
            "Meet an International Board Certified Lactation Consultant about latch, milk "
            "supply or going back to work. Pumps loaned to eligible moms. **Monday–Friday "
            "8 am–4:30 pm** by appointment.",
            audience="breastfeeding mothers", location=_H_AT,
            schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(317) 555-0720",
        ),
        _post(
            "h5", "Healthy Homes Lead Inspections",
            "We check homes for lead paint hazards.",
            "A certified inspector tests paint, dust and soil in homes built before 1978 "
            "where a child lives, and explains how to fix hazards. Free; call to schedule.",
            audience="families in homes built before 1978", phone="(317) 555-0740",
        ),
        _post(
            "h6", "Blood Lead Testing for Children",
            "A finger-stick test for lead in young children.",
            "Children should be tested for lead at ages 1 and 2. Free testing at the walk-in "
            "clinic **Tuesdays and Thursdays 8 am–4 pm**; results in 10 minutes.",
            audience="children under 6", location=_H_AT,
            schedule=[(["Tuesday", "Thursday"], "08:00", "16:00")], phone="(317) 555-0740",
        ),
        _post(
            "h7", "STI Testing Clinic",
            "Free, confidential testing and treatment for sexually transmitted infections.",
            "Walk in for chlamydia, gonorrhea, syphilis and HIV testing, **Mondays and "
            "Wednesdays 1–4 pm**. Ages 13 and up; no parent permission needed.",
            audience="ages 13+", location=_H_AT,
            schedule=[(["Monday", "Wednesday"], "13:00", "16:00")], phone="(317) 555-0760",
        ),
        _post(
            "h8", "PrEP Clinic", "Medication to prevent HIV.",
            "Start and stay on PrEP, a daily pill that prevents HIV, with lab work every "
            "three months. By appointment **Mondays and Wednesdays 1–4 pm**. Help paying for "
            "medication available.",
            audience="adults at risk of HIV", location=_H_AT,
            schedule=[(["Monday", "Wednesday"], "13:00", "16:00")], phone="(317) 555-0760",
        ),
        _post(
            "h9", "Birth Certificates", "Certified copies of Marion County birth records.",
            "Vital Records issues certified copies of birth certificates for people born in "
            "Marion County. **Monday–Friday 8 am–4:30 pm**. $15 per copy; bring a photo ID.",
            location=_H_AT, schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(317) 555-0780",
        ),
        _post(
            "h10", "Death Certificates", "Certified copies of Marion County death records.",
            "Vital Records issues certified copies of death certificates to family members "
            "and funeral homes. **Monday–Friday 8 am–4:30 pm**. $15 per copy; bring a photo "
            "ID.",
            location=_H_AT, schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(317) 555-0780",
        ),
        _post(
            "h11", "Shots for School",
            "Kids' vaccines for school and daycare. Walk in Tues & Thurs 8-4 at the Rural St "
            "office, bring your child's shot record. No one turned away.",
        ),
        _post(
            "h12", "Get a Copy of Your Birth Certificate",
            "Born in Marion County? Order a certified copy of your birth certificate.",
            "You can order in person at our Vital Records window on North Rural Street, "
            "weekdays from 8:00 a.m. to 4:30 p.m., or by mail. Each certified copy costs $15. "
            "You will need a valid government photo ID.",
            phone="317-555-0780",
        ),
    ],
    [["h1", "h11"], ["h9", "h12"]],
    [
        ("h1", "h2", "children's vs adults' vaccines, one slot"),
        ("h3", "h4", "WIC food benefits vs lactation consultant"),
        ("h5", "h6", "home lead inspection vs child blood lead test"),
        ("h7", "h8", "STI testing vs HIV prevention medication"),
        ("h9", "h10", "birth vs death certificates"),
    ],
)  # fmt: skip

_V_AT = "Tri-County Veterans Resource Center, 119 W Adams St"
_VETS = ProbeOrg(
    "Tri-County Veterans Resource Center",
    [
        _post(
            "v1", "VA Disability Claims Assistance",
            "Free help filing a claim for VA disability compensation.",
            "An accredited Veterans Service Officer helps you gather service and medical "
            "records and file your initial claim for service-connected disability "
            "compensation. By appointment **Monday–Friday 8 am–5 pm**.",
            audience="veterans", location=_V_AT,
            schedule=[(WEEKDAYS, "08:00", "17:00")], phone="(602) 555-0800",
        ),
        _post(
            "v2", "VA Claim Appeals",
            "Help when the VA denies your claim or rates it too low.",
            "A Veterans Service Officer reviews your decision letter and helps you choose a "
            "higher-level review, a supplemental claim or an appeal to the Board of "
            "Veterans' Appeals. By appointment **Monday–Friday 8 am–5 pm**.",
            audience="veterans with a VA decision", location=_V_AT,
            schedule=[(WEEKDAYS, "08:00", "17:00")], phone="(602) 555-0800",
        ),
        _post(
            "v3", "PTSD Peer Support Group",
            "A peer group for combat veterans living with PTSD.",
            "Led by a combat veteran and a licensed counselor. **Thursdays 6–7:30 pm** in "
            "the community room. Confidential; no referral needed.",
            audience="combat veterans", location=_V_AT,
            schedule=[(["Thursday"], "18:00", "19:30")], phone="(602) 555-0800",
        ),
        _post(
            "v4", "Women Veterans' MST Support Group",
            "A support group for women veterans who experienced military sexual trauma.",
            "A safe, women-only group led by a licensed counselor. **Thursdays 6–7:30 pm** "
            "in the second-floor conference room. Confidential.",
            audience="women veterans", location=_V_AT,
            schedule=[(["Thursday"], "18:00", "19:30")], phone="(602) 555-0800",
        ),
        _post(
            "v5", "Veterans Job Fair",
            "Meet employers who want to hire veterans.",
            "Our annual spring hiring fair with more than 60 employers, **April 15, "
            "10 am–2 pm**, at the Convention Center. Bring copies of your resume; spouses "
            "welcome.",
            audience="veterans and military spouses", location="Phoenix Convention Center",
            phone="(602) 555-0810",
        ),
        _post(
            "v6", "Veteran Employment Services",
            "One-on-one help finding a civilian job.",
            "A veteran career coach helps translate your military experience into a "
            "resume, practice interviews and connect with employers who hire veterans. "
            "**Monday–Friday 8 am–5 pm** by appointment.",
            audience="veterans and military spouses", location=_V_AT,
            schedule=[(WEEKDAYS, "08:00", "17:00")], phone="(602) 555-0810",
        ),
        _post(
            "v7", "SSVF Rapid Rehousing",
            "Help for veterans who are homeless to move into housing quickly.",
            "Supportive Services for Veteran Families pays security deposits and first "
            "months' rent and helps veterans who are living on the street, in a car or in a "
            "shelter find an apartment.",
            audience="homeless veterans and their families", phone="(602) 555-0820",
        ),
        _post(
            "v8", "SSVF Homelessness Prevention",
            "Help for veterans about to lose their housing.",
            "Supportive Services for Veteran Families can pay back rent or utility bills for "
            "veterans who have an eviction notice or can't make rent, so they stay housed.",
            audience="veterans at risk of homelessness and their families",
            phone="(602) 555-0820",
        ),
        _post(
            "v9", "PTSD group",
            "Combat vets, you're not alone. Our peer group meets every Thursday at 6 pm at "
            "the Resource Center. Coffee's on us. 🇺🇸 #veterans #PTSDawareness",
        ),
        _post(
            "v10", "Service Officer Appointments",
            "Meet a county Veterans Service Officer to file a claim for VA disability "
            "compensation. Free. Call 602.555.0800 to book.",
        ),
    ],
    [["v3", "v9"], ["v1", "v10"]],
    [
        ("v1", "v2", "initial claim vs appeal of a decision"),
        ("v3", "v4", "combat PTSD group vs women's MST group, one slot"),
        ("v5", "v6", "annual job fair vs ongoing career coaching"),
        ("v7", "v8", "rapid rehousing vs homelessness prevention"),
    ],
)  # fmt: skip

_P_AT = "Valley Hospice Community Room, 780 Oak St"
_HOSPICE = ProbeOrg(
    "Valley Hospice & Palliative Care",
    [
        _post(
            "p1", "Adult Grief Support Group",
            "An eight-week group for adults who have lost a loved one.",
            "Share your experience and learn ways to cope with others who are grieving. "
            "**Wednesdays 5:30–7 pm**; sessions start each spring and fall. Free and open to "
            "anyone in the community, not only hospice families. Registration required.",
            audience="grieving adults", location=_P_AT,
            schedule=[(["Wednesday"], "17:30", "19:00")], phone="(541) 555-0900",
        ),
        _post(
            "p2", "Grief Support for Children and Teens",
            "An eight-week group for kids who have lost someone.",
            "Art, play and talking help children and teens understand grief. Meets at the "
            "same time as the adult group so families come together, **Wednesdays "
            "5:30–7 pm**. Free.",
            audience="ages 6-17", location=_P_AT,
            schedule=[(["Wednesday"], "17:30", "19:00")], phone="(541) 555-0900",
        ),
        _post(
            "p3", "Widowed Friends Lunch",
            "A monthly social lunch for people who have lost a spouse or partner.",
            "No program, no sharing circle: just lunch and company. **Second Tuesday of "
            "the month at noon** at Rosie's Diner; everyone pays for their own meal.",
            audience="widows and widowers", location="Rosie's Diner, 14 Main St",
            schedule=[(["Tuesday"], "12:00", "13:30")], phone="(541) 555-0900",
        ),
        _post(
            "p4", "Hospice Volunteer Training",
            "Training to become a hospice volunteer.",
            "Our fall training covers companionship, listening, end-of-life care and "
            "boundaries. **Three Saturdays in September, 9 am–3 pm**; lunch provided. After "
            "training, volunteers visit patients a few hours a month.",
            audience="adults 18+", location=_P_AT,
            schedule=[(["Saturday"], "09:00", "15:00")], phone="(541) 555-0900",
        ),
        _post(
            "p5", "Advance Care Planning Workshop",
            "Put your wishes for future medical care in writing.",
            "A nurse walks you through choosing a health care agent and completing an "
            "advance directive. **First Monday of each month, 2–3:30 pm**. Free.",
            audience="adults", location=_P_AT,
            schedule=[(["Monday"], "14:00", "15:30")], phone="(541) 555-0900",
        ),
        _post(
            "p6", "Caregiver Support Group",
            "Support for family members caring for someone with a serious illness.",
            "Talk with other caregivers about stress, burnout and hard decisions, with a "
            "hospice social worker. **First Monday of each month, 2–3:30 pm**. Free.",
            audience="family caregivers", location=_P_AT,
            schedule=[(["Monday"], "14:00", "15:30")], phone="(541) 555-0900",
        ),
        _post(
            "p7", "Spring Service of Remembrance",
            "An annual memorial service for families of patients who died in the past year.",
            "Music, readings and the reading of names, **in May**, at First Presbyterian "
            "Church. Families of our patients receive an invitation.",
            audience="families of hospice patients", location="First Presbyterian Church",
            phone="(541) 555-0900",
        ),
        _post(
            "p8", "Tree of Lights",
            "A holiday remembrance where each light honors a loved one.",
            "Dedicate a light on our tree in memory of someone you miss; the tree is lit at "
            "a short ceremony **the first Sunday in December**. Gifts support bereavement "
            "programs.",
            location="Valley Hospice, 780 Oak St", phone="(541) 555-0900",
        ),
        _post(
            "p9", "Grief Group for Adults",
            "8 weeks, Wed evenings 5:30-7. Free, for anyone who has lost someone, not just "
            "hospice families. Call 541.555.0900 to register.",
        ),
        _post(
            "p10", "Become a Hospice Volunteer",
            "Have a few hours a month? 🌿 Our fall volunteer training starts in September: "
            "three Saturdays, lunch provided. Call 541-555-0900 or DM us! #hospice "
            "#volunteer",
        ),
    ],
    [["p1", "p9"], ["p4", "p10"]],
    [
        ("p1", "p2", "adults' vs children's grief group, one slot"),
        ("p1", "p3", "grief support group vs widowed persons' social lunch"),
        ("p5", "p6", "advance directive workshop vs caregiver group, one slot"),
        ("p7", "p8", "spring memorial service vs December tree of lights"),
    ],
)  # fmt: skip

_W_AT = "Northern Plains WorkForce Center, 1200 4th Ave N"
_WORKFORCE = ProbeOrg(
    "Northern Plains WorkForce Center",
    [
        _post(
            "j1", "Resume Workshop", "Write a resume that gets you interviews.",
            "Learn what employers look for, how to list your skills and how to tailor a "
            "resume to a job posting. **Tuesdays 10–11:30 am** in the computer lab. Free.",
            audience="job seekers", location=_W_AT,
            schedule=[(["Tuesday"], "10:00", "11:30")], phone="(701) 555-0440",
        ),
        _post(
            "j2", "Interview Skills Workshop", "Practice answering interview questions.",
            "Learn how to answer common questions, talk about gaps in work history and "
            "follow up after an interview. **Thursdays 10–11:30 am** in the computer lab. "
            "Free.",
            audience="job seekers", location=_W_AT,
            schedule=[(["Thursday"], "10:00", "11:30")], phone="(701) 555-0440",
        ),
        _post(
            "j3", "Unemployment Insurance Help",
            "Help filing for unemployment benefits.",
            "Staff help you apply for unemployment insurance online, file weekly "
            "certifications and fix problems with your claim. Walk in **Monday–Friday "
            "8 am–4:30 pm**.",
            audience="people who lost a job", location=_W_AT,
            schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(701) 555-0440",
        ),
        _post(
            "j4", "Reemployment Services Appointments (RESEA)",
            "A required meeting for some people receiving unemployment benefits.",
            "If your unemployment claim was selected, you must meet a career counselor to "
            "review your work search and make a reemployment plan, or your benefits may "
            "stop. By scheduled appointment **Monday–Friday 8 am–4:30 pm**.",
            audience="unemployment claimants selected for RESEA", location=_W_AT,
            schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(701) 555-0440",
        ),
        _post(
            "j5", "Computer Basics", "Learn to use a computer, email and the internet.",
            "For beginners: using a mouse and keyboard, setting up an email account and "
            "searching for jobs online. **Mondays and Wednesdays 1–3 pm**, four weeks.",
            audience="adults new to computers", location=_W_AT,
            schedule=[(["Monday", "Wednesday"], "13:00", "15:00")], phone="(701) 555-0440",
        ),
        _post(
            "j6", "Microsoft Excel – Intermediate",
            "Build spreadsheet skills employers ask for.",
            "Formulas, sorting and filtering, charts and pivot tables. You should already be "
            "comfortable with a computer. **Mondays and Wednesdays 1–3 pm**, four weeks.",
            audience="adults with basic computer skills", location=_W_AT,
            schedule=[(["Monday", "Wednesday"], "13:00", "15:00")], phone="(701) 555-0440",
        ),
        _post(
            "j7", "Youth Employment Program",
            "Paid work experience and career help for young people.",
            "Young people ages 16 to 24 who are out of school or face barriers to work get "
            "paid internships, GED help and a career coach. Call to enroll.",
            audience="ages 16-24", location=_W_AT, phone="(701) 555-0450",
        ),
        _post(
            "j8", "Dislocated Worker Program",
            "Training funds and career help for laid-off workers.",
            "Adults who lost a job through a layoff or plant closing may get tuition for "
            "short-term training, a career coach and help with job search costs. Call to "
            "enroll.",
            audience="laid-off adults", location=_W_AT, phone="(701) 555-0450",
        ),
        _post(
            "j9", "Résumé Writing 101",
            "Tues 10am in the computer lab. Bring your work history and we'll help you put "
            "a resume together. Free!",
        ),
        _post(
            "j10", "Ayuda con el Seguro de Desempleo",
            "Le ayudamos a solicitar beneficios de desempleo.",
            "Nuestro personal le ayuda a solicitar el seguro de desempleo por internet, "
            "hacer su certificación semanal y resolver problemas con su reclamo. Sin cita, "
            "**lunes a viernes de 8 a 4:30**.",
            location=_W_AT, schedule=[(WEEKDAYS, "08:00", "16:30")], phone="(701) 555-0440",
        ),
    ],
    [["j1", "j9"], ["j3", "j10"]],
    [
        ("j1", "j2", "resume vs interview workshop"),
        ("j3", "j4", "help filing for benefits vs required RESEA meeting"),
        ("j5", "j6", "computer basics vs intermediate Excel, one slot"),
        ("j7", "j8", "youth program vs dislocated worker program"),
    ],
)  # fmt: skip

_C_AT = "Access Alliance, 501 Cedar Ave SE"
_CIL = ProbeOrg(
    "Access Alliance Center for Independent Living",
    [
        _post(
            "c1", "Youth Transition Services",
            "Help for students with disabilities moving from school to adult life.",
            "Students ages 14 to 24 plan for college, work and living on their own, with "
            "peer mentors who have disabilities. By appointment.",
            audience="youth with disabilities ages 14-24", location=_C_AT,
            phone="(505) 555-0330",
        ),
        _post(
            "c2", "Nursing Home Transition",
            "Help moving out of a nursing home and back into the community.",
            "A transition coordinator helps people with disabilities of any age leave a "
            "nursing home: finding housing, setting up home care and buying household "
            "items. By appointment.",
            audience="nursing home residents with disabilities", location=_C_AT,
            phone="(505) 555-0330",
        ),
        _post(
            "c3", "Wheelchair Repair Clinic",
            "Free minor repairs for manual and power wheelchairs.",
            "A technician fixes brakes, tires, armrests and batteries while you wait. "
            "**First Saturday of each month, 10 am–1 pm**.",
            audience="wheelchair users", location=_C_AT,
            schedule=[(["Saturday"], "10:00", "13:00")], phone="(505) 555-0330",
        ),
        _post(
            "c4", "Medical Equipment Loan Closet",
            "Borrow wheelchairs, walkers and shower chairs for free.",
            "Donated durable medical equipment is loaned for as long as you need it: "
            "wheelchairs, walkers, canes, shower chairs and commodes. **Monday–Friday "
            "9 am–4 pm**.",
            location=_C_AT, schedule=[(WEEKDAYS, "09:00", "16:00")], phone="(505) 555-0330",
        ),
        _post(
            "c5", "ASL for Beginners",
            "Learn the basics of American Sign Language.",
            "Fingerspelling, everyday signs and Deaf culture, taught by a Deaf instructor. "
            "**Tuesdays 6–7:30 pm**, eight weeks, $40.",
            audience="hearing adults new to ASL", location=_C_AT,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(505) 555-0330",
        ),
        _post(
            "c6", "ASL Level 2",
            "Build conversation skills in American Sign Language.",
            "For students who finished ASL for Beginners or know the basics: longer "
            "conversations, classifiers and storytelling, taught by a Deaf instructor. "
            "**Tuesdays 6–7:30 pm**, eight weeks, $40.",
            audience="adults who know basic ASL", location=_C_AT,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(505) 555-0330",
        ),
        _post(
            "c7", "Ramp Building Program",
            "Free wheelchair ramps for homeowners with disabilities.",
            "Volunteers build a wooden ramp at your home so you can get in and out safely. "
            "Income limits apply; there is a waiting list.",
            audience="homeowners with mobility disabilities", phone="(505) 555-0340",
        ),
        _post(
            "c8", "Equipment Loan Closet",
            "Need a walker or shower chair for a while? Borrow one free from our loan "
            "closet. Weekdays 9-4, Cedar Ave office.",
        ),
        _post(
            "c9", "Sign Language Classes – Beginning",
            "Learn American Sign Language basics from a Deaf teacher. Tuesday evenings "
            "6:00 to 7:30, 8 weeks, $40. No experience needed.",
            phone="505-555-0330",
        ),
        _post(
            "c10", "Home Modification Assessments",
            "An occupational therapist checks your home for accessibility.",
            "We visit your home and recommend changes such as grab bars, a ramp or a "
            "widened doorway, and help you find funding to pay for them.",
            audience="people with disabilities and older adults", phone="(505) 555-0340",
        ),
    ],
    [["c4", "c8"], ["c5", "c9"]],
    [
        ("c1", "c2", "youth transition vs nursing home transition"),
        ("c3", "c4", "wheelchair repair vs equipment loans"),
        ("c5", "c6", "beginner vs level 2 ASL, one slot"),
        ("c7", "c10", "ramp building vs home modification assessment"),
    ],
)  # fmt: skip

PROBE_D: tuple[ProbeOrg, ...] = (_YMCA, _HEALTH, _VETS, _HOSPICE, _WORKFORCE, _CIL)

if __name__ == "__main__":
    sys.exit(report(PROBE_D))
