"""Reader-facing newsletter URLs, inside i18n_patterns (/newsletter/… and
/en/newsletter/…). The archive itself is Wagtail pages: /newsletter/ is the
NewsletterIndexPage and /newsletter/<number>/ an issue."""

from django.urls import path

from . import feeds, views

urlpatterns = [
    path("subscribe/", views.subscribe, name="newsletter_subscribe"),
    path("subscribe/done/", views.subscribe_done, name="newsletter_subscribe_done"),
    # Signed tokens use only URL-safe characters and never a slash.
    path("confirm/<str:token>/", views.confirm, name="newsletter_confirm"),
    path("preferences/<str:token>/", views.preferences, name="newsletter_preferences"),
    path(
        "preferences/<str:token>/data.json",
        views.export,
        name="newsletter_export",
    ),
    path("preferences/<str:token>/erase/", views.erase, name="newsletter_erase"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
    path("feed.atom", feeds.IssueFeed(), name="newsletter_feed"),
]
