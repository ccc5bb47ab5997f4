"""What admins paste as a source becomes one stable key, or a message saying what is wrong."""

from __future__ import annotations

import hashlib

import pytest

from sift.directory.ingest.pages import (
    InvalidSource,
    RawPage,
    content_hash,
    normalise_domain,
    normalise_handle,
    site_url_for,
)
from sift.errors import SiftError


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("https://www.Example.org/path?q=1#frag", "example.org"),
        ("example.org/", "example.org"),
        ("  EXAMPLE.org  ", "example.org"),
        ("http://example.org:80/", "example.org"),
        ("https://example.org:443", "example.org"),
        ("www.meals-on-wheels.co.uk/about/us", "meals-on-wheels.co.uk"),
        ("https://sub.example.org:8443/x", "sub.example.org:8443"),
        ("http://127.0.0.1:8080", "127.0.0.1:8080"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("example.org.", "example.org"),
        ("localhost:8000", "localhost:8000"),
    ],
)
def test_domains_normalise_to_the_bare_host(text: str, domain: str) -> None:
    assert normalise_domain(text) == domain


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "domain is required"),
        ("   ", "domain is required"),
        ("not a domain", "expected a domain such as example.org"),
        ("example", "expected a domain such as example.org"),
        ("http://", "no host name"),
        ("ftp://example.org", "only http"),
        ("https://user:pw@example.org", "credentials"),
        ("exa_mple.org", "expected a domain"),
        ("-bad-.org", "expected a domain"),
        ("example..org", "expected a domain"),
        ("example.org:99999", "not a website address"),
        ("1.2.3", "numeric"),
    ],
)
def test_garbage_domains_are_rejected_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidSource, match=message) as caught:
        normalise_domain(text)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, SiftError)


@pytest.mark.parametrize(
    ("platform", "text", "handle"),
    [
        ("instagram", "@Meals.On.Wheels", "meals.on.wheels"),
        ("instagram", "https://www.instagram.com/eastside_food/", "eastside_food"),
        ("instagram", "instagram.com/eastside_food?hl=en", "eastside_food"),
        ("facebook", "https://m.facebook.com/EastsideFoodBank/", "eastsidefoodbank"),
        ("facebook", "https://www.facebook.com/profile.php?id=100064123", "100064123"),
        ("x", "@Eastside_Food", "eastside_food"),
        ("x", "https://twitter.com/eastside_food/status/1", "eastside_food"),
        ("twitter", "x.com/eastside_food", "eastside_food"),
        ("tiktok", "https://www.tiktok.com/@eastside.food", "eastside.food"),
        ("tiktok", "@eastside_food", "eastside_food"),
    ],
)
def test_handles_and_profile_urls_normalise_to_the_account_name(
    platform: str, text: str, handle: str
) -> None:
    assert normalise_handle(platform, text) == handle


@pytest.mark.parametrize(
    ("platform", "text", "message"),
    [
        ("instagram", "", "handle is required"),
        ("instagram", "has space", "not a valid Instagram handle: use 1-30 letters"),
        ("instagram", "a" * 31, "not a valid Instagram handle"),
        ("instagram", ".dot", "not a valid Instagram handle"),
        ("instagram", "https://www.instagram.com/p/AbC123/", "post or page URL, not a profile"),
        ("instagram", "https://www.facebook.com/eastside/", "not a Instagram profile URL"),
        ("x", "waytoolonghandle123", "not a valid X handle: use 1-15"),
        ("x", "bad-dash", "not a valid X handle"),
        ("facebook", "https://www.facebook.com/profile.php", "without a numeric id"),
        ("tiktok", "https://www.tiktok.com/eastside", "expected tiktok.com/@name"),
        ("myspace", "tom", "unknown social platform"),
    ],
)
def test_bad_handles_are_rejected_with_the_platform_rule(
    platform: str, text: str, message: str
) -> None:
    with pytest.raises(InvalidSource, match=message):
        normalise_handle(platform, text)


def test_site_url_is_the_key_pages_are_stored_under() -> None:
    assert site_url_for("website", domain="www.Example.org") == "https://example.org"
    assert site_url_for("website", url="https://example.org/about") == "https://example.org"
    assert site_url_for("instagram", handle="@Eastside") == "https://www.instagram.com/eastside/"
    assert site_url_for("facebook", handle="eastside") == "https://www.facebook.com/eastside/"
    assert site_url_for("x", handle="eastside") == "https://x.com/eastside"
    assert site_url_for("tiktok", handle="eastside") == "https://www.tiktok.com/@eastside"
    page_url = "https://www.facebook.com/Eastside-Food-Bank-123/"
    assert site_url_for("facebook", handle="eastside", url=page_url) == page_url


def test_site_url_needs_enough_to_build_a_key() -> None:
    with pytest.raises(InvalidSource, match="needs a domain"):
        site_url_for("website")
    with pytest.raises(InvalidSource, match="needs a handle or a profile URL"):
        site_url_for("instagram")
    with pytest.raises(InvalidSource, match="unknown source type"):
        site_url_for("newsletter", url="https://example.org")


def test_page_hash_is_the_sha256_of_its_content() -> None:
    page = RawPage(url="https://example.org/", site_url="https://example.org", content="héllo")

    assert page.content_hash == hashlib.sha256("héllo".encode()).hexdigest()
    assert content_hash("héllo") == page.content_hash
    assert page.fetched_at.tzinfo is not None and page.metadata == {}
