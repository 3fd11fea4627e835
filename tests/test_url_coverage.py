"""Every URL of the URLconf has a row in a permission matrix (or a named reason why
not): adding a view without deciding who may use it fails here."""

import importlib
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve

MATRIX_MODULES = [
    "tests.proposals.test_permissions",
    "tests.teams.test_team_permissions",
    "tests.metadata_templates.test_template_permissions",
    "tests.metadata_templates.test_attachment_permissions",
    "tests.approvals.test_committee_pages",
    "tests.credentials.test_catalog_permissions",
    "tests.sso.test_sso_permissions",
    "tests.courses.test_mapping_permissions",
    "tests.development.test_development_permissions",
    "tests.awards.test_award_permissions",
    "tests.award_imports.test_import_views",
]
# Django's own sites, which enforce their own rules (tested where we rely on them).
EXEMPT_NAMESPACES = {"admin"}


class Anything:
    """Stands for whatever a matrix row builds its address from."""

    pk = 1
    uuid = uuid.UUID(int=1)

    def __getitem__(self, key):
        return Anything()

    def __getattr__(self, name):
        return Anything()

    def __call__(self, *args, **kwargs):
        return Anything()

    def __str__(self) -> str:
        return "1"

    def get_absolute_url(self) -> str:
        return "/proposals/1/"


def _names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXEMPT_NAMESPACES:
                continue
            yield from _names(
                pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_has_a_permission_matrix_row():
    covered = set()
    for module in MATRIX_MODULES:
        for _name, _method, url, _expected in importlib.import_module(module).MATRIX:
            covered.add(resolve(url(Anything()).split("?")[0]).view_name)
    missing = sorted(set(_names(get_resolver().url_patterns)) - covered)
    assert missing == [], f"URLs without a permission matrix row: {missing}"
