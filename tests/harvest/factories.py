"""Harvest factories: sources, candidate items with text and a suggested
classification, and snapshots written for real into a WARC file."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from scis.editorial.services import EDITORS, MODERATORS
from scis.harvest.fetching import Response
from scis.harvest.models import Item, Job, JobError, Source
from scis.harvest.snapshots import WarcWriter

ORIGINAL_HTML = (
    "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
    "<title>세종 스마트시티 국가시범도시 입주 시작</title></head><body>"
    "<h1>세종 스마트시티 국가시범도시 입주 시작</h1>"
    "<p>국토교통부는 세종 5-1 생활권 스마트시티 국가시범도시의 첫 입주가 "
    "시작되었다고 밝혔다.</p><script>alert('x')</script></body></html>"
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"국토교통부 보도자료 {n}")
    slug = factory.Sequence(lambda n: f"molit-press-{n}")
    kind = Source.Kind.RSS
    url = factory.Sequence(lambda n: f"https://www.molit.go.kr/feed/{n}.xml")
    language = "ko"
    section = "policy-trend"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    source = factory.SubFactory(SourceFactory)
    guid = factory.Sequence(lambda n: f"molit-press-{n}")
    url = factory.Sequence(lambda n: f"https://www.molit.go.kr/press/{n}.html")
    title = factory.Sequence(lambda n: f"세종 스마트시티 국가시범도시 입주 시작 {n}")
    date = factory.LazyFunction(lambda: timezone.localdate())
    language = "ko"
    summary = "세종 5-1 생활권 국가시범도시의 첫 입주가 시작되었다."
    body_html = (
        "<p>국토교통부는 세종 5-1 생활권 스마트시티 국가시범도시의 첫 입주가 "
        "시작되었다고 밝혔다.</p><p>자율주행 셔틀과 통합 모빌리티 서비스가 "
        "함께 운영된다.</p>"
    )
    text = (
        "국토교통부는 세종 5-1 생활권 스마트시티 국가시범도시의 첫 입주가 "
        "시작되었다고 밝혔다. 자율주행 셔틀과 통합 모빌리티 서비스가 함께 "
        "운영된다."
    )
    suggestion = factory.LazyFunction(
        lambda: {"section": "policy-trend", "reasons": ["source default section"]}
    )


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    source = factory.SubFactory(SourceFactory)
    status = Job.Status.SUCCEEDED
    trigger = "command"


class JobErrorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobError

    source = factory.SubFactory(SourceFactory)
    stage = JobError.Stage.FETCH
    url = "https://www.molit.go.kr/press/404.html"
    message = (
        "https://www.molit.go.kr/press/404.html answered HTTP 404; check the "
        "address, or wait if the site is down (the next run retries)."
    )


def make_snapshot(item: Item | None = None, html: str = ORIGINAL_HTML, **kwargs):
    """A snapshot of `item`'s original, written into a real WARC file."""
    url = kwargs.pop("url", item.url if item else "https://www.molit.go.kr/a.html")
    response = Response(
        url=url,
        status=200,
        content=html.encode("utf-8"),
        content_type="text/html",
        charset="utf-8",
        reason="OK",
        http_headers=[("Content-Type", "text/html; charset=utf-8")],
    )
    with WarcWriter(None) as writer:
        return writer.write(response, item=item)


def user_in(django_user_model, group_name: str, username: str):
    """A staff user in one of the editorial groups (see editorial.services)."""
    user = django_user_model.objects.create_user(username, f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    # The admin in English, so tests read the same whatever is translated.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def editor(django_user_model):
    return user_in(django_user_model, EDITORS, "editor")


def moderator(django_user_model):
    return user_in(django_user_model, MODERATORS, "moderator")
