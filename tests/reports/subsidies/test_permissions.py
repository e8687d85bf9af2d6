"""Who sees and does what with subsidy claims, as a matrix over the roles of ``registry_world`` (every scoped user
in county A) and a batch on each side of the county line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lms.registry.models import Role
from lms.registry.selectors import CAREGIVER, PLATFORM_ADMIN
from reports.subsidies import selectors, services
from reports.subsidies.models import SubsidyType
from tests import factories as f
from tests.conftest import ROLE_NAMES

pytestmark = pytest.mark.django_db

HR, PROVIDER = Role.HR_OFFICER.value, Role.PROVIDER_STAFF.value

# role -> (sees batch A, sees batch B, reviews A, files A, sees bank details)
MATRIX = {
    PLATFORM_ADMIN: (True, True, True, True, True),
    Role.HEALTH_OFFICER.value: (False, False, False, False, False),
    HR: (True, False, True, False, True),
    Role.INSPECTOR.value: (False, False, False, False, False),
    Role.INSTITUTION_ADMIN.value: (False, False, False, False, False),
    PROVIDER: (True, False, False, True, False),
    CAREGIVER: (False, False, False, False, False),
}


@pytest.fixture
def batches(subsidy_world):
    sw = subsidy_world
    a = sw.submitted([sw.skill(sw.world.a.person, level=4)])
    b = sw.submitted([sw.skill(sw.world.b.person, level=4, provider=sw.world.b.provider)], provider=sw.world.b.provider)
    for batch in (a, b):
        services.payee_account_set(
            provider=batch.provider, account_name=batch.provider.name, bank_name="农业银行", number="6228480000001234"
        )
    return a, b


def test_the_matrix_covers_every_role():
    assert set(MATRIX) == set(ROLE_NAMES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_selectors(role, subsidy_world, batches):
    a, b = batches
    user = subsidy_world.users[role]
    sees_a, sees_b, reviews_a, files_a, bank = MATRIX[role]
    visible = set(selectors.batches_for(user))
    assert (a in visible, b in visible) == (sees_a, sees_b)
    assert selectors.batches_reviewable_by(user).filter(pk=a.pk).exists() is reviews_a
    assert selectors.batches_reviewable_by(user).filter(pk=b.pk).exists() is (role == PLATFORM_ADMIN)
    assert selectors.batches_fileable_by(user).filter(pk=a.pk).exists() is files_a
    assert selectors.can_see_bank_details(user) is bank
    assert set(selectors.claims_for(user)) == {c for batch in visible for c in batch.claims.all()}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_batch_pages(role, client, subsidy_world, batches):
    a, b = batches
    sees_a, sees_b, reviews_a, _files_a, bank = MATRIX[role]
    client.force_login(subsidy_world.users[role])
    page_a = client.get(reverse("subsidy_batches:batch", args=[a.pk]))
    page_b = client.get(reverse("subsidy_batches:batch", args=[b.pk]))
    hidden = 302 if role == CAREGIVER else 404  # caregivers have no admin access at all: sent to log in
    assert (page_a.status_code, page_b.status_code) == (200 if sees_a else hidden, 200 if sees_b else hidden)
    if page_a.status_code == 200:
        html = page_a.content.decode()
        assert ("6228480000001234" in html) is bank  # the full account number for HR and admins only
        assert ("****1234" in html) is not bank
        assert ('data-testid="approve-all"' in html) is reviews_a


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_payment_export_for_hr_and_admins_of_the_region_only(role, client, subsidy_world, batches):
    a, _b = batches
    hr = subsidy_world.users[HR]
    services.batch_approve_pending(batch=a, actor=hr)
    client.force_login(subsidy_world.users[role])
    response = client.get(reverse("subsidy_batches:export", args=[a.pk]))
    ok = role in (PLATFORM_ADMIN, HR)
    assert (response.status_code == 200) is ok
    if ok:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_county_hr_officer_never_sees_another_county(client, subsidy_world, batches):
    a, b = batches
    county_b_officer = f.RoleGrantFactory(hr_officer=True, region=subsidy_world.world.b.county).user
    city_officer = f.RoleGrantFactory(hr_officer=True, region=subsidy_world.world.city).user
    assert set(selectors.batches_for(county_b_officer)) == {b}
    assert set(selectors.batches_for(city_officer)) == {a, b}
    client.force_login(county_b_officer)
    assert client.get(reverse("subsidy_batches:batch", args=[a.pk])).status_code == 404
    assert client.get(reverse("subsidy_batches:export", args=[a.pk])).status_code == 404
    claim = a.claims.get()
    url = reverse("subsidy_batches:approve", args=[a.pk, claim.pk])
    assert client.post(url).status_code == 404
    listing = client.get(reverse("subsidy_batches:index")).content.decode()
    assert f'data-batch="{b.pk}"' in listing and f'data-batch="{a.pk}"' not in listing


def test_providers_cannot_review_their_own_batch(client, subsidy_world, batches):
    a, _b = batches
    client.force_login(subsidy_world.users[PROVIDER])
    claim = a.claims.get()
    response = client.post(reverse("subsidy_batches:approve", args=[a.pk, claim.pk]))
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect with a message
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_policies_and_insurance_pages(client, subsidy_world):
    sw = subsidy_world
    for role, policies, insurance in [
        (HR, 200, 200),
        (PLATFORM_ADMIN, 200, 200),
        (PROVIDER, 200, 302),  # Wagtail answers PermissionDenied with a redirect to the dashboard
        (Role.HEALTH_OFFICER.value, 302, 302),
    ]:
        client.force_login(sw.users[role])
        assert client.get(reverse("subsidy_policies:index")).status_code == policies, role
        assert client.get(reverse("subsidy_insurance:index")).status_code == insurance, role
    client.force_login(sw.users[HR])  # 麒麟区: sees the city's policies but may not edit them
    assert client.get(reverse("subsidy_policies:edit", args=[sw.training.pk])).status_code == 404


def test_subsidy_type_choices_in_new_batch_form(client, subsidy_world):
    client.force_login(subsidy_world.users[PROVIDER])
    html = client.get(reverse("subsidy_batches:index")).content.decode()
    for value in SubsidyType.values:
        assert f'value="{value}"' in html
