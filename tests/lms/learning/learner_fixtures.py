"""Fixtures of the learner-side tests: a routable catalogue (under the site's home page) and a logged-in learner."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from lms.learning.models import TrainingCatalogue
from tests import factories as f

from .conftest import build_course

__all__ = ["catalogue", "learner_client", "learner_user", "routable_catalogue", "web_course"]


def routable_catalogue() -> TrainingCatalogue:
    """The catalogue under the default site's home page, so that its pages have URLs."""
    catalogue = TrainingCatalogue.objects.first()
    if catalogue is None:
        home = Site.objects.get(is_default_site=True).root_page
        catalogue = home.add_child(instance=TrainingCatalogue(title="培训课程", slug="courses"))
    return catalogue


@pytest.fixture
def catalogue(db) -> TrainingCatalogue:
    return routable_catalogue()


@pytest.fixture
def web_course(catalogue):
    return build_course()


@pytest.fixture
def learner_user(db):
    user = f.UserFactory(username="learner")
    person = f.PersonFactory(user=user)
    user.person_ = person
    return user


@pytest.fixture
def learner_client(client, learner_user):
    client.force_login(learner_user)
    return client
