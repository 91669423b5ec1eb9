"""The newsletter in the Wagtail admin. Each part keeps to its own section."""

from wagtail import hooks

# --- Subscribers (list, search, filters, counts; export and erase) ----------
from .subscriber_admin import SubscriberViewSet


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet()


# --- end of subscribers ------------------------------------------------------


# --- Sending: the send report of an issue (sent, failed, bounced, pending) ---
from .send_report import admin_urls as send_report_urls  # noqa: E402
from .send_report import report_button  # noqa: E402


@hooks.register("register_admin_urls")
def register_send_report_urls():
    return send_report_urls()


@hooks.register("register_page_listing_more_buttons")
def send_report_listing_button(page, user, next_url=None):
    button = report_button(page, user, priority=45)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def send_report_header_button(page, user, view_name, next_url=None):
    button = report_button(page, user, priority=66)
    if button:
        yield button


# --- end of sending ----------------------------------------------------------


# --- Composing: compose from the month, send a test to me (issue_actions.py) -
from .issue_actions import action_buttons  # noqa: E402
from .issue_actions import admin_urls as issue_action_urls  # noqa: E402


@hooks.register("register_admin_urls")
def register_issue_action_urls():
    return issue_action_urls()


@hooks.register("register_page_listing_more_buttons")
def issue_action_listing_buttons(page, user, next_url=None):
    yield from action_buttons(page, user, priority=42)


@hooks.register("register_page_header_buttons")
def issue_action_header_buttons(page, user, view_name, next_url=None):
    yield from action_buttons(page, user, priority=62)


# --- end of composing --------------------------------------------------------
