"""Sift's posts as HSDS 3.0 objects and back.

A post is an HSDS `service` of its organization. What Sift keeps maps field by field:
title ↔ `name`, description ↔ `description`, contact phone ↔ `phones`, email ↔ `email`,
website ↔ `url`, intake form ↔ `application_process`, audience ↔ `eligibility_description`,
schedule entries ↔ `schedules` (see `schedule_map`: weekly and monthly rules, seasons,
closures), tags and the summary ↔ `attributes` under a `Sift` taxonomy, the free-text
location ↔ a `location` with a parsed `address` (or, when the text is no full postal
address, the location's `description`). The audience is kept word for word as the
eligibility ("seniors 60+" stays "seniors 60+"), so a round trip changes nothing.

Ids are stable across exports: organizations and services keep Sift's UUIDs, and every
child record (phone, schedule, location …) gets a UUID5 of its parent's id and its role,
so the same post always exports the same ids. An imported HSDS id becomes the Sift id when
it is a UUID (HSDS 3.0 requires one), or a UUID5 of it otherwise, so importing the same
document twice finds the same rows.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import usaddress

from sift.directory.hsds.schedule_map import hsds_schedule, sift_schedules

IMPORT_NAMESPACE = uuid.UUID("6f0f3d3c-5c3e-4d0e-9a55-2f1c1b0e7a11")
"""Namespace of the UUID5 given to an imported HSDS id that is not itself a UUID."""
DEFAULT_COUNTRY = "US"
"""The address parser reads US addresses; a parsed address without a country is in the US."""

_STREET_LABELS = frozenset(
    {
        "AddressNumberPrefix",
        "AddressNumber",
        "AddressNumberSuffix",
        "StreetNamePreModifier",
        "StreetNamePreDirectional",
        "StreetNamePreType",
        "StreetName",
        "StreetNamePostType",
        "StreetNamePostDirectional",
    }
)
_UNIT_LABELS = frozenset(
    {"OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier"}
)


_SCRIPT_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def web_url(value: Any) -> str | None:
    """`value` when it is an http(s) address with a host, else None: a `javascript:` URL a
    scraped page or an imported file carried is never republished (HSDS clients link it)."""
    text = str(value or "").strip()
    if not text.isprintable() or " " in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


def safe_text(value: Any) -> str | None:
    """Free text (an intake process) unless it is a script or data URL."""
    text = str(value or "").strip()
    return None if not text or _SCRIPT_SCHEME.match(text) else text


def child_id(parent: uuid.UUID | str, role: str) -> str:
    """The stable id of a child record: the same parent and role give the same id."""
    return str(uuid.uuid5(uuid.UUID(str(parent)), role))


def sift_id(hsds_id: str) -> uuid.UUID:
    """The Sift id an imported HSDS id is stored under (itself when it is a UUID)."""
    try:
        return uuid.UUID(hsds_id)
    except ValueError:
        return uuid.uuid5(IMPORT_NAMESPACE, hsds_id)


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields Sift has no value for: HSDS fields are typed, never null."""
    return {k: v for k, v in record.items() if v is not None and v != []}


# --- schedules (see `schedule_map`) ------------------------------------------------------


def sift_schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    """The first Sift entry of an HSDS schedule (most schedules make exactly one)."""
    return sift_schedules(schedule)[0]


# --- tags and the summary -------------------------------------------------------------------

SIFT_TAXONOMY = "Sift"
"""The taxonomy Sift's own tags are exported under (their `code` is the tag itself)."""
SUMMARY_LINK_TYPE = "summary"
TAG_LINK_TYPE = "tag"
_TERMS = uuid.UUID("1c7e8c5e-2f0b-4a7e-9d7c-3f6d5b1a9e20")
"""Namespace of the stable ids of Sift's taxonomy terms (one id per tag everywhere)."""


def tag_label(tag: str) -> str:
    """`category:food-pantry` reads as "Food pantry"."""
    return tag.rpartition(":")[2].replace("-", " ").replace("_", " ").capitalize()


