from django.contrib import admin

from gongzhi.core.services import record_event

from .models import ResidentialArea, RoleGrant, Site, Town


class AreaInline(admin.TabularInline):
    model = ResidentialArea
    extra = 0
    fields = ["code", "name", "address", "households"]


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "district"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "town", "households"]
    list_filter = ["town"]
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "kind", "town"]
    list_filter = ["town", "kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["area"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "town"]
    list_filter = ["role", "town"]
    search_fields = ["user__phone", "user__display_name"]
    autocomplete_fields = ["user", "areas"]

    # Role changes made here are audited like those made through places.services.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        grant = form.instance
        record_event(
            actor=request.user,
            verb="role.change" if change else "role.grant",
            target=grant,
            after={
                "role": grant.role,
                "user": grant.user_id,
                "areas": sorted(grant.areas.values_list("pk", flat=True)),
            },
        )

    def delete_model(self, request, obj):
        record_event(
            actor=request.user,
            verb="role.revoke",
            target=obj,
            before={"role": obj.role, "user": obj.user_id},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            self.delete_model(request, grant)
