"""The admin screens of the statistics' inputs: targets, child counts and what the indicators count.

* **Targets** — platform admins everywhere, health officers for the regions in their scope; saved and deleted
  through the audited services ``target_set`` / ``target_delete``.
* **Child counts** — platform admins everywhere, health officers for institutions in their regions, institution
  admins for their own; saved through ``child_count_record`` (deleted through ``child_count_delete``).
* **Qualifying posts**, **qualifying certificate types**, **staff ratios** — platform admins only.

Every listing, form choice and object page is scoped by ``reports.selectors.editing``: a row outside the user's
scope is "not found" (404). The menu group is registered by ``reports.wagtail_hooks``::

    hooks.register("register_admin_viewset", register_config_menu)
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.models import Region
from lms.registry.views.policy import ServiceFormMixin

from .. import services
from ..models import ChildCount, QualifyingCertificateType, QualifyingPost, StaffRatio, Target
from ..selectors import editing
from .admin_config_forms import ChildCountForm, ChildCountValuesForm, TargetForm, TargetValuesForm


class EditingPolicy(BasePermissionPolicy):
    """Rights from ``reports.selectors.editing``: ``allowed(user)`` for the model (every action), ``rows(user)``
    for its rows."""

    def __init__(self, model, *, allowed, rows):
        super().__init__(model)
        self.allowed, self.rows = allowed, rows

    def user_has_permission(self, user, action):
        return self.allowed(user)

    def user_has_any_permission(self, user, actions):
        return self.allowed(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.allowed(user) and self.rows(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, actions[0] if actions else "view", instance)

    def instances_user_has_permission_for(self, user, action):
        return self.rows(user) if self.allowed(user) else self.model._default_manager.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "view")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_superuser=True)


def _rows(view):
    return view.permission_policy.instances_user_has_permission_for(view.request.user, "view")


class ScopedObject:
    """Edit and delete views find their row among the user's rows only (else 404)."""

    def get_queryset(self):
        return _rows(self)


class ScopedListedObject:
    """History and usage views (listings about one row) find it among the user's rows only (else 404)."""

    def get_base_object_queryset(self):
        return _rows(self)


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return _rows(self)


class ScopedCreateView(ServiceFormMixin, generic.CreateView):
    save = None  # (cleaned data, actor) -> the saved row, through a service; None: the form saves

    def save_instance(self):
        if self.save is None:
            return super().save_instance()
        return self.save(self.form.cleaned_data, self.request.user)


class ScopedEditView(ServiceFormMixin, ScopedObject, generic.EditView):
    save = None
    key = None  # row -> the fields that identify it, kept as they are (the edit form changes the values only)

    def save_instance(self):
        if self.save is None:
            return super().save_instance()
        return self.save({**self.form.cleaned_data, **self.key(self.object)}, self.request.user)


class ScopedDeleteView(ScopedObject, generic.DeleteView):
    remove = None  # (row, actor): delete through a service; None: delete and log

    def delete_action(self):
        if self.remove is None:
            return super().delete_action()
        return self.remove(self.object, self.request.user)


class ScopedHistoryView(ScopedListedObject, history.HistoryView):
    pass


class ScopedUsageView(ScopedListedObject, usage.UsageView):
    pass


