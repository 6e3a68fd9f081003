from django.contrib import admin

from .models import Application, Commitment, Partner, PartnerMode, Recommendation, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class PartnerModeInline(admin.TabularInline):
    model = PartnerMode
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "area", "profession", "party_status", "status", "joined_on"]
    list_filter = ["town", "status", "party_status", "modes__mode"]
    search_fields = ["name", "profession", "user__phone"]
    autocomplete_fields = ["user", "area", "skills"]
    raw_id_fields = ["application"]
    inlines = [PartnerModeInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Decisions go through the review queue (audited); the admin only looks.
    list_display = ["name", "town", "area", "channel", "status", "created_at"]
    list_filter = ["town", "status", "channel"]
    search_fields = ["name", "applicant__phone"]
    readonly_fields = ["status", "decision_note", "decided_by", "decided_at"]
    raw_id_fields = ["applicant"]
    autocomplete_fields = ["area", "skills"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "area", "recommended_by", "status", "expires_at"]
    list_filter = ["town", "status"]
    search_fields = ["name", "phone"]
    readonly_fields = ["token_hash", "status", "application"]
    raw_id_fields = ["recommended_by"]


@admin.register(PartnerMode)
class PartnerModeAdmin(admin.ModelAdmin):
    list_display = ["partner", "mode", "is_primary"]
    list_filter = ["mode", "is_primary"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "what", "starts_at", "ends_at"]
    raw_id_fields = ["partner"]
