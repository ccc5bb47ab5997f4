"""schema.org JSON-LD of the public pages: search engines and assistants read a service's
hours, place and phone from it without scraping the page.

A post is a `Service` whose `provider` is its `Organization`; its schedule becomes
`hoursAvailable` (`OpeningHoursSpecification`, a season as `validFrom`/`validThrough`, a
closure as a day whose hours open and close at midnight, as search engines read holiday
closures), its place and contact a `ServiceChannel`. A monthly rule ("first Saturday") has
no form there and is left out rather than claimed weekly.
An organization page is the `Organization` with its services as `makesOffer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sift.directory.models import Organization, Post
from sift.directory.schedules import Rule, rules

CONTEXT = "https://schema.org"


def service(post: Post, organization: Organization, *, url: str, org_url: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        **_service(post, url=url, provider=_provider(organization, org_url)),
    }


def organization(
    organization: Organization,
    posts: Sequence[Post],
    *,
    url: str,
    website: str | None,
    post_url: Any,
) -> dict[str, Any]:
    """The organization with every post it offers; `post_url(post)` links each."""
    return {
        "@context": CONTEXT,
        **_provider(organization, url),
        **_some(description=organization.description, sameAs=website),
        "makesOffer": [
            {"@type": "Offer", "itemOffered": _service(post, url=post_url(post))} for post in posts
        ],
    }


def _service(post: Post, *, url: str, provider: dict[str, Any] | None = None) -> dict[str, Any]:
    contact = post.contact if isinstance(post.contact, dict) else {}
    phone = contact.get("phone")
    channel = _some(
        servicePhone={"@type": "ContactPoint", "telephone": phone} if phone else None,
        serviceUrl=web_link(contact.get("website")),
        serviceLocation={"@type": "Place", "address": post.location} if post.location else None,
    )
    hours = [
        h for rule in rules(post.schedule) if rule.days and not rule.monthly for h in _hours(rule)
    ]
    return {
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": post.title,
        **_some(
            description=post.summary or post.description or None,
            provider=provider,
            audience={"@type": "Audience", "audienceType": post.audience}
            if post.audience
            else None,
            hoursAvailable=[{"@type": "OpeningHoursSpecification", **h} for h in hours] or None,
            availableChannel={"@type": "ServiceChannel", **channel} if channel else None,
            email=contact.get("email"),
        ),
    }


def _hours(rule: Rule) -> list[dict[str, Any]]:
    weekly = _some(
        dayOfWeek=[f"{CONTEXT}/{d}" for d in rule.day_names],
        opens=_clock(rule.start),
        closes=_clock(rule.end),
        validFrom=rule.valid_from.isoformat() if rule.valid_from else None,
        validThrough=rule.valid_to.isoformat() if rule.valid_to else None,
    )
    closed = [
        {
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": d.isoformat(),
            "validThrough": d.isoformat(),
        }
        for d in rule.closed_on
    ]
    return [weekly, *closed]


def _provider(organization: Organization, url: str) -> dict[str, Any]:
    return {"@type": "Organization", "@id": url, "url": url, "name": organization.name}


def web_link(value: Any) -> str | None:
    """A contact's website when it is an http(s) address: anything else (a `javascript:`
    URL a scraped page carried) is never turned into a link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _clock(value: Any) -> str | None:
    return value.strftime("%H:%M") if value else None


def _some(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: JSON-LD leaves unknowns out rather than null."""
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}
