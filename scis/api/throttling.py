"""The rate limit for anonymous clients (every client: the API has no
accounts). Over the limit an answer is `429` with `Retry-After`."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Reads its rate from `API_ANON_RATE` when asked, so a deployment (or a
    test) can change it without a restart of the class; None disables it."""

    def get_rate(self):
        return settings.API_ANON_RATE
