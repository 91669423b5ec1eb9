"""Reader-facing newsletter URLs, inside i18n_patterns (/newsletter/… and
/en/newsletter/…). The archive itself is Wagtail pages: /newsletter/ is the
NewsletterIndexPage and /newsletter/<number>/ an issue."""

urlpatterns: list = [
    # Filled in by the subscriber views: newsletter_subscribe,
    # newsletter_confirm, newsletter_preferences, newsletter_unsubscribe.
]
