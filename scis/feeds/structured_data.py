"""What search engines and link previews read about a page: schema.org
JSON-LD (NewsArticle, Event, ScholarlyArticle, GovernmentOrganization, …)
and Open Graph tags. Built from the same fields the page shows."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scis.core.plain_text import one_line, rich_text_to_plain

SCHEMA = "https://schema.org"
GOVERNMENT_KINDS = {"ministry", "committee", "agency", "local-government"}
OG_LOCALES = {"ko": "ko_KR", "en": "en_US"}


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _page_url(page, request) -> str:
    """The page's address on the host the reader used (as the canonical link)."""
    return request.build_absolute_uri(page.get_url(request))


def _day(value: dt.date) -> str:
    return value.isoformat()


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def publisher(request) -> dict:
    """The portal's operator, named on every page."""
    return {
        "@type": "GovernmentOrganization",
        "name": _("Ministry of Land, Infrastructure and Transport"),
        "url": "https://www.molit.go.kr/",
        "department": {
            "@type": "Organization",
            "name": _("Smart City Information System"),
            "url": _absolute(request, "/"),
        },
    }


def organisation(term) -> dict:
    node = {
        "@type": "GovernmentOrganization"
        if term.kind in GOVERNMENT_KINDS
        else "Organization",
        "name": term.name,
    }
    if term.website:
        node["url"] = term.website
    return node


def _terms(page, name: str) -> list:
    return list(getattr(page, name).all()) if hasattr(page, name) else []


def _record(page, request, kind: str) -> dict:
    """Fields every record type shares."""
    node: dict = {
        "@context": SCHEMA,
        "@type": kind,
        "name": page.title,
        "url": _page_url(page, request),
        "identifier": _absolute(request, f"/id/{page.pk}/"),
        "inLanguage": page.locale.language_code,
        "datePublished": _day(page.date),
        "publisher": publisher(request),
    }
    if page.summary:
        node["description"] = one_line(page.summary)
    if page.last_published_at:
        node["dateModified"] = _moment(page.last_published_at)
    sources = [organisation(term) for term in _terms(page, "organisations")]
    if sources:
        node["sourceOrganization"] = sources
    keywords = [t.name for name in ("topics", "programmes") for t in _terms(page, name)]
    if keywords:
        node["keywords"] = keywords
    places = [t.name for t in _terms(page, "regions")]
    if places:
        node["spatialCoverage"] = [{"@type": "Place", "name": n} for n in places]
    if page.original_url:
        node["isBasedOn"] = page.original_url
    translation = page.translation_in(
        "en" if page.locale.language_code == "ko" else "ko"
    )
    if translation is not None:
        node[
            "workTranslation"
            if page.locale.language_code == "ko"
            else "translationOfWork"
        ] = {
            "@type": kind,
            "url": _page_url(translation, request),
            "inLanguage": translation.locale.language_code,
        }
    return node


def _news(page, request) -> dict:
    node = _record(page, request, "NewsArticle")
    node["headline"] = page.title[:110]
    if page.image_id:
        rendition = page.image.get_rendition("fill-1200x630")
        node["image"] = _absolute(request, rendition.url)
    return node


def _event(page, request) -> dict:
    node = _record(page, request, "Event")
    node["startDate"] = _moment(page.start)
    node["endDate"] = _moment(page.end)
    node["eventStatus"] = f"{SCHEMA}/EventScheduled"
    node["eventAttendanceMode"] = {
        "offline": f"{SCHEMA}/OfflineEventAttendanceMode",
        "online": f"{SCHEMA}/OnlineEventAttendanceMode",
        "hybrid": f"{SCHEMA}/MixedEventAttendanceMode",
    }[page.mode]
    place: dict = {"@type": "Place", "name": page.venue or _("To be announced")}
    if page.latitude is not None and page.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    locations: list[dict] = []
    if page.mode != "online":
        locations.append(place)
    if page.mode != "offline":
        locations.append(
            {"@type": "VirtualLocation", "url": page.registration_url or node["url"]}
        )
    node["location"] = locations[0] if len(locations) == 1 else locations
    if page.organiser:
        node["organizer"] = {"@type": "Organization", "name": page.organiser}
    elif "sourceOrganization" in node:
        node["organizer"] = node["sourceOrganization"]
    del node["datePublished"]
    return node


