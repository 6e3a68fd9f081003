import rules

from gongzhi.core.rules import (
    can_manage,
    can_manage_town,
    is_administrator,
    is_area_staff_in_town_of,
    is_partner_in_town_of,
)


@rules.predicate
def is_keeper(user, obj):
    """The venue's keeper (for a booking: its venue's)."""
    venue = getattr(obj, "venue", obj)
    return bool(venue is not None and user.is_authenticated and venue.keeper_id == user.pk)


@rules.predicate
def is_requester(user, booking):
    return bool(
        booking is not None and user.is_authenticated and booking.requested_by_id == user.pk
    )


# Staff of the venue's area and the town's secretariat book it directly (confirmed at
# once); a town-wide venue is the secretariat's. Partners and the staff of the town's
# other areas ask, and the keeper (or those who book directly) decides.
can_book_directly = can_manage
rules.add_perm("venues.manage_venue", can_manage)
# Who may open the register page of a town: its secretariat (any venue) and the staff
# of its areas (a venue of their own areas; the service checks the area chosen).
rules.add_perm("venues.register_venue", can_manage_town | is_area_staff_in_town_of)
rules.add_perm("venues.book_directly", can_book_directly)
rules.add_perm(
    "venues.request_booking",
    can_book_directly | is_keeper | is_partner_in_town_of | is_area_staff_in_town_of,
)
rules.add_perm("venues.decide_booking", can_book_directly | is_keeper)
rules.add_perm("venues.cancel_booking", can_book_directly | is_keeper | is_requester)
# Who may see a booking's requester and purpose (the public page shows only busy slots).
rules.add_perm("venues.view_bookings", can_book_directly | is_keeper | is_administrator)
