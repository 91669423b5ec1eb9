"""Template tags for navigation, the language switcher and citations."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page, Site

from scis.core.views import permalink_url

register = template.Library()


def _home_for(request) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized.specific


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The localised home page's children that are marked for menus."""
    request = context["request"]
    home = _home_for(request)
    if home is None:
        return []
    return home.get_children().live().public().in_menu()


@register.simple_tag(takes_context=True)
def home_page(context):
    return _home_for(context["request"])


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One entry per portal language: where the same page lives in it.

    Where this page has no translation yet, the link leads to the nearest
    translated ancestor and says so.
    """
    request = context["request"]
    current = translation.get_language()
    cache_key = (getattr(page, "pk", None), current)
    cached = getattr(request, "_scis_language_links", {})
    if cache_key in cached:
        return cached[cache_key]
    links = []
    for code, name in settings.LANGUAGES:
        entry = {
            "code": code,
            "name": name,
            "current": code == current,
            "available": True,
        }
        if page is not None and getattr(page, "pk", None):
            target = (
                page.specific.translation_in(code)
                if hasattr(page.specific, "translation_in")
                else None
            )
            if target is None:
                entry["available"] = False
                for ancestor in reversed(page.get_ancestors().filter(depth__gt=1)):
                    translated = (
                        ancestor.get_translations(inclusive=True)
                        .live()
                        .filter(locale__language_code=code)
                        .first()
                    )
                    if translated is not None:
                        target = translated
                        break
            entry["url"] = (
                target.get_url(request=request)
                if target
                else f"/{'' if code == settings.LANGUAGE_CODE else code + '/'}"
            )
            # A view inside a page (a routable sub-page such as the project
            # map) has the same view in the other language, with its filters.
            subpage_path = context.get("subpage_path", "")
            if subpage_path and entry["available"]:
                query = request.GET.urlencode()
                entry["url"] += subpage_path + (f"?{query}" if query else "")
        else:
            entry["url"] = translate_url(request.get_full_path(), code)
        links.append(entry)
    # The header and the record both ask; work it out once per request.
    cached[cache_key] = links
    request._scis_language_links = cached
    return links


@register.simple_tag
def breadcrumbs(page):
    """Ancestors of `page` from the home page down, without the tree root."""
    return page.get_ancestors().filter(depth__gt=1)


@register.simple_tag(takes_context=True)
def permanent_url(context, page):
    return permalink_url(context["request"], page)


@register.filter
def other_language(page) -> bool:
    """True when a record is shown in a language other than the reader's."""
    return page.locale.language_code != translation.get_language()


@register.filter
def query_for_page(listing, number) -> str:
    return listing.query_for_page(number)


@register.filter
def sort_query(search, sort: str) -> str:
    """The query string of the same search in another order."""
    return search.sort_query(sort)


@register.simple_tag(takes_context=True)
def records_url(context, filter_name: str, value: str) -> str:
    """The all-records listing filtered by one taxonomy term."""
    from scis.home.models import RecordIndexPage

    request = context["request"]
    base = getattr(request, "_scis_records_url", None)
    if base is None:  # looked up once per request, however many terms link
        home = _home_for(request)
        index_page = (
            RecordIndexPage.objects.live().filter(locale=home.locale).order_by()[:1]
            if home
            else []
        )
        base = index_page[0].get_url(request=request) if index_page else ""
        request._scis_records_url = base
    return f"{base}?{filter_name}={value}" if base else "#"
