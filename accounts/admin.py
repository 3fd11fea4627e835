from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from accounts.models import Profile


class ProfileInline(admin.StackedInline):
    """Campus and department as the campus directory gave them at the last campus
    sign-in: the directory owns them, so they are read-only here."""

    model = Profile
    can_delete = False
    readonly_fields = ["campus", "department"]


admin.site.unregister(User)


@admin.register(User)
class CampusUserAdmin(UserAdmin):
    inlines = [ProfileInline]
