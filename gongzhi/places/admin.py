from django.contrib import admin

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
