"""The citation download links shown in a literature record's "How to cite"."""

from django import template
from django.urls import reverse

from scis.library.models import LiteraturePage

register = template.Library()

# (URL name, format name, file extension, media type)
CITATION_LINKS = [
    ("cite_bibtex", "BibTeX", "bib", "application/x-bibtex"),
    ("cite_ris", "RIS", "ris", "application/x-research-info-systems"),
    ("cite_csl_json", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
]


@register.simple_tag
def citation_links(page) -> list[dict[str, str]]:
    """Download links for the citation formats; none for other record types."""
    if not isinstance(page, LiteraturePage):
        return []
    return [
        {
            "url": reverse(url_name, args=[page.pk]),
            "name": name,
            "extension": extension,
            "type": media_type,
        }
        for url_name, name, extension, media_type in CITATION_LINKS
    ]
