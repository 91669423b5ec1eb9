"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd): it records
every message it accepts and can be told to answer other codes for chosen
recipients, the way a real mail server greylists (451) or refuses (550).

Use the `smtp_server` fixture (import `smtp_server_fixture`): it starts the
server on a free port and points Django's SMTP backend at it."""

from __future__ import annotations

import email
import socket
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class RecordingHandler:
    """aiosmtpd handler: accepts by default; `answer(address, *replies)`
    queues replies for RCPT TO of that address (used up one per attempt),
    `answer_data(n, reply)` answers the n-th DATA (1-based) with `reply`."""

    def __init__(self):
        self.messages: list[Received] = []
        self.rcpt_replies: dict[str, deque[str]] = defaultdict(deque)
        self.data_replies: dict[int, str] = {}
        self.data_seen = 0
        self.connections = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            queued = self.rcpt_replies.get(address.lower())
            if queued:
                return queued.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_seen += 1
            reply = self.data_replies.pop(self.data_seen, None)
            if reply:
                return reply
            raw = envelope.original_content or envelope.content
            message = email.message_from_bytes(raw, policy=default_policy)
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw)
            )
        return "250 2.0.0 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    # What the tests read and set.

    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)

    def recipients(self) -> list[str]:
        return [rcpt.lower() for m in self.handler.messages for rcpt in m.rcpt_tos]

    def to(self, address: str) -> list[EmailMessage]:
        address = address.lower()
        return [
            m.message
            for m in self.handler.messages
            if address in (r.lower() for r in m.rcpt_tos)
        ]

    def answer(self, address: str, *replies: str) -> None:
        self.handler.rcpt_replies[address.lower()].extend(replies)

    def answer_data(self, nth: int, reply: str) -> None:
        self.handler.data_replies[nth] = reply


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(name="smtp_server")
def smtp_server_fixture(settings):
    """A running SMTP server; Django's SMTP backend sends to it."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()