def _attributes(post: Any, service_id: str) -> list[dict[str, Any]]:
    """Tags as HSDS attributes with a `Sift` taxonomy term each, and the summary (HSDS 3.0
    has no summary field) as an attribute whose `value` holds it."""
    attributes = []
    for tag in post.tags or []:
        term_id = str(uuid.uuid5(_TERMS, f"tag:{tag}"))
        attributes.append(
            {
                "id": child_id(service_id, f"attribute:tag:{tag}"),
                "link_id": service_id,
                "link_type": TAG_LINK_TYPE,
                "link_entity": "service",
                "taxonomy_term_id": term_id,
                "taxonomy_term": {
                    "id": term_id,
                    "code": tag,
                    "name": tag_label(tag),
                    "description": f"Sift tag {tag}",
                    "taxonomy": SIFT_TAXONOMY,
                },
            }
        )
    if post.summary:
        term_id = str(uuid.uuid5(_TERMS, "summary"))
        attributes.append(
            {
                "id": child_id(service_id, "attribute:summary"),
                "link_id": service_id,
                "link_type": SUMMARY_LINK_TYPE,
                "link_entity": "service",
                "taxonomy_term_id": term_id,
                "value": post.summary,
                "taxonomy_term": {
                    "id": term_id,
                    "code": "summary",
                    "name": "Summary",
                    "description": "A one-line summary of the service",
                    "taxonomy": SIFT_TAXONOMY,
                },
            }
        )
    return attributes


def _is_sift(attribute: dict[str, Any]) -> bool:
    term = attribute.get("taxonomy_term")
    return isinstance(term, dict) and term.get("taxonomy") == SIFT_TAXONOMY


def carries_sift_fields(service: dict[str, Any]) -> bool:
    """The service came from a Sift export (its tags and summary are in its attributes), so
    an import may compare them; another directory's file says nothing about them."""
    return any(_is_sift(a) for a in service.get("attributes") or [])


def sift_tags_and_summary(service: dict[str, Any]) -> tuple[list[str], str | None]:
    tags, summary = [], None
    for attribute in service.get("attributes") or []:
        if not _is_sift(attribute):
            continue
        if attribute.get("link_type") == SUMMARY_LINK_TYPE:
            summary = str(attribute.get("value") or "").strip() or None
        elif code := str(attribute["taxonomy_term"].get("code") or "").strip():
            tags.append(code)
    return tags, summary


# --- locations ------------------------------------------------------------------------------


def parse_address(text: str) -> dict[str, str] | None:
    """The HSDS address fields of a full postal address (street, city, state and ZIP), or
    None when the text is something else ("church basement") or the parser is unsure."""
    try:
        tagged, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return None
    if kind != "Street Address":
        return None

    def joined(labels: frozenset[str] | set[str]) -> str:
        return " ".join(v.strip(" ,") for k, v in tagged.items() if k in labels).strip()

    address = {
        "attention": joined({"Recipient"}),
        "address_1": joined(_STREET_LABELS),
        "address_2": joined(_UNIT_LABELS),
        "city": joined({"PlaceName"}),
        "state_province": joined({"StateName"}),
        "postal_code": "-".join(v for k, v in tagged.items() if k in ("ZipCode", "ZipPlus4")),
        "country": joined({"CountryName"}) or DEFAULT_COUNTRY,
    }
    required = ("address_1", "city", "state_province", "postal_code")
    if not all(address[field] for field in required):
        return None
    return {k: v for k, v in address.items() if v}


def address_text(address: dict[str, Any]) -> str:
    """An HSDS address as one line, the way Sift keeps a location."""
    state = " ".join(str(address.get(k) or "") for k in ("state_province", "postal_code"))
    parts = [address.get(k) for k in ("attention", "address_1", "address_2", "city", "region")]
    return ", ".join(str(p).strip() for p in [*parts, state] if p and str(p).strip())


def hsds_location(text: str, *, organization_id: str) -> dict[str, Any]:
    """A physical location for a post's location text; its id depends on the text only,
    so posts at the same place share one location."""
    location_id = child_id(organization_id, f"location:{' '.join(text.lower().split())}")
    address = parse_address(text)
    location: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": organization_id,
    }
    if address is None:
        location["description"] = text
    else:
        address.update(
            id=child_id(location_id, "address"), location_id=location_id, address_type="physical"
        )
        location["addresses"] = [address]
    return location


def location_text(location: dict[str, Any]) -> str | None:
    """What Sift keeps of an HSDS location: its first address as one line, else its
    description or name."""
    for address in location.get("addresses") or []:
        if text := address_text(address):
            return text
    return location.get("description") or location.get("name") or None


# --- services -------------------------------------------------------------------------------


