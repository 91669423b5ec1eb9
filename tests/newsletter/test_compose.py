"""An editor builds an issue: compose from the month, preview the e-mail,
send a test to themselves."""

import datetime as dt

import pytest
from django.urls import reverse

from scis.library.models import LiteraturePage
from scis.news.models import NewsPage
from scis.newsletter.compose import compose, compose_draft, record_ids
from scis.newsletter.models import Delivery, NewsletterIssuePage
from tests.factories import EventPageFactory, LiteraturePageFactory, NewsPageFactory
from tests.newsletter.smtp_server import SMTPServer, _free_port
from tests.newsletter.test_rendering import archive


def new_issue(home, number, date, publish=True):
    issue = NewsletterIssuePage(
        title=f"제{number}호", number=number, issue_date=date, locale=home.locale
    )
    issue.live = publish
    archive(home).add_child(instance=issue)
    revision = issue.save_revision()
    if publish:
        revision.publish()
    return issue


def slugs_by_section(issue) -> dict[str, list[str]]:
    """What the editor sees in the issue's sections: record slugs in order."""
    shown: dict[str, list[str]] = {}
    for block in issue.sections:
        shown.setdefault(block.value["section"], []).extend(
            item["record"].slug for item in block.value["items"]
        )
    return shown


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def demo_issue(number):
    return NewsletterIssuePage.objects.get(number=number, locale__language_code="ko")


def test_compose_gathers_the_month_as_the_editors_did_for_no_49(home):
    """Demo issue No. 49 was put together by hand from March 2024; composing
    an empty issue of the same date finds every one of its records in the
    same section."""
    by_hand = slugs_by_section(demo_issue(49))
    for page in NewsletterIssuePage.objects.filter(number=49):
        page.delete()
    issue = new_issue(home, 49, dt.date(2024, 4, 1))

    result = compose(issue)
    composed = slugs_by_section(issue)

    assert (result.since, result.until) == (dt.date(2024, 3, 4), dt.date(2024, 4, 1))
    assert result.total == sum(len(s) for s in composed.values())
    for section, slugs in by_hand.items():
        assert set(slugs) <= set(composed[section]), section
    # The April events are announced under news, next to nothing else.
    assert {"2024-world-it-show", "2024-gen-ai-korea-red-team-challenge"} <= set(
        composed["news"]
    )
    assert all(len(slugs) <= 8 for slugs in composed.values())
    # Newest first within a section.
    for model, section in [(NewsPage, "policy-trend"), (LiteraturePage, "literature")]:
        slugs = composed[section]
        dates = {p.slug: p.date for p in model.objects.filter(slug__in=slugs)}
        assert [dates[s] for s in slugs] == sorted(dates.values(), reverse=True)


def test_compose_leaves_out_earlier_issues_and_other_months(home):
    in_month = NewsPageFactory(
        parent_path="news/policy-trend", slug="april-trend", date=dt.date(2024, 4, 15)
    )
    paper = LiteraturePageFactory(slug="april-paper", date=dt.date(2024, 4, 20))
    coming = EventPageFactory(
        slug="may-forum",
        date=dt.date(2024, 5, 10),
        start=dt.datetime(2024, 5, 10, 1, tzinfo=dt.UTC),
        end=dt.datetime(2024, 5, 10, 8, tzinfo=dt.UTC),
    )
    too_old = NewsPageFactory(slug="old-news", date=dt.date(2024, 3, 20))
    issue = new_issue(home, 50, dt.date(2024, 4, 30))

    compose(issue)
    composed = slugs_by_section(issue)
    everything = {slug for slugs in composed.values() for slug in slugs}

    assert in_month.slug in composed["policy-trend"]
    assert paper.slug in composed["literature"]
    assert coming.slug in composed["news"]
    assert too_old.slug not in everything
    # No. 49 already carried the April events and the late-March papers.
    carried = {s for slugs in slugs_by_section(demo_issue(49)).values() for s in slugs}
    assert "2024-world-it-show" in carried
    assert not everything & carried


def test_without_a_previous_issue_compose_reads_the_last_31_days(home):
    inside = NewsPageFactory(slug="late-feb", date=dt.date(2018, 2, 28))
    outside = NewsPageFactory(slug="mid-feb", date=dt.date(2018, 2, 10))
    issue = new_issue(home, 1, dt.date(2018, 3, 15))

    result = compose(issue)
    everything = {s for slugs in slugs_by_section(issue).values() for s in slugs}

    assert result.since == dt.date(2018, 2, 12)
    assert inside.slug in everything
    assert outside.slug not in everything


def test_composing_again_keeps_the_editors_choice_and_adds_nothing_twice(home):
    issue = new_issue(home, 50, dt.date(2024, 4, 30))
    kept = NewsPage.objects.get(
        slug="2024-geospatial-information-deregulation", locale=home.locale
    )
    issue.sections = [
        {
            "type": "section",
            "value": {"section": "special", "items": [{"record": kept.pk}]},
        }
    ]
    NewsPageFactory(
        parent_path="news/special", slug="april-special", date=dt.date(2024, 4, 9)
    )

    first = compose(issue)
    second = compose(issue)
    composed = slugs_by_section(issue)

    assert composed["special"][0] == kept.slug
    assert "april-special" in composed["special"]
    assert first.total >= 1
    assert second.total == 0
    ids = [i for b in issue.sections.raw_data for i in record_ids([b])]
    assert len(ids) == len(set(ids))


