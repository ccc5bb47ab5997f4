"""A ninth probe of the service judgement, written unfitted and committed before it was
scored, by a writer who had not read the judgement's rules or word lists: five
organizations of kinds the earlier probes do not use (a Meals on Wheels programme, a deaf
and hard of hearing services centre, a Vietnamese American community association with
posts partly in Vietnamese, a tenants' union and a tool library with a repair café), 29
look-alike pairs (one organization, two real services a careless reader would merge: one
slot or room, near-identical wording, another audience, subject, role, modality, holiday,
language, site or step of a process) and 16 duplicate pairs written as duplicates arise (a
hand-typed terse post and an extracted long one, a social caption and the website's page,
a renamed programme, a calendar listing of a standing class, a Vietnamese or Spanish page
of the same service, missing fields, the schedule only in the text or in another format).

Run with `.venv/bin/python -m tests.directory.same_service_probe_i`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_M_AT = "Tri-County Meals on Wheels, 1450 Orchard Ave"
_MEALS = ProbeOrg(
    "Tri-County Meals on Wheels",
    [
        _post(
            "m1", "Home-Delivered Meals",
            "Hot, nutritious lunches delivered on weekdays to homebound older adults.",
            "If you are **60 or older** and have trouble shopping or cooking because of "
            "illness, disability or recovery from surgery, a volunteer will bring a hot lunch "
            "to your door **Monday–Friday between 10:30 am and 12:30 pm**. A registered "
            "dietitian plans every menu; low-sodium and diabetic-friendly options are "
            "available. There is no charge; a suggested contribution of $3 per meal is "
            "welcome but never required. Call to set up a short home visit.",
            audience="homebound adults 60+", location=_M_AT,
            schedule=[(WEEKDAYS, "10:30", "12:30")], phone="(541) 555-0330",
            website="https://tricountymow.org/meals",
        ),
        _post(
            "m2", "Volunteer Meal Delivery Driver",
            "Deliver hot lunches to homebound seniors on a weekday route.",
            "Drivers pick up insulated bags at our kitchen at **10:15 am** and deliver to "
            "10–15 homes, finishing by about **12:30 pm**. Sign up for one day a week or "
            "more, or join the substitute list. You need a valid driver's license, proof of "
            "insurance and a background check; mileage is reimbursed. A friendly hello and a "
            "quick safety check are part of every stop.",
            audience="volunteers 18+ with a car", location=_M_AT,
            schedule=[(WEEKDAYS, "10:15", "12:30")], phone="(541) 555-0335",
            website="https://tricountymow.org/volunteer",
        ),
        _post(
            "m3", "Community Dining at Grace Hall",
            "A hot noon meal and good company for adults 60+, weekdays.",
            "Join your neighbors for lunch **Monday–Friday at 11:30 am** in Grace Hall. The "
            "same dietitian-planned menu as our delivered meals, plus coffee, bingo on "
            "Wednesdays and a blood-pressure check the first Monday of the month. Suggested "
            "contribution $3 for adults 60+; guests under 60 pay $8. Please call by 2 pm the "
            "day before to reserve a seat.",
            audience="adults 60+", location="Grace Hall, 220 W 3rd St",
            schedule=[(WEEKDAYS, "11:30", "12:30")], phone="(541) 555-0330",
        ),
        _post(
            "m4", "Medically Tailored Meals After a Hospital Stay",
            "Up to 12 weeks of free delivered meals for adults of any age going home from the "
            "hospital.",
            "Adults with heart failure, diabetes or kidney disease who are discharged from "
            "the hospital can receive **two meals a day, delivered weekdays**, for up to 12 "
            "weeks, planned by a dietitian for their condition. A referral from a hospital "
            "social worker, doctor or health plan is required. No age limit.",
            audience="adults of any age recently discharged from the hospital",
            location=_M_AT, schedule=[(WEEKDAYS, "10:30", "12:30")],
            phone="(541) 555-0338",
        ),
        _post(
            "m5", "AniMeals: Pet Food for Our Clients",
            "Free dog and cat food delivered with meals, so seniors can keep their pets.",
            "Many of our clients share their lunch with their pets. Through **AniMeals**, "
            "clients can get a monthly bag of dog or cat food and cat litter delivered along "
            "with their meal on the **first Tuesday of the month**. Ask your driver or call "
            "the office to sign up.",
            audience="meal clients with dogs or cats", location=_M_AT,
            schedule=[(["Tuesday"], "10:30", "12:30")], phone="(541) 555-0330",
        ),
        _post(
            "m6", "Pet Food Drive",
            "Donate dog and cat food for seniors' pets through March 31.",
            "Help our AniMeals program keep seniors and their pets together. Drop off "
            "**unopened dry or canned dog and cat food, cat litter and treats** in the bins "
            "at our office, **Monday–Friday 8 am–4 pm**, through March 31. Small bags (under "
            "15 lb) are easiest for our clients to handle. Online orders can be shipped to "
            "1450 Orchard Ave.",
            location=_M_AT, schedule=[(WEEKDAYS, "08:00", "16:00")],
            phone="(541) 555-0330",
        ),
        _post(
            "m7", "Kitchen Volunteers",
            "Help prepare and pack meals in our central kitchen on weekday mornings.",
            "Volunteers portion entrées, pack salads and desserts, label trays and load the "
            "insulated bags for drivers. Shifts run **Monday–Friday 7:30–10:30 am**. "
            "Closed-toe shoes required; we provide aprons, gloves and hairnets. Ages 16+; "
            "groups of up to six are welcome with advance notice.",
            audience="volunteers ages 16+", location=_M_AT,
            schedule=[(WEEKDAYS, "07:30", "10:30")], phone="(541) 555-0335",
        ),
        _post(
            "m8", "Christmas Day Meal Delivery – Volunteer Drivers",
            "Deliver a holiday dinner to homebound seniors on Christmas morning.",
            "On **Friday, December 25, 2026**, volunteers pick up ham dinners at the kitchen "
            "between **9 and 10 am** and deliver them to 6–8 homes. Families are welcome – "
            "kids can ride along and hand out cards. Please register by December 14 so we "
            "can plan routes.",
            audience="volunteers and families", location=_M_AT, phone="(541) 555-0335",
            website="https://tricountymow.org/holidays",
        ),
        _post(
            "m9", "New Year's Day Meal Delivery – Volunteer Drivers",
            "Deliver a holiday meal to homebound seniors on New Year's Day.",
            "On **Friday, January 1, 2027**, volunteers pick up meals at the kitchen between "
            "**9 and 10 am** and deliver them to 6–8 homes. Families are welcome – kids can "
            "ride along and hand out cards. Please register by December 21 so we can plan "
            "routes.",
            audience="volunteers and families", location=_M_AT, phone="(541) 555-0335",
            website="https://tricountymow.org/holidays",
        ),
        _post(
            "m10", "Friendly Phone Calls",
            "A volunteer calls you for a chat a few times a week.",
            "For older adults who live alone and would like someone to talk to. A trained "
            "volunteer phones at a time you choose, one to three times a week, and lets us "
            "know if you need anything. Free; you don't need to get meals to sign up.",
            audience="older adults who live alone", phone="(541) 555-0330",
        ),
        _post(
            "m11", "Meals on Wheels – sign up",
            "Hot lunch brought to your door Mon-Fri if you're 60+ and can't easily get out. "
            "No charge (donations appreciated). Call 541-555-0330 to get on the list.",
        ),
        _post(
            "m12", "Drivers needed!",
            "🚗🥗 DRIVERS NEEDED! Can you spare 2 hours one weekday a week? Pick up meals at "
            "our Orchard Ave kitchen at 10:15 & deliver smiles to homebound seniors. Mileage "
            "reimbursed! Sign up at tricountymow.org/volunteer 💛 #MealsOnWheels "
            "#VolunteerOregon #DeliverTheLove",
        ),
        _post(
            "m13", "Senior Lunch Café (formerly Community Dining)",
            "Lunch, coffee and Wednesday bingo for 60+ at Grace Hall.",
            "Our congregate lunch program has a new name! The Senior Lunch Café still serves "
            "a hot meal every weekday at 11:30 in Grace Hall on W 3rd St. $3 suggested "
            "donation if you're 60+. Reserve by 2 pm the day before: 541-555-0330.",
            location="Grace Hall",
        ),
    ],
    [["m1", "m11"], ["m2", "m12"], ["m3", "m13"]],
    [
        ("m1", "m2", "receiving delivered meals vs driving a delivery route"),
        ("m1", "m3", "home-delivered lunch vs dine-in lunch at Grace Hall"),
        ("m1", "m4", "senior meals vs post-hospital medically tailored meals"),
        ("m5", "m6", "getting pet food vs donating pet food"),
        ("m2", "m7", "delivery driver vs kitchen volunteer"),
        ("m8", "m9", "Christmas Day vs New Year's Day delivery"),
        ("m2", "m8", "weekday route driver vs one-day Christmas driver"),
    ],
)  # fmt: skip

_D_AT = "Silver Valley DHH Center, 300 Commerce Way, Suite 110"
_DEAF = ProbeOrg(
    "Silver Valley Deaf & Hard of Hearing Center",
    [
        _post(
            "d1", "American Sign Language I",
            "An eight-week beginner ASL class taught by Deaf instructors.",
            "Learn fingerspelling, numbers, everyday vocabulary and basic grammar, and get "
            "to know Deaf culture. No experience needed. **Tuesdays 6–8 pm**, eight weeks, "
            "starting the first Tuesday of January, April and September. $120, textbook "
            "included. Classes are taught in ASL with no voice from the first night.",
            audience="hearing adults and teens 16+", location=_D_AT,
            schedule=[(["Tuesday"], "18:00", "20:00")], phone="(208) 555-0410",
            website="https://svdhh.org/asl-classes",
        ),
        _post(
            "d2", "Family Sign Language",
            "Free ASL classes for parents and siblings of deaf and hard of hearing children.",
            "Families of children who are deaf or hard of hearing learn the signs they need "
            "at home: mealtime, bedtime, feelings and play. Taught by a Deaf mentor, with "
            "free childcare and a signing playgroup for the kids in the next room. "
            "**Tuesdays 6–8 pm**, eight weeks. Free; priority for families of children "
            "under 6.",
            audience="families of deaf and hard of hearing children", location=_D_AT,
            schedule=[(["Tuesday"], "18:00", "20:00")], phone="(208) 555-0410",
            website="https://svdhh.org/asl-classes",
        ),
        _post(
            "d3", "ASL Interpreter Requests",
            "Book a certified ASL interpreter for an appointment, meeting or event.",
            "We schedule nationally certified, state-licensed interpreters for doctors' "
            "visits, job interviews, meetings with attorneys, school events and weddings. "
            "Under the ADA the business or provider pays for interpreting; there is no cost "
            "to the Deaf person. Please request at least **48 hours** ahead; emergencies are "
            "covered **24/7** through our on-call line.",
            location=_D_AT, phone="(208) 555-0415", email="interpreting@svdhh.org",
        ),
        _post(
            "d4", "Interpreter Mentorship Program",
            "Mentoring for new ASL interpreters preparing for certification.",
            "Recent graduates of interpreter training programs are paired with a certified "
            "interpreter and a Deaf mentor for six months of observation, team interpreting "
            "and feedback on their skills, with monthly workshops and prep for the national "
            "certification exam. Applications open in August.",
            audience="early-career ASL interpreters", location=_D_AT,
            phone="(208) 555-0415", email="interpreting@svdhh.org",
        ),
        _post(
            "d5", "Hearing Aid Bank",
            "Refurbished hearing aids for adults with low incomes.",
            "Adults who can't afford hearing aids and have no insurance that covers them can "
            "apply for a pair of refurbished hearing aids, fitted by a volunteer "
            "audiologist. There is a one-time $50 fitting fee. Household income must be at "
            "or below 250% of the federal poverty level, and a recent hearing test is "
            "required (we can refer you to a free one). Call or download the application.",
            audience="adults with low incomes and hearing loss", location=_D_AT,
            phone="(208) 555-0410", website="https://svdhh.org/hearing-aid-bank",
        ),
        _post(
            "d6", "Donate Your Old Hearing Aids",
            "Give used hearing aids a second life.",
            "Working or not, any brand, any age: donated hearing aids are sent to be "
            "refurbished for our Hearing Aid Bank. Drop them off at the front desk "
            "**Monday–Friday 9 am–5 pm**, or mail them in a padded envelope to 300 Commerce "
            "Way, Suite 110. We'll send a receipt for your tax records.",
            location=_D_AT, schedule=[(WEEKDAYS, "09:00", "17:00")],
            phone="(208) 555-0410",
        ),
        _post(
            "d7", "Assistive Technology Lending Closet",
            "Try amplified phones, alerting devices and listening systems free for 30 days.",
            "Not sure what will work for you? Borrow an amplified phone, a bed-shaker alarm "
            "clock, a flashing doorbell or smoke alarm, a TV listening system or a pocket "
            "talker for up to **30 days**, and our specialist will show you how to use it. "
            "Demonstrations **Monday–Friday 9 am–5 pm** or by appointment.",
            location=_D_AT, schedule=[(WEEKDAYS, "09:00", "17:00")],
            phone="(208) 555-0410",
        ),
        _post(
            "d8", "Telecommunications Equipment Distribution Program",
            "Free amplified and captioned phones for state residents with hearing loss.",
            "The state TED program provides amplified phones, captioned phones and "
            "signalers – **yours to keep** – to residents who are deaf, hard of hearing or "
            "deaf-blind or have a speech disability. A doctor, an audiologist or our staff "
            "certifies eligibility on the application. We help you apply and set the "
            "equipment up at home.",
            audience="state residents with hearing or speech disabilities", location=_D_AT,
            phone="(208) 555-0410",
        ),
        _post(
            "d9", "Deaf Coffee Chat",
            "A monthly ASL social; all signers welcome.",
            "Meet the local Deaf community over coffee. ASL only – no voice – so it's also a "
            "great place for students to practice (please sign!). **First Friday of every "
            "month, 10 am–noon** in the Center's community room. Free coffee and pastries.",
            audience="Deaf community and ASL signers", location=_D_AT,
            schedule=[(["Friday"], "10:00", "12:00")],
        ),
        _post(
            "d10", "Hearing Loss Support Group",
            "Support and coping tips for adults who lost their hearing later in life.",
            "For adults who grew up hearing and are adjusting to hearing loss, and their "
            "partners. We share tips on hearing aids, cochlear implants, captioning apps and "
            "communicating at home. Meetings are live-captioned on a big screen and the room "
            "has a hearing loop. **First Friday of every month, 1–2:30 pm** in the "
            "community room.",
            audience="adults with acquired hearing loss and their partners", location=_D_AT,
            schedule=[(["Friday"], "13:00", "14:30")], phone="(208) 555-0410",
        ),
        _post(
            "d11", "ASL classes",
            "Beginner sign language, Tues nights 6-8, 8 weeks, $120 incl. book. Call or email "
            "to register.",
        ),
        _post(
            "d12", "Need an interpreter?",
            "👋🤟 Need an interpreter for your doctor's appointment? Remember: under the ADA "
            "your provider pays, not you! Request an ASL interpreter at least 48 hrs ahead – "
            "interpreting@svdhh.org or (208) 555-0415. Emergency? We're on call 24/7. "
            "#ASL #DeafAccess #ADA",
        ),
        _post(
            "d13", "Banco de Audífonos",
            "Audífonos reacondicionados para adultos de bajos ingresos.",
            "Los adultos que no pueden pagar audífonos y no tienen un seguro que los cubra "
            "pueden solicitar un par de audífonos reacondicionados, adaptados por un "
            "audiólogo voluntario. Hay un cargo único de $50 por la adaptación. Se requiere "
            "un examen de audición reciente (podemos referirle a uno gratuito). Llame o "
            "descargue la solicitud.",
            audience="adultos de bajos ingresos con pérdida auditiva", location=_D_AT,
            phone="(208) 555-0410",
        ),
    ],
    [["d1", "d11"], ["d3", "d12"], ["d5", "d13"]],
    [
        ("d1", "d2", "beginner ASL for hearing adults vs family ASL, one slot"),
        ("d3", "d4", "booking an interpreter vs mentoring new interpreters"),
        ("d5", "d6", "getting hearing aids vs donating them"),
        ("d7", "d8", "30-day device loan vs state equipment to keep"),
        ("d9", "d10", "Deaf ASL social vs captioned hearing loss group, one Friday"),
    ],
)  # fmt: skip

_V_AT = "Vietnamese Community Center, 8420 Bellfort Ave"
_VIET = ProbeOrg(
    "Vietnamese American Community Association of Eastgate",
    [
        _post(
            "v1", "Vietnamese Language School (Trường Việt Ngữ Văn Lang)",
            "Saturday Vietnamese classes for children ages 5–15.",
            "Children learn to read, write and speak Vietnamese, from kindergarten (lớp Mẫu "
            "Giáo) to Level 8, along with Vietnamese history, songs and holidays. Classes "
            "follow the school year, **September to May, Saturdays 9 am–noon**. Tuition "
            "$250 a year per child, $200 for each additional sibling. Registration is in "
            "August; new students take a short placement test.",
            audience="children ages 5-15", location=_V_AT,
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(713) 555-0620",
            website="https://vacae.org/vietnamese-school",
        ),
        _post(
            "v2", "English Classes for Adults (Lớp Anh Văn)",
            "Free beginner and intermediate English for Vietnamese-speaking adults.",
            "Practice everyday English for the doctor's office, the pharmacy, work and your "
            "children's school, with explanations in Vietnamese. **Saturdays 9–11 am** in "
            "rooms 4 and 5, while the children are at Vietnamese school. Free; books "
            "provided. Sign up any Saturday at the front desk.",
            audience="Vietnamese-speaking adults", location=_V_AT,
            schedule=[(["Saturday"], "09:00", "11:00")], phone="(713) 555-0620",
        ),
        _post(
            "v3", "Citizenship Class in Vietnamese",
            "Prepare for the U.S. citizenship interview with a bilingual teacher.",
            "Study the civics questions, practice the English reading and writing test and "
            "rehearse the interview, with explanations in Vietnamese. **Sundays 2–4 pm**, "
            "12 weeks, starting in January and July. Free. Ask us whether you qualify to "
            "take the test in Vietnamese (age 50+ or 55+ with many years as a resident).",
            audience="permanent residents preparing to naturalize", location=_V_AT,
            schedule=[(["Sunday"], "14:00", "16:00")], phone="(713) 555-0620",
        ),
        _post(
            "v4", "Free Citizenship Application Clinic (N-400)",
            "Get help filling out your citizenship application, in Vietnamese or English.",
            "Volunteer attorneys and DOJ-accredited representatives help you complete and "
            "review Form N-400 and the fee waiver request. **Sunday, January 24, 2027, "
            "1–5 pm**. Bring your green card, passport, your addresses and jobs for the last "
            "five years, and your travel dates. Appointments required – call to reserve.",
            audience="permanent residents eligible to naturalize", location=_V_AT,
            phone="(713) 555-0620",
        ),
        _post(
            "v5", "Senior Club (Câu Lạc Bộ Cao Niên)",
            "Exercise, games and lunch for Vietnamese seniors twice a week.",
            "Seniors 60+ meet **Tuesdays and Thursdays, 9 am–noon**: tai chi and "
            "stretching, Chinese chess (cờ tướng), bingo, singing, and a hot Vietnamese "
            "lunch for a $3 donation. Monthly health talks in Vietnamese from a pharmacist "
            "or doctor. Membership $20 a year.",
            audience="seniors 60+", location=_V_AT,
            schedule=[(["Tuesday", "Thursday"], "09:00", "12:00")], phone="(713) 555-0620",
        ),
        _post(
            "v6", "Medicare and Benefits Help for Seniors",
            "Help in Vietnamese with Medicare, Medicaid, SNAP and Social Security.",
            "A bilingual benefits counselor helps older adults compare Medicare plans during "
            "open enrollment, apply for Medicaid, Extra Help and SNAP, and understand letters "
            "from Social Security. **Tuesdays and Thursdays 9 am–noon** in the office next "
            "to the senior club room; walk in or call for an appointment. Free.",
            audience="older adults and their families", location=_V_AT,
            schedule=[(["Tuesday", "Thursday"], "09:00", "12:00")], phone="(713) 555-0625",
        ),
        _post(
            "v7", "Tết Festival 2027 – Year of the Goat",
            "Lunar New Year festival with lion dances, food and a children's áo dài contest.",
            "Celebrate **Tết Đinh Mùi** with us on **Saturday and Sunday, February 6–7, "
            "2027, 10 am–9 pm** on the Community Center grounds: lion and dragon dances, "
            "firecrackers at noon, food stalls, bánh chưng, a children's áo dài pageant and "
            "live music. Free admission; parking $5.",
            location=_V_AT, phone="(713) 555-0620", website="https://vacae.org/tet",
        ),
        _post(
            "v8", "Tết Festival Volunteers",
            "Help run the Lunar New Year festival: parking, booths, set-up and clean-up.",
            "We need 150 volunteers for **February 6–7, 2027**. Four-hour shifts: parking, "
            "ticket and raffle booths, the kids' game area, set-up on Friday evening "
            "(February 5) and clean-up on Sunday night. High school students earn service "
            "hours. Volunteer T-shirt and a meal included. Sign up by January 20.",
            audience="volunteers ages 14+", location=_V_AT, phone="(713) 555-0620",
            website="https://vacae.org/tet",
        ),
        _post(
            "v9", "Seniors' Lunar New Year Banquet (Tiệc Tất Niên Cao Niên)",
            "A year-end banquet with music and lucky money for seniors.",
            "Our senior members and their families close the Year of the Horse with a "
            "banquet lunch, traditional music, áo dài, and lì xì for every guest. **Sunday, "
            "January 31, 2027, 11 am–2 pm** in the main hall. Tickets $15; free for senior "
            "club members. Buy tickets at the front desk.",
            audience="seniors and their families", location=_V_AT, phone="(713) 555-0620",
        ),
        _post(
            "v10", "Lion Dance Team (Đoàn Lân)",
            "Teens learn lion dance and drumming and perform at community events.",
            "Young people ages 12–18 train in lion dance, drumming and basic martial arts "
            "and perform at Tết, store openings and weddings. Practice **Fridays 7–9 pm** in "
            "the gym. $20 a month; lion heads and drums provided.",
            audience="youth ages 12-18", location=_V_AT,
            schedule=[(["Friday"], "19:00", "21:00")], phone="(713) 555-0620",
        ),
        _post(
            "v11", "Trường Việt Ngữ Văn Lang – Ghi Danh Niên Khóa 2026–2027",
            "Lớp tiếng Việt cho các em từ 5 đến 15 tuổi, sáng Thứ Bảy.",
            "Các em học đọc, viết và nói tiếng Việt, từ lớp Mẫu Giáo đến lớp 8, cùng với "
            "lịch sử, bài hát và phong tục Việt Nam. Lớp học **sáng Thứ Bảy, từ 9 giờ đến "
            "12 giờ trưa**, từ tháng Chín đến tháng Năm. Học phí $250 một năm cho mỗi em, "
            "$200 cho mỗi em kế tiếp. Ghi danh trong tháng Tám; học sinh mới làm bài kiểm "
            "tra xếp lớp.",
            audience="các em từ 5 đến 15 tuổi",
            location="Trung Tâm Cộng Đồng Việt Nam, 8420 Bellfort Ave",
            schedule=[(["Saturday"], "09:00", "12:00")], phone="(713) 555-0620",
        ),
        _post(
            "v12", "Câu Lạc Bộ Cao Niên",
            "🌸 Câu Lạc Bộ Cao Niên sinh hoạt mỗi sáng Thứ Ba và Thứ Năm, 9g–12g trưa tại "
            "Trung Tâm Cộng Đồng! Thái cực quyền, cờ tướng, bingo, ca hát và cơm trưa chỉ "
            "$3. Kính mời các cô chú bác từ 60 tuổi trở lên đến tham gia! ☕🀄 #CaoNien "
            "#CongDongNguoiViet",
        ),
        _post(
            "v13", "Citizenship Class / Lớp Thi Quốc Tịch",
            "Sun 2:00–4:00 PM · Room 3 · Free",
            location="Room 3", schedule=[(["Sunday"], "14:00", "16:00")],
        ),
    ],
    [["v1", "v11"], ["v5", "v12"], ["v3", "v13"]],
    [
        ("v1", "v2", "children's Vietnamese school vs adult English, one Saturday morning"),
        ("v3", "v4", "12-week citizenship class vs one-day N-400 clinic"),
        ("v5", "v6", "senior club vs benefits counseling, same mornings"),
        ("v7", "v8", "attending the Tết festival vs volunteering at it"),
        ("v7", "v9", "public Tết festival vs seniors' year-end banquet"),
    ],
)  # fmt: skip

_T_AT = "Eastlake Tenants Union, 517 Grand Ave, 2nd floor"
_TENANTS = ProbeOrg(
    "Eastlake Tenants Union",
    [
        _post(
            "t1", "Tenant Rights Hotline",
            "Free advice by phone for renters with landlord problems.",
            "Trained tenant counselors answer questions about repairs, rent increases, "
            "security deposits, lease terminations and eviction notices, and can help you "
            "write a letter to your landlord. **Monday–Thursday 10 am–4 pm**. Leave a "
            "message after hours and we'll call back within two business days. English and "
            "Spanish.",
            audience="renters",
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "10:00", "16:00")],
            phone="(503) 555-0780",
            website="https://eastlaketenants.org/hotline",
        ),
        _post(
            "t2", "Volunteer as a Hotline Counselor",
            "Answer the tenant hotline after a free training.",
            "Volunteers take calls from renters and explain their rights using our scripts "
            "and legal guides, with a staff attorney on hand for hard questions. Complete "
            "the **12-hour training** (two Saturdays) and take one **3-hour shift a week, "
            "Monday–Thursday between 10 am and 4 pm**. No legal background needed; Spanish "
            "speakers especially welcome.",
            audience="volunteers", location=_T_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "10:00", "16:00")],
            phone="(503) 555-0785", email="volunteer@eastlaketenants.org",
        ),
        _post(
            "t3", "Eviction Defense Clinic",
            "Free help for tenants who have been served eviction court papers.",
            "If you received a summons for an eviction case, come to our clinic before your "
            "first court date. Volunteer attorneys review your papers, help you file an "
            "answer, explain your defenses and may represent you at your first appearance. "
            "**Wednesdays 5–7 pm**, walk-in; bring every paper you got from your landlord or "
            "the court. Interpreters available.",
            audience="tenants facing eviction", location=_T_AT,
            schedule=[(["Wednesday"], "17:00", "19:00")], phone="(503) 555-0780",
        ),
        _post(
            "t4", "Know Your Rights: Renters' Workshop",
            "A free evening workshop on your rights as a renter.",
            "Learn the basics of renting: what your lease can and can't say, notice rules "
            "for rent increases, getting repairs made, your security deposit, and what to do "
            "if you get an eviction notice. **First Tuesday of every month, 6:30–8 pm**. "
            "Free; dinner and childcare provided. RSVP appreciated.",
            audience="renters", location=_T_AT,
            schedule=[(["Tuesday"], "18:30", "20:00")], phone="(503) 555-0780",
        ),
        _post(
            "t5", "Taller: Conozca Sus Derechos como Inquilino",
            "Un taller gratuito en español sobre sus derechos como inquilino.",
            "Aprenda lo básico: qué puede decir su contrato, los avisos de aumento de renta, "
            "cómo conseguir reparaciones, su depósito de seguridad y qué hacer si recibe un "
            "aviso de desalojo. **Tercer sábado de cada mes, 11 am–12:30 pm**. Gratis; "
            "almuerzo y cuidado de niños incluidos.",
            audience="inquilinos hispanohablantes", location=_T_AT,
            schedule=[(["Saturday"], "11:00", "12:30")], phone="(503) 555-0780",
        ),
        _post(
            "t6", "Organize Your Building: Tenant Association Training",
            "Learn how to start a tenant association with your neighbors.",
            "A two-part training for renters who want to act together: talking with "
            "neighbors door to door, holding a first meeting, writing a group demand letter "
            "and your protection against retaliation. **Two Tuesday evenings, 6:30–8:30 "
            "pm**, offered every quarter; dinner provided. An organizer can follow up with "
            "your building afterward.",
            audience="renters", location=_T_AT,
            schedule=[(["Tuesday"], "18:30", "20:30")], phone="(503) 555-0780",
        ),
        _post(
            "t7", "Court Watch Volunteers",
            "Observe eviction hearings and support tenants at the county courthouse.",
            "Volunteers sit in on the eviction docket **Tuesday and Thursday mornings, "
            "8:30 am–noon**, record what happens for our reports, and point tenants without "
            "a lawyer to our Eviction Defense Clinic and the courthouse legal aid desk. "
            "One-hour online training; commit to two mornings a month.",
            audience="volunteers", location="Eastlake County Courthouse, 200 Main St, Room 208",
            schedule=[(["Tuesday", "Thursday"], "08:30", "12:00")],
            phone="(503) 555-0785", email="volunteer@eastlaketenants.org",
        ),
        _post(
            "t8", "Rent Assistance Application Help",
            "Help applying for emergency rental assistance if you're behind on rent.",
            "If you owe back rent, our navigators help you apply for the county's emergency "
            "rental assistance and other funds, gather your documents, and talk with your "
            "landlord about a payment plan. **Fridays 10 am–2 pm**, walk-in or by "
            "appointment. Bring your lease, ID, proof of income and any past-due notice.",
            audience="renters behind on rent", location=_T_AT,
            schedule=[(["Friday"], "10:00", "14:00")], phone="(503) 555-0780",
        ),
        _post(
            "t9", "Manufactured Home Residents' Rights Workshop",
            "A free workshop for people who own a manufactured home and rent the lot.",
            "Residents of manufactured home parks learn their rights on lot rent increases, "
            "park rules, selling a home in place, and what happens if the park is sold or "
            "closed. Held quarterly on a **Saturday, 10 am–noon** at the Lakeview Grange "
            "Hall; we bring the workshop to your park's clubhouse on request.",
            audience="manufactured home owners who rent their lot",
            location="Lakeview Grange Hall, 4100 Lakeview Rd",
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(503) 555-0780",
        ),
        _post(
            "t10", "Eviction help",
            "Got court papers? Come Wed 5–7pm to our office on Grand Ave. Volunteer lawyers "
            "can help you respond. Free, no appt.",
        ),
        _post(
            "t11", "Tenant hotline",
            "📞🏠 Landlord ignoring your repair requests? Got a rent increase that doesn't look "
            "right? Call our FREE Tenant Hotline Mon–Thu 10–4: (503) 555-0780. ¡Hablamos "
            "español! ✊ #TenantPower #RentersRights #Eastlake",
        ),
        _post(
            "t12", "Clínica de Defensa contra Desalojos",
            "Ayuda gratuita para inquilinos que recibieron papeles de desalojo de la corte.",
            "Si recibió una citación por un caso de desalojo, venga a nuestra clínica antes "
            "de su primera fecha en la corte. Abogados voluntarios revisan sus papeles, le "
            "ayudan a presentar una respuesta y le explican sus defensas. **Miércoles de 5 a "
            "7 pm**, sin cita; traiga todos los papeles que recibió. Hay intérpretes.",
            audience="inquilinos con un caso de desalojo", location=_T_AT,
            schedule=[(["Wednesday"], "17:00", "19:00")], phone="(503) 555-0780",
        ),
    ],
    [["t3", "t10", "t12"], ["t1", "t11"]],
    [
        ("t1", "t2", "calling the hotline vs staffing it as a volunteer"),
        ("t4", "t5", "English workshop first Tuesday vs Spanish one third Saturday"),
        ("t3", "t7", "eviction clinic vs court watch volunteering"),
        ("t3", "t8", "eviction defense vs rent assistance applications"),
        ("t4", "t6", "know-your-rights workshop vs organizing training, Tuesday evenings"),
        ("t4", "t9", "renters' workshop vs manufactured home residents' workshop"),
    ],
)  # fmt: skip

_R_AT = "Northside Tool Library, 1120 N Kilbourn St (rear building)"
_TOOLS = ProbeOrg(
    "Northside Tool Library & Repair Café",
    [
        _post(
            "r1", "Borrow Tools",
            "Borrow from more than 2,000 tools with a yearly membership.",
            "Drills, saws, ladders, pressure washers, lawn mowers, carpet cleaners, kitchen "
            "gear and camping equipment. Borrow up to five items for **one week**. "
            "Membership is **$40 a year, sliding scale down to $0**; bring a photo ID and "
            "proof of address to sign up. Open **Wednesdays 5–8 pm and Saturdays 10 am–2 "
            "pm**.",
            location=_R_AT,
            schedule=[(["Wednesday"], "17:00", "20:00"), (["Saturday"], "10:00", "14:00")],
            phone="(414) 555-0860", website="https://northsidetools.org/borrow",
        ),
        _post(
            "r2", "Spring Tool Donation Drive",
            "Donate your gently used tools during spring cleaning.",
            "Cleaning out the garage? Through April 30 we're collecting working hand tools, "
            "power tools, garden tools and ladders. Bring them during open hours, "
            "**Wednesdays 5–8 pm and Saturdays 10 am–2 pm**. We can't accept gas cans, "
            "chemicals, paint or tools with frayed cords. Donations are tax-deductible.",
            location=_R_AT,
            schedule=[(["Wednesday"], "17:00", "20:00"), (["Saturday"], "10:00", "14:00")],
            phone="(414) 555-0860", website="https://northsidetools.org/donate",
        ),
        _post(
            "r3", "Repair Café",
            "Bring your broken stuff and fix it with a volunteer fixer – free.",
            "Lamps, toasters, vacuum cleaners, torn jeans, wobbly chairs, dull knives and "
            "laptops that won't boot: volunteer fixers work *with* you to repair them. "
            "**Second Saturday of every month, 10 am–1 pm** in the workshop. Free; one item "
            "per person until the line clears. Last sign-in at 12:30.",
            location=_R_AT, schedule=[(["Saturday"], "10:00", "13:00")],
            phone="(414) 555-0860", website="https://northsidetools.org/repair-cafe",
        ),
        _post(
            "r4", "Volunteer Fixers Wanted",
            "Share your repair skills at our monthly Repair Café.",
            "We're looking for people who can fix small appliances, electronics, clothing, "
            "furniture and jewelry – and who like teaching. Fixers volunteer at the Repair "
            "Café on the **second Saturday, 9:30 am–1:30 pm**, as often as they like. Bring "
            "your favorite tools; we supply the bench, parts and coffee. Fill out the fixer "
            "form online.",
            audience="volunteers with repair skills", location=_R_AT,
            schedule=[(["Saturday"], "09:30", "13:30")],
            website="https://northsidetools.org/repair-cafe",
        ),
        _post(
            "r5", "Intro to Woodworking",
            "A three-week beginners' class in our workshop.",
            "Learn to use a table saw, miter saw, drill press and hand planes safely, and "
            "build a small step stool to take home. **Thursdays 6–8:30 pm**, three weeks, "
            "six students at most. $75 including materials; members $60. Ages 16+.",
            audience="adults and teens 16+", location=_R_AT,
            schedule=[(["Thursday"], "18:00", "20:30")], phone="(414) 555-0860",
            website="https://northsidetools.org/classes",
        ),
        _post(
            "r6", "Mending Circle",
            "Learn to mend your own clothes; needles and thread provided.",
            "Bring a garment with a hole, a lost button or a split seam and learn "
            "hand-sewing and visible mending (darning, sashiko patches) alongside your "
            "neighbors. A volunteer tailor teaches a new technique each month. **Fourth "
            "Tuesday, 6–8 pm**. Free; sewing machines available.",
            location=_R_AT, schedule=[(["Tuesday"], "18:00", "20:00")],
            phone="(414) 555-0860",
        ),
        _post(
            "r7", "Youth Build Club",
            "Hands-on building projects for kids ages 9–13.",
            "Kids learn to measure, saw, drill and sand while building a birdhouse, a "
            "toolbox and a small bench over the session. **Saturdays 10 am–noon**, six weeks "
            "in fall and in spring. $40 per session; scholarships available. Closed-toe "
            "shoes required; safety glasses provided.",
            audience="children ages 9-13", location=_R_AT,
            schedule=[(["Saturday"], "10:00", "12:00")], phone="(414) 555-0860",
            website="https://northsidetools.org/classes",
        ),
        _post(
            "r8", "Earth Day Pop-Up Repair Café at Lincoln Park",
            "Our Repair Café goes on the road for Earth Day.",
            "Fixers set up under the pavilion at Lincoln Park, 1301 W Hampton Ave, on "
            "**Saturday, April 24, 2027, 11 am–3 pm**, next to the city's e-waste "
            "recycling and a seed swap. Bring lamps, small appliances, bikes and clothing. "
            "Free.",
            location="Lincoln Park Pavilion, 1301 W Hampton Ave", phone="(414) 555-0860",
            website="https://northsidetools.org/repair-cafe",
        ),
        _post(
            "r9", "Bike Fix-It Night",
            "Fix your own bike with help from volunteer mechanics.",
            "Use our bike stands, tools and pumps and get coaching from volunteer mechanics "
            "on flats, brakes, gears and chains. Parts at cost. **First Wednesday of the "
            "month, 6–8 pm** in the workshop. Free; all ages, kids under 12 with an adult.",
            location=_R_AT, schedule=[(["Wednesday"], "18:00", "20:00")],
            phone="(414) 555-0860",
        ),
        _post(
            "r10", "Tool library hours",
            "Wed 5–8pm, Sat 10–2. Membership $40/yr, sliding scale (pay what you can). Bring "
            "ID + proof of address to join and start borrowing.",
        ),
        _post(
            "r11", "Repair Café this Saturday",
            "🔧💡 REPAIR CAFÉ is this Saturday! Don't toss that broken toaster, lamp or ripped "
            "jacket – bring it in and our fixers will help you repair it. 10am–1pm at the "
            "workshop, free! ♻️ #RepairCafe #FixItDontDitchIt #NorthsideToolLibrary",
        ),
        _post(
            "r12", "Beginner Woodshop Class",
            "Three Thursday evenings in the shop; go home with a step stool you built.",
            "Formerly \"Intro to Woodworking\". Thursdays 6–8:30 for three weeks: table saw, "
            "miter saw and drill press safety, then build your own step stool. Six students "
            "max, $75 ($60 for members).",
            location="Northside Tool Library",
        ),
    ],
    [["r1", "r10"], ["r3", "r11"], ["r5", "r12"]],
    [
        ("r1", "r2", "borrowing tools vs donating tools, same open hours"),
        ("r3", "r4", "bringing an item to fix vs volunteering as a fixer"),
        ("r5", "r7", "adult woodworking class vs youth build club"),
        ("r3", "r8", "monthly Repair Café vs Earth Day pop-up at a park"),
        ("r3", "r6", "repair café vs learn-to-mend circle"),
        ("r3", "r9", "repair café vs bike fix-it night"),
    ],
)  # fmt: skip

PROBE_I: tuple[ProbeOrg, ...] = (_MEALS, _DEAF, _VIET, _TENANTS, _TOOLS)

if __name__ == "__main__":
    sys.exit(report(PROBE_I))
