"""The statistics settings screens over HTTP: targets scoped to the health officer's regions (a county officer
neither sees nor changes another county's targets), child counts scoped to institutions, the indicators'
configuration for platform admins only; writes go through the audited services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.registry.models import Post, Role
from lms.registry.selectors import PLATFORM_ADMIN
from reports.models import ChildCount, QualifyingPost, StaffRatio, Target

pytestmark = pytest.mark.django_db

OFFICER, INSTITUTION_ADMIN = Role.HEALTH_OFFICER.value, Role.INSTITUTION_ADMIN.value
CONFIG = ["reports_qualifying_posts", "reports_certificate_types", "reports_staff_ratios"]


@pytest.fixture
def world(registry_world):
    """A target for each county (A: 530302, B: 530381) and a child count at each county's institution."""
    w = registry_world
    for county in (w.a.county, w.b.county):
        Target.objects.create(
            region_id=county.code,
            indicator="certified_rate",
            year=2026,
            value=Decimal("70"),
            target_date=date(2026, 12, 31),
        )
    w.a.count = ChildCount.objects.create(institution=w.a.institution, counted_on=date(2025, 9, 1), infants=3)
    w.b.count = ChildCount.objects.create(institution=w.b.institution, counted_on=date(2025, 9, 1), older=7)
    return w


