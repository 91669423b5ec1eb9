"""/sitemap.xml: every live, public page in both languages, each URL with
`hreflang` alternates naming its translation (and `x-default`, the Korean
page). Wagtail's own sitemap lists only the default site's tree, which
leaves out the English pages.

A site of up to `limit` pages gets one plain `<urlset>`; a larger archive
(100,000 records in two languages is 200,000 addresses, four times what one
sitemap may hold) gets a sitemap index pointing at numbered pages."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpResponse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from scis.core.catalogue import version

SECTION = "pages"


class PortalSitemap(WagtailSitemap):
    limit = 10_000

    def _pages(self):
        return Page.objects.live().public().filter(depth__gt=1)

    def items(self):
        return self._pages().order_by("path").defer_streamfields().specific()

    def get_latest_lastmod(self):
        # Django's default would load every page to find the newest one.
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]

    def _translations(self, pages) -> dict:
        """translation_key → {language: full URL} for a batch of pages."""
        keys = {page.translation_key for page in pages}
        found: dict = {}
        for page in (
            self._pages().filter(translation_key__in=keys).select_related("locale")
        ):
            found.setdefault(page.translation_key, {})[page.locale.language_code] = (
                page.get_full_url(self.request)
            )
        return found

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        translations = self._translations(pages)
        urls = []
        for item in pages:
            own = item.get_full_url(self.request)
            languages = translations.get(item.translation_key, {})
            for info in item.get_sitemap_urls(self.request):
                info = {**info, "alternates": []}
                suffix = info["location"][len(own) :] if own else ""
                if len(languages) > 1 and info["location"].startswith(own or "\0"):
                    info["alternates"] = [
                        {"lang_code": code, "location": url + suffix}
                        for code, url in sorted(languages.items())
                    ]
                    if settings.LANGUAGE_CODE in languages:
                        info["alternates"].append(
                            {
                                "lang_code": "x-default",
                                "location": languages[settings.LANGUAGE_CODE] + suffix,
                            }
                        )
                urls.append(info)
        lastmods = [info.get("lastmod") for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


# A part of 10,000 addresses takes seconds to build and crawlers fetch the
# parts again and again: keep each answer until something is published.
CACHE_SECONDS = 24 * 3600


def _cached(request, part: str, build) -> HttpResponse:
    """The sitemap answer for `part`, built once per catalogue version (any
    publish, unpublish, move or deletion raises it) and host."""
    key = f"scis:sitemap:{version()}:{request.get_host()}:{request.scheme}:{part}"
    found = cache.get(key)
    if found is None:
        response = build()
        response.render()
        found = (response.status_code, response.content, dict(response.items()))
        if response.status_code == 200:
            cache.set(key, found, CACHE_SECONDS)
    status, content, headers = found
    answer = HttpResponse(content, status=status)
    for name, value in headers.items():
        answer[name] = value
    return answer


def sitemap_xml(request):
    """The sitemap, or the index of its pages when one would be too long."""

    def build():
        sitemaps = {SECTION: PortalSitemap(request)}
        if sitemaps[SECTION].paginator.num_pages > 1:
            return sitemap_views.index(
                request, sitemaps, sitemap_url_name="sitemap_section"
            )
        return sitemap_views.sitemap(request, sitemaps)

    return _cached(request, "index", build)


def sitemap_section(request, section: str):
    page = request.GET.get("p", "1")
    return _cached(
        request,
        f"{section}:{page}",
        lambda: sitemap_views.sitemap(
            request, {SECTION: PortalSitemap(request)}, section
        ),
    )
