from django.db import models
from django.utils.translation import gettext_lazy as _


class CampusQuerySet(models.QuerySet):
    def active(self) -> "CampusQuerySet":
        """Campuses a proposer may choose today; retired ones stay for history."""
        return self.filter(is_active=True)


class Campus(models.Model):
    """A university of the system (or its law school) where proposals come from."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    objects = CampusQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("campuses")

    def __str__(self) -> str:
        return self.name