def test_a_section_holds_at_most_the_cap(home):
    # Before the demo archive begins, so only these papers are in the month.
    for day in range(1, 11):
        LiteraturePageFactory(slug=f"paper-{day}", date=dt.date(2017, 6, day))
    issue = new_issue(home, 2, dt.date(2017, 6, 30))

    compose(issue, per_section=8)

    literature = slugs_by_section(issue)["literature"]
    assert len(literature) == 8
    assert literature[:2] == ["paper-10", "paper-9"]


def test_compose_draft_saves_a_revision_and_publishes_nothing(home, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    issue = new_issue(home, 50, dt.date(2024, 4, 30), publish=False)
    NewsPageFactory(slug="april-item", date=dt.date(2024, 4, 2))

    result = compose_draft(issue, editor)
    issue.refresh_from_db()

    assert result.total >= 1
    assert not issue.live
    draft = issue.get_latest_revision_as_object()
    assert "april-item" in slugs_by_section(draft)["issue"]
    assert issue.get_latest_revision().user == editor


# The admin: what an editor clicks.


def test_admin_compose_action_saves_a_draft_and_says_how_many(home, admin_client):
    issue = new_issue(home, 50, dt.date(2024, 4, 30))
    NewsPageFactory(slug="april-item", date=dt.date(2024, 4, 2))
    issue.refresh_from_db()
    live_revision = issue.live_revision_id
    url = reverse("newsletter_issue_compose", args=[issue.pk])
    edit_url = reverse("wagtailadmin_pages:edit", args=[issue.pk])

    asked = admin_client.get(url)
    assert asked.status_code == 200
    assert "2024" in asked.content.decode()
    assert b'method="post"' in asked.content

    response = admin_client.post(url, follow=True)
    issue.refresh_from_db()

    assert response.redirect_chain[-1][0] == edit_url
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    # The admin speaks the editor's language (Korean by default).
    assert any("1건을 새 초안에" in m or "1 record" in m for m in shown), shown
    assert issue.live_revision_id == live_revision
    assert issue.has_unpublished_changes
    assert slugs_by_section(issue) == {}  # the live page is unchanged
    assert (
        "april-item" in slugs_by_section(issue.get_latest_revision_as_object())["issue"]
    )


def test_the_issue_editor_offers_the_actions(home, admin_client):
    issue = new_issue(home, 50, dt.date(2024, 4, 30))

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))

    html = response.content.decode()
    assert reverse("newsletter_issue_compose", args=[issue.pk]) in html
    assert reverse("newsletter_issue_send_test", args=[issue.pk]) in html


def test_compose_is_refused_to_a_reader_without_edit_rights(home, client):
    from django.contrib.auth import get_user_model

    issue = new_issue(home, 50, dt.date(2024, 4, 30))
    user = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    client.force_login(user)

    response = client.post(reverse("newsletter_issue_compose", args=[issue.pk]))

    assert response.status_code in (302, 403)
    issue.refresh_from_db()
    assert not issue.has_unpublished_changes


@pytest.mark.parametrize(
    ("mode", "content_type", "expected"),
    [
        ("", "text/html", '<html lang="ko"'),
        ("email", "text/html", 'role="presentation"'),
        ("email-text", "text/plain", "http://"),
    ],
)
def test_preview_modes_answer_for_an_editor(admin_client, mode, content_type, expected):
    issue = demo_issue(49)

    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[issue.pk]), {"mode": mode}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert expected in response.content.decode()


def test_preview_of_the_english_translation_is_the_english_edition(admin_client):
    english = NewsletterIssuePage.objects.get(number=49, locale__language_code="en")

    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[english.pk]),
        {"mode": "email-text"},
    )

    assert "Unsubscribe:" in response.content.decode()
    assert english.title in response.content.decode()


def test_send_a_test_to_me_delivers_both_editions_to_the_editor_only(
    admin_client, mail_server
):
    issue = demo_issue(49)
    url = reverse("newsletter_issue_send_test", args=[issue.pk])

    assert "boss@example.org" in admin_client.get(url).content.decode()
    response = admin_client.post(url, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert any("boss@example.org" in m for m in shown), shown
    assert mail_server.recipients() == ["boss@example.org", "boss@example.org"]
    languages = []
    for received in mail_server.messages:
        message = received.message
        assert message.get_content_type() == "multipart/alternative"
        assert message["Subject"].strip().startswith(("[Test]", "[테스트]"))
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert "/newsletter/unsubscribe/" in text
        languages.append(message["Content-Language"])
        assert f'<html lang="{message["Content-Language"]}"' in html
    assert sorted(languages) == ["en", "ko"]
    assert not Delivery.objects.filter(issue=issue).exists()
    assert issue.__class__.objects.get(pk=issue.pk).send_started_at is None


def test_send_a_test_says_what_to_do_when_the_mail_server_is_down(
    admin_client, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    issue = demo_issue(49)

    response = admin_client.post(
        reverse("newsletter_issue_send_test", args=[issue.pk]), follow=True
    )

    shown = " ".join(str(m) for m in response.context["messages"])
    assert "EMAIL_HOST" in shown
    assert str(settings.EMAIL_PORT) in shown


def test_send_test_message_parses_as_mime(admin_client, mail_server):
    """Korean text survives the trip: the Korean edition decodes to Hangul."""
    issue = demo_issue(49)
    admin_client.post(reverse("newsletter_issue_send_test", args=[issue.pk]))

    korean = next(
        m.message for m in mail_server.messages if m.message["Content-Language"] == "ko"
    )
    text = korean.get_body(("plain",)).get_content()
    assert korean["Subject"].strip().startswith("[테스트]")
    assert issue.title in text
    assert "수신 거부:" in text
