"""The harvester for each source kind, in a plain registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Entry, Gathered, GatherError, Harvester

if TYPE_CHECKING:
    from ..fetching import Fetcher
    from ..models import Source

HARVESTERS: dict[str, type[Harvester]] = {}


def register(cls: type[Harvester]) -> type[Harvester]:
    """Class decorator: make `cls` the harvester of `cls.kind`."""
    HARVESTERS[cls.kind] = cls
    return cls


def harvester_for(source: Source, fetcher: Fetcher) -> Harvester:
    """The harvester that reads `source`."""
    _load_kinds()
    try:
        cls = HARVESTERS[source.kind]
    except KeyError:
        raise GatherError(
            f"No harvester for source kind {source.kind!r}; choose one of "
            f"{', '.join(sorted(HARVESTERS))}."
        ) from None
    return cls(source, fetcher)


def _load_kinds() -> None:
    # Importing each module registers its class.
    from . import json_api, listing, oai, rss, sitemap  # noqa: F401


__all__ = [
    "HARVESTERS",
    "Entry",
    "GatherError",
    "Gathered",
    "Harvester",
    "harvester_for",
    "register",
]
