from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page


@require_GET
def permalink(request, page_id: int):
    """The permanent address of a record: survives renames and moves."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No published record has this identifier.")
    return redirect(page.get_url(request=request), permanent=False)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def permalink_url(request, page) -> str:
    return request.build_absolute_uri(reverse("permalink", args=[page.pk]))
