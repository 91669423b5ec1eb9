"""The search page, the autocomplete endpoint and the search API."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .searching import search as run_search
from .suggest import autocomplete


def search(request):
    outcome = run_search(request.GET, get_language())
    return render(
        request,
        "search/search.html",
        {"search": outcome, "listing": outcome, "search_query": outcome.text},
    )


def suggestions(request):
    """Titles and taxonomy names that complete what a reader is typing."""
    return JsonResponse(
        {"suggestions": autocomplete(request.GET.get("q", ""), get_language())}
    )
