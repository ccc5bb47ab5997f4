"""The LLM engine's prompts, in one place so a change to any of them is one reviewed diff.

`PROMPT_VERSION` is part of the pass-1 memo key: bump it whenever a prompt changes what the
model would answer, or narratives cached under the old wording keep being reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sift.directory.extraction.reading import item_outline
from sift.directory.extraction.types import Narrative, PageInput, TagSet

PROMPT_VERSION = "llm-2026-12-2"

NARRATIVES_SYSTEM = """\
You read the pages of one organization (web pages and social media posts) and list the \
services it offers that a member of the public could attend, join or use: programs, \
classes, events, distributions, clinics, volunteer openings.

Rules:
- Go item by item. Each page comes with an outline of its candidate items (sections, and \
the paragraphs, rows or lines inside them that name something with a time, place, \
contact or way to take part); judge each in its page's context. An item the outline \
missed still counts.
- One narrative per distinct service. A page that describes one program with sections \
(What, When, Where, Who, Contact) is ONE service. A page listing several programs, \
activities, sites or events gives one narrative per item: one page can give many.
- Title each narrative by the thing itself ("Baby Storytime", "Toy drive at St. Dominic \
Church"), never by a section heading ("Programs & Activities", "Other ways to help", \
"Clinic Schedule").
- A news article's or a resource list's concrete offers (a date and a place, or a \
service and a contact) count although the publisher does not run them.
- A temporary closure with an alternative ("closed this week; call us for a delivery") \
gives the alternative, not the closure.
- The same service for a different audience (e.g. youth and adult soccer) is a different \
service.
- Skip what offers nothing to attend, join, use or give to: thank-you notes, holiday \
greetings, news and event recaps, opinion, staff spotlights, job ads for the \
organization's own staff, menus and sales, policies, spam, satire, pages about the \
organization itself.
- Skip one-off events dated before today's date (given in the input) and programs that \
ended, were cancelled, are paused or closed; a recurring event stays.
- Each narrative's text is a self-contained description in plain prose: what it is, for \
whom, when, where, how to take part, contact details. Copy phone numbers, e-mails, \
addresses, times and links exactly as written; never invent any.
- page_ids lists the ids of every page the narrative was read from, exactly as given in \
the input (e.g. "p3" or "p3#2"). Never cite an id that is not in the input.
- audience is one of the allowed audience values, or null when the service is for anyone.
"""

DEDUPE_SYSTEM = """\
You are given narratives extracted from different pages of one organization (its website \
and its social media). Several may describe the same real service in different words.

Return groups of narratives that describe the SAME service for the SAME audience; for each \
group write one merged narrative: the website's wording first, details that only the \
social posts give added after it. Be conservative: similar but distinct services (two \
different classes, youth and adult versions of a program, two separate events) are not \
the same service. Leave a narrative out of every group when nothing duplicates it.

Use only narrative ids from the input; an id may appear in at most one group.
"""

INVESTIGATE_SYSTEM = """\
You turn one narrative about a service into a directory listing, using the narrative \
and the source pages it was read from. Fill every field you can find in the sources; use \
null (or an empty list) for anything they do not state. Never invent contact details, \
times or addresses.

Fields:
- title: the service's name. summary: one sentence. description: a few sentences of \
plain prose for the public.
- contact: phone, email, website, intake_form (a registration/sign-up/booking form URL).
- location: the street address where it happens (with room or venue if given).
- schedule: one entry per recurring slot: days as English day names ("Tuesday"), start \
and end as 24-hour "HH:MM", weeks_of_month for a monthly slot ([1] for "first Saturday", \
[2, 4], -1 for the last), by_appointment when a visit must be booked, valid_from and \
valid_to as "YYYY-MM-DD" when it runs only in a season ("February through April"), note \
for anything else.
- audience: one of the allowed audience values, or null when it is for anyone.
- tags: only from the allowed tags, written kind:value.
"""


def format_pages(pages: Sequence[PageInput], *, max_chars: int | None = None) -> str:
    """Pages as tagged blocks the model can cite by id; cut at `max_chars` when given."""
    blocks: list[str] = []
    used = 0
    for page in pages:
        head = f'<page id="{page.id}" type="{page.source_type}" url="{page.url}">'
        title = f"Title: {page.title}\n" if page.title else ""
        content = page.content
        if max_chars is not None:
            room = max_chars - used - len(head) - len(title)
            if room <= 0:
                break
            content = content[:room]
        block = f"{head}\n{title}{content}\n</page>"
        used += len(block)
        blocks.append(block)
    return "\n\n".join(blocks)


def narratives_prompt(
    batch: Sequence[PageInput], *, org_name: str, tags: TagSet, today: date
) -> str:
    ids = ", ".join(page.id for page in batch)
    outlines = "\n\n".join(
        f'<items page="{page.id}">\n'
        + "\n".join(item_outline(page, org_name, today))
        + "\n</items>"
        for page in batch
    )
    return (
        f"Organization: {org_name}\nToday's date: {today.isoformat()}\n"
        f"Allowed audience values: {', '.join(tags.values('audience')) or '(any)'}\n"
        f"Page ids in this input: {ids}\n\n{format_pages(batch)}\n\n"
        f"Candidate items per page:\n{outlines}"
    )


def dedupe_prompt(narratives: Sequence[Narrative], *, org_name: str) -> str:
    blocks = [
        f'<narrative id="{n.id}" sources="{",".join(n.source_types)}" '
        f'audience="{n.audience or "any"}">\n{n.title}\n{n.text}\n</narrative>'
        for n in narratives
    ]
    return f"Organization: {org_name}\n\n" + "\n\n".join(blocks)


def investigate_prompt(
    narrative: Narrative, pages: Sequence[PageInput], *, org_name: str, tags: TagSet, max_chars: int
) -> str:
    return (
        f"Organization: {org_name}\n{tags.instructions()}\n"
        f"Allowed audience values: {', '.join(tags.values('audience')) or '(any)'}\n\n"
        f"Narrative:\n{narrative.title}\n{narrative.text}\n\n"
        f"Source pages:\n{format_pages(pages, max_chars=max_chars)}"
    )


def follow_up_prompt(missing: Sequence[str], pages: Sequence[PageInput], *, max_chars: int) -> str:
    return (
        f"These fields are still missing: {', '.join(missing)}. Here are the source pages "
        "as they are online now. Answer with the full listing again, filling the missing "
        "fields only if these pages state them.\n\n"
        f"{format_pages(pages, max_chars=max_chars)}"
    )


def correction_prompt(problem: str) -> str:
    return (
        f"Your previous answer cannot be used: {problem}. Answer again with the same JSON "
        "shape, fixing this; use only ids that appear in the input."
    )
