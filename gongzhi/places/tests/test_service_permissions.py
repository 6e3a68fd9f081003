"""The one write of places that a page makes, the log of who saw an area's residents,
checks the actor's permission inside the service, so that a view that forgets its
check still cannot write a log line for someone who may not see the list (and the
refusal leaves nothing behind).

Roles are granted in the Django admin (its own permissions apply there); no page
calls ``grant_role`` or ``revoke_role``.
"""

from functools import partial

from gongzhi.core.testing import assert_refused
from gongzhi.places import services

# Everyone who may not see the residents of area B.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


def test_logging_roster_access_is_refused_to_who_may_not_see_the_roster(area_b, people):
    assert_refused(
        *(
            partial(services.log_roster_access, actor=people[role], area=area_b, page_number=1)
            for role in UNAUTHORISED
        )
    )


def test_revoking_a_role_is_refused_to_all_but_the_administrator(people):
    """places.manage_roles: no page revokes roles; a caller still needs the right."""
    grant = people["partner"].role_grants.get()
    assert_refused(
        *(
            partial(services.revoke_role, actor=people[role], grant=grant)
            for role in (*UNAUTHORISED, "secretariat")
        )
    )
