from django.contrib import admin

from .models import Activity, Attendance, Registration, WalkInCount


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "town", "area", "kind", "starts_at", "status", "capacity"]
    list_filter = ["town", "kind", "status"]
    search_fields = ["title", "venue"]
    raw_id_fields = ["area", "organiser", "site", "created_by"]
    date_hierarchy = "starts_at"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["activity", "user", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["activity", "user"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["activity", "user", "method", "checked_in_at", "checked_out_at"]
    list_filter = ["method"]
    raw_id_fields = ["activity", "user", "recorded_by"]


@admin.register(WalkInCount)
class WalkInCountAdmin(admin.ModelAdmin):
    list_display = ["activity", "count", "note", "recorded_at"]
    raw_id_fields = ["activity", "recorded_by"]
