"""The editor's inbox: harvested candidates in the Wagtail admin.

A SnippetViewSet, because snippets bring the checkbox column and Wagtail's
bulk-action framework (accept as drafts, reject) along with the filters and
search every generic index view has; adding and deleting items is switched
off by the permission policy (items come only from the harvester, and a
rejected item must stay to be remembered). The snippet "edit" view is
replaced by the review view, where the editor decides."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from scis.editorial.services import EDITORS, MODERATORS
from scis.news.models import Section

from . import services
from .models import Item, Source
from .sanitise import clean_html

CANDIDATE_STATES = [Item.State.NEW.value, Item.State.DUPLICATE.value]
PREVIEW_CHARS = 160


def is_editorial(user) -> bool:
    """Editors, moderators and superusers work in the inbox."""
    if not (user.is_active and user.is_authenticated):
        return False
    return (
        user.is_superuser or user.groups.filter(name__in=[EDITORS, MODERATORS]).exists()
    )


class EditorialPolicy(BasePermissionPolicy):
    """Editors and moderators may see and decide; nobody adds or deletes
    (items come from the harvester; rejected ones are kept to be remembered)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and is_editorial(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) - {"add", "delete"}:
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name__in=[EDITORS, MODERATORS])
        ).distinct()


def require_editorial(user) -> None:
    if not is_editorial(user):
        raise PermissionDenied


# --- Listing -----------------------------------------------------------------


class ItemFilterSet(WagtailFilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("State"),
        choices=Item.State.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    source = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Source"), queryset=Source.objects.all()
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"),
        choices=[("ko", gettext_lazy("Korean")), ("en", gettext_lazy("English"))],
    )
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Item
        fields = ["state", "source", "language", "date"]


def term_names(suggestion: dict) -> str:
    """The suggested terms' names, in the admin's language."""
    return ", ".join(term.name for term in suggested_terms(suggestion))


def suggested_terms(suggestion: dict) -> list:
    from scis.taxonomy.models import Organisation, Programme, Region, Topic

    terms: list = []
    for field, model in (
        ("organisations", Organisation),
        ("regions", Region),
        ("programmes", Programme),
        ("topics", Topic),
    ):
        pks = (suggestion or {}).get(field) or []
        if pks:
            terms.extend(model.objects.filter(pk__in=pks))
    return terms


def duplicate_warning(item: Item) -> str:
    """ "Probably the same as …", linking to the record (or the item)."""
    original = item.duplicate_of
    if item.state != Item.State.DUPLICATE or original is None:
        return ""
    similarity = f"{round((item.similarity or 0) * 100)}%"
    if original.page_id:
        url = reverse("wagtailadmin_pages:edit", args=[original.page_id])
    else:
        url = reverse("harvest_inbox:review", args=[original.pk])
    return format_html(
        '{} <a href="{}">{}</a> ({})',
        _("Probably the same as"),
        url,
        original.title or original.url,
        similarity,
    )


