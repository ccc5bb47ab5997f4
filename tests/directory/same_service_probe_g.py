"""A seventh probe of the service judgement, written beside the sixth and committed before it
was scored, by a writer who had not read the judgement's rules or word lists: five
organizations of kinds the earlier probes do not use (an Australian neighbourhood centre
that writes in Australian English with local phone numbers, a Latino community
organization that posts mostly in Spanish, an LGBTQ+ community center, a peer-run recovery
community center and a museum's education department), 30 look-alike pairs (one
organization, two real services a careless reader would merge: one room or slot,
template wording, another audience, subject, role (use, volunteer or donate), modality,
term, site or step of a process) and 15 duplicate pairs written as duplicates arise (a
hand-typed terse post and an extracted long one, a Facebook or Instagram caption and the
website's page, a renamed programme, a calendar listing of a standing session, an English
page of a Spanish service, missing fields, the schedule only in the text or in another
format).

Run with `.venv/bin/python -m tests.directory.same_service_probe_g`.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import sys

from tests.directory.same_service_probe import WEEKDAYS, ProbeOrg, _post, report

_W_AT = "Wattle Grove Neighbourhood Centre, 14 Banksia St, Wattle Grove NSW"
_WATTLE = ProbeOrg(
    "Wattle Grove Neighbourhood Centre",
    [
        _post(
            "w1", "Playgroup",
            "A relaxed weekly playgroup for babies and children 0–5 and their carers.",
            "Come along to the main hall for messy play, sandpit, music and morning tea. "
            "Parents, grandparents and carers are all welcome and it's a great way to meet "
            "other local families. **Tuesdays 9.30–11.30am during school terms.** Gold coin "
            "donation; please bring a piece of fruit to share.",
            audience="children 0-5 and their parents and carers", location=_W_AT,
            schedule=[(["Tuesday"], "09:30", "11:30")], phone="(02) 5550 1430",
            website="https://wattlegrovenc.org.au/playgroup",
        ),
        _post(
            "w2", "Arabic–English Bilingual Playgroup",
            "A playgroup for families who speak Arabic at home.",
            "Play, songs and stories in Arabic and English, led by our bilingual family "
            "worker. Families can also get help with Centrelink, Medicare and enrolling in "
            "preschool. **Thursdays 9.30–11.30am during school terms** in the main hall. "
            "Free; morning tea provided.",
            audience="Arabic-speaking families with children 0-5", location=_W_AT,
            schedule=[(["Thursday"], "09:30", "11:30")], phone="(02) 5550 1430",
            website="https://wattlegrovenc.org.au/playgroup",
        ),
        _post(
            "w3", "Low Cost Food Pantry",
            "Groceries, fruit and veg at a fraction of supermarket prices.",
            "Our pantry is stocked with groceries, bread, fruit and vegetables and toiletries. "
            "Fill a bag for $10 or choose items individually. Open to anyone holding a "
            "Health Care Card, Pensioner Concession Card or student card. **Wednesdays "
            "10am–1pm.**",
            audience="Health Care Card, pensioner and student card holders", location=_W_AT,
            schedule=[(["Wednesday"], "10:00", "13:00")], phone="(02) 5550 1430",
        ),
        _post(
            "w4", "Pantry Volunteers Needed",
            "Help unpack deliveries and serve customers in our low cost food pantry.",
            "We're looking for friendly volunteers to unpack and shelve the Tuesday "
            "afternoon delivery (**1–4pm**) or to help on the till and packing bags on "
            "**Wednesdays 9.30am–1.30pm**. No experience needed; you'll need to be able to "
            "lift boxes up to 10 kg. Contact our volunteer coordinator.",
            audience="volunteers", location=_W_AT,
            schedule=[(["Tuesday"], "13:00", "16:00"), (["Wednesday"], "09:30", "13:30")],
            phone="(02) 5550 1431", email="volunteer@wattlegrovenc.org.au",
        ),
        _post(
            "w5", "Tax Help",
            "Free help lodging your tax return online, July to October.",
            "Trained ATO-accredited volunteers help you lodge your tax return online through "
            "myGov. For people earning around $60,000 or less with simple tax affairs. "
            "Appointments are available **Monday–Friday 9am–3pm from July to the end of "
            "October**. Bring your myGov login, bank details and income statements.",
            audience="people earning around $60,000 or less", location=_W_AT,
            schedule=[(WEEKDAYS, "09:00", "15:00")], phone="(02) 5550 1432",
        ),
        _post(
            "w6", "Financial Counselling",
            "Free, confidential help with debt, bills and money worries.",
            "A qualified financial counsellor can help you deal with debts, negotiate with "
            "creditors and utility companies, apply for hardship arrangements and make a "
            "budget. **Thursdays by appointment.** Free, independent and confidential.",
            audience="anyone struggling with debt or bills", location=_W_AT,
            schedule=[(["Thursday"], "09:00", "16:00")], phone="(02) 5550 1432",
        ),
        _post(
            "w7", "Getting Started with Your Smartphone",
            "A small-group course for older people new to smartphones.",
            "Learn to make calls, send texts and photos, video call the grandkids and keep "
            "your phone up to date. Bring your own Android phone or iPhone. Six weeks, "
            "**Mondays 10am–12pm, Term 2**, in the training room. $20 for the course.",
            audience="seniors", location=_W_AT,
            schedule=[(["Monday"], "10:00", "12:00")], phone="(02) 5550 1430",
        ),
        _post(
            "w8", "Staying Safe Online",
            "A small-group course on avoiding scams and protecting your personal details.",
            "Learn to spot scam texts, emails and phone calls, create strong passwords, shop "
            "and bank online safely and set up myGov securely. Six weeks, **Mondays "
            "10am–12pm, Term 3**, in the training room. $20 for the course.",
            audience="seniors", location=_W_AT,
            schedule=[(["Monday"], "10:00", "12:00")], phone="(02) 5550 1430",
        ),
        _post(
            "w9", "Community Lunch",
            "A two-course lunch every Friday, cooked by our volunteers.",
            "Everyone is welcome at our Friday community lunch. Enjoy a hot main and "
            "dessert, a cuppa and a chat. **Fridays 12–1.30pm** in the main hall. $5, or "
            "free if you're doing it tough – just let us know.",
            location=_W_AT, schedule=[(["Friday"], "12:00", "13:30")],
            phone="(02) 5550 1430",
        ),
        _post(
            "w10", "Christmas Day Lunch 2026",
            "A free Christmas Day lunch for anyone who'd otherwise be on their own.",
            "Join us on **Friday 25 December 2026, 11.30am–2.30pm** in the main hall for a "
            "traditional Christmas lunch with all the trimmings, carols and a visit from "
            "Santa. Free. Bookings essential so we can cater – transport can be arranged.",
            location=_W_AT, phone="(02) 5550 1430",
        ),
        _post(
            "w11", "Christmas Hamper Appeal 2026",
            "Donate non-perishable food and gifts for local families this Christmas.",
            "Help us fill 200 hampers for local families doing it tough. Drop off "
            "non-perishable food, Christmas treats and new unwrapped gifts at reception "
            "**Monday–Friday 9am–4pm until Friday 11 December**. Most needed: tinned ham, "
            "long-life custard, and gifts for teenagers.",
            location=_W_AT, schedule=[(WEEKDAYS, "09:00", "16:00")],
            phone="(02) 5550 1430",
        ),
        _post(
            "w12", "Playgroup is back for Term 1!",
            "Playgroup is back for Term 1! 🧸🎨 Tuesdays 9.30–11.30 in the hall. Gold coin "
            "donation and bring a piece of fruit to share 🍎 All bubs and littlies 0–5 "
            "welcome, plus mums, dads, nans and pops! #WattleGrove #playgroup "
            "#neighbourhoodcentre",
        ),
        _post(
            "w13", "Free tax help",
            "Free help lodging your tax return online. July to end Oct, appointments only. "
            "Ring reception on 02 5550 1432.",
        ),
        _post(
            "w14", "Wattle Grove Food Hub",
            "Our low cost pantry has a new name – the Wattle Grove Food Hub!",
            "Same great value, new name. The Food Hub is open Wednesday mornings, 10 till 1, "
            "for concession and student card holders. $10 a bag for groceries, fruit, veg "
            "and toiletries.",
            location="14 Banksia St",
        ),
    ],
    [["w1", "w12"], ["w5", "w13"], ["w3", "w14"]],
    [
        ("w1", "w2", "general playgroup vs Arabic bilingual playgroup, one hall and time"),
        ("w3", "w4", "shopping at the pantry vs volunteering in it"),
        ("w5", "w6", "tax return help vs financial counselling, one booking line"),
        ("w7", "w8", "smartphone course vs online safety course, one room, other term"),
        ("w9", "w10", "weekly community lunch vs Christmas Day lunch"),
        ("w10", "w11", "attending Christmas lunch vs donating to the hamper appeal"),
    ],
)  # fmt: skip

_C_AT = "Centro Latino del Valle, 1520 E Belmont Ave, Fresno"
_CENTRO = ProbeOrg(
    "Centro Latino del Valle",
    [
        _post(
            "c1", "Preparación de Impuestos Gratuita",
            "Voluntarios certificados por el IRS preparan su declaración de impuestos gratis.",
            "Si su familia ganó menos de $67,000 en 2025, le preparamos y enviamos su "
            "declaración sin costo por medio del programa VITA. **Sábados de 9 am a 1 pm, "
            "del 7 de febrero al 11 de abril de 2026.** Solo con cita. Traiga su "
            "identificación, tarjetas de Seguro Social o ITIN de toda la familia y sus "
            "formularios W-2 o 1099.",
            audience="familias con ingresos menores de $67,000", location=_C_AT,
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(559) 555-0160",
            website="https://centrolatinodelvalle.org/impuestos",
        ),
        _post(
            "c2", "Solicitud y Renovación de ITIN",
            "Ayuda para solicitar o renovar su Número de Identificación Personal del "
            "Contribuyente.",
            "Nuestro Agente de Certificación Aceptante (CAA) revisa sus documentos y envía "
            "la solicitud W-7 al IRS, para que no tenga que mandar su pasaporte original por "
            "correo. **Sábados de 9 am a 1 pm, febrero a abril**, solo con cita. Costo: $25 "
            "por persona.",
            audience="personas que necesitan un ITIN", location=_C_AT,
            schedule=[(["Saturday"], "09:00", "13:00")], phone="(559) 555-0160",
            website="https://centrolatinodelvalle.org/impuestos",
        ),
        _post(
            "c3", "Clases de Inglés – Nivel Básico",
            "Clases de inglés gratuitas para adultos que están empezando.",
            "Aprenda a presentarse, hacer citas, hablar con el doctor y con la escuela de sus "
            "hijos. **Lunes y miércoles de 6 a 8 pm.** No necesita saber nada de inglés. "
            "Gratis, con cuidado de niños. Inscríbase en la recepción.",
            audience="adultos", location=_C_AT,
            schedule=[(["Monday", "Wednesday"], "18:00", "20:00")], phone="(559) 555-0160",
        ),
        _post(
            "c4", "Clases de Ciudadanía",
            "Prepárese para su entrevista y examen de ciudadanía.",
            "Repasamos las 100 preguntas de historia y gobierno, practicamos la entrevista y "
            "la lectura y escritura en inglés. **Martes y jueves de 6 a 8 pm**, 10 semanas. "
            "Gratis, con cuidado de niños. Inscríbase en la recepción.",
            audience="residentes permanentes", location=_C_AT,
            schedule=[(["Tuesday", "Thursday"], "18:00", "20:00")], phone="(559) 555-0160",
        ),
        _post(
            "c5", "Ayuda para Inscribirse en Medi-Cal y Covered California",
            "Nuestras promotoras de salud le ayudan a solicitar seguro médico.",
            "Le ayudamos a ver si califica para Medi-Cal o Covered California, a llenar la "
            "solicitud y a renovar su cobertura. También ayudamos con CalFresh. **Lunes a "
            "viernes de 9 am a 5 pm**, con cita o sin cita. Gratis y confidencial.",
            location=_C_AT, schedule=[(WEEKDAYS, "09:00", "17:00")],
            phone="(559) 555-0162",
        ),
        _post(
            "c6", "Feria de Salud Comunitaria 2026",
            "Exámenes de salud gratuitos, vacunas y actividades para toda la familia.",
            "**Sábado 3 de octubre de 2026, de 10 am a 2 pm**, en el estacionamiento del "
            "Centro. Chequeo de presión y azúcar, vacunas contra la gripe, exámenes de la "
            "vista, información de clínicas y seguro médico, comida y rifas. Gratis, todos "
            "son bienvenidos.",
            location=_C_AT, phone="(559) 555-0162",
        ),
        _post(
            "c7", "Se Buscan Voluntarios para la Feria de Salud",
            "Ayúdenos a recibir a las familias en la Feria de Salud del 3 de octubre.",
            "Necesitamos voluntarios bilingües para registrar a los participantes, guiar a "
            "las familias a las mesas, y montar y desmontar carpas. Turnos de **8 am a 12 pm "
            "y de 11 am a 3 pm** el sábado 3 de octubre de 2026. Mayores de 16 años. "
            "Regístrese en línea.",
            audience="voluntarios mayores de 16 años", location=_C_AT,
            phone="(559) 555-0162",
            website="https://centrolatinodelvalle.org/voluntarios",
        ),
        _post(
            "c8", "Taller para Padres: Listos para el Kínder",
            "Un taller para padres de niños de 3 a 5 años.",
            "Aprenda cómo preparar a su hijo para el kínder: rutinas, lectura en casa, cómo "
            "inscribirlo en la escuela y cómo hablar con la maestra. Seis sesiones, **martes "
            "de 10 am a 12 pm**. Los niños juegan en el salón de al lado mientras usted está "
            "en clase.",
            audience="padres de niños de 3 a 5 años", location=_C_AT,
            schedule=[(["Tuesday"], "10:00", "12:00")], phone="(559) 555-0160",
        ),
        _post(
            "c9", "Tutoría de Tareas",
            "Ayuda con las tareas para estudiantes de primaria y secundaria.",
            "Tutores voluntarios ayudan a los estudiantes de 1.º a 8.º grado con sus tareas "
            "de matemáticas, lectura e inglés. **Lunes a jueves de 3:30 a 5:30 pm.** "
            "Merienda incluida. Gratis; los padres deben llenar un formulario.",
            audience="estudiantes de 1.º a 8.º grado", location=_C_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "15:30", "17:30")],
            phone="(559) 555-0160",
        ),
        _post(
            "c10", "Colecta de Útiles Escolares",
            "Done útiles escolares para los estudiantes de nuestra comunidad.",
            "Estamos juntando mochilas nuevas, cuadernos, lápices, colores y calculadoras "
            "para el regreso a clases. Traiga sus donaciones a la recepción **de lunes a "
            "viernes, 9 am a 5 pm, hasta el 31 de julio de 2026**.",
            location=_C_AT, schedule=[(WEEKDAYS, "09:00", "17:00")],
            phone="(559) 555-0160",
        ),
        _post(
            "c11", "Entrega de Mochilas 2026",
            "Mochilas gratis con útiles escolares para el regreso a clases.",
            "**Sábado 8 de agosto de 2026, de 9 am a 12 pm** o hasta agotar existencias. "
            "Cada estudiante de kínder a 12.º grado recibe una mochila con útiles. El "
            "estudiante debe estar presente. Cortes de pelo gratis.",
            audience="estudiantes de kínder a 12.º grado", location=_C_AT,
            phone="(559) 555-0160",
        ),
        _post(
            "c12", "Free Tax Preparation (VITA)",
            "IRS-certified volunteers prepare and e-file your tax return for free.",
            "Households that earned under $67,000 in 2025 can get their federal and state "
            "returns prepared free of charge. **Saturdays, Feb 7 – Apr 11, 2026, "
            "9 am–1 pm**, by appointment only. Bring photo ID, Social Security cards or "
            "ITINs for everyone on the return, and all W-2s and 1099s. Se habla español.",
            location=_C_AT, schedule=[(["Saturday"], "09:00", "13:00")],
            phone="(559) 555-0160", website="https://centrolatinodelvalle.org/en/taxes",
        ),
        _post(
            "c13", "¡Clases de inglés GRATIS!",
            "📚 ¡Clases de inglés GRATIS! Lunes y miércoles 6-8pm aquí en el Centro 🇺🇸✏️ "
            "Nivel básico, no necesita saber nada de inglés. Hay cuidado de niños 👶 "
            "Inscríbase en la recepción #CentroLatino #ClasesDeInglés #Fresno",
        ),
        _post(
            "c14", "Health insurance sign up help",
            "Medi-Cal / Covered CA enrollment + renewals, CalFresh too. M-F 9-5, walk-ins "
            "ok. Ask for a promotora. 559-555-0162",
        ),
    ],
    [["c1", "c12"], ["c3", "c13"], ["c5", "c14"]],
    [
        ("c1", "c2", "free tax preparation vs paid ITIN application, one Saturday slot"),
        ("c2", "c12", "ITIN application vs English page of the tax preparation"),
        ("c3", "c4", "English class vs citizenship class, same template"),
        ("c6", "c7", "attending the health fair vs volunteering at it"),
        ("c8", "c9", "kindergarten-readiness class for parents vs homework help for kids"),
        ("c10", "c11", "donating school supplies vs receiving a backpack"),
    ],
)  # fmt: skip

_L_AT = "Prism LGBTQ+ Community Center, 2210 N Main St"
_PRISM = ProbeOrg(
    "Prism LGBTQ+ Community Center",
    [
        _post(
            "l1", "Trans & Nonbinary Support Group",
            "A weekly peer support group for transgender, nonbinary and questioning adults.",
            "A confidential, peer-facilitated space to talk about coming out, transition, "
            "family, work and everything in between. All identities and stages welcome; no "
            "need to register. **Tuesdays 7–8:30 pm** in Room B.",
            audience="trans, nonbinary and questioning adults 18+", location=_L_AT,
            schedule=[(["Tuesday"], "19:00", "20:30")], phone="(614) 555-0180",
        ),
        _post(
            "l2", "Parents of Trans Youth Support Group",
            "A support group for parents and caregivers of transgender and nonbinary kids.",
            "Parents and caregivers share experiences, resources and encouragement, "
            "facilitated by a parent volunteer and a licensed counselor. **Second and fourth "
            "Tuesdays, 7–8:30 pm** in Room A. Confidential; no need to register.",
            audience="parents and caregivers of trans and nonbinary youth", location=_L_AT,
            schedule=[(["Tuesday"], "19:00", "20:30")], phone="(614) 555-0180",
        ),
        _post(
            "l3", "Youth Drop-In",
            "A safe after-school space for LGBTQ+ youth ages 13–18.",
            "Hang out, play games, get homework help, grab a snack and meet other queer and "
            "trans teens. Staff and trained volunteers are always on site. **Monday–Thursday "
            "3–6 pm.** Free; no parent permission required to attend.",
            audience="LGBTQ+ youth ages 13-18", location=_L_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "15:00", "18:00")],
            phone="(614) 555-0182",
        ),
        _post(
            "l4", "Young Adult Hangout (18–24)",
            "A social night for LGBTQ+ young adults ages 18–24.",
            "Games, movie nights, karaoke and a monthly potluck, plus support finding "
            "housing, jobs and health care if you need it. **Fridays 6–9 pm.** Free, "
            "substance-free space.",
            audience="LGBTQ+ young adults ages 18-24", location=_L_AT,
            schedule=[(["Friday"], "18:00", "21:00")], phone="(614) 555-0182",
        ),
        _post(
            "l5", "Name & Gender Marker Change Clinic",
            "Free legal help changing your name and gender marker.",
            "Volunteer attorneys help you fill out the probate court name-change petition, "
            "update the gender marker on your driver's license, birth certificate and "
            "passport, and update your Social Security record. **First Saturday of each "
            "month, 10 am–2 pm**, by appointment.",
            audience="transgender and nonbinary people", location=_L_AT,
            schedule=[(["Saturday"], "10:00", "14:00")], phone="(614) 555-0184",
            website="https://prismcenter.org/legal",
        ),
        _post(
            "l6", "Name Change Fee Assistance",
            "Grants to cover court filing fees for a legal name change.",
            "Can't afford the court costs? Our fund pays probate court filing and "
            "publication fees (up to $250) and the cost of new ID documents for trans and "
            "nonbinary people. Apply online; decisions within two weeks.",
            audience="transgender and nonbinary people", phone="(614) 555-0184",
            website="https://prismcenter.org/legal",
        ),
        _post(
            "l7", "Gender-Affirming Clothing Closet",
            "Free clothing, shoes, binders and accessories for trans and nonbinary people.",
            "Shop our closet in private with a volunteer who can help with sizing. Take what "
            "you need, free. New binders, gaffs and shapewear are available by request. "
            "**Saturdays 12–3 pm**, by appointment.",
            audience="trans and nonbinary people", location=_L_AT,
            schedule=[(["Saturday"], "12:00", "15:00")], phone="(614) 555-0180",
        ),
        _post(
            "l8", "Donate to the Clothing Closet",
            "Give clean, gently used clothing and shoes to our gender-affirming closet.",
            "We accept clean, gently used clothes in all sizes (especially larger sizes), "
            "shoes, wigs, makeup and accessories. We can't take used binders or underwear. "
            "Drop off at the front desk **Monday–Friday 10 am–6 pm**.",
            location=_L_AT, schedule=[(WEEKDAYS, "10:00", "18:00")],
            phone="(614) 555-0180",
        ),
        _post(
            "l9", "Pride Festival 2026",
            "Music, vendors, food and community at our annual Pride Festival.",
            "Join us on **Saturday, June 13, 2026, 11 am–8 pm** at Riverside Park for two "
            "stages of live music, drag performances, 100+ vendors and community groups, a "
            "family area and a sober space. Free admission.",
            location="Riverside Park", phone="(614) 555-0186",
            website="https://prismcenter.org/pride",
        ),
        _post(
            "l10", "Volunteer at Pride Festival 2026",
            "Sign up for a volunteer shift at our annual Pride Festival.",
            "We need 300 volunteers for set-up, info booths, water stations, the family "
            "area, and clean-up on **Saturday, June 13, 2026** at Riverside Park. Shifts are "
            "four hours; volunteers get a T-shirt and lunch. Ages 16+.",
            audience="volunteers ages 16+", location="Riverside Park",
            phone="(614) 555-0186", website="https://prismcenter.org/pride/volunteer",
        ),
        _post(
            "l11", "Queer Elders Lunch",
            "A monthly lunch and social for LGBTQ+ adults 55 and older.",
            "Share a hot lunch, catch up with friends and hear from a guest speaker. **Third "
            "Thursday of every month at noon.** Free; RSVP appreciated so we order enough "
            "food.",
            audience="LGBTQ+ adults 55+", location=_L_AT,
            schedule=[(["Thursday"], "12:00", "13:30")], phone="(614) 555-0180",
        ),
        _post(
            "l12", "Trans/NB Support Group",
            "Weekly, Tues 7pm, Room B. Peer-facilitated, drop in. Trans, nonbinary and "
            "questioning folks 18+.",
            location="Room B",
        ),
        _post(
            "l13", "Youth Drop-In is open!!",
            "Youth Drop-In is open!! 🌈✨ Mon–Thurs 3–6 after school: snacks, games, "
            "homework help and just chilling with your people 💜 13–18 only. See you "
            "there! #PrismYouth #QueerYouth #SafeSpace",
        ),
        _post(
            "l14", "ID Documents Clinic",
            "Our Name & Gender Marker Change Clinic is now the ID Documents Clinic!",
            "Same volunteer attorneys, same first-Saturday appointments (10–2), new name. "
            "We help with name-change petitions, gender markers on your license, birth "
            "certificate and passport, and Social Security updates. Book online.",
            schedule=[(["Saturday"], "10:00", "14:00")],
            website="https://prismcenter.org/legal",
        ),
    ],
    [["l1", "l12"], ["l3", "l13"], ["l5", "l14"]],
    [
        ("l1", "l2", "trans adults' group vs parents of trans youth group, one Tuesday slot"),
        ("l2", "l12", "parents' group vs the trans group's calendar listing"),
        ("l3", "l4", "teen drop-in vs young adult night"),
        ("l5", "l6", "legal name-change clinic vs fee assistance fund"),
        ("l7", "l8", "getting clothes from the closet vs donating to it"),
        ("l9", "l10", "attending Pride vs volunteering at it"),
    ],
)  # fmt: skip

_R_AT = "Crossroads Recovery Community Center, 77 Canal St"
_CROSSROADS = ProbeOrg(
    "Crossroads Recovery Community Center",
    [
        _post(
            "r1", "All Recovery Meeting",
            "A peer-led meeting open to people in any pathway of recovery.",
            "Whether you're in a 12-step program, SMART Recovery, medication-assisted "
            "recovery, faith-based recovery or finding your own way, you're welcome here. "
            "**Monday, Wednesday and Friday, 12–1 pm** in the Community Room.",
            audience="people in or seeking recovery", location=_R_AT,
            schedule=[(["Monday", "Wednesday", "Friday"], "12:00", "13:00")],
            phone="(802) 555-0130",
        ),
        _post(
            "r2", "Family & Friends Support Group",
            "A peer-led group for people who love someone with a substance use disorder.",
            "Family members and friends share what's worked, learn about addiction and "
            "recovery, and take care of themselves. **Wednesdays 6:30–8 pm** in the "
            "Community Room. Open to all pathways; no need to register.",
            audience="family and friends of people with substance use disorders",
            location=_R_AT, schedule=[(["Wednesday"], "18:30", "20:00")],
            phone="(802) 555-0130",
        ),
        _post(
            "r3", "Talk to a Recovery Coach",
            "Free one-on-one support from a peer who's been there.",
            "Walk in Monday–Friday 9–5 or call.",
            location=_R_AT, phone="(802) 555-0130",
        ),
        _post(
            "r4", "Recovery Coach Training",
            "A five-day training for people who want to become peer recovery coaches.",
            "Learn the skills of recovery coaching: active listening, motivational "
            "interviewing, recovery planning, ethics and boundaries. Counts toward the 46 "
            "training hours for peer recovery support certification. **Five days, "
            "9 am–4:30 pm**, offered in March, June and October. $150; scholarships "
            "available. At least one year of personal recovery recommended.",
            audience="people in recovery and allies", location=_R_AT,
            phone="(802) 555-0133", website="https://crossroadsrecovery.org/training",
        ),
        _post(
            "r5", "Naloxone Training & Free Narcan Kits",
            "Learn to recognize and reverse an opioid overdose, and leave with a free kit.",
            "Our 15-minute training covers the signs of an overdose, how to give nasal "
            "naloxone (Narcan) and rescue breathing, and Good Samaritan protections. "
            "Everyone who completes it gets a free kit. **Thursdays 4–6 pm**, walk in.",
            location=_R_AT, schedule=[(["Thursday"], "16:00", "18:00")],
            phone="(802) 555-0130",
        ),
        _post(
            "r6", "Harm Reduction Vending Machine",
            "Free Narcan, fentanyl test strips and hygiene kits, 24/7.",
            "Our vending machine outside the front entrance dispenses free naloxone, "
            "fentanyl and xylazine test strips, safer-use supplies, hygiene kits and "
            "pregnancy tests any time, day or night. No questions asked, no ID needed – "
            "just enter the code 1-2-3-4.",
            location="77 Canal St, outside the front entrance",
        ),
        _post(
            "r7", "Friday Game Night",
            "Substance-free fun for anyone in or seeking recovery.",
            "Board games, cards, pool and a weekly Uno tournament, with coffee and pizza. "
            "**Fridays 6–9 pm.** Bring a friend.",
            audience="people in or seeking recovery", location=_R_AT,
            schedule=[(["Friday"], "18:00", "21:00")], phone="(802) 555-0130",
        ),
        _post(
            "r8", "Recovery Month 5K 2026",
            "Run or walk to celebrate recovery.",
            "Our annual 5K run and walk along the canal path celebrates National Recovery "
            "Month. **Saturday, September 19, 2026**; check-in 8 am, race starts 9 am. "
            "$25 adults, free for kids under 12. All paces welcome; strollers and dogs on "
            "leashes too.",
            location="Canal Street Park", website="https://crossroadsrecovery.org/5k",
        ),
        _post(
            "r9", "Volunteer for the Recovery Month 5K",
            "Help out on race day at our annual Recovery Month 5K.",
            "We need volunteers for registration, water stations, course marshals and the "
            "finish line on **Saturday, September 19, 2026**, 7–11 am at Canal Street Park. "
            "Free T-shirt and breakfast for volunteers.",
            audience="volunteers", location="Canal Street Park",
            website="https://crossroadsrecovery.org/5k",
        ),
        _post(
            "r10", "Telephone Recovery Support",
            "A free weekly check-in call from a trained recovery volunteer.",
            "Sign up and a trained volunteer, who is also in recovery, will call you once a "
            "week at a time that suits you to see how you're doing and connect you to "
            "resources. Great for people new to recovery, leaving treatment or in rural "
            "areas. Free.",
            audience="people in recovery", phone="(802) 555-0135",
        ),
        _post(
            "r11", "Volunteer: Telephone Recovery Support Caller",
            "Make weekly check-in calls to people in early recovery.",
            "Callers make 8–12 supportive calls a week from our call room, **Monday–Thursday "
            "10 am–2 pm**, after a 6-hour training. Must have at least one year in recovery. "
            "Apply online.",
            audience="volunteers with at least one year in recovery", location=_R_AT,
            schedule=[(["Monday", "Tuesday", "Wednesday", "Thursday"], "10:00", "14:00")],
            phone="(802) 555-0135",
        ),
        _post(
            "r12", "Narcan training",
            "thurs 4-6p, walk in. takes about 15 min and you go home with a free kit.",
        ),
        _post(
            "r13", "Game night tonight!",
            "Game night tonight! 🎲🃏 Every Friday 6–9 at Crossroads – coffee, pizza and "
            "our Uno tournament 🏆 Substance-free fun for anyone in or seeking recovery. "
            "Bring a friend! #RecoveryIsPossible #SoberFun",
        ),
        _post(
            "r14", "Peer Recovery Support Services",
            "One-on-one recovery coaching with trained peers who have lived experience.",
            "Our certified recovery coaches are people in long-term recovery themselves. "
            "They can help you set recovery goals, find treatment or recovery housing, apply "
            "for health insurance, and get to meetings. Coaching is free, confidential and "
            "supports all pathways to recovery. Walk in **Monday–Friday, 9 am–5 pm**, or "
            "call to set up a time.",
            audience="people in or seeking recovery and their families", location=_R_AT,
            schedule=[(WEEKDAYS, "09:00", "17:00")], phone="(802) 555-0130",
            website="https://crossroadsrecovery.org/coaching",
        ),
    ],
    [["r5", "r12"], ["r7", "r13"], ["r3", "r14"]],
    [
        ("r1", "r2", "all-recovery meeting vs family and friends group, one room"),
        ("r3", "r4", "getting a recovery coach vs training to become one"),
        ("r4", "r14", "recovery coach training vs peer recovery coaching"),
        ("r5", "r6", "naloxone training vs the harm reduction vending machine"),
        ("r8", "r9", "running the 5K vs volunteering at it"),
        ("r10", "r11", "receiving recovery support calls vs volunteering to make them"),
    ],
)  # fmt: skip

_M_AT = "Harlow Valley Museum of Art & History, 300 Museum Dr"
_MUSEUM = ProbeOrg(
    "Harlow Valley Museum of Art & History – Education",
    [
        _post(
            "m1", "Docent-Led School Tours",
            "Guided gallery tours for K–12 school groups.",
            "Trained docents lead your class through our art and history galleries with "
            "hands-on activities tied to state learning standards. Tours are 60–90 minutes, "
            "**Tuesday–Friday, starting 9:30 or 11 am**, for up to 60 students. Book at least "
            "three weeks ahead. Free for Title I schools; $3 per student otherwise. Bus "
            "scholarships available.",
            audience="K-12 school groups", location=_M_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday"], "09:30", "12:30")],
            phone="(319) 555-0170", email="tours@harlowmuseum.org",
            website="https://harlowmuseum.org/schools",
        ),
        _post(
            "m2", "Virtual Field Trips",
            "Live, interactive video tours of the museum for your classroom.",
            "A museum educator takes your class through the galleries over Zoom or Google "
            "Meet, with close looking, questions and a take-home art activity. 45 minutes, "
            "**Tuesday–Friday**, for grades K–12 anywhere. Book at least three weeks ahead. "
            "$75 per class; free for Title I schools.",
            audience="K-12 classrooms", phone="(319) 555-0170",
            email="tours@harlowmuseum.org", website="https://harlowmuseum.org/schools",
        ),
        _post(
            "m3", "Family Art Sundays",
            "Free drop-in art-making for families on the first Sunday of every month.",
            "Explore the galleries with a family activity guide, then make your own art in "
            "the Education Studio inspired by what you saw. Each month has a new theme. "
            "**First Sunday of the month, 1–4 pm.** Free, all ages, no registration.",
            audience="families, all ages", location=_M_AT,
            schedule=[(["Sunday"], "13:00", "16:00")], phone="(319) 555-0170",
        ),
        _post(
            "m4", "Toddler Art Lab",
            "A hands-on art class for children ages 2–4 and a grown-up.",
            "Little ones and their caregivers explore paint, clay and collage, read a "
            "picture book and take a short walk in the galleries. Four-week sessions, "
            "**Thursdays 10–11 am**, in the Education Studio. $40 per session for members, "
            "$55 for non-members. Registration required; messy clothes recommended!",
            audience="children ages 2-4 with an adult", location=_M_AT,
            schedule=[(["Thursday"], "10:00", "11:00")], phone="(319) 555-0170",
        ),
        _post(
            "m5", "Summer Art Camp: Ages 6–9",
            "Half-day summer art camp for young artists ages 6–9.",
            "Campers draw, paint, sculpt and print, inspired by works in our galleries, and "
            "show their art at a Friday gallery walk for families. Weekly sessions **June 15 "
            "– July 24, 2026, Monday–Friday 9 am–12 pm**. $175 per week ($150 members).",
            audience="children ages 6-9", location=_M_AT,
            schedule=[(WEEKDAYS, "09:00", "12:00")], phone="(319) 555-0170",
            website="https://harlowmuseum.org/camp",
        ),
        _post(
            "m6", "Summer Art Camp: Ages 10–13",
            "Half-day summer art camp for artists ages 10–13.",
            "Campers explore drawing, painting, printmaking and digital photography, "
            "inspired by works in our galleries, and show their art at a Friday gallery "
            "walk for families. Weekly sessions **June 15 – July 24, 2026, Monday–Friday "
            "1–4 pm**. $175 per week ($150 members).",
            audience="children ages 10-13", location=_M_AT,
            schedule=[(WEEKDAYS, "13:00", "16:00")], phone="(319) 555-0170",
            website="https://harlowmuseum.org/camp",
        ),
        _post(
            "m7", "Become a Docent",
            "Train to lead tours for school groups and visitors.",
            "Docents are volunteers who lead gallery tours for students and adults. Our "
            "training runs September through May, **Wednesdays 9:30 am–12 pm**, and covers "
            "art and local history, our collection and how to lead engaging, "
            "inquiry-based tours. After training, docents give at least two tours a month. "
            "No art background required. Applications due August 1.",
            audience="adult volunteers", location=_M_AT,
            schedule=[(["Wednesday"], "09:30", "12:00")], phone="(319) 555-0174",
            website="https://harlowmuseum.org/docents",
        ),
        _post(
            "m8", "Educator Workshop: Teaching with Objects",
            "A professional development workshop for K–12 teachers.",
            "Learn strategies for using art and historical objects to build observation, "
            "writing and critical thinking skills, and plan a visit to the museum with your "
            "class. **Saturday, October 10, 2026, 9 am–3 pm.** Lunch included; teachers earn "
            "6 continuing education hours. $25.",
            audience="K-12 teachers", location=_M_AT, phone="(319) 555-0170",
            email="tours@harlowmuseum.org",
        ),
        _post(
            "m9", "Art & Memory Tours",
            "Relaxed gallery tours for people living with dementia and their care partners.",
            "A trained docent leads a small group through a few works of art with "
            "conversation, music and memories – no right or wrong answers. Coffee "
            "afterward. **Second Tuesday of each month, 10:30–11:30 am.** Free; "
            "registration required.",
            audience="people living with dementia and their care partners", location=_M_AT,
            schedule=[(["Tuesday"], "10:30", "11:30")], phone="(319) 555-0170",
        ),
        _post(
            "m10", "Free Admission with EBT",
            "Free museum admission for families receiving SNAP benefits.",
            "Show your EBT card at the front desk for free admission for up to four people. "
            "Part of the national Museums for All program. Open **Tuesday–Sunday "
            "10 am–5 pm**.",
            audience="SNAP recipients", location=_M_AT,
            schedule=[(["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                       "10:00", "17:00")],
            phone="(319) 555-0170",
        ),
        _post(
            "m11", "School tours",
            "Docent-led, Tues–Fri mornings, K-12. Book at least 3 wks ahead. Free for "
            "Title I schools, $3/student for everyone else. Email tours@harlowmuseum.org",
        ),
        _post(
            "m12", "Family Art Sunday",
            "Recurring: first Sunday of each month, 1:00 PM – 4:00 PM. Education Studio. "
            "Drop-in art-making for all ages. Free.",
            location="Education Studio", schedule=[(["Sunday"], "13:00", "16:00")],
        ),
        _post(
            "m13", "Gallery Guide Training",
            "Our Docent program is now called Gallery Guides.",
            "Gallery Guides (formerly docents) are the volunteers who lead tours for school "
            "groups and visitors. The next training class starts in September and meets "
            "Wednesday mornings through May. Apply by August 1 – no art background needed!",
            audience="volunteers", website="https://harlowmuseum.org/docents",
        ),
    ],
    [["m1", "m11"], ["m3", "m12"], ["m7", "m13"]],
    [
        ("m1", "m2", "in-person school tours vs virtual field trips"),
        ("m3", "m4", "family drop-in art vs registered toddler class"),
        ("m5", "m6", "summer camp for ages 6-9 vs ages 10-13"),
        ("m1", "m7", "booking a docent tour vs training to be a docent"),
        ("m1", "m8", "school tours for students vs workshop for teachers"),
        ("m1", "m9", "school tours vs dementia-friendly tours"),
    ],
)  # fmt: skip

PROBE_G: tuple[ProbeOrg, ...] = (_WATTLE, _CENTRO, _PRISM, _CROSSROADS, _MUSEUM)

if __name__ == "__main__":
    sys.exit(report(PROBE_G))
