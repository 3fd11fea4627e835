import pytest

from tests.factories import UserFactory, course_mapping, published_credential


@pytest.fixture
def instructor(db):
    """Faculty member who maps her course to a badge."""
    return UserFactory(username="ines", first_name="Ines", last_name="Moreau")


@pytest.fixture
def credential(db):
    return published_credential(title="Critical Thinking")


@pytest.fixture
def badge(credential):
    return credential.catalog_badges.order_by("position").first()


@pytest.fixture
def mapping_in(instructor, badge):
    """A complete mapping of `badge` by the instructor, placed in a state."""

    def make(state: str = "draft", **kwargs):
        return course_mapping(instructor, state=state, badge=badge, **kwargs)

    return make


@pytest.fixture
def course_personas(personas, instructor):
    return {**personas, "instructor": instructor}
