from django.contrib import admin

from .models import Membership, OrgUnit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["partner"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "kind", "mode", "basis"]
    list_filter = ["town", "kind", "mode"]
    search_fields = ["name", "group_name"]
    raw_id_fields = ["leader", "parent"]
    filter_horizontal = ["areas"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["partner", "unit", "role", "start_date", "end_date"]
    list_filter = ["role", "unit__kind"]
    raw_id_fields = ["partner", "unit"]
