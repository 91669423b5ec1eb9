from django.core.management.base import BaseCommand

from scis.taxonomy.services import load_taxonomy


class Command(BaseCommand):
    """Load regions, organisations, programmes and topics from the data files."""

    help = "Create or update the taxonomy terms from scis/taxonomy/data/*.json."

    def handle(self, *args, **options):
        result = load_taxonomy()
        self.stdout.write(
            f"taxonomy: created={result.created} updated={result.updated} "
            f"unchanged={result.unchanged}"
        )
