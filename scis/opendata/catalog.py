"""Descriptions of the published dump for machines: a DCAT-AP catalogue
(RDF, served as Turtle and JSON-LD) for data portals such as data.go.kr and
data.europa.eu, and a schema.org Dataset for search engines.

One dataset per record type and taxonomy (each with a JSONL and a CSV
distribution) plus the whole archive as one zip."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from scis.feeds.structured_data import publisher

from .publish import ARCHIVE

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
IANA = "https://www.iana.org/assignments/media-types/"

FORMATS = {
    "jsonl": ("application/jsonl", "JSON_LINES", "JSON Lines"),
    "csv": ("text/csv", "CSV", "CSV"),
    "zip": ("application/zip", "ZIP", "ZIP"),
}

# What each part of the dump holds, in both languages.
DESCRIBES = {
    "news": ("뉴스", "News"),
    "literature": ("문헌", "Literature"),
    "event": ("행사", "Events"),
    "document": ("자료", "Documents"),
    "definition": ("정의", "Definitions"),
    "programme": ("사업", "Programmes"),
    "project": ("프로젝트", "Projects"),
    "policy": ("정책·계획", "Policies and plans"),
    "regions": ("지역 분류", "Regions"),
    "organisations": ("기관 분류", "Organisations"),
    "programmes": ("사업 분류", "Programme terms"),
    "topics": ("주제 분류", "Topics"),
}


def datasets(manifest: dict) -> list[dict]:
    """The manifest's files grouped into datasets, in the order shown."""
    grouped: dict[str, dict] = {}
    for entry in manifest["files"]:
        key = entry["describes"]
        if key not in DESCRIBES:
            continue  # site structure, sites and media travel in the zip only
        ko, en = DESCRIBES[key]
        dataset = grouped.setdefault(
            key,
            {"key": key, "ko": ko, "en": en, "records": 0, "files": []},
        )
        dataset["files"].append(entry)
        dataset["records"] = max(dataset["records"], entry["records"])
    order = list(DESCRIBES)
    return sorted(grouped.values(), key=lambda d: order.index(d["key"]))


def _download(request, relative: str) -> str:
    return request.build_absolute_uri(reverse("open_data_file", args=[relative]))


def _modified(manifest: dict) -> str:
    return manifest.get("modified") or dt.datetime.now(dt.UTC).isoformat()


