import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from scis.harvest.sources import SourceError, load_sources


class Command(BaseCommand):
    """Create or update (by slug) the harvest sources listed in a YAML or
    JSON file. Every entry is checked first: one bad entry and nothing is
    written. Ends with `created=N updated=N`."""

    help = "Create or update harvest sources from a YAML or JSON list."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .yaml, .yml or .json file")

    def handle(self, *args, file: str, **options):
        entries = read_list(Path(file))
        try:
            created, updated = load_sources(entries)
        except SourceError as exc:
            raise CommandError(
                f"Nothing was loaded from {file}; fix these and run it again:\n  "
                + "\n  ".join(exc.problems)
            ) from exc
        self.stdout.write(f"created={created} updated={updated}")


def read_list(path: Path):
    """The file's content: JSON by its extension or when it looks like
    JSON, YAML otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text; save it as UTF-8.") from exc
    as_json = path.suffix.lower() == ".json" or (
        path.suffix.lower() not in (".yaml", ".yml") and text.lstrip()[:1] in ("[", "{")
    )
    try:
        data = json.loads(text) if as_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if as_json else "YAML"
        raise CommandError(f"{path} is not valid {kind}: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("sources"), list):
        data = data["sources"]
    return data if data is not None else []
