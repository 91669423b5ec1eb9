from django import template
from django.utils.translation import get_language

from scis.core.records import live_pages_of
from scis.projects.money import format_won

register = template.Library()


@register.filter
def won(value) -> str:
    """An amount of won in the reader's usual unit (억 원, KRW billion)."""
    if value is None or value == "":
        return ""
    return format_won(int(value), get_language() or "ko")


def _area_page(model):
    """The one live page of `model` in the reader's language (or any)."""
    language = get_language() or "ko"
    pages = {
        page.locale.language_code: page
        for page in live_pages_of(model).select_related("locale").order_by()
    }
    return pages.get(language) or next(iter(pages.values()), None)


@register.simple_tag
def projects_index():
    """The projects area's index page in the reader's language."""
    from scis.projects.models import ProjectsIndexPage

    return _area_page(ProjectsIndexPage)


@register.simple_tag
def policy_archive():
    """The policy timeline page in the reader's language."""
    from scis.projects.models import PolicyIndexPage

    return _area_page(PolicyIndexPage)
