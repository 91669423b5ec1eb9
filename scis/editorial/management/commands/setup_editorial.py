from django.core.management.base import BaseCommand

from scis.editorial.services import setup_editorial


class Command(BaseCommand):
    """Create the Editors and Moderators groups and the news workflow."""

    help = "Create editor and moderator groups and the news moderation workflow."

    def handle(self, *args, **options):
        workflow = setup_editorial()
        pages = workflow.workflow_pages.count()
        self.stdout.write(
            f"editorial: groups ready, workflow on {pages} news index page(s)"
        )
