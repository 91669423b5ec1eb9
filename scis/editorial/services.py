"""Editor and moderator groups, their permissions, and the news workflow."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Editors"
MODERATORS = "Moderators"
NEWS_WORKFLOW = "News moderation"

# Editors write and submit; moderators also publish and lock.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = [
    "add_image",
    "choose_image",
    "add_document",
    "choose_document",
]


def _group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


@transaction.atomic
def setup_editorial(root: Page | None = None) -> Workflow:
    """Create the groups, grant them the site tree, and put every news index
    under a moderation workflow whose one task the moderators approve.
    Safe to run again."""
    root = root or Page.get_first_root_node()
    for name, codenames in PAGE_PERMISSIONS.items():
        group = _group(name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        from wagtail.models import Collection

        collection = Collection.get_first_root_node()
        for codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(codename=codename),
            )

    task, _created = GroupApprovalTask.objects.get_or_create(name="Moderator approval")
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow, _created = Workflow.objects.get_or_create(name=NEWS_WORKFLOW)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )

    from scis.news.models import NewsIndexPage

    for index_page in NewsIndexPage.objects.filter(section=""):
        WorkflowPage.objects.update_or_create(
            page=index_page, defaults={"workflow": workflow}
        )
    return workflow
