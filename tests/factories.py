"""Factories for record pages: each creates a published Korean page under the
right index page, optionally with its English translation."""

import datetime as dt

import factory
from wagtail.models import Locale

from scis.events.models import EventPage
from scis.home.models import HomePage
from scis.home.structure import publish, translate
from scis.library.models import DocumentPage, LiteraturePage
from scis.news.models import NewsPage


def _index(path: str):
    page = HomePage.objects.get(locale__language_code="ko")
    for slug in path.split("/"):
        page = page.get_children().get(slug=slug)
    return page


class RecordPageFactory(factory.Factory):
    """Builds the page, files it under `parent_path`, publishes it."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"시험 기록 {n}")
    slug = factory.Sequence(lambda n: f"test-record-{n}")
    date = dt.date(2024, 3, 28)
    summary = "시험용 요약입니다."

    @classmethod
    def _create(
        cls, model_class, *args, parent_path=None, terms=None, english=None, **kwargs
    ):
        page = model_class(locale=Locale.objects.get(language_code="ko"), **kwargs)
        for name, values in (terms or {}).items():
            setattr(page, name, values)
        _index(parent_path or cls.parent_path).add_child(instance=page)
        publish(page)
        if english:
            translate(page, Locale.objects.get(language_code="en"), **english)
        return page


class NewsPageFactory(RecordPageFactory):
    class Meta:
        model = NewsPage

    parent_path = "news/issue"
    body = "<p>본문입니다.</p>"


class LiteraturePageFactory(RecordPageFactory):
    class Meta:
        model = LiteraturePage

    parent_path = "literature"
    year = 2024


class EventPageFactory(RecordPageFactory):
    class Meta:
        model = EventPage

    parent_path = "events"
    start = factory.LazyFunction(lambda: dt.datetime(2030, 5, 1, 10, tzinfo=dt.UTC))
    end = factory.LazyFunction(lambda: dt.datetime(2030, 5, 2, 18, tzinfo=dt.UTC))


class DocumentPageFactory(RecordPageFactory):
    class Meta:
        model = DocumentPage

    parent_path = "documents"
    kind = "report"
    year = 2024
