from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin

from .models import (
    ActivityLink,
    BatchLaunch,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Follower,
    Holiday,
    Interview,
    MeetingLink,
    Need,
    Objection,
    PlanningProcess,
    PublicNotice,
    StepPhoto,
    StepRun,
    SurveyLink,
    TemplateStep,
    WorkflowTemplate,
)


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    extra = 0


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin):
    """Templates are changed through the planning pages (a used template is copied,
    never edited); the admin shows them."""

    list_display = ["name", "version", "town", "is_default"]
    inlines = [TemplateStepInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The holiday list that working days skip: the administrator keeps it here."""

    list_display = ["date", "name", "is_workday"]
    ordering = ["-date"]


for model in [
    TemplateStep,
    BatchLaunch,
    PlanningProcess,
    StepRun,
    SurveyLink,
    Need,
    StepPhoto,
    Interview,
    DesignDraft,
    DraftComment,
    DotVote,
    ActivityLink,
    MeetingLink,
    Consultation,
    ConsultationComment,
    PublicNotice,
    Objection,
    Follower,
]:
    admin.site.register(model, ReadOnlyAdmin)
