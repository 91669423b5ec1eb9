from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from scis.news.models import Section
from scis.taxonomy.models import Programme, Region, Topic

from . import scopes


def _links(name: str, **kwargs) -> dict[str, str]:
    return {
        "atom": reverse(f"feed_{name}_atom", kwargs=kwargs),
        "rss": reverse(f"feed_{name}_rss", kwargs=kwargs),
    }


def feed_index(request):
    """Every feed a reader can follow, grouped as the portal is."""
    groups = [
        (_("Everything"), [(_("Everything new"), _links("all"))]),
        (
            _("Record types"),
            [
                (label, _links("type", type_key=key))
                for key, label in scopes.type_labels().items()
            ],
        ),
        (
            _("News sections"),
            [
                (label, _links("section", section=value))
                for value, label in Section.choices
            ],
        ),
    ]
    for title, name, terms in (
        (_("Programmes"), "programme", Programme.objects.order_by("slug")),
        (
            _("Provinces and metropolitan cities"),
            "region",
            Region.objects.filter(parent=None),
        ),
        (_("Topics"), "topic", Topic.objects.order_by("slug")),
    ):
        groups.append(
            (title, [(term.name, _links(name, slug=term.slug)) for term in terms])
        )
    return render(
        request,
        "feeds/feed_index.html",
        {
            "groups": groups,
            "search_example": reverse("feed_search_atom") + "?q=세종",
        },
    )