def client_for(client, world, role):
    client.force_login(world.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def target_of(county) -> Target:
    return Target.objects.get(region_id=county.code, indicator="certified_rate", year=2026)


def new_target(region_code, **extra) -> dict:
    return {"region": region_code, "indicator": "certified_rate", "measure": "", "year": "2027", "value": "75",
            "target_date": "", "from_year": "", "source": "", **extra}  # fmt: skip


def test_county_officer_lists_only_their_county_targets(client, world):
    html = client_for(client, world, OFFICER).get(reverse("reports_targets:index")).content.decode()
    assert world.a.county.code in html and world.a.county.name in html
    assert world.b.county.code not in html
    assert "530300" not in html  # the city's seeded targets are above the county officer


def test_county_officer_cannot_open_or_change_another_county_target(client, world):
    c = client_for(client, world, OFFICER)
    other = target_of(world.b.county)
    own = target_of(world.a.county)
    for name in ("edit", "delete", "history", "history_results", "usage"):
        assert c.get(reverse(f"reports_targets:{name}", args=[other.pk])).status_code == 404
        assert c.get(reverse(f"reports_targets:{name}", args=[own.pk])).status_code == 200
    response = c.post(reverse("reports_targets:edit", args=[other.pk]), {"value": "10", "target_date": "2026-12-31"})
    assert response.status_code == 404
    assert c.post(reverse("reports_targets:delete", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.value == Decimal("70")


def test_county_officer_cannot_add_a_target_outside_their_scope(client, world):
    c = client_for(client, world, OFFICER)
    form = c.get(reverse("reports_targets:add")).context["form"]
    codes = {region.code for region in form.fields["region"].queryset}
    assert world.a.county.code in codes and world.a.township.code in codes
    assert world.b.county.code not in codes and world.city.code not in codes
    response = c.post(reverse("reports_targets:add"), new_target(world.b.county.code))
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Target.objects.filter(region_id=world.b.county.code, year=2027).exists()


def test_county_officer_adds_and_changes_their_targets_through_the_service(client, world):
    c = client_for(client, world, OFFICER)
    response = c.post(reverse("reports_targets:add"), new_target(world.a.township.code))
    assert response.status_code == 302
    target = Target.objects.get(region_id=world.a.township.code, year=2027)
    assert (target.value, target.target_date) == (Decimal("75"), date(2027, 12, 31))
    response = c.post(
        reverse("reports_targets:edit", args=[target.pk]), {"value": "80", "target_date": "2027-06-30", "source": "x"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.target_date, target.source) == (Decimal("80"), date(2027, 6, 30), "x")
    assert c.post(reverse("reports_targets:delete", args=[target.pk])).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    actions = list(ModelLogEntry.objects.filter(action__startswith="reports.target").values_list("action", flat=True))
    assert sorted(actions) == ["reports.target.delete", "reports.target.set", "reports.target.set"]


def test_a_bad_target_value_is_a_form_error(client, world):
    c = client_for(client, world, OFFICER)
    response = c.post(reverse("reports_targets:add"), new_target(world.a.county.code, value="120"))
    assert response.status_code == 200 and "value" in response.context["form"].errors
    response = c.post(reverse("reports_targets:add"), new_target(world.a.county.code, measure="director"))
    assert "measure" in response.context["form"].errors  # the certified rate has no such figure


def test_platform_admin_sees_every_target(client, world):
    html = client_for(client, world, PLATFORM_ADMIN).get(reverse("reports_targets:index")).content.decode()
    assert world.a.county.code in html and world.b.county.code in html and "530300" in html


@pytest.mark.parametrize("role", [Role.HR_OFFICER.value, Role.INSPECTOR.value, INSTITUTION_ADMIN, "caregiver"])
def test_other_roles_may_not_set_targets(client, world, role):
    c = client_for(client, world, role)
    response = c.get(reverse("reports_targets:index"))
    assert denied(response) or (response.status_code == 302 and "login" in response["Location"])
    assert c.get(reverse("reports_targets:edit", args=[target_of(world.a.county).pk])).status_code != 200


@pytest.mark.parametrize("role", [OFFICER, INSTITUTION_ADMIN])
def test_child_counts_are_scoped_to_institutions(client, world, role):
    c = client_for(client, world, role)
    html = c.get(reverse("reports_child_counts:index")).content.decode()
    assert world.a.institution.name in html and world.b.institution.name not in html
    assert c.get(reverse("reports_child_counts:edit", args=[world.b.count.pk])).status_code == 404
    assert c.get(reverse("reports_child_counts:edit", args=[world.a.count.pk])).status_code == 200
    form = c.get(reverse("reports_child_counts:add")).context["form"]
    assert list(form.fields["institution"].queryset) == [world.a.institution]
    data = {"counted_on": "2025-10-01", "infants": "2", "younger": "4", "older": "6"}
    response = c.post(reverse("reports_child_counts:add"), {"institution": world.b.institution.pk, **data})
    assert response.status_code == 200 and "institution" in response.context["form"].errors
    response = c.post(reverse("reports_child_counts:add"), {"institution": world.a.institution.pk, **data})
    assert response.status_code == 302
    count = ChildCount.objects.get(institution=world.a.institution, counted_on=date(2025, 10, 1))
    assert (count.infants, count.younger, count.older) == (2, 4, 6)
    response = c.post(
        reverse("reports_child_counts:edit", args=[count.pk]), {"infants": "1", "younger": "0", "older": "0"}
    )
    assert response.status_code == 302
    count.refresh_from_db()
    assert count.total == 1
    assert c.post(reverse("reports_child_counts:delete", args=[count.pk])).status_code == 302
    assert not ChildCount.objects.filter(pk=count.pk).exists()
    logged = ModelLogEntry.objects.filter(action__startswith="reports.child_count").values_list("action", flat=True)
    assert sorted(logged) == ["reports.child_count.delete", "reports.child_count.record", "reports.child_count.record"]


@pytest.mark.parametrize("viewset", CONFIG)
def test_configuration_is_for_platform_admins_only(client, world, viewset):
    c = client_for(client, world, OFFICER)
    assert denied(c.get(reverse(f"{viewset}:index")))
    assert denied(c.get(reverse(f"{viewset}:add")))
    admin = client_for(client, world, PLATFORM_ADMIN)
    assert admin.get(reverse(f"{viewset}:index")).status_code == 200


def test_platform_admin_changes_what_the_indicators_count(client, world):
    c = client_for(client, world, PLATFORM_ADMIN)
    assert c.post(reverse("reports_qualifying_posts:add"), {"post": Post.OTHER}).status_code == 302
    assert QualifyingPost.objects.filter(post=Post.OTHER).exists()
    ratio = StaffRatio.objects.get(group="infants")
    response = c.post(
        reverse("reports_staff_ratios:edit", args=[ratio.pk]), {"group": "infants", "children_per_caregiver": "4"}
    )
    assert response.status_code == 302
    ratio.refresh_from_db()
    assert ratio.children_per_caregiver == 4
    officer = client_for(client, world, OFFICER)
    response = officer.post(
        reverse("reports_staff_ratios:edit", args=[ratio.pk]), {"group": "infants", "children_per_caregiver": "9"}
    )
    assert denied(response)
    ratio.refresh_from_db()
    assert ratio.children_per_caregiver == 4


def test_menu_shows_the_screens_each_role_may_use(client, world):
    from reports.views.admin_config import StatisticsSettingsGroup

    group = StatisticsSettingsGroup()

    def shown(role):
        request = client_for(client, world, role).get(reverse("wagtailadmin_home")).wsgi_request
        return {vs.name for vs in group.registerables if vs.menu_item_class("x", "/").is_shown(request)}

    assert shown(PLATFORM_ADMIN) == {"reports_targets", "reports_child_counts", *CONFIG}
    assert shown(OFFICER) == {"reports_targets", "reports_child_counts"}
    assert shown(INSTITUTION_ADMIN) == {"reports_child_counts"}
    assert shown(Role.HR_OFFICER.value) == set()
