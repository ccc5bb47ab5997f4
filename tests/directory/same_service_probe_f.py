"""A sixth probe of the service judgement, written after the fifth probe
(`same_service_probe_e.py`) and committed before it was scored, by a writer who had not read
the judgement's rules or word lists: five organizations of kinds the first five probes do not
use (an adult literacy council, a domestic violence agency, a mosque's Islamic center, a
county extension office with its 4-H programme, and a humane society's animal shelter), 29
look-alike pairs (one organization, two real services a careless reader would merge: one
slot or room, near-identical wording, another audience, subject, role (use, volunteer or
donate), modality, level, edition, language or step of a process) and 14 duplicate groups
(one triple, 16 pairs) written as duplicates arise (a hand-typed terse post and an extracted
long one, a social caption and the website's page, a renamed programme, a calendar listing
of a standing class, a Spanish page and an Arabic page of the same service, a second page
that frames the same service from another side, missing fields, the schedule only in the
text or in another format).

Run with `.venv/bin/python -m tests.directory.same_service_probe_f`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_R_AT = "Riverbend Literacy Council, 221 Water St, 2nd floor"
_R_LIB = "Riverbend Public Library, 300 N Main St – Meeting Room B"
_LITERACY = ProbeOrg(
    "Riverbend Literacy Council",
    [
        _post(
            "r1", "One-to-One Tutoring for Adult Learners",
            "Free reading and writing tutoring for adults, matched with a trained volunteer.",
            "Adults who want to read, write or spell better are matched with a volunteer "
            "tutor who meets them **twice a week for about an hour** at a public library "
            "near them. Lessons follow your goals: reading to your kids, passing the "
            "driver's test, filling out job applications. Free; start with an intake "
            "appointment at our office.",
            audience="adults 18+ who read below a 6th-grade level", location=_R_AT,
            phone="(563) 555-0310", website="https://riverbendliteracy.org/learn",
        ),
        _post(
            "r2", "Become a Volunteer Tutor",
            "Help an adult learn to read: tutor one-to-one for two hours a week.",
            "No teaching experience needed. New tutors complete **12 hours of training** "
            "(two Saturdays), are matched with an adult learner and meet twice a week at a "
            "library for at least six months. Materials and ongoing support from our staff. "
            "Ages 18+; background check required.",
            audience="volunteers 18+", location=_R_AT, phone="(563) 555-0310",
            website="https://riverbendliteracy.org/volunteer",
        ),
        _post(
            "r3", "ESL Conversation Circle",
            "Practice speaking English in a relaxed, friendly group.",
            "English learners practice everyday conversation – shopping, the doctor, talking "
            "with your child's teacher – in small groups led by volunteers. All levels "
            "welcome; no registration, just drop in. **Tuesdays 6–7:30 pm** at the Riverbend "
            "Public Library.",
            audience="adults learning English", location=_R_LIB,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(563) 555-0310",
        ),
        _post(
            "r4", "Conversation Circle Volunteer Facilitators",
            "Lead a small table at our Tuesday evening ESL Conversation Circle.",
            "Volunteers guide a table of three to five English learners through a "
            "conversation topic we provide. **Tuesdays 6–7:30 pm** at the Riverbend Public "
            "Library; come weekly or twice a month. A one-hour orientation is required. "
            "Speaking a second language helps but is not needed.",
            audience="volunteers 16+", location=_R_LIB,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(563) 555-0310",
        ),
        _post(
            "r5", "GED Prep Class",
            "Free evening classes to prepare for the GED test.",
            "A certified teacher covers math, reasoning through language arts, science and "
            "social studies, with practice tests before each exam. **Mondays and Wednesdays "
            "6–8:30 pm** at our Water St classroom. Free; attend an orientation first to "
            "take a placement test.",
            audience="adults 18+ without a high school diploma", location=_R_AT,
            schedule=[(["Monday", "Wednesday"], "18:00", "20:30")], phone="(563) 555-0310",
        ),
        _post(
            "r6", "Online GED Prep",
            "Study for the GED at home, at your own pace, with a tutor checking in weekly.",
            "Students get a free account for online GED lessons and practice tests they can "
            "use on a phone or computer, plus a **weekly Zoom check-in with a tutor on "
            "Thursdays 7–8 pm**. Loaner Chromebooks and hotspots available. Orientation and "
            "placement test required.",
            audience="adults 18+ without a high school diploma",
            schedule=[(["Thursday"], "19:00", "20:00")], phone="(563) 555-0310",
            website="https://riverbendliteracy.org/ged-online",
        ),
        _post(
            "r7", "Family Literacy Night",
            "Dinner, stories and reading games for parents and young children.",
            "Families share a free dinner, then parents learn ways to read with their "
            "children at home while kids do a story activity with volunteers. Every family "
            "goes home with a new book. **Second Thursday of each month, 5:30–7 pm**.",
            audience="parents and children ages 3-8", location=_R_AT,
            schedule=[(["Thursday"], "17:30", "19:00")], phone="(563) 555-0310",
        ),
        _post(
            "r8", "Citizenship Class",
            "Prepare for the U.S. citizenship interview and civics test.",
            "An eight-week class on the 100 civics questions, the reading and writing test "
            "and practice interviews. **Saturdays 10 am–12 pm** at our Water St office. "
            "Free; green card holders of all English levels welcome. Registration required.",
            audience="permanent residents preparing to naturalize", location=_R_AT,
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(563) 555-0310",
        ),
        _post(
            "r9", "Computer Basics for Adult Learners",
            "Learn to use a computer, email and the internet.",
            "A six-week class in our computer lab: using a mouse and keyboard, making an "
            "email account, searching for jobs online and staying safe from scams. "
            "**Saturdays 10 am–12 pm**. Free; registration required.",
            audience="adults new to computers", location=_R_AT,
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(563) 555-0310",
        ),
        _post(
            "r10", "Children's Book Drive",
            "Donate new or gently used children's books for Family Literacy Night.",
            "Every family at Family Literacy Night takes home a book, and we give away more "
            "than 600 a year. Bring picture books and early readers in English or Spanish, "
            "new or like-new, to our office **Monday–Friday 9 am–4 pm through February 28**.",
            location=_R_AT, schedule=[(WEEKDAYS, "09:00", "16:00")],
            phone="(563) 555-0310",
        ),
        _post(
            "r11", "Clases de GED en español",
            "Clases gratuitas por la noche para preparar el examen GED en español.",
            "Un maestro bilingüe prepara a los estudiantes para tomar el examen GED en "
            "español: matemáticas, lenguaje, ciencias y estudios sociales. **Martes y jueves "
            "de 6 a 8:30 pm** en nuestro salón de Water St. Gratis; es necesario asistir a una "
            "orientación.",
            audience="adultos hispanohablantes sin diploma de secundaria", location=_R_AT,
            schedule=[(["Tuesday", "Thursday"], "18:00", "20:30")], phone="(563) 555-0310",
        ),
        _post(
            "r12", "ESL Conversation Circle",
            "Tuesday, November 17, 2026 · 6:00 PM – 7:30 PM",
            "Practice your English in a friendly group! All levels welcome. Hosted by the "
            "Riverbend Literacy Council.",
            location="Riverbend Public Library",
        ),
        _post(
            "r13", "Círculo de conversación en inglés",
            "Practique hablar inglés en un grupo amistoso y relajado.",
            "Personas que están aprendiendo inglés practican conversaciones de todos los días "
            "en grupos pequeños con voluntarios. Todos los niveles son bienvenidos; no hace "
            "falta inscribirse. **Los martes de 6 a 7:30 pm** en la Biblioteca Pública de "
            "Riverbend.",
            audience="adultos que aprenden inglés", location=_R_LIB,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(563) 555-0310",
        ),
        _post(
            "r14", "GED classes",
            "GED classes mon + wed 6-830pm at our office on Water St. Free. Call "
            "563-555-0310 to sign up for orientation.",
        ),
    ],
    [["r3", "r12", "r13"], ["r5", "r14"]],
    [
        ("r1", "r2", "being tutored vs volunteering as a tutor"),
        ("r3", "r4", "attending the conversation circle vs facilitating it, one slot"),
        ("r5", "r6", "classroom GED class vs online self-paced GED prep"),
        ("r5", "r11", "English GED class vs Spanish-language GED class, other nights"),
        ("r8", "r9", "citizenship vs computer class, one Saturday slot"),
        ("r7", "r10", "family literacy night vs the book drive that supplies it"),
    ],
)  # fmt: skip

_D_AT = "Harbor House Outreach Office, 57 Bridge St"
_D_COURT = "Kennett County Courthouse, 97 Court St, Room 112"
_HARBOR = ProbeOrg(
    "Harbor House Domestic Violence Services",
    [
        _post(
            "d1", "24-Hour Crisis Hotline",
            "Free, confidential support any time, day or night, for anyone affected by "
            "domestic violence.",
            "Trained advocates answer **24 hours a day, 7 days a week**. Call to talk through "
            "what is happening, make a safety plan, get a bed in our emergency shelter or "
            "find out about protection orders. You do not have to give your name. "
            "Spanish-speaking advocates available.",
            audience="survivors of domestic violence and the people who care about them",
            phone="(207) 555-0400", website="https://harborhousedv.org/help",
        ),
        _post(
            "d2", "Hotline Volunteer Advocates",
            "Answer our 24-hour crisis hotline from home on overnight and weekend shifts.",
            "Volunteers take hotline calls forwarded to their phone, offer support and safety "
            "planning, and connect callers to shelter and advocates. Complete our **30-hour "
            "advocate training** (offered each spring and fall) and commit to four shifts a "
            "month. Ages 21+; background check required.",
            audience="volunteers 21+", location=_D_AT, phone="(207) 555-0410",
            website="https://harborhousedv.org/volunteer",
        ),
        _post(
            "d3", "Emergency Shelter",
            "Safe, confidential shelter for survivors and their children.",
            "Our shelter at a confidential location has private family rooms, meals, and "
            "advocates on site around the clock. Stays of up to 60 days while you plan your "
            "next steps. Pets welcome in our kennel. Access is through the 24-hour hotline.",
            audience="survivors of domestic violence and their children",
            phone="(207) 555-0400",
        ),
        _post(
            "d4", "Transitional Housing Program",
            "Up to two years of rent help and case management for survivors leaving shelter.",
            "Survivors ready to move on from emergency shelter get help finding an apartment, "
            "rental assistance for up to 24 months, and a case manager to work on income, "
            "credit and school. Referral from a Harbor House advocate required.",
            audience="survivors of domestic violence leaving emergency shelter",
            location=_D_AT, phone="(207) 555-0410",
        ),
        _post(
            "d5", "Legal Advocacy",
            "Advocates help you through the court process, free of charge.",
            "A legal advocate explains your options, helps you fill out the petition for a "
            "Protection from Abuse order, goes to hearings with you and helps you plan for "
            "your safety at court. Our office is inside the county courthouse. Walk in "
            "**Monday–Friday 8:30 am–4 pm**. Advocates are not attorneys.",
            audience="survivors of domestic violence", location=_D_COURT,
            schedule=[(WEEKDAYS, "08:30", "16:00")], phone="(207) 555-0415",
        ),
        _post(
            "d6", "Women's Support Group",
            "A weekly support group for women who have experienced abuse.",
            "Share your story, learn about the effects of abuse and build support with "
            "other women in a safe, confidential space. **Tuesdays 6–7:30 pm**. Free "
            "childcare and snacks. Drop-ins welcome.",
            audience="women survivors of domestic violence", location=_D_AT,
            schedule=[(["Tuesday"], "18:00", "19:30")], phone="(207) 555-0410",
        ),
        _post(
            "d7", "Grupo de Apoyo para Mujeres",
            "Un grupo de apoyo semanal en español para mujeres que han vivido violencia.",
            "Un espacio seguro y confidencial para compartir, aprender sobre los efectos del "
            "abuso y apoyarse entre mujeres, dirigido por una intercesora bilingüe. **Jueves "
            "de 6 a 7:30 pm**. Cuidado de niños gratis.",
            audience="mujeres sobrevivientes de violencia doméstica", location=_D_AT,
            schedule=[(["Thursday"], "18:00", "19:30")], phone="(207) 555-0410",
        ),
        _post(
            "d8", "Healthy Relationships Workshops for Students",
            "Free dating violence prevention workshops in middle and high schools.",
            "Our prevention educators lead interactive classroom sessions on healthy and "
            "unhealthy relationships, consent, digital abuse and how to help a friend. "
            "Schools and youth groups can book a one-time workshop or a four-session series.",
            audience="middle and high school students", phone="(207) 555-0420",
        ),
        _post(
            "d9", "Domestic Violence Training for Professionals",
            "Free training for staff who may meet survivors in their work.",
            "Our prevention educators train teachers, health care staff, clergy, landlords "
            "and employers to recognize the signs of abuse, respond safely and refer to "
            "Harbor House. Workplaces and agencies can book a 90-minute training.",
            audience="professionals and workplaces", phone="(207) 555-0420",
        ),
        _post(
            "d10", "Counseling for Children and Teens",
            "Free counseling for children who have witnessed or experienced abuse at home.",
            "Licensed counselors use play and art therapy to help children ages 3–17 heal "
            "and feel safe again. Parents take part in some sessions. By appointment at our "
            "Bridge St office, weekdays and some evenings.",
            audience="children ages 3-17", location=_D_AT, phone="(207) 555-0410",
        ),
        _post(
            "d11", "Counseling for Adult Survivors",
            "Free, confidential counseling for adults who have experienced abuse.",
            "Licensed counselors help adult survivors work through trauma, anxiety and "
            "depression at their own pace. Individual sessions by appointment at our "
            "Bridge St office, weekdays and some evenings.",
            audience="adult survivors of domestic violence", location=_D_AT,
            phone="(207) 555-0410",
        ),
        _post(
            "d12", "Línea de crisis las 24 horas",
            "Apoyo gratis y confidencial a cualquier hora del día o de la noche.",
            "Intercesoras capacitadas contestan **las 24 horas, los 7 días de la semana**. "
            "Llame para hablar de lo que está pasando, hacer un plan de seguridad, pedir un "
            "lugar en nuestro refugio o informarse sobre las órdenes de protección. No tiene "
            "que dar su nombre. Hablamos español.",
            audience="sobrevivientes de violencia doméstica y sus seres queridos",
            phone="(207) 555-0400", website="https://harborhousedv.org/ayuda",
        ),
        _post(
            "d13", "Healing Circle",
            "💜 Our Tuesday women's support group has a new name: the Healing Circle! Same "
            "time (6–7:30 pm), same cozy room at our Bridge St office, free childcare & "
            "snacks. No need to call ahead – just come as you are. #HarborHouse "
            "#YouAreNotAlone #DVAwareness",
        ),
        _post(
            "d14", "Protection from Abuse (PFA) Orders",
            "Get help asking the court for a protection order.",
            "A Protection from Abuse order can order an abuser to stay away from you, your "
            "home and your children. Harbor House advocates at the courthouse can help you "
            "fill out the forms, file them with the clerk and prepare for the hearing. "
            "Stop by Room 112 on weekdays, 8:30 to 4, or call 207-555-0415.",
            location="Kennett County Courthouse",
        ),
    ],
    [["d1", "d12"], ["d6", "d13"], ["d5", "d14"]],
    [
        ("d1", "d2", "calling the hotline vs volunteering to answer it"),
        ("d3", "d4", "emergency shelter vs the transitional housing after it"),
        ("d6", "d7", "English Tuesday vs Spanish Thursday women's group"),
        ("d8", "d9", "workshops for students vs training for professionals"),
        ("d10", "d11", "counseling for children vs for adults"),
    ],
)  # fmt: skip

_M_AT = "Al-Noor Islamic Center, 1840 Dunmore Rd"
_M_FAIR = "Dunmore County Fairgrounds, Expo Hall, 500 Fair Ave"
_ALNOOR = ProbeOrg(
    "Al-Noor Islamic Center",
    [
        _post(
            "m1", "Al-Noor Weekend School",
            "Sunday school for children ages 5–14: Quran, Islamic studies and Arabic.",
            "Classes are grouped by age and level, September through June, **Sundays "
            "10 am–1 pm**. Students learn Quran reading and memorization, Islamic studies and "
            "Arabic, with a short break for Dhuhr prayer. Tuition $350 per year, sibling "
            "discounts and financial aid available.",
            audience="children ages 5-14", location=_M_AT,
            schedule=[(["Sunday"], "10:00", "13:00")], phone="(614) 555-0560",
            website="https://alnoorcenter.org/school",
        ),
        _post(
            "m2", "Arabic for Adults",
            "Beginner Arabic for adults, Sunday mornings while the kids are in school.",
            "Learn the Arabic alphabet, reading and basic conversation in a relaxed class. "
            "Meets **Sundays 10–11:30 am** in the library upstairs, during Weekend School, so "
            "parents can learn too. Open to everyone; $60 per semester, books included.",
            audience="adults", location=_M_AT, schedule=[(["Sunday"], "10:00", "11:30")],
            phone="(614) 555-0560",
        ),
        _post(
            "m3", "Tajweed Class for Sisters",
            "Learn to recite the Quran correctly, for women of all levels.",
            "A weekly class on the rules of tajweed and recitation practice, taught by "
            "Ustadha Maryam. **Saturdays 11 am–12:30 pm** in the Sisters' Hall. Free; bring "
            "your own mushaf if you have one. Childcare available.",
            audience="women", location=_M_AT, schedule=[(["Saturday"], "11:00", "12:30")],
            phone="(614) 555-0560",
        ),
        _post(
            "m4", "Tajweed Class for Brothers",
            "Learn to recite the Quran correctly, for men of all levels.",
            "A weekly class on the rules of tajweed and recitation practice, taught by Imam "
            "Yusuf. **Saturdays 11 am–12:30 pm** in the Main Prayer Hall. Free; bring your "
            "own mushaf if you have one.",
            audience="men", location=_M_AT, schedule=[(["Saturday"], "11:00", "12:30")],
            phone="(614) 555-0560",
        ),
        _post(
            "m5", "Al-Noor Food Pantry",
            "Free groceries for any family in need, regardless of faith.",
            "Neighbors can pick up a box of groceries, produce and halal meat when "
            "available, **every Saturday 9–11 am**. Enter through the gym door on the side "
            "of the building. No ID or proof of income required; once a week per household.",
            audience="anyone in need", location=_M_AT,
            schedule=[(["Saturday"], "09:00", "11:00")], phone="(614) 555-0560",
        ),
        _post(
            "m6", "Zakat Fund Assistance",
            "Apply for help with rent, utilities or other emergencies.",
            "Families in our community facing a hardship can apply to the zakat committee "
            "for a one-time grant toward rent, utility bills, car repairs or medical costs. "
            "Fill out an application at the office **Monday–Thursday 10 am–4 pm** and bring a "
            "copy of the bill. Requests are reviewed within two weeks and kept confidential.",
            audience="families facing financial hardship", location=_M_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "10:00", "16:00")],
            phone="(614) 555-0565",
        ),
        _post(
            "m7", "Zakat al-Fitr",
            "Pay your zakat al-fitr before Eid prayer; we distribute it to local families.",
            "Zakat al-fitr is due for every member of the household before the Eid al-Fitr "
            "prayer. This year it is **$12 per person**. Pay online, at the donation box in "
            "the lobby or at the office by the last days of Ramadan, and the zakat committee "
            "will give it to families in need before Eid.",
            location=_M_AT, phone="(614) 555-0565",
            website="https://alnoorcenter.org/zakat",
        ),
        _post(
            "m8", "Community Iftar",
            "A free iftar dinner every night of Ramadan, open to everyone.",
            "Break the fast with us **each evening of Ramadan at sunset** in the community "
            "hall: dates, water, soup and a hot dinner, followed by Maghrib prayer. Students, "
            "travelers, neighbors and non-Muslim guests are all welcome. No RSVP needed.",
            audience="everyone", location=_M_AT, phone="(614) 555-0560",
        ),
        _post(
            "m9", "Iftar Volunteers",
            "Help set up, serve and clean up at our nightly Ramadan iftar.",
            "We serve 300–400 people a night and need volunteers for setup (one hour before "
            "sunset), serving and cleanup. Sign up for one night or the whole month; teens "
            "13+ welcome with a parent's permission.",
            audience="volunteers 13+", location=_M_AT, phone="(614) 555-0560",
            website="https://alnoorcenter.org/volunteer",
        ),
        _post(
            "m10", "Eid al-Fitr Prayer",
            "Community Eid prayer at the fairgrounds, expected Wednesday, March 10, 2027.",
            "Join the whole community for Eid al-Fitr prayer in the Expo Hall. Doors open at "
            "8 am, takbeer at 8:30, **prayer at 9 am** followed by the khutbah. Bring your "
            "own prayer rug. Donuts, coffee and a bounce house for kids afterward. The date "
            "will be confirmed by moon sighting.",
            location=_M_FAIR, phone="(614) 555-0560",
        ),
        _post(
            "m11", "Eid al-Adha Prayer",
            "Community Eid prayer at the fairgrounds, expected Sunday, May 16, 2027.",
            "Join the whole community for Eid al-Adha prayer in the Expo Hall. Doors open at "
            "8 am, takbeer at 8:30, **prayer at 9 am** followed by the khutbah. Bring your "
            "own prayer rug. Qurbani orders must be placed by May 10. The date will be "
            "confirmed by moon sighting.",
            location=_M_FAIR, phone="(614) 555-0560",
        ),
        _post(
            "m12", "Weekend School – spring semester spots open",
            "📚✨ A few spots are open in Al-Noor Weekend School for the spring semester, "
            "starting January 10! Kids 5–14 • Sundays 10am–1pm • Quran, Islamic Studies & "
            "Arabic 🌙 Financial aid available, no child turned away. Register at the link "
            "in bio 👉 #AlNoorWeekendSchool #MuslimKids #SundaySchool",
        ),
        _post(
            "m13", "Food pantry",
            "pantry open sat 9-11am. everyone welcome, you don't have to be Muslim. use the "
            "gym door. halal chicken this week while it lasts",
            location="1840 Dunmore Rd",
        ),
        _post(
            "m14", "الإفطار الجماعي في رمضان",
            "إفطار مجاني كل ليلة في شهر رمضان، والجميع مدعوون.",
            "ندعوكم لتناول الإفطار معنا **كل مساء في رمضان عند أذان المغرب** في قاعة المركز: "
            "تمر وماء وشوربة وعشاء ساخن، ثم صلاة المغرب جماعة. الطلاب والمسافرون والجيران "
            "وضيوفنا من غير المسلمين مرحب بهم. لا حاجة للتسجيل المسبق.",
            location=_M_AT, phone="(614) 555-0560",
        ),
    ],
    [["m1", "m12"], ["m5", "m13"], ["m8", "m14"]],
    [
        ("m1", "m2", "children's weekend school vs adult Arabic class, one Sunday slot"),
        ("m3", "m4", "sisters' vs brothers' tajweed class, one Saturday slot"),
        ("m6", "m7", "applying to the zakat fund vs paying zakat al-fitr"),
        ("m8", "m9", "eating at the iftar vs volunteering at it"),
        ("m10", "m11", "Eid al-Fitr vs Eid al-Adha prayer, one hall and hour"),
        ("m5", "m6", "weekly food pantry vs zakat grants for families in need"),
    ],
)  # fmt: skip

_E_AT = "Harlan County Extension Office, 600 Fairground Rd"
_EXTENSION = ProbeOrg(
    "Harlan County Cooperative Extension",
    [
        _post(
            "e1", "Master Gardener Helpline",
            "Free answers to your lawn, garden and plant questions from trained volunteers.",
            "Call, email or bring a sample (a leaf, a bug in a jar, a photo) to the Extension "
            "office and a Master Gardener volunteer will help identify the problem and "
            "suggest what to do. **Monday, Wednesday and Friday, 9 am–12 pm, April through "
            "September**.",
            audience="home gardeners", location=_E_AT,
            schedule=[(["Monday", "Wednesday", "Friday"], "09:00", "12:00")],
            phone="(270) 555-0627", email="mastergardener@harlan.ext.edu",
        ),
        _post(
            "e2", "Master Gardener Volunteer Training",
            "A 12-week horticulture course for people who want to volunteer as Master "
            "Gardeners.",
            "Classes cover soils, vegetables, fruit, trees, insects, plant diseases and "
            "how to answer the public's questions. **Tuesdays 9 am–3 pm, January 12 – March "
            "30**. $150 including the manual. Trainees give 40 hours of volunteer service in "
            "their first year, on the helpline, at the demonstration garden and at plant "
            "clinics. Applications due December 1.",
            audience="adults who want to volunteer", location=_E_AT,
            schedule=[(["Tuesday"], "09:00", "15:00")], phone="(270) 555-0620",
        ),
        _post(
            "e3", "Soil Testing",
            "Find out what your lawn, garden or field needs before you fertilize.",
            "Bring about a pint of dry soil in a clean bag to the Extension office "
            "**Monday–Friday 8 am–4:30 pm**. $10 per sample for homeowners; farm samples "
            "$15. Results and fertilizer and lime recommendations are mailed or emailed in "
            "about two weeks.",
            location=_E_AT, schedule=[(WEEKDAYS, "08:00", "16:30")],
            phone="(270) 555-0620",
        ),
        _post(
            "e4", "ServSafe Food Handler Class",
            "A four-hour food safety class for restaurant and food service workers.",
            "Covers personal hygiene, time and temperature control, cross-contamination and "
            "cleaning. Ends with a short test; pass and you receive a ServSafe Food Handler "
            "certificate good for three years. **Second Monday of each month, 9 am–1 pm**. "
            "$15; registration required.",
            audience="food service workers", location=_E_AT,
            schedule=[(["Monday"], "09:00", "13:00")], phone="(270) 555-0620",
        ),
        _post(
            "e5", "ServSafe Manager Certification",
            "A two-day course and proctored exam for the certified food protection manager "
            "credential.",
            "The course required for a restaurant's person in charge: foodborne illness, "
            "HACCP, the flow of food, inspections and training staff. Two days, **9 am–4 pm**, "
            "with the proctored exam on the afternoon of day two. Offered quarterly; $165 "
            "includes the textbook and exam.",
            audience="restaurant managers and food business owners", location=_E_AT,
            phone="(270) 555-0620",
        ),
        _post(
            "e6", "Private Pesticide Applicator Training",
            "Training and exam for farmers who need a private applicator license.",
            "Farmers who buy or apply restricted-use pesticides on their own land need a "
            "private applicator certification. This session covers labels, safety, "
            "calibration and the law, followed by the certification exam. **Tuesday, "
            "February 9, 2027, 9 am–3 pm**. Free; please call to register.",
            audience="farmers needing a first license", location=_E_AT,
            phone="(270) 555-0620",
        ),
        _post(
            "e7", "Pesticide Applicator Recertification Meeting",
            "Earn the credits to renew your private applicator license.",
            "Licensed private applicators can earn **3 recertification credits** at this "
            "morning meeting on new products, drift and resistance management. **Tuesday, "
            "February 23, 2027, 9 am–12 pm**. Free; bring your license number.",
            audience="farmers with a current license", location=_E_AT,
            phone="(270) 555-0620",
        ),
        _post(
            "e8", "4-H Clubs",
            "Hands-on clubs for youth ages 9–18: animals, shooting sports, cooking, robotics "
            "and more.",
            "4-H members join a community club that meets once or twice a month, pick "
            "projects they love, and show them at the Harlan County Fair. Leadership, public "
            "speaking and camp opportunities too. Enrollment opens October 1; $15 per year.",
            audience="youth ages 9-18", location=_E_AT, phone="(270) 555-0622",
            website="https://harlan.ext.edu/4h",
        ),
        _post(
            "e9", "Become a 4-H Volunteer Club Leader",
            "Lead or help with a 4-H club in your community.",
            "Adult volunteers organize club meetings, guide members through their projects "
            "and get them ready for the fair. Training and materials are provided. "
            "Volunteers must be 18+, complete an online orientation and pass a background "
            "check. Enrollment opens October 1.",
            audience="adults 18+", location=_E_AT, phone="(270) 555-0622",
            website="https://harlan.ext.edu/4h",
        ),
        _post(
            "e10", "4-H Summer Camp",
            "A week of overnight camp for youth ages 9–13.",
            "Swimming, canoeing, archery, crafts and campfires at the state 4-H camp, "
            "**June 14–18, 2027**. Bus leaves from the Extension office. $275, scholarships "
            "available. You do not need to be a 4-H member to attend.",
            audience="youth ages 9-13", location=_E_AT, phone="(270) 555-0622",
        ),
        _post(
            "e11", "4-H Camp Teen Counselors",
            "Teens 14–18 apply to be cabin counselors at 4-H Summer Camp.",
            "Teen counselors lead a cabin and a class at camp, **June 14–18, 2027**, after "
            "two spring training weekends. Applications and an interview are required; "
            "counselors attend camp for free and earn leadership credit.",
            audience="teens ages 14-18", location=_E_AT, phone="(270) 555-0622",
        ),
        _post(
            "e12", "Ask a Master Gardener",
            "Garden question? Call 270-555-0627 M/W/F 9-noon Apr-Sept or bring a sample by "
            "the Extension office.",
        ),
        _post(
            "e13", "ServSafe Food Handler",
            "Monday, December 14, 2026 · 9:00 AM – 1:00 PM",
            "Food handler certification class. $15. Register by calling the Extension "
            "office.",
            location="Harlan County Extension Office",
            schedule=[(["Monday"], "09:00", "13:00")],
        ),
        _post(
            "e14", "4-H Camp 2027",
            "🏕️ 4-H CAMP IS BACK! June 14–18 for ages 9–13 🛶🏹🔥 Swimming, canoeing, "
            "archery & s'mores at state 4-H camp. Bus from the Extension office. $275 – "
            "scholarships available, and you don't have to be in 4-H! Call 270-555-0622 to "
            "save a spot. #HarlanCounty4H #4HCamp #TrueLeaders",
        ),
    ],
    [["e1", "e12"], ["e4", "e13"], ["e10", "e14"]],
    [
        ("e1", "e2", "using the helpline vs training to volunteer on it"),
        ("e4", "e5", "food handler class vs manager certification"),
        ("e6", "e7", "first license training vs recertification credits"),
        ("e8", "e9", "joining a 4-H club vs leading one"),
        ("e10", "e11", "attending camp vs being a teen camp counselor"),
        ("e9", "e11", "adult club leader vs teen camp counselor"),
    ],
)  # fmt: skip

_A_AT = "Tri-County Humane Society, 4250 Old Mill Rd"
_HUMANE = ProbeOrg(
    "Tri-County Humane Society",
    [
        _post(
            "a1", "Pet Adoption",
            "Adopt a dog, cat or small animal from our shelter.",
            "Meet adoptable animals **Tuesday–Saturday 12–6 pm**; no appointment needed. "
            "Adoption fees ($150 dogs, $75 cats, $25 small animals) include spay or neuter, "
            "vaccines and a microchip. Fill out an application online or at the front desk "
            "and most adopters go home the same day.",
            location=_A_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                       "12:00", "18:00")],
            phone="(919) 555-0780", website="https://tricountyhumane.org/adopt",
        ),
        _post(
            "a2", "Low-Cost Spay/Neuter Clinic",
            "Affordable spay and neuter surgery for pet dogs and cats.",
            "Income-qualified pet owners can have their dog or cat spayed or neutered for "
            "$50–$95, rabies vaccine included. Surgery by appointment; drop off **Tuesdays "
            "and Thursdays 7:30–8:30 am** and pick up the same afternoon. Proof of public "
            "assistance or income required.",
            audience="pet owners with low income", location=_A_AT,
            schedule=[(["Tuesday", "Thursday"], "07:30", "08:30")], phone="(919) 555-0785",
        ),
        _post(
            "a3", "Community Cat TNR Program",
            "Trap-neuter-return for outdoor and feral cats.",
            "Caretakers of outdoor cats can borrow humane traps, bring cats in for spay or "
            "neuter, rabies vaccine and an ear tip, and return them to where they live. "
            "$40 per cat. Drop off trapped cats **Wednesdays 7:30–8:30 am**; no appointment "
            "needed, but call ahead for traps.",
            audience="caretakers of community cats", location=_A_AT,
            schedule=[(["Wednesday"], "07:30", "08:30")], phone="(919) 555-0785",
        ),
        _post(
            "a4", "Vaccine & Microchip Clinic",
            "Walk-in vaccines and microchips for dogs and cats.",
            "No appointment needed: rabies $10, DHPP or FVRCP $15, microchip $20. Dogs on "
            "leashes, cats in carriers. **First Saturday of every month, 9 am–12 pm** in the "
            "shelter's clinic entrance.",
            audience="dog and cat owners", location=_A_AT,
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(919) 555-0785",
        ),
        _post(
            "a5", "Pet Food Pantry",
            "Free dog and cat food for families going through a hard time.",
            "Keep your pet at home: families who are struggling can pick up a month's worth "
            "of dog or cat food and cat litter **the 2nd and 4th Saturday of each month, "
            "10 am–12 pm**. No paperwork; just tell us how many pets you have.",
            audience="pet owners in need", location=_A_AT,
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(919) 555-0780",
        ),
        _post(
            "a6", "Donate Pet Food",
            "Help stock our Pet Food Pantry and shelter with food and litter.",
            "Drop off unopened bags and cans of dog and cat food, cat litter and treats in "
            "the donation bin in our lobby **Tuesday–Saturday 12–6 pm**, or at collection "
            "bins at Tractor Supply and both PetSmart stores. Most needed: large bags of "
            "adult dog food and clumping litter.",
            location=_A_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                       "12:00", "18:00")],
            phone="(919) 555-0780",
        ),
        _post(
            "a7", "Dog Walking Volunteers",
            "Take shelter dogs for walks and give them a break from the kennel.",
            "Dog walkers take dogs out for walks, play groups and potty breaks on morning "
            "shifts, **daily 8–10 am**. Ages 16+ (16–17 with a parent the first month). "
            "Attend a volunteer orientation and a dog-handling class before your first "
            "shift.",
            audience="volunteers 16+", location=_A_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday"], "08:00", "10:00")],
            phone="(919) 555-0790", website="https://tricountyhumane.org/volunteer",
        ),
        _post(
            "a8", "Cat Socializer Volunteers",
            "Spend time with shelter cats so they stay friendly and ready for adoption.",
            "Cat socializers brush, play with and sit with cats in our cat rooms, and help "
            "shy cats learn to trust people. Flexible shifts during open hours. Ages 12+ "
            "(12–15 with an adult). Attend a volunteer orientation before your first shift.",
            audience="volunteers 12+", location=_A_AT, phone="(919) 555-0790",
            website="https://tricountyhumane.org/volunteer",
        ),
        _post(
            "a9", "Critter Camp",
            "A summer day camp about animals for kids ages 7–10.",
            "Campers meet shelter animals, make toys and treats for them, learn about pet "
            "care and safety around dogs, and hear from our vet team. Week-long sessions in "
            "June and July, **Monday–Friday 9 am–12 pm**. $175 per week.",
            audience="children ages 7-10", location=_A_AT,
            schedule=[(WEEKDAYS, "09:00", "12:00")], phone="(919) 555-0795",
        ),
        _post(
            "a10", "Teen Animal Care Camp",
            "A summer day camp for teens ages 11–14 curious about working with animals.",
            "Campers shadow our animal care and vet teams, learn basic handling and "
            "enrichment, and explore careers with animals. Week-long sessions in June and "
            "July, **Monday–Friday 9 am–12 pm**. $175 per week.",
            audience="teens ages 11-14", location=_A_AT,
            schedule=[(WEEKDAYS, "09:00", "12:00")], phone="(919) 555-0795",
        ),
        _post(
            "a11", "Foster a Pet",
            "Care for a shelter animal in your home until it is ready for adoption.",
            "Foster families take home kittens too young for adoption, dogs recovering from "
            "surgery, and pets who need a break from the shelter, for a few weeks at a "
            "time. We provide food, supplies and vet care. Attend a foster orientation to "
            "get started.",
            audience="foster volunteers", location=_A_AT, phone="(919) 555-0790",
            website="https://tricountyhumane.org/foster",
        ),
        _post(
            "a12", "Adopt Don't Shop",
            "🐶🐱 Your new best friend is waiting! Adoptions Tues–Sat 12–6, no appointment "
            "needed. Fee covers spay/neuter, shots & microchip 💕 Meet them all at "
            "tricountyhumane.org/adopt #AdoptDontShop #TriCountyHumane #ShelterPets",
        ),
        _post(
            "a13", "SNIP – Spay Neuter Income-based Program",
            "Income-based spay and neuter surgeries for owned dogs and cats.",
            "If you receive SNAP, WIC, Medicaid or SSI, or your household income qualifies, "
            "your pet can be fixed at a reduced price that includes a rabies shot. Call "
            "919-555-0785 to book; drop-off is Tues/Thurs 7:30–8:30a.",
            location="4250 Old Mill Rd",
        ),
        _post(
            "a14", "Vaccine Clinic",
            "Saturday, December 5, 2026, 9:00 AM – 12:00 PM",
            "Walk-in rabies and distemper vaccines and microchips at the shelter. Dogs must "
            "be leashed and cats in carriers.",
            location="Tri-County Humane Society",
        ),
    ],
    [["a1", "a12"], ["a2", "a13"], ["a4", "a14"]],
    [
        ("a2", "a3", "spay/neuter for owned pets vs TNR for community cats"),
        ("a2", "a4", "surgery clinic vs walk-in vaccine clinic"),
        ("a5", "a6", "getting pet food vs donating it"),
        ("a7", "a8", "dog walking vs cat socializing volunteers"),
        ("a9", "a10", "kids' camp vs teen camp, one slot"),
        ("a1", "a11", "adopting a pet vs fostering one"),
    ],
)  # fmt: skip

PROBE_F: tuple[ProbeOrg, ...] = (_LITERACY, _HARBOR, _ALNOOR, _EXTENSION, _HUMANE)

if __name__ == "__main__":
    sys.exit(report(PROBE_F))
