from django.contrib import admin

from development.models import Evidence, LaunchChecklist, PathwayBadge


@admin.register(PathwayBadge)
class PathwayBadgeAdmin(admin.ModelAdmin):
    list_display = ["level", "badge"]
    raw_id_fields = ["badge"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["person", "item", "score", "by_staff", "recorded_at"]
    list_filter = ["item", "by_staff"]
    raw_id_fields = ["person", "recorded_by"]


@admin.register(LaunchChecklist)
class LaunchChecklistAdmin(admin.ModelAdmin):
    list_display = ["proposal", "updated_at"]
    raw_id_fields = ["proposal", "updated_by"]
