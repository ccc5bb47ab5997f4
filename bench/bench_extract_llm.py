"""The LLM-engine figures of `sift bench extract`, without a real model.

    .venv/bin/python bench/bench_extract_llm.py --pages 1000 [--json] [--with-rules]

Starts the scripted OpenAI-compatible server from tests/fakes on 127.0.0.1, with an answer
function that replies to every pass generically and validly (only ids it was shown, one
audience per merge, phone and schedule filled so pass 3 never fetches pages again), then
runs the LLM part of the bench against it. What this measures is Sift's side: how many
calls the workflow makes, how many prompt characters it sends per page, and how long the
run takes when the model answers instantly, so any real model's latency comes on top.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `tests.fakes`

from sift.directory.bench.extract import print_extract_bench, run_extract_bench
from sift.directory.extraction import prompts
from sift.directory.schedules import WEEKDAYS
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply

_PAGE = re.compile(r'<page id="([^"]+)" type="[^"]*" url="[^"]*">\n(.*?)\n</page>', re.DOTALL)
_NARRATIVE = re.compile(
    r'<narrative id="([^"]+)" sources="([^"]*)" audience="([^"]*)">\n(.*?)\n(.*?)\n</narrative>',
    re.DOTALL,
)
_PHONE = re.compile(r"\(\d{3}\) \d{3}-\d{4}")
_EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.\w+")
_AUDIENCE_WORDS = (("kids", "youth"), ("famil", "families"), ("senior", "seniors"))


def _first_user(request: RecordedRequest) -> str:
    """The pass's own prompt (a correction retry appends messages after it)."""
    return next(m["content"] for m in request.messages if m["role"] == "user")


def _audience(text: str) -> str | None:
    lowered = text.lower()
    return next((value for word, value in _AUDIENCE_WORDS if word in lowered), None)


def _narratives(prompt: str) -> dict[str, Any]:
    """One narrative per page that gives a phone (an offer), titled by its heading."""
    found = []
    for page_id, body in _PAGE.findall(prompt):
        text = re.sub(r"^Title: .*\n", "", body)
        if not _PHONE.search(text):
            continue
        heading = re.search(r"^# (.+)$", text, re.MULTILINE)
        title = heading.group(1) if heading else " ".join(text.split()[:6])
        found.append(
            {
                "title": title,
                "audience": _audience(text),
                "text": " ".join(text.replace("#", " ").split())[:600],
                "page_ids": [page_id],
            }
        )
    return {"narratives": found}


def _dedupe(prompt: str) -> dict[str, Any]:
    """Narratives with the same phone and audience are one service; website wording leads."""
    by_key: dict[tuple[str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    for nid, sources, audience, title, text in _NARRATIVE.findall(prompt):
        phone = _PHONE.search(text)
        if phone:
            by_key[(phone.group(0), audience)].append((nid, sources, title, text))
    groups = []
    for (_, audience), members in by_key.items():
        if len(members) < 2:
            continue
        lead = next((m for m in members if "website" in m[1]), members[0])
        groups.append(
            {
                "narrative_ids": [m[0] for m in members],
                "title": lead[2],
                "audience": None if audience == "any" else audience,
                "text": lead[3],
            }
        )
    return {"groups": groups}


def _investigate(prompt: str) -> dict[str, Any]:
    narrative = prompt.split("Narrative:\n", 1)[1]
    title, _, rest = narrative.partition("\n")
    phone = _PHONE.search(rest)
    email = _EMAIL.search(rest)
    days = [day for day in WEEKDAYS if day in rest.split("Source pages:", 1)[0]]
    return {
        "title": title,
        "summary": f"{title}.",
        "description": rest.split("\n\nSource pages:", 1)[0][:400],
        "audience": None,
        "contact": {
            "phone": phone.group(0) if phone else "(555) 000-0000",
            "email": email.group(0) if email else None,
            "website": None,
            "intake_form": None,
        },
        "location": None,
        "schedule": [{"days": days[:1], "start": None, "end": None, "note": None}]
        if days
        else [{"days": [], "start": None, "end": None, "note": "see the website"}],
        "tags": ["category:community"],
    }


def answer(request: RecordedRequest) -> dict[str, Any]:
    """A valid answer for whichever pass the request's system prompt names."""
    system = request.messages[0]["content"]
    prompt = _first_user(request)
    if system == prompts.NARRATIVES_SYSTEM:
        return _narratives(prompt)
    if system == prompts.DEDUPE_SYSTEM:
        return _dedupe(prompt)
    if system == prompts.INVESTIGATE_SYSTEM:
        return _investigate(prompt)
    raise ValueError(f"unexpected request: {prompt[:120]!r}")


class AnsweringServer(FakeOpenAIServer):
    """The scripted server, answering every unscripted chat request with `answer`."""

    def _take(self, request: RecordedRequest) -> Reply | None:
        scripted = super()._take(request)
        if scripted is not None or not request.messages:
            return scripted
        return Reply.json(answer(request))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print one JSON line last")
    parser.add_argument("--with-rules", action="store_true", help="also run the rules engine")
    args = parser.parse_args()
    with AnsweringServer() as server:
        bench = run_extract_bench(args.pages, rules=args.with_rules, llm_base_url=server.base_url)
        print_extract_bench(bench, as_json=args.json)
        print(
            f"model server: {len(server.chat_requests)} chat requests answered",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
