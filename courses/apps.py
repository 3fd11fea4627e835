from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Course mappings"

    def ready(self) -> None:
        # The catalog, the public PDF and the Open Badges exports show approved
        # mappings through this hook; they never import this app.
        from courses.offerings import MappedCourses
        from credentials import catalog_hooks
        from proposals import hooks

        catalog_hooks.register(MappedCourses())
        hooks.demo_steps.append(_load_demo)


def _load_demo(users: dict) -> int:
    """load_demo's step: the demo's course mappings (they are no proposals, so it
    adds none to load_demo's count of proposals)."""
    from courses import demo

    demo.load(users)
    return 0
