from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin, register_read_only

from .models import Award, Contest, Criterion, Entry, EntryFile, JuryMember, PublicVote, Score


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "town", "status", "stage", "submission_opens", "public_vote_closes"]
    list_filter = ["town", "status", "stage"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["sites"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "contest", "max_points", "order"]
    raw_id_fields = ["contest"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "team_name", "contest", "site", "status", "stage", "is_winner"]
    list_filter = ["status", "stage", "is_winner"]
    search_fields = ["title", "team_name"]
    raw_id_fields = ["contest", "site", "submitted_by"]


@admin.register(EntryFile)
class EntryFileAdmin(admin.ModelAdmin):
    list_display = ["name", "entry", "kind", "stage", "uploaded_at"]
    list_filter = ["kind", "stage"]
    raw_id_fields = ["entry"]


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["partner", "contest", "stages", "appointed_at"]
    raw_id_fields = ["contest", "partner"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["entry", "judge", "stage", "criterion", "points", "scored_at"]
    list_filter = ["stage"]
    raw_id_fields = ["entry", "judge", "criterion"]


register_read_only(
    PublicVote,
    "contest",
    "entry",
    "cast_at",
    raw_id_fields=["contest", "entry", "user"],
)
register_read_only(
    Award,
    "title",
    "rank",
    "entry",
    "contest",
    "combined_score",
    raw_id_fields=["contest", "entry"],
)
