from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Course mappings"

    def ready(self) -> None:
        # The catalog, the public PDF and the Open Badges exports show approved
        # mappings through this hook; they never import this app.
        from courses.offerings import MappedCourses
        from proposals import catalog_hooks
        from proposals.demo import demo_loaded

        catalog_hooks.register(MappedCourses())
        demo_loaded.connect(_load_demo, dispatch_uid="courses.demo")


def _load_demo(sender, users: dict, **kwargs) -> None:
    from courses import demo

    demo.load(users)
