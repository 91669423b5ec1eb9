"""Harvested HTML is never trusted: one allow-list for everything stored.

CONTRACT: `clean_html(html: str, base_url: str = "") -> str`;
`plain_text(html: str) -> str`.
"""


def clean_html(html: str, base_url: str = "") -> str:
    raise NotImplementedError


def plain_text(html: str) -> str:
    raise NotImplementedError
