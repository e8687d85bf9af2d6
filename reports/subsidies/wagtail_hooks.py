"""The subsidy back office in the Wagtail admin: one "Subsidies" menu.

* Claim batches — providers build and submit theirs; HR officers review, run the public notice, mark paid and
  download the payment list (``views.admin_batches``, ``views.admin_review``);
* Policies — the subsidy policies and amounts, and the working-day calendar (HR officers, platform admins; provider
  staff read them);
* Insurance records — unemployment insurance periods (HR officers, platform admins).

Each item shows only to the users who may use it (``selectors``). The audit actions are registered with Wagtail's
log by ``lms.registry.wagtail_hooks`` (``SubsidiesConfig.ready`` adds them to ``lms.registry.audit.ACTIONS``).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from . import selectors
from .views import admin_batches, admin_insurance, admin_policies, admin_review


def _menu_item(test):
    return type("SubsidyMenuItem", (MenuItem,), {"is_shown": lambda self, request: test(request.user)})


class _SubsidyViewSet(ViewSet):
    """A menu item opening the viewset's index."""

    @cached_property
    def menu_url(self):
        return reverse(f"{self.name}:index")


class BatchViewSet(_SubsidyViewSet):
    name = "subsidy_batches"
    url_prefix = "subsidies/batches"
    icon = "list-ul"
    menu_label = _("Claim batches")
    menu_item_class = _menu_item(selectors.can_use_subsidies_admin)

    def get_urlpatterns(self):
        return [
            path("", admin_batches.batch_index, name="index"),
            path("new/", admin_batches.batch_new, name="new"),
            path("<int:pk>/", admin_batches.batch_detail, name="batch"),
            path("<int:pk>/add/", admin_batches.batch_add, name="add"),
            path("<int:pk>/check/", admin_batches.batch_check, name="check"),
            path("<int:pk>/submit/", admin_batches.batch_submit, name="submit"),
            path("<int:pk>/account/", admin_batches.account_set, name="account"),
            path("<int:pk>/claims/<int:claim_pk>/remove/", admin_batches.claim_remove, name="remove"),
            path("<int:pk>/claims/<int:claim_pk>/approve/", admin_review.claim_approve, name="approve"),
            path("<int:pk>/claims/<int:claim_pk>/reject/", admin_review.claim_reject, name="reject"),
            path("<int:pk>/claims/<int:claim_pk>/objection/", admin_review.objection_record, name="objection"),
            path("<int:pk>/objections/<int:objection_pk>/", admin_review.objection_resolve, name="resolve"),
            path("<int:pk>/approve-all/", admin_review.batch_approve_all, name="approve_all"),
            path("<int:pk>/publish/", admin_review.batch_publish, name="publish"),
            path("<int:pk>/pay/", admin_review.batch_pay, name="pay"),
            path("<int:pk>/payment.xlsx", admin_review.batch_export, name="export"),
        ]


class PolicyViewSet(_SubsidyViewSet):
    name = "subsidy_policies"
    url_prefix = "subsidies/policies"
    icon = "doc-full"
    menu_label = _("Subsidy policies")
    menu_item_class = _menu_item(selectors.can_use_subsidies_admin)

    def get_urlpatterns(self):
        return [
            path("", admin_policies.policy_index, name="index"),
            path("new/", admin_policies.policy_create, name="new"),
            path("<int:pk>/", admin_policies.policy_edit, name="edit"),
            path("calendar/", admin_policies.workdays, name="workdays"),
            path("calendar/<int:pk>/delete/", admin_policies.workday_delete, name="workday_delete"),
        ]


class InsuranceViewSet(_SubsidyViewSet):
    name = "subsidy_insurance"
    url_prefix = "subsidies/insurance"
    icon = "user"
    menu_label = _("Insurance records")
    menu_item_class = _menu_item(selectors.can_review)

    def get_urlpatterns(self):
        return [path("", admin_insurance.insurance_index, name="index")]


class SubsidiesGroup(ViewSetGroup):
    menu_label = _("Subsidies")
    menu_icon = "pick"
    menu_name = "subsidies"
    menu_order = 270
    items = (BatchViewSet(), PolicyViewSet(), InsuranceViewSet())


@hooks.register("register_admin_viewset")
def register_subsidy_viewsets():
    return SubsidiesGroup()