class InboxIndexView(SnippetIndexView):
    """New and duplicate candidates unless the editor asks for other states."""

    def get_base_queryset(self):
        queryset = (
            super()
            .get_base_queryset()
            .select_related("source", "duplicate_of", "page")
            .defer("minhash", "entry", "body_html")
        )
        # The default is applied here rather than as a filter value, so the
        # filter button shows no active filter (its count badge would not
        # match its accessible name).
        if not self.request.GET.getlist("state"):
            queryset = queryset.filter(state__in=CANDIDATE_STATES)
        return queryset

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        object_list = list(object_list)
        for item in object_list:
            item.suggested_term_names = term_names(item.suggestion)
            item.preview = truncatechars(item.text, PREVIEW_CHARS)
            item.duplicate_warning = duplicate_warning(item)
        page.object_list = object_list
        return paginator, page, object_list, is_paginated

    def get_edit_url(self, instance):
        return reverse("harvest_inbox:review", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        from wagtail.admin.ui.menus import MenuItem

        buttons = [
            MenuItem(
                _("Review"),
                url=reverse("harvest_inbox:review", args=[instance.pk]),
                icon_name="view",
                priority=10,
            )
        ]
        if instance.is_candidate:
            # A top-level row button: click 1 of "publish with two clicks".
            buttons.append(
                ListingButton(
                    _("Accept and publish"),
                    url=reverse("harvest_inbox:publish", args=[instance.pk]),
                    icon_name="upload",
                    attrs={
                        "aria-label": _("Accept and publish “%(title)s”")
                        % {"title": instance}
                    },
                    priority=5,
                )
            )
        return buttons


# --- Review and decisions -------------------------------------------------------


class ClassificationForm(forms.Form):
    """The suggestion, as the editor adjusts it before accepting."""

    section = forms.ChoiceField(
        label=gettext_lazy("Section"),
        choices=[("", "—"), *Section.choices],
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Source organisations"), queryset=None, required=False
    )
    regions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Regions"), queryset=None, required=False
    )
    programmes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Programmes"), queryset=None, required=False
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"), queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        from scis.taxonomy.models import Organisation, Programme, Region, Topic

        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.all()
        self.fields["regions"].queryset = Region.objects.all()
        self.fields["programmes"].queryset = Programme.objects.all()
        self.fields["topics"].queryset = Topic.objects.all()

    @classmethod
    def for_item(cls, item: Item, data=None) -> ClassificationForm:
        suggestion = item.suggestion or {}
        initial = {
            "section": suggestion.get("section") or item.source.section,
            **{
                field: suggestion.get(field) or [] for field in services.TAXONOMY_FIELDS
            },
        }
        return cls(data, initial=initial)

    def apply(self, item: Item) -> None:
        suggestion = dict(item.suggestion or {})
        suggestion["section"] = self.cleaned_data["section"]
        for field in services.TAXONOMY_FIELDS:
            suggestion[field] = [term.pk for term in self.cleaned_data[field]]
        item.suggestion = suggestion
        item.save(update_fields=["suggestion"])


class MergeForm(forms.Form):
    page = forms.ModelChoiceField(
        label=gettext_lazy("Record to merge into"),
        queryset=Page.objects.all(),
        widget=AdminPageChooser(),
    )


def likely_record(item: Item) -> Page | None:
    """The record the duplicate's original became, offered first for merging."""
    original = item.duplicate_of
    if original is not None and original.page_id:
        return original.page
    return None


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "harvest/admin/review.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        require_editorial(request.user)
        self.item = get_object_or_404(
            Item.objects.select_related("source", "duplicate_of", "page"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.item)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("harvest_inbox:list"), "label": _("Inbox")},
            {"url": "", "label": truncatechars(str(self.item), 60)},
        ]

    def post(self, request, *args, **kwargs):
        form = ClassificationForm.for_item(self.item, request.POST)
        if form.is_valid():
            form.apply(self.item)
            messages.success(request, _("Classification saved."))
            return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        item = self.item
        context = super().get_context_data(**kwargs)
        can_publish = False
        parent_error = ""
        try:
            parent = services.parent_for(item)
            can_publish = services.can_publish_under(parent, self.request.user)
        except services.InboxError as exc:
            parent_error = str(exc)
        context.update(
            item=item,
            body_preview=clean_html(item.body_html, item.url),
            suggestion_terms=suggested_terms(item.suggestion),
            section_label=section_label(
                (item.suggestion or {}).get("section") or item.source.section
            ),
            reasons=(item.suggestion or {}).get("reasons", []),
            duplicate_warning=duplicate_warning(item),
            duplicates=item.duplicates.select_related("page")[:10],
            snapshot=item.snapshots.order_by("-captured_at").first(),
            form=kwargs.get("form") or ClassificationForm.for_item(item),
            merge_form=MergeForm(initial={"page": likely_record(item)}),
            can_publish=can_publish,
            parent_error=parent_error,
            decide_url=reverse("harvest_inbox:decide", args=[item.pk]),
        )
        return context


def section_label(section: str) -> str:
    """The news section's name as editors know it ("Policy Project"), not
    its slug; "—" for none."""
    from scis.news.models import Section

    if not section:
        return "—"
    return str(dict(Section.choices).get(section, section))


