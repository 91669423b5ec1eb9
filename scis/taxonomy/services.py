"""Loading the taxonomy data files into the database."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Organisation, Programme, Region, Topic

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _upsert(model, key: str, row: dict, result: LoadResult):
    lookup = {key: row[key]}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**row)
        result.created += 1
        return obj
    changed = [f for f, v in row.items() if getattr(obj, f) != v]
    if changed:
        for field in changed:
            setattr(obj, field, row[field])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


def _read(name: str, data_dir: Path) -> list[dict]:
    path = data_dir / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Cannot read taxonomy file {path}: {exc}") from exc


@transaction.atomic
def load_taxonomy(data_dir: Path = DATA_DIR) -> LoadResult:
    """Create or update every taxonomy term from the JSON files; idempotent."""
    from decimal import Decimal

    result = LoadResult()
    regions = _read("regions.json", data_dir)
    # Provinces first so municipalities can point at them.
    for row in sorted(regions, key=lambda r: r["parent"] is not None):
        parent = Region.objects.get(slug=row["parent"]) if row["parent"] else None
        _upsert(
            Region,
            "slug",
            {
                "slug": row["slug"],
                "code": row["code"],
                "name_ko": row["name_ko"],
                "name_en": row["name_en"],
                "level": row["level"],
                "parent": parent,
                "latitude": Decimal(str(row["latitude"])).quantize(Decimal("0.00001")),
                "longitude": Decimal(str(row["longitude"])).quantize(
                    Decimal("0.00001")
                ),
            },
            result,
        )
    for row in _read("organisations.json", data_dir):
        region = Region.objects.get(slug=row["region"]) if row.get("region") else None
        _upsert(
            Organisation,
            "slug",
            {
                "slug": row["slug"],
                "name_ko": row["name_ko"],
                "name_en": row["name_en"],
                "abbreviation": row.get("abbreviation", ""),
                "kind": row["kind"],
                "region": region,
                "website": row.get("website", ""),
            },
            result,
        )
    for row in _read("programmes.json", data_dir):
        lead = Organisation.objects.get(slug=row["lead"]) if row.get("lead") else None
        _upsert(
            Programme,
            "slug",
            {
                "slug": row["slug"],
                "name_ko": row["name_ko"],
                "name_en": row["name_en"],
                "description_ko": row.get("description_ko", ""),
                "description_en": row.get("description_en", ""),
                "start_year": row.get("start_year"),
                "end_year": row.get("end_year"),
                "lead": lead,
                "featured": bool(row.get("featured", False)),
            },
            result,
        )
    for row in _read("topics.json", data_dir):
        _upsert(
            Topic,
            "slug",
            {
                "slug": row["slug"],
                "name_ko": row["name_ko"],
                "name_en": row["name_en"],
                "description_ko": row.get("description_ko", ""),
                "description_en": row.get("description_en", ""),
            },
            result,
        )
    return result
