"""The Atom feed of newsletter issues, at /newsletter/feed.atom (Korean) and
/en/newsletter/feed.atom (English). Each entry is an issue in the reader's
language, or as written where it has no translation yet, like the archive
page."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .contents import IssueEntry, archive_issues, issue_contents

FEED_SIZE = 24  # two years of monthly issues


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


class IssueFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def title(self) -> str:
        return f"{_('Newsletter')} — {_('Smart City Information System')}"

    def subtitle(self) -> str:
        return _("Every monthly issue of the Smart City Information System newsletter.")

    def link(self) -> str:
        from .models import NewsletterIndexPage

        index = (
            NewsletterIndexPage.objects.live()
            .filter(locale__language_code=_language())
            .first()
        )
        return index.url if index else reverse("newsletter_subscribe")

    def feed_url(self) -> str:
        return reverse("newsletter_feed")

    def author_name(self) -> str:
        return _("Smart City Information System")

    def items(self) -> list[IssueEntry]:
        return archive_issues(_language())[:FEED_SIZE]

    def item_title(self, item: IssueEntry) -> str:
        return _("No. %(number)s: %(title)s") % {
            "number": item.page.number,
            "title": item.page.title,
        }

    def item_description(self, item: IssueEntry) -> str:
        headings = [s.label for s in issue_contents(item.page, _language())]
        parts = [item.page.introduction.strip(), " · ".join(headings)]
        return "\n\n".join(part for part in parts if part)

    def item_link(self, item: IssueEntry) -> str:
        return item.page.url

    def item_guid(self, item: IssueEntry) -> str:
        # The issue's number and language never change, so neither does its id.
        return (
            f"{settings.PUBLIC_BASE_URL}/newsletter/{item.page.number}#{item.language}"
        )

    item_guid_is_permalink = False

    def item_pubdate(self, item: IssueEntry) -> dt.datetime:
        return dt.datetime.combine(
            item.page.issue_date, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )

    def item_updateddate(self, item: IssueEntry) -> dt.datetime:
        return item.page.last_published_at or self.item_pubdate(item)
