from django.contrib import admin

from teams.models import Campus


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "is_active", "position"]
    list_editable = ["is_active", "position"]
