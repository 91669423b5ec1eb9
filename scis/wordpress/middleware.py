"""Old WordPress links by query string — /?p=123, /?page_id=45 — point at
a path SCIS serves (the home page), so Wagtail's redirect middleware, which
only looks at 404s, never sees them. This one answers them first."""

from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

QUERY_KEYS = ("p", "page_id", "attachment_id")


class WordPressQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and any(
            key in request.GET for key in QUERY_KEYS
        ):
            response = self._redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _redirect(self, request):
        path = request.path
        if path.endswith("/index.php"):
            path = path[: -len("index.php")]
        # The whole query first, then only WordPress's own key (links often
        # gained tracking parameters on the way).
        candidates = [Redirect.normalise_path(f"{path}?{request.GET.urlencode()}")]
        for key in QUERY_KEYS:
            value = request.GET.get(key)
            if value:
                candidates.append(Redirect.normalise_path(f"{path}?{key}={value}"))
        redirects = {
            redirect.old_path: redirect
            for redirect in Redirect.get_for_site(
                Site.find_for_request(request)
            ).filter(old_path__in=candidates)
        }
        for candidate in candidates:
            redirect = redirects.get(candidate)
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
        return None
