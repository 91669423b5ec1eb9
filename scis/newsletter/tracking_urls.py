"""Delivery-event webhooks from the mail provider (bounces, complaints),
outside i18n_patterns: providers post to one fixed address."""

urlpatterns: list = []
