from django.contrib import admin

from .models import Booking, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "area", "kind", "capacity", "active")
    list_filter = ("town", "kind", "active")
    search_fields = ("name",)
    raw_id_fields = ("keeper",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("venue", "starts_at", "ends_at", "status")
    list_filter = ("status",)
    raw_id_fields = ("requested_by", "decided_by", "activity", "meeting")