class PublishConfirmView(WagtailAdminTemplateMixin, TemplateView):
    """Click 1 of "publish with two clicks": the confirm page."""

    template_name = "harvest/admin/confirm_publish.html"
    header_icon = "upload"
    page_title = gettext_lazy("Accept and publish")

    def dispatch(self, request, *args, **kwargs):
        require_editorial(request.user)
        self.item = get_object_or_404(
            Item.objects.select_related("source"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parent, error = None, ""
        try:
            parent = services.parent_for(self.item)
            services.check_candidate(self.item)
        except services.InboxError as exc:
            error = str(exc)
        context.update(
            item=self.item,
            parent=parent,
            error=error,
            can_publish=bool(parent)
            and services.can_publish_under(parent, self.request.user),
            decide_url=reverse("harvest_inbox:decide", args=[self.item.pk]),
            inbox_url=reverse("harvest_inbox:list"),
        )
        return context


def decide(request, pk):
    """Carry out one decision (POST): accept, publish, merge or reject."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("harvest_inbox:review", args=[pk]))
    require_editorial(request.user)
    item = get_object_or_404(Item.objects.select_related("source"), pk=pk)
    action = request.POST.get("action", "")
    force = request.POST.get("force") == "1"
    review_url = reverse("harvest_inbox:review", args=[pk])
    next_url = request.POST.get("next") or review_url
    if not next_url.startswith("/admin/"):
        next_url = review_url
    try:
        if action == "accept":
            page = services.accept(item, request.user, force=force)
            messages.success(
                request,
                _("Accepted as a draft: “%(title)s”.") % {"title": page.title},
                buttons=[
                    messages.button(
                        reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit")
                    )
                ],
            )
        elif action == "publish":
            if not services.can_publish_under(services.parent_for(item), request.user):
                raise PermissionDenied
            page = services.accept(item, request.user, publish=True, force=force)
            messages.success(
                request,
                _("Published “%(title)s”.") % {"title": page.title},
                buttons=[
                    messages.button(page.get_url(request=request), _("View live"))
                ],
            )
        elif action == "merge":
            form = MergeForm(request.POST)
            if not form.is_valid():
                raise services.InboxError(_("Choose the record to merge into."))
            page = services.merge(item, form.cleaned_data["page"], request.user)
            messages.success(
                request, _("Merged into “%(title)s”.") % {"title": page.title}
            )
        elif action == "reject":
            services.reject(item, request.user)
            messages.success(request, _("Rejected “%(title)s”.") % {"title": item})
        else:
            raise services.InboxError(_("Unknown action; use the buttons."))
    except services.InboxError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(review_url)
    return HttpResponseRedirect(next_url)


# --- Bulk actions -----------------------------------------------------------------


class InboxBulkAction(SnippetBulkAction):
    models = [Item]
    template_name = "harvest/admin/confirm_bulk.html"

    def check_perm(self, item):
        return is_editorial(self.request.user) and item.is_candidate

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}


class AcceptDraftsBulkAction(InboxBulkAction):
    display_name = gettext_lazy("Accept as drafts")
    action_type = "accept_drafts"
    aria_label = gettext_lazy("Accept the selected items as drafts")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        request = kwargs["self"].request
        done = 0
        for item in objects:
            try:
                services.accept(item, request.user)
                done += 1
            except services.InboxError as exc:
                messages.error(request, f"{item}: {exc}")
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("%(count)d items accepted as drafts.") % {"count": num_parent_objects}


class RejectBulkAction(InboxBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected items")
    action_priority = 20
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        request = kwargs["self"].request
        for item in objects:
            services.reject(item, request.user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("%(count)d items rejected.") % {"count": num_parent_objects}


# --- The viewset --------------------------------------------------------------------


class InboxViewSet(SnippetViewSet):
    model = Item
    icon = "tray-from-left"
    menu_label = gettext_lazy("Inbox")
    menu_name = "harvest-inbox"
    name = "harvest_inbox"
    url_namespace = "harvest_inbox"
    url_prefix = "harvest/inbox"
    index_view_class = InboxIndexView
    filterset_class = ItemFilterSet
    search_fields = ["title"]
    search_backend_name = None
    list_per_page = 30
    ordering = ["-first_seen_at", "-pk"]
    list_display = [
        "title",
        Column("source", label=gettext_lazy("Source")),
        Column("date", label=gettext_lazy("Date")),
        Column("language", label=gettext_lazy("Language")),
        Column("preview", label=gettext_lazy("Text")),
        Column("suggested_term_names", label=gettext_lazy("Suggested terms")),
        Column("duplicate_warning", label=gettext_lazy("Duplicate")),
        Column("state", label=gettext_lazy("State"), accessor="get_state_display"),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("review/<int:pk>/", ReviewView.as_view(), name="review"),
            path("review/<int:pk>/decide/", decide, name="decide"),
            path("publish/<int:pk>/", PublishConfirmView.as_view(), name="publish"),
        ]
