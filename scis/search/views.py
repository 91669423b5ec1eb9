"""The search page. For now it asks Wagtail's database search backend; the
Korean-aware analyzer replaces the backend, not this page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from wagtail.models import Locale, Page

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = []
    paginator_page = None
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first()
        pages = Page.objects.live().public().exclude(depth__lte=2)
        if locale is not None:
            pages = pages.filter(locale=locale)
        paginator = Paginator(pages.search(query), RESULTS_PER_PAGE)
        paginator_page = paginator.get_page(request.GET.get("page"))
        results = [page.specific for page in paginator_page.object_list]
    return render(
        request,
        "search/search.html",
        {"search_query": query, "results": results, "results_page": paginator_page},
    )
