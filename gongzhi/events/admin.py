from django.contrib import admin

from .models import Activity, ActivityPhoto, Attendance, HoursClaim, Registration, WalkInCount


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


# --- Partners involved, World Café, charity market -----------------------------------
from .models import (  # noqa: E402
    ActivityPartner,
    CafeTable,
    HarvestTheme,
    MarketStall,
    Round,
    TableNote,
    WorldCafe,
)


@admin.register(ActivityPartner)
class ActivityPartnerAdmin(admin.ModelAdmin):
    list_display = ["activity", "partner", "role", "added_at"]
    list_filter = ["role"]
    raw_id_fields = ["activity", "partner", "commitment", "added_by"]


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


class CafeTableInline(admin.TabularInline):
    model = CafeTable
    extra = 0
    raw_id_fields = ["host_partner", "host_user"]


@admin.register(WorldCafe)
class WorldCafeAdmin(admin.ModelAdmin):
    list_display = ["activity", "created_at"]
    raw_id_fields = ["activity"]
    inlines = [RoundInline, CafeTableInline]


@admin.register(TableNote)
class TableNoteAdmin(admin.ModelAdmin):
    list_display = ["table", "round", "created_at"]
    raw_id_fields = ["table", "round", "written_by"]


@admin.register(HarvestTheme)
class HarvestThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "cafe", "order"]
    raw_id_fields = ["cafe"]
    filter_horizontal = ["notes"]


@admin.register(MarketStall)
class MarketStallAdmin(admin.ModelAdmin):
    list_display = ["offer", "activity", "offer_kind", "raised_amount"]
    list_filter = ["offer_kind"]
    raw_id_fields = ["activity", "unit", "partner"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["cafe", "number", "question", "minutes"]
    raw_id_fields = ["cafe"]


@admin.register(CafeTable)
class CafeTableAdmin(admin.ModelAdmin):
    list_display = ["cafe", "number", "name", "host_partner", "host_user", "seats"]
    raw_id_fields = ["cafe", "host_partner", "host_user"]


@admin.register(HoursClaim)
class HoursClaimAdmin(admin.ModelAdmin):
    # Decisions go through the roster (audited, capped); the admin only looks.
    list_display = ["activity", "user", "minutes", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "decided_by", "decided_at"]
    raw_id_fields = ["activity", "user"]


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    list_display = ["activity", "content", "taken_at", "place", "photographer"]
    raw_id_fields = ["activity", "uploaded_by"]