def hsds_service(post: Any, *, organization_id: str) -> dict[str, Any]:
    """A post as a fully nested HSDS service (without its organization)."""
    service_id = str(post.id)
    contact = post.contact or {}
    service = {
        "id": service_id,
        "organization_id": organization_id,
        "name": post.title,
        "description": post.description or post.summary or "",
        "url": web_url(contact.get("website")),
        "email": contact.get("email"),
        "status": "active",
        "application_process": safe_text(contact.get("intake_form")),
        "eligibility_description": post.audience,
        "last_modified": post.updated_at.isoformat() if post.updated_at else None,
        "phones": _phones(contact.get("phone"), service_id),
        "schedules": [
            hsds_schedule(
                entry, schedule_id=child_id(service_id, f"schedule:{i}"), service_id=service_id
            )
            for i, entry in enumerate(post.schedule or [])
        ],
        "service_at_locations": _service_at_locations(post.location, service_id, organization_id),
        "contacts": _contacts(contact.get("email"), service_id),
        "attributes": _attributes(post, service_id),
    }
    return compact(service)


def service_summary(service: dict[str, Any]) -> dict[str, Any]:
    """The one-to-one fields of a service: what a list of services shows."""
    return {k: v for k, v in service.items() if not isinstance(v, list | dict)}


def _phones(number: str | None, service_id: str) -> list[dict[str, Any]]:
    if not number:
        return []
    phone_id = child_id(service_id, "phone")
    return [{"id": phone_id, "service_id": service_id, "number": number, "type": "voice"}]


def _contacts(email: str | None, service_id: str) -> list[dict[str, Any]]:
    if not email:
        return []
    return [{"id": child_id(service_id, "contact"), "service_id": service_id, "email": email}]


def _service_at_locations(
    text: str | None, service_id: str, organization_id: str
) -> list[dict[str, Any]]:
    if not text or not text.strip():
        return []
    location = hsds_location(text.strip(), organization_id=organization_id)
    return [
        {
            "id": child_id(service_id, f"service_at_location:{location['id']}"),
            "service_id": service_id,
            "location_id": location["id"],
            "location": location,
        }
    ]


def organization_locations(services: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The organization's distinct locations, as its services name them."""
    seen: dict[str, dict[str, Any]] = {}
    for service in services:
        for link in service.get("service_at_locations", []):
            seen.setdefault(link["location_id"], link["location"])
    return list(seen.values())


def hsds_organization(
    organization: Any, *, website: str | None, services: list[dict[str, Any]]
) -> dict[str, Any]:
    """An organization with its services and locations, as one HSDS document."""
    return compact(
        {
            "id": str(organization.id),
            "name": organization.name,
            "description": organization.description or "",
            "website": web_url(website),
            "services": services,
            "locations": organization_locations(services),
        }
    )


def organization_summary(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if not isinstance(v, list | dict)}


# --- import ---------------------------------------------------------------------------------


def post_content(service: dict[str, Any], organization: dict[str, Any]) -> dict[str, Any]:
    """What Sift keeps of an HSDS service, as post content. Contact details the service
    lacks are taken from where HSDS also puts them: its locations, contacts, organization."""
    links = service.get("service_at_locations") or []
    locations = {loc["id"]: loc for loc in organization.get("locations") or [] if "id" in loc}
    places = [link.get("location") or locations.get(link.get("location_id", "")) for link in links]
    phones = [
        *(service.get("phones") or []),
        *(p for link in links for p in link.get("phones") or []),
        *(p for c in service.get("contacts") or [] for p in c.get("phones") or []),
        *(organization.get("phones") or []),
    ]
    emails = [service.get("email"), *(c.get("email") for c in service.get("contacts") or [])]
    schedules = [
        *(service.get("schedules") or []),
        *(s for link in links for s in link.get("schedules") or []),
    ]
    entries: list[dict[str, Any]] = []
    for schedule in schedules:
        for entry in sift_schedules(schedule):
            if entry not in entries:
                entries.append(entry)
    contact = {
        "phone": next((str(p["number"]).strip() for p in phones if p.get("number")), None),
        "email": next((e for e in emails if e), None),
        "website": web_url(service.get("url")),
        "intake_form": safe_text(service.get("application_process")),
    }
    eligibility = " ".join(str(service.get("eligibility_description") or "").split())
    tags, summary = sift_tags_and_summary(service)
    return {
        "title": " ".join(str(service["name"]).split()),
        "summary": summary,
        "description": service.get("description") or "",
        "contact": {k: v for k, v in contact.items() if v},
        "location": next((text for p in places if p and (text := location_text(p))), None),
        "schedule": entries,
        "audience": eligibility or None,
        "tags": tags,
    }
