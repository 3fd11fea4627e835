import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings

from credentials.proofs import keys
from proposals.models import State
from tests.factories import (
    ProposalFactory,
    UserFactory,
    chair_user,
    committee_member,
    staff_user,
)

# Identity providers shared by the SSO and browser tests: one process each a session.
from tests.sso.providers import oidc_op, saml_idp, sp_keys  # noqa: F401

# Speed is measured by benchmarks, not by tests: no example fails for taking long on
# a busy machine (hypothesis's default is 200 ms an example).
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered exports are cached; every test starts without them."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _issuer_signing_key():
    """Awards are signed as in production (pytest runs without DEBUG, so the
    development key never signs here), with a key of the run's own."""
    with override_settings(CREDENTIAL_SIGNING_KEY=keys.new_secret_key()):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_url_as_configured(settings):
    """Links use SITE_URL, as `make test` runs, whether or not the shell running
    pytest set it; tests of the request's address turn that on themselves."""
    settings.SITE_URL_FROM_REQUEST = False


@pytest.fixture(autouse=True, scope="session")
def _static_files_from_the_apps():
    """Serve static files from the app folders, as in development, so that tests need
    no collectstatic run, over plain HTTP. Session-wide, because the live server
    starts once."""
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # Tests (and the live server) speak plain HTTP; the redirect to HTTPS has its
    # own tests with the production settings.
    with override_settings(
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        SECURE_SSL_REDIRECT=False,
    ):
        yield


@pytest.fixture
def reference_data(transactional_db):
    """Campuses, role groups and the default issuer for transactional tests. Their
    rows come from data migrations, which the flush after each transactional test
    removes; the migrations' own functions put them back (they are idempotent)."""
    for module, function, options in [
        ("teams.migrations.0002_system_campuses", "add_campuses", {}),
        ("accounts.migrations.0001_role_groups", "create_groups", {}),
        (
            "metadata_templates.migrations.0003_default_issuer",
            "add_default_issuer",
            {"app_label": "credentials"},
        ),
    ]:
        getattr(importlib.import_module(module), function)(django_apps, None, **options)


@pytest.fixture
def proposer(db):
    """Faculty member who submitted the proposal."""
    return UserFactory(username="fran")


@pytest.fixture
def outsider(db):
    """Signed-in faculty with no part in the proposal: must never see it."""
    return UserFactory(username="olive")


@pytest.fixture
def staff(db):
    """Micro-credential office staff."""
    return staff_user(username="sam")


@pytest.fixture
def member(db):
    """Steering Committee member (not the chair)."""
    return committee_member(username="morgan")


@pytest.fixture
def chair(db):
    """Steering Committee chair."""
    return chair_user(username="chris")


@pytest.fixture
def site_admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def personas(proposer, outsider, staff, member, chair, site_admin):
    return {
        "proposer": proposer,
        "outsider": outsider,
        "staff": staff,
        "member": member,
        "chair": chair,
        "admin": site_admin,
    }


@pytest.fixture
def proposal(proposer):
    return ProposalFactory(proposer=proposer, state=State.SUBMITTED)
