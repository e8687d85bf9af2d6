"""Browser tests: Playwright (pytest-playwright, sync API) driving Debian's chromium, headless.

Run them with the rest of the suite (``python3 manage.py runtests``) or alone with
``python3 manage.py runtests -m browser``. ``manage.py runtests`` installs ``chromium`` and
``fonts-noto-cjk`` with apt-get when they are missing. Pages are served by pytest-django's
``live_server``, on the (transactional) test database.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from tests.factories import make_credit_code

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by fixtures
# and assertions in the same thread would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Browser-Test-Pass-2025"
CAREGIVER_ID = "53030219900106123X"


def pytest_collection_modifyitems(config, items):
    """Without chromium, skip (REQUIRE_SERVICES=1, as in CI, lets them run and fail instead)."""
    if os.path.exists(CHROMIUM) or os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _wagtail_safe_serialized_rollback(django_db_setup):
    """Make ``serialized_rollback`` restore Wagtail's page tree in every browser test.

    Two problems with the stock mechanism here:

    * Django serializes the test database app by app in INSTALLED_APPS order, so the row of
      ``cms.HomePage`` (a multi-table child of ``wagtailcore.Page``) comes before any
      ``wagtailcore.Locale``; saving it raw fires Wagtail's pre_save handler, which looks up the
      default Locale and fails. Rows of child models are moved after all others.
    * Django keeps the serialized data on the connection object of the context that created the
      test database; with Playwright's event loop running, tests get other connection objects
      (``django.db.connections`` is context-local), which would silently restore nothing. The data
      is therefore set on the backend's wrapper class, which those objects share.
    """
    import json

    from django.apps import apps
    from django.db import connections

    for conn in connections.all():
        content = getattr(conn, "_test_serialized_contents", None)
        if not content:
            continue
        rows = json.loads(content)
        rows.sort(key=lambda row: bool(apps.get_model(row["model"])._meta.parents))  # stable
        conn._test_serialized_contents = json.dumps(rows)
        type(conn)._test_serialized_contents = conn._test_serialized_contents
    yield
    for conn in connections.all():
        if "_test_serialized_contents" in vars(type(conn)):
            delattr(type(conn), "_test_serialized_contents")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser set to Chinese, as our users' are: the site follows Accept-Language until one switches."""
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def institution(transactional_db):
    from lms.registry.models import Institution, Region

    province = Region.objects.create(code="530000", name="云南省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="530300", name="曲靖市", level=Region.Level.CITY, parent=province)
    county = Region.objects.create(code="530302", name="麒麟区", level=Region.Level.COUNTY, parent=city)
    return Institution.objects.create(
        name="麒麟区阳光托育中心",
        credit_code=make_credit_code(county.code, serial=12345678),
        kind=Institution.Kind.INCLUSIVE,
        region=county,
    )


@pytest.fixture
def institution_admin(institution):
    from django.contrib.auth import get_user_model

    from lms.registry import services
    from lms.registry.models import Role

    user = get_user_model().objects.create_user("jigou-admin", password=PASSWORD)
    services.role_grant(user=user, role=Role.INSTITUTION_ADMIN, institution=institution)
    return user


@pytest.fixture
def caregiver(institution):
    """A caregiver employed at ``institution`` whose person record is linked to a login."""
    from django.contrib.auth import get_user_model

    from lms.registry import services
    from lms.registry.models import Post

    employment, _ = services.employment_register(
        institution=institution,
        name="李秀梅",
        id_number=CAREGIVER_ID,
        phone="13812345678",
        post=Post.CAREGIVER,
        start_date=date(2023, 9, 1),
    )
    user = get_user_model().objects.create_user("li-xiumei", password=PASSWORD)
    services.person_link_user(person=employment.person, user=user)
    return user
