"""Turn a fetched page into clean fields: main text, title, date, images.

CONTRACT: `extract_page(html: str, url: str) -> Extracted`.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Extracted:
    title: str = ""
    date: date | None = None
    body_html: str = ""  # sanitised (sanitise.clean_html)
    text: str = ""  # plain text of the body, paragraphs split by blank lines
    summary: str = ""  # the page's description, or the first paragraph
    images: list[dict] = field(default_factory=list)  # {"src", "alt"}
    language: str = ""  # as declared by the page, if it says


def extract_page(html: str, url: str) -> Extracted:
    raise NotImplementedError
