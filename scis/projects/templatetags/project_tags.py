from django import template
from django.utils.translation import get_language

from scis.projects.money import format_won

register = template.Library()


@register.filter
def won(value) -> str:
    """An amount of won in the reader's usual unit (억 원, KRW billion)."""
    if value is None or value == "":
        return ""
    return format_won(int(value), get_language() or "ko")


def _area_page(model):
    language = get_language() or "ko"
    return (
        model.objects.live().filter(locale__language_code=language).first()
        or model.objects.live().first()
    )


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
