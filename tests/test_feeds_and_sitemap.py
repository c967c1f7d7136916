"""RSS and Atom feeds and the sitemap: valid XML, absolute addresses, published claims only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from claims.choices import ClaimStatus
from claims.models import Claim
from tests.test_public_pages import (  # noqa: F401 - _no_public_cache and unpublished are fixtures
    MARKER,
    _no_public_cache,
    draft,
    make_claim,
    publish,
    unpublished,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://factcheck.example"


@pytest.fixture
def published(editor, publisher):
    ammunition = publish(make_claim(text="Korut memasok 1 juta peluru ke Rusia.", topics=("ammunition",)),
                         editor, publisher, headline="Satu juta peluru? Tidak benar")
    economy = publish(make_claim(text="Inflasi 9 persen tahun lalu <b>sic</b>.", topics=("economy-inflation",)),
                      editor, publisher, headline="Inflasi tidak setinggi itu & lebih rendah")
    return [economy, ammunition]  # newest first


def xml_of(client, url: str, content_type: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    text = response.content.decode()
    assert MARKER not in text
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


@pytest.mark.usefixtures("unpublished")
def test_the_rss_feed_lists_published_fact_checks_newest_first(client, published):
    channel = xml_of(client, reverse("claims:feed-rss"), "application/rss+xml").find("channel")
    assert channel.findtext("title") == "Cek Fakta Contoh: latest fact-checks"
    assert channel.findtext("link") == SITE + reverse("claims:list")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [c.verdict.headline for c in published]
    assert [i.findtext("link") for i in items] == [SITE + c.get_absolute_url() for c in published]
    assert [i.findtext("guid") for i in items] == [SITE + c.get_absolute_url() for c in published]
    assert "Keliru" in items[0].findtext("description")
    assert "<b>sic</b>" in items[0].findtext("description")  # text, escaped in the XML
    assert "Economy and inflation" in [c.text for c in items[0].findall("category")]
    assert all(i.findtext("pubDate") for i in items)


@pytest.mark.usefixtures("unpublished")
def test_the_atom_feed_lists_published_fact_checks(client, published):
    feed = xml_of(client, reverse("claims:feed-atom"), "application/atom+xml")
    assert feed.findtext(f"{ATOM}title") == "Cek Fakta Contoh: latest fact-checks"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE + reverse("claims:feed-atom")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [c.verdict.headline for c in published]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [SITE + c.get_absolute_url() for c in published]
    assert all(e.findtext(f"{ATOM}updated") and e.findtext(f"{ATOM}published") for e in entries)


@pytest.mark.usefixtures("unpublished")
def test_topic_feeds_list_only_that_topics_published_fact_checks(client, published):
    economy, ammunition = published
    rss = xml_of(client, reverse("claims:topic-rss", args=["ammunition"]), "application/rss+xml")
    assert [i.findtext("title") for i in rss.iter("item")] == [ammunition.verdict.headline]
    assert rss.find("channel").findtext("title") == "Cek Fakta Contoh: fact-checks on Ammunition and military capability"
    atom = xml_of(client, reverse("claims:topic-atom", args=["economy-inflation"]), "application/atom+xml")
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == [economy.verdict.headline]
    empty = xml_of(client, reverse("claims:topic-rss", args=["health"]), "application/rss+xml")
    assert empty.find("channel").findall("item") == []
    assert client.get(reverse("claims:topic-rss", args=["no-such-topic"])).status_code == 404


def test_feeds_speak_the_readers_language(client, published):
    client.cookies["django_language"] = "id"
    channel = xml_of(client, reverse("claims:topic-rss", args=["ammunition"]), "application/rss+xml").find("channel")
    assert channel.findtext("language") == "id"
    assert "Amunisi dan kemampuan militer" in channel.findtext("title")


@pytest.mark.usefixtures("unpublished")
def test_the_sitemap_lists_published_claims_topics_with_them_and_the_static_pages(client, published):
    root = xml_of(client, "/sitemap.xml", "application/xml")
    locations = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    expected = {
        SITE + "/", SITE + reverse("claims:list"), SITE + reverse("claims:about"),
        *(SITE + c.get_absolute_url() for c in published),
        SITE + reverse("claims:topic", args=["ammunition"]),
        SITE + reverse("claims:topic", args=["economy-inflation"]),
    }
    assert set(locations) == expected and len(locations) == len(expected)
    hidden = Claim.objects.exclude(status=ClaimStatus.PUBLISHED)
    assert hidden.count() == 4
    for claim in hidden:
        assert not any(f"/claims/{claim.pk}/" in loc for loc in locations)
    claim_urls = [u for u in root.findall(f"{SITEMAP}url") if "/claims/" in u.findtext(f"{SITEMAP}loc")
                  and u.findtext(f"{SITEMAP}loc") != SITE + reverse("claims:list")]
    assert all(u.findtext(f"{SITEMAP}lastmod") for u in claim_urls)


def test_feeds_and_sitemap_are_empty_but_valid_before_anything_is_published(client, editor):
    draft(make_claim(text=f"Draf {MARKER}."), editor, headline=MARKER)
    assert xml_of(client, reverse("claims:feed-rss"), "application/rss+xml").find("channel").findall("item") == []
    assert xml_of(client, reverse("claims:feed-atom"), "application/atom+xml").findall(f"{ATOM}entry") == []
    root = xml_of(client, "/sitemap.xml", "application/xml")
    assert len(root.findall(f"{SITEMAP}url")) == 3
