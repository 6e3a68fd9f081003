from django.contrib import admin

from gongzhi.core.admin import ReadOnly, ReadOnlyAdmin

from .models import BudgetApproval, Milestone, Project, ProjectPhoto, Spending, StatusChange


class MilestoneInline(ReadOnly, admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Projects change through their pages (services check budget and status); the
    admin shows them."""

    list_display = ["title", "town", "area", "kind", "status", "budget"]
    list_filter = ["town", "kind", "status"]
    search_fields = ["title"]
    inlines = [MilestoneInline]


for model in (Milestone, Spending, BudgetApproval, ProjectPhoto, StatusChange):
    admin.site.register(model, ReadOnlyAdmin)