class EditingViewSet(ModelViewSet):
    """A ModelViewSet scoped by ``allowed`` and ``rows`` (functions of the user), without copy or inspect views
    (whose object lookups are not scoped)."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None  # ORM search over search_fields
    allowed = staticmethod(editing.can_configure)  # user -> may use the screen
    rows = None  # user -> the rows they may see and change
    save = key = remove = None  # writes through services: see ScopedCreateView, ScopedEditView, ScopedDeleteView

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(save=self.save, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(save=self.save, key=self.key, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(remove=self.remove, **kwargs)

    @property
    def permission_policy(self):
        return EditingPolicy(self.model, allowed=self.allowed, rows=self.rows)

    def get_permissions_to_register(self):
        return []  # rights come from registry roles, not from Django permissions


# --- targets ------------------------------------------------------------------------------------------


class TargetIndexView(ScopedIndexView):
    def get_base_queryset(self):
        names = Region.objects.filter(code=OuterRef("region_id")).values("name")[:1]
        return super().get_base_queryset().annotate(region_name=Subquery(names))


TARGET_FIELDS = ("region", "indicator", "measure", "year", "value", "target_date", "from_year", "source")


def target_save(data: dict, actor) -> Target:
    return services.target_set(**{name: data[name] for name in TARGET_FIELDS}, actor=actor)


def target_key(target: Target) -> dict:
    region = Region(code=target.region_id)  # the service reads the code only (the region row may be missing)
    return {"region": region, "indicator": target.indicator, "measure": target.measure, "year": target.year}


def target_remove(target: Target, actor) -> None:
    services.target_delete(target=target, actor=actor)


class TargetViewSet(EditingViewSet):
    model = Target
    icon = "crosshairs"
    menu_label = _("Targets")
    index_view_class = TargetIndexView
    list_display = [
        Column("region_id", label=_("Region code"), sort_key="region_id"),
        Column("region_name", label=_("Region"), accessor="region_name"),
        Column("indicator", label=_("Indicator"), accessor="get_indicator_display", sort_key="indicator"),
        "measure",
        "year",
        "value",
        "target_date",
    ]
    list_filter = ["indicator", "year"]
    search_fields = ["region_id", "source"]
    ordering = ["region_id", "indicator", "measure", "year"]
    allowed = staticmethod(editing.can_set_targets)
    rows = staticmethod(editing.targets_for)
    save = staticmethod(target_save)
    key = staticmethod(target_key)
    remove = staticmethod(target_remove)

    def get_form_class(self, for_update=False):
        return TargetValuesForm if for_update else TargetForm


# --- child counts -----------------------------------------------------------------------------------


class ChildCountIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("institution")


CHILD_COUNT_FIELDS = ("institution", "counted_on", "infants", "younger", "older")


def child_count_save(data: dict, actor) -> ChildCount:
    return services.child_count_record(**{name: data[name] for name in CHILD_COUNT_FIELDS}, actor=actor)


def child_count_key(count: ChildCount) -> dict:
    return {"institution": count.institution, "counted_on": count.counted_on}


def child_count_remove(count: ChildCount, actor) -> None:
    services.child_count_delete(count=count, actor=actor)


class ChildCountViewSet(EditingViewSet):
    model = ChildCount
    icon = "group"
    menu_label = _("Child counts")
    index_view_class = ChildCountIndexView
    list_display = ["institution", "counted_on", "infants", "younger", "older", Column("total", label=_("Total"))]
    list_filter = {"counted_on": ["gte", "lte"]}
    search_fields = ["institution__name"]
    ordering = ["institution__name", "-counted_on"]
    allowed = staticmethod(editing.can_record_child_counts)
    rows = staticmethod(editing.child_counts_for)
    save = staticmethod(child_count_save)
    key = staticmethod(child_count_key)
    remove = staticmethod(child_count_remove)

    def get_form_class(self, for_update=False):
        return ChildCountValuesForm if for_update else ChildCountForm


# --- configuration (platform admins) -----------------------------------------------------------------


def _all(model):
    return staticmethod(lambda user: model._default_manager.all())


class QualifyingPostViewSet(EditingViewSet):
    model = QualifyingPost
    icon = "user"
    menu_label = _("Qualifying posts")
    list_display = [Column("post", label=_("Post"), accessor="get_post_display", sort_key="post")]
    form_fields = ["post"]
    rows = _all(QualifyingPost)


class QualifyingCertificateTypeViewSet(EditingViewSet):
    model = QualifyingCertificateType
    icon = "doc-full"
    menu_label = _("Qualifying certificate types")
    list_display = ["certificate_type"]
    form_fields = ["certificate_type"]
    rows = _all(QualifyingCertificateType)


class StaffRatioViewSet(EditingViewSet):
    model = StaffRatio
    icon = "sliders"
    menu_label = _("Staff ratios")
    list_display = [
        Column("group", label=_("Child group"), accessor="get_group_display", sort_key="group"),
        "children_per_caregiver",
    ]
    form_fields = ["group", "children_per_caregiver"]
    rows = _all(StaffRatio)


class StatisticsSettingsGroup(ViewSetGroup):
    menu_label = _("Statistics settings")
    menu_icon = "cog"
    menu_name = "statistics_settings"
    menu_order = 265
    items = (
        TargetViewSet("reports_targets", url_prefix="statistics-settings/targets"),
        ChildCountViewSet("reports_child_counts", url_prefix="statistics-settings/child-counts"),
        QualifyingPostViewSet("reports_qualifying_posts", url_prefix="statistics-settings/posts"),
        QualifyingCertificateTypeViewSet(
            "reports_certificate_types", url_prefix="statistics-settings/certificate-types"
        ),
        StaffRatioViewSet("reports_staff_ratios", url_prefix="statistics-settings/staff-ratios"),
    )


def register_config_menu() -> StatisticsSettingsGroup:
    """The "Statistics settings" menu group with its five screens (for the ``register_admin_viewset`` hook)."""
    return StatisticsSettingsGroup()
