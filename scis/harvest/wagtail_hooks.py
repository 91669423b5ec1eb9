"""Harvesting in the Wagtail admin: a "Harvest" menu group with the inbox,
the sources and their health; bulk actions on inbox rows."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .health_admin import HealthViewSet
from .inbox_admin import (
    AcceptDraftsBulkAction,
    EditorialPolicy,
    InboxViewSet,
    RejectBulkAction,
)
from .models import Item, Source
from .source_admin import SourcePolicy, SourceViewSet

register_permission_policy(Item, EditorialPolicy(Item))
register_permission_policy(Source, SourcePolicy(Source))


class HarvestGroup(ViewSetGroup):
    menu_label = _("Harvest")
    menu_icon = "tray-from-left"
    menu_order = 280
    items = (InboxViewSet, SourceViewSet, HealthViewSet)


@hooks.register("register_admin_viewset")
def register_harvest_viewsets():
    return HarvestGroup()


hooks.register("register_bulk_action", AcceptDraftsBulkAction)
hooks.register("register_bulk_action", RejectBulkAction)
