from django.contrib import admin

from .models import DailyAgencyStats, Feedback, MonthlyAgencyStats, Rating, RebuildLog


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "agency", "status", "answered_at"]
    list_filter = ["status", "agency"]
    search_fields = ["subject"]
    readonly_fields = [
        "author",
        "agency",
        "dossier",
        "subject",
        "content",
        "status",
        "answer",
        "answered_by",
        "answered_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["created_at", "dossier", "score"]
    list_filter = ["score"]
    readonly_fields = ["dossier", "score", "comment", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(RebuildLog)
class RebuildLogAdmin(admin.ModelAdmin):
    """Read only: the rebuilds are run by the beat and `manage.py rebuild_stats`."""

    list_display = [
        "started_at",
        "finished_at",
        "day_from",
        "day_to",
        "trigger",
        "dossiers",
        "rows",
    ]
    list_filter = ["trigger"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DailyAgencyStats)
class DailyAgencyStatsAdmin(admin.ModelAdmin):
    list_display = [
        "day",
        "agency_id",
        "field_id",
        "level",
        "received_online",
        "resolved_on_time",
        "resolved_late",
        "open_overdue",
    ]
    list_filter = ["level"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyAgencyStats)
class MonthlyAgencyStatsAdmin(admin.ModelAdmin):
    list_display = [
        "month",
        "agency_id",
        "field_id",
        "level",
        "received_online",
        "resolved_on_time",
        "resolved_late",
        "open_overdue",
    ]
    list_filter = ["level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
