"""Taxonomy terms are edited in the Wagtail admin as snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organisation, Programme, Region, Topic


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name_ko", "name_en", "code", "level"]
    search_fields = ["name_ko", "name_en", "code"]
    list_filter = ["level"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name_ko", "name_en", "abbreviation", "kind"]
    search_fields = ["name_ko", "name_en", "abbreviation"]
    list_filter = ["kind"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "list-ul"
    list_display = ["name_ko", "name_en", "start_year", "end_year", "featured"]
    search_fields = ["name_ko", "name_en"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name_ko", "name_en", "slug"]
    search_fields = ["name_ko", "name_en"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (RegionViewSet, OrganisationViewSet, ProgrammeViewSet, TopicViewSet)
    menu_icon = "tag"
    menu_label = "Taxonomy"
    menu_name = "taxonomy"


register_snippet(TaxonomyViewSetGroup)
