from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from scis.core import views as core_views
from scis.feeds import sitemaps
from scis.projects.api import ProjectsGeoJSONView
from scis.search import views as search_views
from scis.search.api import SearchAPIView

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemaps.sitemap_xml, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"
    ),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("id/<int:page_id>/", core_views.permalink, name="permalink"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/search/", SearchAPIView.as_view(), name="api_search"),
    path(
        "api/v1/projects/geojson/",
        ProjectsGeoJSONView.as_view(),
        name="api_projects_geojson",
    ),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/", include("scis.api.urls")),
    path("oai", include("scis.oai.urls")),
    path("newsletter/tracking/", include("scis.newsletter.tracking_urls")),
    path("snapshots/", include("scis.harvest.urls")),
    path("", include("scis.events.urls")),
    path("", include("scis.library.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggestions, name="search_suggestions"),
    path("feeds/", include("scis.feeds.urls")),
    path("data/", include("scis.opendata.urls")),
    path("newsletter/", include("scis.newsletter.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
