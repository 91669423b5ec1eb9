"""The newsletter message's bytes, written by scis.newsletter.mime instead of
the `email` generator: a mail client must read exactly what Django's own
message would have said."""

import email
from email.policy import default as default_policy

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError

from scis.newsletter.mime import PreparedEmail, RawMessage

HEADERS = {
    "Message-ID": "<scis49.1@example.org>",
    "List-Id": "SCIS newsletter <newsletter.example.org>",
    "List-Unsubscribe": "<https://scis.example.org/newsletter/unsubscribe/"
    + "x" * 120
    + "/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Content-Language": "ko",
}


def both(html: str, text: str, subject: str, sender: str):
    """The same message built by Django and by PreparedEmail, as a mail
    client parses them."""
    made = []
    for kind in (EmailMultiAlternatives, PreparedEmail):
        message = kind(
            subject=subject,
            body=text,
            from_email=sender,
            to=["kim@example.org"],
            headers=HEADERS,
        )
        message.attach_alternative(html, "text/html")
        raw = message.message().as_bytes(linesep="\r\n")
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        made.append(email.message_from_bytes(raw, policy=default_policy))
    return made


def parts(message):
    return [
        (part.get_content_type(), part.get_content()) for part in message.iter_parts()
    ]


@pytest.mark.parametrize("long_lines", [False, True])
def test_a_reader_sees_the_same_message_as_from_django(long_lines):
    text = "스마트도시 뉴스레터 제49호\n\n* 세종 국가 시범도시\n  https://scis.example.org/a/\n"
    html = '<p lang="ko">세종 &amp; 부산 = 국가 시범도시</p>\n<p>.</p>\n'
    if long_lines:  # beyond SMTP's 998 bytes a line: quoted-printable
        html = "<p>" + "스마트도시 " * 200 + "</p>\n" + html
    subject = "[스마트도시 정보시스템] 뉴스레터 제49호 · 정부·지역·민간이 함께 만드는 스마트도시"
    sender = "스마트도시 정보시스템 <newsletter@example.org>"

    django_made, ours = both(html, text, subject, sender)

    for name in ("Subject", "From", "To", *HEADERS):
        # Django folds a long encoded subject after "Subject:", which a
        # reader sees as a leading space; ours has none.
        assert str(ours[name]) == str(django_made[name]).lstrip(), name
    assert ours["Date"]
    assert ours.get_content_type() == "multipart/alternative"
    assert parts(ours) == parts(django_made)
    assert parts(ours)[1][1].replace("\r\n", "\n") == html
    (html_part,) = [p for p in ours.iter_parts() if p.get_content_type() == "text/html"]
    expected = "quoted-printable" if long_lines else "8bit"
    assert html_part["Content-Transfer-Encoding"] == expected


def test_a_newline_in_a_header_is_refused():
    message = PreparedEmail(
        subject="Issue\r\nBcc: everyone@example.org",
        body="text",
        from_email="newsletter@example.org",
        to=["kim@example.org"],
    )
    message.attach_alternative("<p>html</p>", "text/html")
    with pytest.raises(BadHeaderError):
        message.message()


def test_attachments_go_through_django_unchanged():
    message = PreparedEmail(
        subject="Issue", body="text", from_email="a@example.org", to=["b@example.org"]
    )
    message.attach_alternative("<p>html</p>", "text/html")
    message.attach("data.csv", "a,b\n", "text/csv")

    built = message.message()

    assert not isinstance(built, RawMessage)
    assert [p.get_content_type() for p in built.walk()][-1] == "text/csv"