def _literature(page, request) -> dict:
    node = _record(page, request, "ScholarlyArticle")
    node["headline"] = page.title[:110]
    node["author"] = [
        {
            "@type": "Person",
            "name": author.name,
            **(
                {"affiliation": {"@type": "Organization", "name": author.affiliation}}
                if author.affiliation
                else {}
            ),
        }
        for author in page.authors.all()
    ]
    node["datePublished"] = str(page.year) if page.year else _day(page.date)
    if page.body:
        node["abstract"] = rich_text_to_plain(page.body)
    if page.venue:
        node["isPartOf"] = {"@type": "Periodical", "name": page.venue}
    if page.doi:
        node["sameAs"] = f"https://doi.org/{page.doi}"
    if page.keyword_list:
        node["keywords"] = page.keyword_list + node.get("keywords", [])
    return node


BUILDERS = {
    "newspage": _news,
    "eventpage": _event,
    "literaturepage": _literature,
    "documentpage": lambda page, request: _record(page, request, "DigitalDocument"),
    "definitionpage": lambda page, request: _record(page, request, "DefinedTerm"),
    "programmepage": lambda page, request: _record(page, request, "GovernmentService"),
    "projectpage": lambda page, request: _record(page, request, "Project"),
    "policypage": lambda page, request: _record(page, request, "Legislation"),
}


def _website(page, request) -> dict:
    """The home page: the site, its operator and its search."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": _("Smart City Information System"),
        "alternateName": "SCIS",
        "url": _page_url(page, request),
        "inLanguage": get_language(),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": _absolute(request, reverse("search")) + "?q={query}",
            },
            "query-input": "required name=query",
        },
    }


def json_ld(page, request) -> dict | None:
    """The page's schema.org description, or None for pages without one."""
    if page is None or request is None:
        return None
    specific = page.specific
    name = specific._meta.model_name
    if name == "homepage":
        return _website(specific, request)
    builder = BUILDERS.get(name)
    return builder(specific, request) if builder else None


def open_graph(page, request) -> list[tuple[str, str]]:
    """Open Graph properties for link previews, in order."""
    if page is None or request is None:
        return []
    specific = page.specific
    language = get_language()
    description = getattr(specific, "summary", "") or getattr(
        specific, "introduction", ""
    )
    description = description or specific.search_description
    tags = [
        ("og:site_name", _("Smart City Information System")),
        ("og:title", specific.seo_title or specific.title),
        ("og:url", _page_url(specific, request)),
        ("og:locale", OG_LOCALES.get(language, language)),
    ]
    tags += [
        ("og:locale:alternate", locale)
        for code, locale in OG_LOCALES.items()
        if code != language
    ]
    if description:
        tags.append(("og:description", one_line(description)[:300]))
    image = getattr(specific, "image", None)
    if image is not None:
        rendition = image.get_rendition("fill-1200x630")
        tags += [
            ("og:image", _absolute(request, rendition.url)),
            ("og:image:width", str(rendition.width)),
            ("og:image:height", str(rendition.height)),
        ]
        if image.title:
            tags.append(("og:image:alt", image.title))
    else:
        tags.append(("og:image", _absolute(request, static("img/og-default.png"))))
    if hasattr(specific, "date") and hasattr(specific, "summary"):
        tags.append(("og:type", "article"))
        published = dt.datetime.combine(
            specific.date, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        tags.append(("article:published_time", published.isoformat()))
        if specific.last_published_at:
            tags.append(
                ("article:modified_time", _moment(specific.last_published_at) or "")
            )
        tags += [("article:tag", t.name) for t in _terms(specific, "topics")]
    else:
        tags.append(("og:type", "website"))
    return tags