def graph(manifest: dict, request, archive_bytes: int) -> Graph:
    g = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("spdx", SPDX),
    ):
        g.bind(prefix, namespace)
    home = request.build_absolute_uri(reverse("open_data"))
    catalog = URIRef(home + "#catalog")
    agent = URIRef(home + "#publisher")
    licence = URIRef(settings.OPEN_DATA_LICENCE)
    modified = Literal(_modified(manifest), datatype=XSD.dateTime)

    g.add((agent, RDF.type, FOAF.Agent))
    for language, name in settings.OPEN_DATA_PUBLISHER.items():
        g.add((agent, FOAF.name, Literal(name, lang=language)))
    contact = URIRef(home + "#contact")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER["en"])))
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OAI_ADMIN_EMAIL}")))

    g.add((catalog, RDF.type, DCAT.Catalog))
    for language, title in settings.OPEN_DATA_TITLE.items():
        g.add((catalog, DCTERMS.title, Literal(title, lang=language)))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "스마트도시 정책 뉴스, 문헌, 행사, 자료, 사업과 프로젝트의 공개 데이터",
                lang="ko",
            ),
        )
    )
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Open data of Korea's smart city policy archive: news, literature, "
                "events, documents, programmes and projects.",
                lang="en",
            ),
        )
    )
    g.add((catalog, DCTERMS.publisher, agent))
    g.add((catalog, DCTERMS.modified, modified))
    g.add((catalog, DCTERMS.license, licence))
    g.add((catalog, FOAF.homepage, URIRef(home)))
    for code in ("KOR", "ENG"):
        g.add((catalog, DCTERMS.language, EU_LANGUAGE[code]))

    def dataset(node: URIRef, ko: str, en: str) -> None:
        g.add((catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(ko, lang="ko")))
        g.add((node, DCTERMS.title, Literal(en, lang="en")))
        g.add((node, DCTERMS.publisher, agent))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, DCTERMS.modified, modified))
        g.add((node, DCTERMS.accrualPeriodicity, EU_FREQUENCY.DAILY))
        g.add((node, DCAT.theme, EU_THEME.GOVE))
        g.add((node, DCAT.keyword, Literal("스마트도시", lang="ko")))
        g.add((node, DCAT.keyword, Literal("smart city", lang="en")))
        g.add((node, DCAT.landingPage, URIRef(home)))
        for code in ("KOR", "ENG"):
            g.add((node, DCTERMS.language, EU_LANGUAGE[code]))

    def distribution(node: URIRef, url: str, kind: str, size: int, sha: str = ""):
        media_type, file_type, label = FORMATS[kind]
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(label)))
        g.add((node, DCAT.accessURL, URIRef(url)))
        g.add((node, DCAT.downloadURL, URIRef(url)))
        g.add((node, DCAT.mediaType, URIRef(IANA + media_type)))
        g.add((node, DCTERMS["format"], EU_FILE_TYPE[file_type]))
        g.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.license, licence))
        g.add((node, DCTERMS.modified, modified))
        if sha:
            checksum = BNode()
            g.add((node, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((checksum, SPDX.checksumValue, Literal(sha, datatype=XSD.hexBinary)))

    whole = URIRef(home + "#archive")
    dataset(whole, settings.OPEN_DATA_TITLE["ko"], settings.OPEN_DATA_TITLE["en"])
    g.add((whole, DCTERMS.identifier, Literal("scis-open-data")))
    distribution(
        URIRef(home + "#archive-zip"),
        _download(request, ARCHIVE),
        "zip",
        archive_bytes,
    )
    g.add((whole, DCAT.distribution, URIRef(home + "#archive-zip")))
    for item in datasets(manifest):
        node = URIRef(f"{home}#{item['key']}")
        dataset(node, item["ko"], item["en"])
        g.add((node, DCTERMS.identifier, Literal(f"scis-open-data-{item['key']}")))
        g.add((whole, DCTERMS.hasPart, node))
        for entry in item["files"]:
            file_node = URIRef(f"{home}#{item['key']}-{entry['format']}")
            distribution(
                file_node,
                _download(request, entry["path"]),
                entry["format"],
                entry["bytes"],
                entry["sha256"],
            )
            g.add((node, DCAT.distribution, file_node))
    return g


def schema_org(manifest: dict, request, archive_bytes: int) -> dict:
    """The archive as a schema.org Dataset, for the /data/ page's JSON-LD."""
    home = request.build_absolute_uri(reverse("open_data"))
    language = getattr(request, "LANGUAGE_CODE", "ko")
    title = settings.OPEN_DATA_TITLE.get(language, settings.OPEN_DATA_TITLE["en"])
    distributions = [
        {
            "@type": "DataDownload",
            "name": "ZIP",
            "encodingFormat": "application/zip",
            "contentUrl": _download(request, ARCHIVE),
            "contentSize": f"{archive_bytes} B",
        }
    ]
    for item in datasets(manifest):
        for entry in item["files"]:
            distributions.append(
                {
                    "@type": "DataDownload",
                    "name": f"{item['en']} ({FORMATS[entry['format']][2]})",
                    "encodingFormat": FORMATS[entry["format"]][0],
                    "contentUrl": _download(request, entry["path"]),
                    "contentSize": f"{entry['bytes']} B",
                }
            )
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": home + "#archive",
        "name": title,
        "description": (
            "News, literature, events, documents, definitions, programmes, "
            "projects and policies of Korea's smart city policy, in Korean and "
            "English, with the taxonomy they are classified by."
        ),
        "url": home,
        "inLanguage": ["ko", "en"],
        "license": settings.OPEN_DATA_LICENCE,
        "isAccessibleForFree": True,
        "dateModified": _modified(manifest),
        "keywords": ["스마트도시", "smart city", "open data"],
        "creator": publisher(request),
        "distribution": distributions,
    }
