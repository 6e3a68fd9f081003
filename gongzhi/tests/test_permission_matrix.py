"""The permission matrix: every URL name × every role → the status it must get.

A URL that this table does not list fails ``test_every_url_is_in_the_matrix``:
whoever adds a page decides here who may reach it. Area-scoped pages are checked
twice, with an object inside the area staff member's area and one outside it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongzhi.accounts.services import give_consent
from gongzhi.conftest import ROLES
from gongzhi.core import pagecache
from gongzhi.core.testing import database_snapshot, snapshot_changes

from .post_actions import ACTIONS, DONE, KEPT, PLANNING_STEP_ACTIONS, REFUSALS

OK, FOUND, DENIED, NO_METHOD = 200, 302, 403, 405
LOGIN = "login"  # anonymous visitor is sent to the log-in page (as in post_actions)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {**dict.fromkeys(ROLES, status), "anonymous": anonymous}


def only(allowed: set[str], ok=OK):
    return {
        role: (LOGIN if role == "anonymous" else ok if role in allowed else DENIED)
        for role in ROLES
    }


@dataclass
class Case:
    url: Callable[[dict], str]  # from the fixture world to a path
    expect: dict[str, object]
    note: str = ""


def world_url(name, *keys):
    return lambda w: reverse(name, args=[w[k] for k in keys])


MATRIX: dict[str, list[Case]] = {
    # core
    "set_language": [Case(world_url("set_language"), everyone(NO_METHOD), "POST only")],
    "set_mode": [Case(world_url("set_mode"), everyone(NO_METHOD), "POST only")],
    "healthz": [Case(world_url("healthz"), everyone(OK))],
    "livez": [Case(world_url("livez"), everyone(OK))],
    # Operator only: without GONGZHI_METRICS_TOKEN there is no endpoint; with one, a
    # bearer token (core/tests/test_observe.py tries none, a wrong and the right one).
    "metrics": [Case(world_url("metrics"), everyone(404), "no token configured")],
    "bench_floor": [Case(world_url("bench_floor"), everyone(OK))],
    # places (public pages; two towns exist, so the home page lists them)
    "places:home": [Case(world_url("places:home"), everyone(OK))],
    "places:go": [
        # The menu's way into the person's town from a page that names none.
        Case(lambda w: reverse("places:go", args=["participation"]), everyone(FOUND)),
        Case(lambda w: reverse("places:go", args=["nowhere"]), everyone(404), "no such entry"),
    ],
    "places:town": [Case(world_url("places:town", "town_slug"), everyone(OK))],
    "places:area_list": [Case(world_url("places:area_list", "town_slug"), everyone(OK))],
    "places:area": [Case(world_url("places:area", "town_slug", "area_a"), everyone(OK))],
    "places:area_residents": [
        Case(
            world_url("places:area_residents", "town_slug", "area_a"),
            only({"area_staff", "secretariat", "administrator"}),
            "area inside the staff member's scope",
        ),
        Case(
            world_url("places:area_residents", "town_slug", "area_b"),
            only({"secretariat", "administrator"}),
            "area outside the staff member's scope",
        ),
    ],
    "places:town_audit": [
        Case(world_url("places:town_audit", "town_slug"), only({"secretariat", "administrator"})),
        Case(
            world_url("places:town_audit", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's trail",
        ),
    ],
    # accounts
    "accounts:privacy": [Case(world_url("accounts:privacy"), everyone(OK))],
    "account_signup": [Case(world_url("account_signup"), signed_in(FOUND, anonymous=OK))],
    "account_login": [Case(world_url("account_login"), signed_in(FOUND, anonymous=OK))],
    # GET asks "log out on this device?"; logging out is the POST.
    "account_logout": [Case(world_url("account_logout"), signed_in(OK, anonymous=FOUND))],
    "account_inactive": [Case(world_url("account_inactive"), everyone(OK))],
    "account_request_login_code": [
        Case(world_url("account_request_login_code"), signed_in(FOUND, anonymous=OK))
    ],
    # Without a code on its way: back to asking for one.
    "account_confirm_login_code": [
        Case(world_url("account_confirm_login_code"), everyone(FOUND), "no code requested")
    ],
    "account_verify_phone": [
        Case(world_url("account_verify_phone"), everyone(FOUND), "no code requested")
    ],
    "account_change_phone": [Case(world_url("account_change_phone"), signed_in(OK))],
    # Proving again who one is: one's own password, or a code to one's own number.
    "account_reauthenticate": [Case(world_url("account_reauthenticate"), signed_in(OK))],
    "account_request_reauthentication_code": [
        Case(world_url("account_request_reauthentication_code"), signed_in(OK))
    ],
    "account_confirm_reauthentication_code": [
        Case(
            world_url("account_confirm_reauthentication_code"),
            signed_in(FOUND),
            "no code requested",
        )
    ],
    # Everyone in the matrix has a password: setting one is for accounts without.
    "account_set_password": [Case(world_url("account_set_password"), signed_in(FOUND))],
    "account_reset_password": [Case(world_url("account_reset_password"), everyone(FOUND))],
    # Only right after logging in by code (recovery); else to changing it.
    "accounts:new_password": [Case(world_url("accounts:new_password"), signed_in(FOUND))],
    "account_change_password": [Case(world_url("account_change_password"), signed_in(OK))],
    "accounts:my_data": [Case(world_url("accounts:my_data"), signed_in(OK))],
    "accounts:export": [Case(world_url("accounts:export"), signed_in(OK))],
    "accounts:delete": [Case(world_url("accounts:delete"), signed_in(OK))],
    "accounts:withdraw_consent": [
        Case(world_url("accounts:withdraw_consent", "consent"), signed_in(NO_METHOD), "POST only")
    ],
    "notifications": [Case(world_url("notifications"), signed_in(OK))],
    "todo": [
        Case(
            world_url("todo"),
            only({"area_staff", "secretariat", "other_secretariat", "administrator"}),
            "staff only; each sees their own scope (gongzhi/tests/test_todo.py)",
        )
    ],
    "me": [Case(world_url("me"), signed_in(OK))],
    # SMS (core/sms_views.py): a person's choices; the staff's ledger, each seeing
    # their own scope (core/tests/test_sms_pipeline.py); the demo outbox; receipts.
    "sms_choices": [Case(world_url("sms_choices"), signed_in(NO_METHOD), "POST only")],
    "sms_ledger": [
        Case(
            world_url("sms_ledger"),
            only({"area_staff", "secretariat", "other_secretariat", "administrator"}),
        )
    ],
    "sms_outbox": [Case(world_url("sms_outbox"), only({"administrator"}), "console backend")],
    "sms_receipts": [
        Case(
            lambda w: reverse("sms_receipts", args=["console", "guessed"]),
            everyone(NO_METHOD),
            "POST only, from the provider",
        )
    ],
    # partners: residents
    "partners:apply": [Case(world_url("partners:apply", "town_slug"), everyone(OK))],
    "partners:apply_qr": [Case(world_url("partners:apply_qr", "town_slug"), everyone(OK))],
    "partners:my_applications": [Case(world_url("partners:my_applications"), signed_in(OK))],
    "partners:edit_application": [
        Case(
            world_url("partners:edit_application", "application"),
            {**signed_in(404), "resident": OK},
            "only the applicant (resident) sees their own application",
        )
    ],
    "partners:recommendation": [
        Case(world_url("partners:recommendation", "token"), everyone(OK), "the link is the key")
    ],
    # partners: talent pool (public, contacts masked)
    "partners:directory": [Case(world_url("partners:directory", "town_slug"), everyone(OK))],
    "partners:partner": [Case(world_url("partners:partner", "town_slug", "partner"), everyone(OK))],
    "partners:edit_partner": [
        Case(
            world_url("partners:edit_partner", "town_slug", "partner"),
            only({"partner", "secretariat", "administrator"}),
            "the partner themself (the 'partner' user) and the secretariat",
        )
    ],
    "partners:manage_partner": [
        Case(
            world_url("partners:manage_partner", "town_slug", "partner"),
            only({"secretariat", "administrator"}),
        )
    ],
    # partners: staff
    "partners:recommend": [
        Case(
            world_url("partners:recommend", "town_slug"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
        )
    ],
    "partners:recommendations": [
        Case(
            world_url("partners:recommendations", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    "partners:review_queue": [
        Case(
            world_url("partners:review_queue", "town_slug"), only({"secretariat", "administrator"})
        ),
        Case(
            world_url("partners:review_queue", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's queue",
        ),
    ],
    "partners:review_application": [
        Case(
            world_url("partners:review_application", "town_slug", "application"),
            only({"secretariat", "administrator"}),
        )
    ],
    **{
        f"partners:{name}": [
            Case(
                world_url(f"partners:{name}", "town_slug", "application"),
                everyone(NO_METHOD),
                "POST only; the review page's forms: the secretariat",
            )
        ]
        for name in ("accept_application", "decline_application", "ask_applicant")
    },
    "partners:match": [
        Case(
            world_url("partners:match", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    # partners: ledgers (area staff export only their own areas' rows)
    "partners:roster_export": [
        Case(
            world_url("partners:roster_export", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("partners:roster_export", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's roster",
        ),
    ],
    "partners:import": [
        Case(world_url("partners:import", "town_slug"), only({"secretariat", "administrator"})),
        Case(
            world_url("partners:import", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's import",
        ),
    ],
    "partners:import_template": [
        Case(
            world_url("partners:import_template"),
            only({"secretariat", "other_secretariat", "administrator"}),
        ),
        Case(
            lambda w: reverse("partners:import_template") + f"?town={w['town_slug']}",
            only({"secretariat", "administrator"}),
            "with the town's areas",
        ),
    ],
    # venues: public pages and feed; booking (directly or by request) by the town's
    # partners, area staff and secretariat (matrix rows for the POST actions are in
    # post_actions.py)
    "venues:venue_list": [Case(world_url("venues:venue_list", "town_slug"), everyone(OK))],
    "venues:venue": [Case(world_url("venues:venue", "town_slug", "venue_a"), everyone(OK))],
    "venues:feed": [Case(world_url("venues:feed", "town_slug", "venue_a"), everyone(OK))],
    "venues:book": [
        Case(
            world_url("venues:book", "town_slug", "venue_a"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "area A: its staff book directly, partners ask",
        ),
        Case(
            world_url("venues:book", "town_slug", "venue_b"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "area B: staff of another area ask",
        ),
    ],
    "venues:confirm_booking": [
        Case(
            world_url("venues:confirm_booking", "town_slug", "venue_request_a"),
            everyone(NO_METHOD),
            "POST only",
        )
    ],
    "venues:decline_booking": [
        Case(
            world_url("venues:decline_booking", "town_slug", "venue_request_a"),
            everyone(NO_METHOD),
            "POST only",
        )
    ],
    "venues:cancel_booking": [
        Case(
            world_url("venues:cancel_booking", "town_slug", "venue_request_a"),
            everyone(NO_METHOD),
            "POST only",
        )
    ],
    # The register: the secretariat registers and changes any venue of its town, area
    # staff those of their areas (area B's venue is not theirs).
    "venues:register_venue": [
        Case(
            world_url("venues:register_venue", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    "venues:edit_venue": [
        Case(
            world_url("venues:edit_venue", "town_slug", "venue_a"),
            only({"area_staff", "secretariat", "administrator"}),
            "area A's venue",
        ),
        Case(
            world_url("venues:edit_venue", "town_slug", "venue_b"),
            only({"secretariat", "administrator"}),
            "area B's venue: not the area staff's",
        ),
    ],
    "venues:retire_venue": [
        Case(
            world_url("venues:retire_venue", "town_slug", "venue_a"),
            everyone(NO_METHOD),
            "POST only",
        )
    ],  # fmt: skip
    # organisations
    "organisations:chart": [Case(world_url("organisations:chart", "town_slug"), everyone(OK))],
    "organisations:create_team": [
        Case(
            world_url("organisations:create_team", "town_slug"),
            only({"secretariat", "administrator"}),
        )
    ],
    "organisations:unit": [
        Case(world_url("organisations:unit", "town_slug", "team_a"), everyone(OK))
    ],
    "organisations:unit_match": [
        Case(
            world_url("organisations:unit_match", "town_slug", "team_a"),
            only({"area_staff", "secretariat", "administrator"}),
            "a team of the staff member's area",
        ),
        Case(
            world_url("organisations:unit_match", "town_slug", "team_b"),
            only({"secretariat", "administrator"}),
            "a team of another area",
        ),
    ],
    "organisations:add_member": [
        Case(world_url("organisations:add_member", "town_slug", "team_a"), everyone(NO_METHOD))
    ],
    "organisations:end_membership": [
        Case(
            world_url("organisations:end_membership", "town_slug", "membership"),
            everyone(NO_METHOD),
        )
    ],
    # events
    "events:activity_list": [Case(world_url("events:activity_list", "town_slug"), everyone(OK))],
    "events:activity": [
        Case(world_url("events:activity", "town_slug", "activity_a"), everyone(OK)),
        Case(
            world_url("events:activity", "town_slug", "draft_b"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a draft in another area: only those who manage it see it",
        ),
    ],
    "events:create_activity": [
        Case(
            world_url("events:create_activity", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    "events:register": [
        Case(world_url("events:register", "town_slug", "activity_a"), signed_in(NO_METHOD))
    ],
    "events:cancel_registration": [
        Case(
            world_url("events:cancel_registration", "town_slug", "activity_a"),
            signed_in(NO_METHOD),
        )
    ],
    "events:publish": [
        Case(world_url("events:publish", "town_slug", "activity_a"), everyone(NO_METHOD))
    ],
    "events:edit_activity": [
        Case(
            world_url("events:edit_activity", "town_slug", "activity_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("events:edit_activity", "town_slug", "draft_b"),
            only({"secretariat", "administrator"}),
            "an activity of another area",
        ),
    ],
    "events:cancel_activity": [
        Case(
            world_url("events:cancel_activity", "town_slug", "activity_a"),
            everyone(NO_METHOD),
            "POST only (post_actions): the confirmation form is on the activity's page",
        )
    ],
    "events:checkin": [
        Case(
            world_url("events:checkin", "town_slug", "activity_a", "checkin_token"),
            everyone(OK),
            "the code on the screen is the key; checking in is a POST",
        )
    ],
    "events:checkin_screen": [
        Case(
            world_url("events:checkin_screen", "town_slug", "activity_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("events:checkin_screen", "town_slug", "draft_b"),
            only({"secretariat", "administrator"}),
            "an activity of another area",
        ),
    ],
    "events:roster": [
        Case(
            world_url("events:roster", "town_slug", "activity_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("events:roster", "town_slug", "draft_b"),
            only({"secretariat", "administrator"}),
            "an activity of another area",
        ),
    ],
    **{
        f"events:{name}": [
            Case(
                world_url(f"events:{name}", "town_slug", "activity_a"),
                everyone(NO_METHOD),
                "POST only; the roster's forms: staff who run the activity",
            )
        ]
        for name in ("roster_check_in", "roster_check_out", "roster_walk_ins")
    },
    # events: World Café, market, hosts (rows go here)
    "events:hosts": [
        Case(
            world_url("events:hosts", "town_slug", "activity_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("events:hosts", "town_slug", "draft_b"),
            only({"secretariat", "administrator"}),
            "an activity of another area",
        ),
    ],
    "events:add_partner": [
        Case(world_url("events:add_partner", "town_slug", "activity_a"), everyone(NO_METHOD))
    ],
    "events:remove_partner": [
        Case(
            lambda w: reverse("events:remove_partner", args=[w["town_slug"], w["activity_a"], 1]),
            everyone(NO_METHOD),
        )
    ],
    "events:cafe": [
        Case(world_url("events:cafe", "town_slug", "cafe_a"), everyone(OK)),
        Case(
            world_url("events:cafe", "town_slug", "draft_b"),
            {**only({"secretariat", "administrator"}, ok=FOUND), "anonymous": LOGIN},
            "a draft (not a café) in another area: managers are sent to the activity",
        ),
    ],
    "events:cafe_setup": [
        Case(world_url("events:cafe_setup", "town_slug", "cafe_a"), everyone(NO_METHOD))
    ],
    "events:cafe_host": [
        Case(
            lambda w: reverse("events:cafe_host", args=[w["town_slug"], w["cafe_a"], 1]),
            everyone(NO_METHOD),
        )
    ],
    "events:cafe_note": [
        Case(world_url("events:cafe_note", "town_slug", "cafe_a"), everyone(NO_METHOD))
    ],
    "events:cafe_theme": [
        Case(world_url("events:cafe_theme", "town_slug", "cafe_a"), everyone(NO_METHOD))
    ],
    "events:market": [Case(world_url("events:market", "town_slug", "market_a"), everyone(OK))],
    "events:market_stall": [
        Case(world_url("events:market_stall", "town_slug", "market_a"), everyone(NO_METHOD))
    ],
    "events:market_raised": [
        Case(
            lambda w: reverse("events:market_raised", args=[w["town_slug"], w["market_a"], 1]),
            everyone(NO_METHOD),
        )
    ],
    "events:add_photo": [
        Case(
            world_url("events:add_photo", "town_slug", "activity_a"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    # events: volunteer hours (rows go here)
    "events:claim_hours": [
        Case(world_url("events:claim_hours", "town_slug", "activity_a"), signed_in(NO_METHOD))
    ],
    "events:decide_hours": [
        Case(
            lambda w: reverse("events:decide_hours", args=[w["town_slug"], w["activity_a"], 1]),
            everyone(NO_METHOD),
        )
    ],
    "events:my_hours": [Case(world_url("events:my_hours"), signed_in(OK))],
    "events:certificate": [Case(world_url("events:certificate"), signed_in(OK))],
    # events: feeds and figures (rows go here)
    "events:figures": [Case(world_url("events:figures", "town_slug"), everyone(OK))],
    "events:town_feed": [
        Case(world_url("events:town_feed", "town_slug"), everyone(OK), "public, for calendar apps")
    ],
    "events:area_feed": [
        Case(world_url("events:area_feed", "town_slug", "area_a"), everyone(OK)),
        Case(
            lambda w: reverse("events:area_feed", args=[w["other_town_slug"], w["area_a"]]),
            everyone(404),
            "an area under another town's address",
        ),
    ],
    # contests (rows go here)
    "contests:contest_list": [Case(world_url("contests:contest_list", "town_slug"), everyone(OK))],
    "contests:create_contest": [
        Case(
            world_url("contests:create_contest", "town_slug"),
            only({"secretariat", "administrator"}),
        ),
        Case(
            world_url("contests:create_contest", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's calls",
        ),
    ],
    "contests:contest": [
        Case(world_url("contests:contest", "town_slug", "contest"), everyone(OK)),
        Case(
            world_url("contests:contest", "town_slug", "draft_contest"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a draft call: only those who run it see it",
        ),
    ],
    "contests:submit_entry": [
        Case(world_url("contests:submit_entry", "town_slug", "contest"), signed_in(OK))
    ],
    "contests:manage": [
        Case(
            world_url("contests:manage", "town_slug", "contest"),
            only({"secretariat", "administrator"}),
        )
    ],
    **{
        f"contests:{name}": [
            Case(
                world_url(f"contests:{name}", "town_slug", "contest"),
                everyone(NO_METHOD),
                "POST only; the manage page's forms: the town's secretariat",
            )
        ]
        for name in ("add_criterion", "open_call", "appoint_judge", "advance_stage", "award")
    },
    "contests:judge": [
        Case(
            world_url("contests:judge", "town_slug", "contest"),
            only({"partner"}),
            "only members of the jury (the 'partner' user)",
        )
    ],
    "contests:entry": [
        Case(world_url("contests:entry", "town_slug", "contest", "contest_entry"), everyone(OK))
    ],
    "contests:vote": [
        Case(
            world_url("contests:vote", "town_slug", "contest", "contest_entry"),
            signed_in(NO_METHOD),
            "POST only",
        )
    ],
    "contests:entry_file": [
        Case(
            world_url("contests:entry_file", "town_slug", "contest", "contest_file"),
            everyone(OK),
            "drafts of a published call are public",
        )
    ],
    # proposals (rows go here)
    "proposals:proposal_list": [
        Case(world_url("proposals:proposal_list", "town_slug"), everyone(OK))
    ],
    "proposals:proposal": [
        Case(world_url("proposals:proposal", "town_slug", "proposal_a"), everyone(OK)),
        Case(
            world_url("proposals:proposal", "town_slug", "proposal_b"),
            everyone(OK),
            "proposals are public in every area",
        ),
        Case(
            world_url("proposals:proposal", "other_town_slug", "proposal_a"),
            everyone(404),
            "a proposal under another town's address",
        ),
    ],
    "proposals:submit": [Case(world_url("proposals:submit", "town_slug"), signed_in(OK))],
    "proposals:support": [
        Case(world_url("proposals:support", "town_slug", "proposal_a"), signed_in(NO_METHOD))
    ],
    "proposals:withdraw": [
        Case(world_url("proposals:withdraw", "town_slug", "proposal_a"), signed_in(NO_METHOD))
    ],
    "proposals:comment": [
        Case(world_url("proposals:comment", "town_slug", "proposal_a"), signed_in(NO_METHOD))
    ],
    "proposals:report_comment": [
        Case(
            world_url("proposals:report_comment", "town_slug", "proposal_a", "proposal_comment"),
            signed_in(NO_METHOD),
        )
    ],
    "proposals:hide_comment": [
        Case(
            world_url("proposals:hide_comment", "town_slug", "proposal_a", "proposal_comment"),
            everyone(NO_METHOD),
            "POST only; staff of the proposal's area",
        )
    ],
    "proposals:dismiss_reports": [
        Case(
            world_url("proposals:dismiss_reports", "town_slug", "proposal_a", "proposal_comment"),
            everyone(NO_METHOD),
            "POST only; staff of the proposal's area",
        )
    ],
    **{
        f"proposals:{name}": [
            Case(
                world_url(f"proposals:{name}", "town_slug", "proposal_a"),
                everyone(NO_METHOD),
                "POST only; staff of the proposal's area",
            )
        ]
        for name in ("start_review", "merge", "decline", "mark_implemented")
    },
    "proposals:moderation": [
        Case(
            world_url("proposals:moderation", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
            "area staff see their own areas' comments",
        ),
        Case(
            world_url("proposals:moderation", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's queue",
        ),
    ],
    "proposals:settings": [
        Case(world_url("proposals:settings", "town_slug"), only({"secretariat", "administrator"})),
        Case(
            world_url("proposals:settings", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's settings",
        ),
    ],
    "proposals:ledger": [
        Case(
            world_url("proposals:ledger", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
            "area staff export their own areas' rows",
        ),
        Case(
            world_url("proposals:ledger", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's ledger",
        ),
    ],
    # meetings (rows go here)
    "meetings:meeting_list": [Case(world_url("meetings:meeting_list", "town_slug"), everyone(OK))],
    "meetings:create_meeting": [
        Case(
            world_url("meetings:create_meeting", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
            "area staff choose among their own areas",
        ),
        Case(
            world_url("meetings:create_meeting", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's meetings",
        ),
    ],
    "meetings:ledger": [
        Case(
            world_url("meetings:ledger", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
            "area staff get their areas' rows",
        ),
        Case(
            world_url("meetings:ledger", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's ledger",
        ),
    ],
    "meetings:meeting": [
        Case(world_url("meetings:meeting", "town_slug", "meeting_a"), everyone(OK)),
        Case(
            world_url("meetings:meeting", "town_slug", "cancelled_meeting_b"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a cancelled meeting of another area: only those who manage it see it",
        ),
    ],
    "meetings:sign_in": [
        Case(world_url("meetings:sign_in", "town_slug", "meeting_a"), signed_in(NO_METHOD))
    ],
    "meetings:manage": [
        Case(
            world_url("meetings:manage", "town_slug", "meeting_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("meetings:manage", "town_slug", "meeting_b"),
            only({"secretariat", "administrator"}),
            "a meeting of another area",
        ),
    ],
    "meetings:edit_meeting": [
        Case(
            world_url("meetings:edit_meeting", "town_slug", "meeting_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("meetings:edit_meeting", "town_slug", "meeting_b"),
            only({"secretariat", "administrator"}),
            "a meeting of another area",
        ),
    ],
    "meetings:motion": [
        Case(
            world_url("meetings:motion", "town_slug", "meeting_a", "motion_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("meetings:motion", "town_slug", "meeting_b", "motion_b"),
            only({"secretariat", "administrator"}),
            "a motion of another area's meeting",
        ),
    ],
    **{
        f"meetings:{name}": [
            Case(
                world_url(f"meetings:{name}", "town_slug", "meeting_a"),
                everyone(NO_METHOD),
                "POST only; the manage page's forms: staff who run the meeting",
            )
        ]
        for name in (
            "add_agenda_item",
            "invite",
            "sign_in_attendee",
            "walk_in",
            "record_party",
            "move_motion",
            "save_minutes",
            "approve_minutes",
            "add_action_item",
            "set_action_status",
            "cancel_meeting",
        )
    },
    **{
        f"meetings:{name}": [
            Case(
                world_url(f"meetings:{name}", "town_slug", "meeting_a", "motion_a"),
                everyone(NO_METHOD),
                "POST only; the motion page's forms: staff who run the meeting",
            )
        ]
        for name in (
            "second_motion",
            "withdraw_motion",
            "record_speech",
            "cast_votes",
            "record_counts",
            "record_owners_count",
            "decide_motion",
        )
    },
    "meetings:adopt_proposal": [
        Case(
            world_url("meetings:adopt_proposal", "town_slug", "meetings_proposal_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("meetings:adopt_proposal", "town_slug", "meetings_proposal_b"),
            only({"secretariat", "administrator"}),
            "a proposal of another area",
        ),
    ],
    # surveys (rows go here)
    "surveys:survey_list": [
        Case(
            world_url("surveys:survey_list", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:survey_list", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "another town's surveys",
        ),
    ],
    "surveys:create_survey": [
        Case(
            world_url("surveys:create_survey", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    "surveys:survey": [
        Case(world_url("surveys:survey", "town_slug", "survey_a"), everyone(OK), "an open survey"),
        Case(
            world_url("surveys:survey", "town_slug", "draft_survey_b"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a draft of another area: only those who build it",
        ),
    ],
    "surveys:qr": [
        Case(world_url("surveys:qr", "town_slug", "survey_a"), everyone(OK)),
        Case(
            world_url("surveys:qr", "town_slug", "draft_survey_b"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a draft of another area",
        ),
    ],
    "surveys:manage": [
        Case(
            world_url("surveys:manage", "town_slug", "survey_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:manage", "town_slug", "draft_survey_b"),
            only({"secretariat", "administrator"}),
            "a survey of another area",
        ),
    ],
    **{
        f"surveys:{name}": [
            Case(
                world_url(f"surveys:{name}", "town_slug", "survey_a"),
                everyone(NO_METHOD),
                "POST only; the builder's forms: staff of the survey's area",
            )
        ]
        for name in (
            "add_question",
            "move_question_up",
            "move_question_down",
            "remove_question",
            "open_survey",
            "close_survey",
        )
    },
    "surveys:results": [
        Case(
            world_url("surveys:results", "town_slug", "survey_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:results", "town_slug", "draft_survey_b"),
            only({"secretariat", "administrator"}),
            "a survey of another area",
        ),
    ],
    "surveys:export_csv": [
        Case(
            world_url("surveys:export_csv", "town_slug", "survey_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:export_csv", "town_slug", "draft_survey_b"),
            only({"secretariat", "administrator"}),
            "a survey of another area",
        ),
    ],
    "surveys:export_xlsx": [
        Case(
            world_url("surveys:export_xlsx", "town_slug", "survey_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:export_xlsx", "town_slug", "draft_survey_b"),
            only({"secretariat", "administrator"}),
            "a survey of another area",
        ),
    ],
    "surveys:edit_question": [
        Case(
            world_url("surveys:edit_question", "town_slug", "draft_survey_a", "question_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("surveys:edit_question", "town_slug", "draft_survey_b", "question_b"),
            only({"secretariat", "administrator"}),
            "a question of another area's survey",
        ),
    ],
    # planning evidence (rows go here)
    "planning:step": [
        Case(
            world_url("planning:step", "town_slug", "evidence_plan_a"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "the lead partner (the 'partner' user) and the area's staff",
        ),
        Case(
            world_url("planning:step", "town_slug", "evidence_plan_b"),
            only({"secretariat", "administrator"}),
            "a process of another area",
        ),
    ],
    "planning:draft": [
        Case(
            world_url("planning:draft", "town_slug", "evidence_plan_a", "evidence_draft"),
            everyone(OK),
        )
    ],
    "planning:draft_file": [
        Case(
            world_url("planning:draft_file", "town_slug", "evidence_plan_a", "evidence_draft"),
            everyone(OK),
        )
    ],
    "planning:consultation": [
        Case(world_url("planning:consultation", "town_slug", "evidence_plan_a"), everyone(OK))
    ],
    "planning:notice": [
        Case(world_url("planning:notice", "town_slug", "evidence_plan_a"), everyone(OK))
    ],
    "planning:notice_print": [
        Case(world_url("planning:notice_print", "town_slug", "evidence_plan_a"), everyone(OK))
    ],
    # The evidence pages' actions, one URL each (POST only; see post_actions.py).
    **{
        f"planning:step_{name}": [
            Case(
                world_url(f"planning:step_{name}", "town_slug", "evidence_plan_a"),
                everyone(NO_METHOD),
                "POST only; the step page's forms",
            )
        ]
        for name in PLANNING_STEP_ACTIONS
    },
    **{
        f"planning:{name}": [
            Case(
                world_url(f"planning:{name}", "town_slug", "evidence_plan_a", "evidence_draft"),
                everyone(NO_METHOD),
                "POST only; the draft page's forms",
            )
        ]
        for name in ("draft_vote", "draft_comment")
    },
    **{
        f"planning:{name}": [
            Case(
                world_url(f"planning:{name}", "town_slug", "evidence_plan_a"),
                everyone(NO_METHOD),
                "POST only; the consultation's and the notice's forms",
            )
        ]
        for name in ("consultation_comment", "consultation_reply", "notice_object", "notice_reply")
    },
    # planning (rows go here)
    # renewal (rows go here)
    # news: the public pages; the desk and the form for writers (media partners, staff)
    **{
        f"news:{name}": [Case(world_url(f"news:{name}", "town_slug"), everyone(OK))]
        for name in ("list", "feed")
    },
    "news:area_news": [Case(world_url("news:area_news", "town_slug", "area_b"), everyone(OK))],
    **{
        f"news:{name}": [
            Case(
                world_url(f"news:{name}", "town_slug"),
                only({"partner", "area_staff", "secretariat", "administrator"}),
                "the media partner and the town's staff",
            )
        ]
        for name in ("write", "desk")
    },
    "news:article": [
        Case(world_url("news:article", "town_slug", "news_published_a"), everyone(OK)),
        Case(
            world_url("news:article", "town_slug", "news_draft_a"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "area A's draft: its author and reviewers",
        ),
        Case(
            world_url("news:article", "town_slug", "news_submitted_b"),
            only({"partner", "secretariat", "administrator"}),
            "area B's: not the area staff's",
        ),
    ],
    "news:poster": [
        Case(world_url("news:poster", "town_slug", "news_published_a"), everyone(OK)),
    ],
    "news:edit": [
        Case(
            world_url("news:edit", "town_slug", "news_draft_a"),
            only({"partner", "administrator"}),
            "the author (and the administrator, who holds every permission)",
        )
    ],
    **{
        f"news:{name}": [
            Case(world_url(f"news:{name}", "town_slug", "news_submitted_a"), everyone(NO_METHOD))
        ]
        for name in ("submit", "publish", "return")
    },
    # cultivation: programmes are public (drafts the secretariat's), the certificate is
    # the signed-in person's own (the partner completed the programme; the others have
    # not: 409), the area's record names people (its staff, the secretariat)
    "cultivation:programme_list": [
        Case(world_url("cultivation:programme_list", "town_slug"), everyone(OK))
    ],
    "cultivation:create_programme": [
        Case(
            world_url("cultivation:create_programme", "town_slug"),
            only({"secretariat", "administrator"}),
        ),
        Case(
            world_url("cultivation:create_programme", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "the other town's",
        ),
    ],
    "cultivation:programme": [
        Case(world_url("cultivation:programme", "town_slug", "programme_open"), everyone(OK)),
        Case(
            world_url("cultivation:programme", "town_slug", "programme_draft"),
            only({"secretariat", "administrator"}),
            "a draft",
        ),
    ],
    **{
        f"cultivation:{name}": [
            Case(
                world_url(f"cultivation:{name}", "town_slug", "programme_draft"),
                everyone(NO_METHOD),
                "POST only; the secretariat",
            )
        ]
        for name in ("add_session", "open_programme", "close_programme")
    },
    "cultivation:certificate": [
        Case(
            world_url("cultivation:certificate", "town_slug", "programme_open"),
            {**signed_in(409), "partner": OK},
            "only the partner attended enough sessions",
        )
    ],
    # Another person's certificate: the holder, the town's secretariat and the staff of
    # the holder's area (the partner's is area A); none for who did not complete (404).
    "cultivation:certificate_of": [
        Case(
            world_url("cultivation:certificate_of", "town_slug", "programme_open", "partner_user"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "the partner of area A completed it",
        ),
        Case(
            world_url("cultivation:certificate_of", "town_slug", "programme_open", "trainee_b"),
            only({"secretariat", "administrator"}),
            "a resident of area B completed it: not area A's staff",
        ),
        Case(
            world_url("cultivation:certificate_of", "town_slug", "programme_open", "resident_user"),
            {**only({"area_staff", "secretariat", "administrator"}, ok=404), "resident": 404},
            "the resident of area A attended one session of two",
        ),
    ],
    "cultivation:area_trainees": [
        Case(
            world_url("cultivation:area_trainees", "town_slug", "area_a"),
            only({"area_staff", "secretariat", "administrator"}),
            "area inside the staff member's scope",
        ),
        Case(
            world_url("cultivation:area_trainees", "town_slug", "area_b"),
            only({"secretariat", "administrator"}),
            "area outside the staff member's scope",
        ),
    ],
    # reports (rows go here)
    "reports:dashboard": [
        Case(world_url("reports:dashboard", "town_slug"), everyone(OK), "aggregates only"),
        Case(
            lambda w: reverse("reports:dashboard", args=[w["town_slug"]]) + f"?area={w['area_a']}",
            everyone(OK),
            "one area",
        ),
    ],
    "reports:annual": [
        Case(
            lambda w: reverse("reports:annual", args=[w["town_slug"], 2023]),
            everyone(OK),
            "public, printable",
        )
    ],
    "reports:ledgers": [
        Case(
            world_url("reports:ledgers", "town_slug"),
            only({"area_staff", "secretariat", "administrator"}),
            "area staff get their own areas' rows",
        ),
        Case(
            world_url("reports:ledgers", "other_town_slug"),
            only({"other_secretariat", "administrator"}),
            "another town's ledgers",
        ),
    ],
    # api (rows go here)
    # api: public reads (JSON, no sign-in) and token/session writes (POST/DELETE only)
    **{
        f"api:{name}": [Case(world_url(f"api:{name}", *keys), everyone(OK))]
        for name, keys in {
            "areas": ["town_slug"],
            "processes": ["town_slug"],
            "process": ["town_slug", "plan_a"],
            "proposals": ["town_slug"],
            "proposal": ["town_slug", "proposal_a"],
            "activities": ["town_slug"],
            "meetings": ["town_slug"],
            "meeting": ["town_slug", "meeting_a"],
            "projects": ["town_slug"],
            "project": ["town_slug", "project_a"],
            "articles": ["town_slug"],
        }.items()
    },
    "api:article": [
        Case(world_url("api:article", "town_slug", "news_published_a"), everyone(OK)),
        Case(world_url("api:article", "town_slug", "news_draft_a"), everyone(404), "a draft"),
        Case(
            world_url("api:article", "town_slug", "news_submitted_b"),
            everyone(404),
            "waiting for review",
        ),
    ],
    "api:activity": [
        Case(world_url("api:activity", "town_slug", "activity_a"), everyone(OK)),
        Case(world_url("api:activity", "town_slug", "draft_b"), everyone(404), "a draft"),
    ],
    **{
        f"api:{name}": [Case(world_url(f"api:{name}", *keys), everyone(NO_METHOD), "writes")]
        for name, keys in {
            "apply": ["town_slug"],
            "support": ["town_slug", "proposal_a"],
            "withdraw_support": ["town_slug", "proposal_a"],
            "comment": ["town_slug", "proposal_a"],
            "register": ["town_slug", "activity_a"],
            "check_in": ["town_slug", "activity_a"],
            "answer_survey": ["town_slug", "survey_a"],
        }.items()
    },
    "api:api-root": [Case(lambda w: reverse("api:api-root"), everyone(OK), "JSON index")],
    "api_index": [Case(lambda w: reverse("api_index"), everyone(OK), "JSON index")],
    "api_not_found": [Case(lambda w: "/api/v1/no/such/thing", everyone(404), "JSON 404")],
    "api:openapi-json": [Case(lambda w: reverse("api:openapi-json"), everyone(OK))],
    "api:stats": [
        Case(
            lambda w: reverse("api:stats") + f"?town={w['town_slug']}&year=2023",
            everyone(OK),
            "aggregates only",
        )
    ],
    # api: open data and meeting feeds (public, for other systems and calendar apps)
    "api:opendata_popolo": [
        Case(world_url("api:opendata_popolo", "town_slug"), everyone(OK), "names masked")
    ],
    "api:opendata_meetings": [Case(world_url("api:opendata_meetings", "town_slug"), everyone(OK))],
    "feeds:town_meetings": [Case(world_url("feeds:town_meetings", "town_slug"), everyone(OK))],
    "feeds:area_meetings": [
        Case(world_url("feeds:area_meetings", "town_slug", "area_a"), everyone(OK)),
        Case(
            lambda w: reverse("feeds:area_meetings", args=[w["other_town_slug"], w["area_a"]]),
            everyone(404),
            "an area under another town's address",
        ),
    ],
    "renewal:project_list": [Case(world_url("renewal:project_list", "town_slug"), everyone(OK))],
    **{
        f"renewal:{name}": [
            Case(
                world_url(f"renewal:{name}", "town_slug"),
                only({"area_staff", "secretariat", "administrator"}),
                "area staff start projects and get rows in their own areas",
            ),
            Case(
                world_url(f"renewal:{name}", "other_town_slug"),
                only({"other_secretariat", "administrator"}),
                "the other town's",
            ),
        ]
        for name in ("create_project", "ledger")
    },
    "renewal:project": [
        Case(world_url("renewal:project", "town_slug", "project_a"), everyone(OK)),
        Case(world_url("renewal:project", "town_slug", "project_b"), everyone(OK)),
    ],
    "renewal:manage": [
        Case(
            world_url("renewal:manage", "town_slug", "project_a"),
            only({"partner", "area_staff", "secretariat", "administrator"}),
            "the project's partner (the 'partner' user) and the area's staff",
        ),
        Case(
            world_url("renewal:manage", "town_slug", "project_b"),
            only({"secretariat", "administrator"}),
            "a project of another area",
        ),
    ],
    "renewal:edit_project": [
        Case(
            world_url("renewal:edit_project", "town_slug", "project_a"),
            only({"area_staff", "secretariat", "administrator"}),
        ),
        Case(
            world_url("renewal:edit_project", "town_slug", "project_b"),
            only({"secretariat", "administrator"}),
            "a project of another area",
        ),
    ],
    "renewal:record_milestone": [
        Case(
            world_url("renewal:record_milestone", "town_slug", "project_a", "project_milestone"),
            everyone(NO_METHOD),
            "POST only; staff of the area and the project's partners",
        )
    ],
    **{
        f"renewal:{name}": [
            Case(
                world_url(f"renewal:{name}", "town_slug", "project_a"),
                everyone(NO_METHOD),
                "POST only; staff of the area (photos: also the project's partners; "
                "approvals: the secretariat)",
            )
        ]
        for name in (
            "add_milestone",
            "add_spending",
            "approve_budget",
            "add_photo",
            "start_construction",
            "suspend",
            "resume",
            "complete",
            "start_maintenance",
        )
    },
    "planning:process_list": [Case(world_url("planning:process_list", "town_slug"), everyone(OK))],
    "planning:process": [
        Case(world_url("planning:process", "town_slug", "plan_a"), everyone(OK)),
        Case(
            world_url("planning:process", "town_slug", "draft_plan_b"),
            {**everyone(404), "secretariat": OK, "administrator": OK},
            "a draft process of another area: only those who manage it see it",
        ),
    ],
    "planning:follow": [
        Case(world_url("planning:follow", "town_slug", "plan_a"), signed_in(NO_METHOD))
    ],
    **{
        f"planning:{name}": [
            Case(
                world_url(f"planning:{name}", "town_slug", "plan_a"),
                everyone(NO_METHOD),
                "POST only; staff of the area (return, abandon: the secretariat)",
            )
        ]
        for name in ("advance", "return", "abandon", "take_in")
    },
    **{
        f"planning:{name}": [
            Case(
                world_url(f"planning:{name}", "town_slug"), only({"secretariat", "administrator"})
            ),
            Case(
                world_url(f"planning:{name}", "other_town_slug"),
                only({"other_secretariat", "administrator"}),
                "the other town's",
            ),
        ]
        for name in ("start", "batch")
    },
    "planning:batch_result": [
        Case(
            world_url("planning:batch_result", "town_slug", "plan_batch"),
            only({"secretariat", "administrator"}),
        )
    ],
    **{
        f"planning:{name}": [
            Case(
                world_url(f"planning:{name}", "town_slug"),
                only({"area_staff", "secretariat", "administrator"}),
                "area staff see their own areas' processes",
            ),
            Case(
                world_url(f"planning:{name}", "other_town_slug"),
                only({"other_secretariat", "administrator"}),
                "the other town's board",
            ),
        ]
        for name in ("board", "board_export")
    },
    "planning:template_list": [
        Case(world_url("planning:template_list", "town_slug"), only({"administrator"}))
    ],
    "planning:template_copy": [
        Case(
            world_url("planning:template_copy", "town_slug", "plan_template"),
            everyone(NO_METHOD),
            "POST only; the administrator",
        )
    ],
    "planning:template_step": [
        Case(
            world_url("planning:template_step", "town_slug", "plan_template", "plan_template_step"),
            only({"administrator"}),
        )
    ],
    # paper: the desk, the record pages and the printable forms are for staff of an area
    # of the town (they record for residents of their own areas); the photo of a paper
    # form also for the secretariat
    "paper:desk": [Case(world_url("paper:desk", "town_slug"), only({"area_staff"}))],
    **{
        f"paper:record_{kind}": [
            Case(world_url(f"paper:record_{kind}", "town_slug", key), only({"area_staff"}))
        ]
        for kind, key in {
            "registration": "activity_a",
            "support": "proposal_a",
            "response": "survey_a",
            "comment": "evidence_plan_a",
            "objection": "evidence_plan_a",
            "dot": "evidence_plan_a",
        }.items()
    },
    "paper:survey_form": [
        Case(world_url("paper:survey_form", "town_slug", "survey_a"), only({"area_staff"}))
    ],
    "paper:plan_form": [
        Case(world_url("paper:plan_form", "town_slug", "evidence_plan_a"), only({"area_staff"}))
    ],
    "paper:photo": [
        Case(
            lambda w: reverse(
                "paper:photo", args=[w["town_slug"], "registration", w["paper_registration"]]
            ),
            only({"area_staff", "secretariat", "administrator"}),
        )
    ],
    # Django's admin: its own staff check; every admin URL sits behind the index's.
    "admin:*": [Case(lambda w: reverse("admin:index"), {**everyone(FOUND), "administrator": OK})],
}


def all_url_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns == "admin":
                    names.add("admin:*")
                    continue
                walk(pattern.url_patterns, f"{ns}" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
            elif isinstance(pattern, URLPattern):
                names.add(f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_in_the_matrix():
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - all_url_names()
    assert not stale, f"matrix rows for URLs that no longer exist: {sorted(stale)}"


def build_world(*, town, other_town, area_a, area_b, people) -> dict:
    """Something of every kind a URL can name, in and out of the area staff's area;
    returns the keys the matrix's URLs are made from."""
    from gongzhi.organisations.services import create_team, set_up_organisation
    from gongzhi.partners.services import recommend, request_more_info
    from gongzhi.partners.tests.builders import make_application
    from gongzhi.tests.factories import PartnerFactory

    consent = give_consent(user=people["resident"], kind="age_band")
    secretary = people["secretariat"]
    partner = PartnerFactory(user=people["partner"], area=area_a)
    set_up_organisation(town=town, actor=secretary)
    team_a = create_team(
        town=town, actor=secretary, name="A队", basis="leader", leader=partner, areas=[area_a]
    )
    team_b = create_team(
        town=town, actor=secretary, name="B队", basis="group", group_name="B组", areas=[area_b]
    )
    application = make_application(
        town=town, user=people["resident"], area=area_a, name="李居民", profession="医生"
    )
    request_more_info(application=application, actor=secretary, question="哪天有空？")
    _rec, token = recommend(
        town=town, area=area_a, actor=secretary, name="孙邻居", phone="13711112222", reason="热心"
    )
    from gongzhi.events.services import checkin_token
    from gongzhi.tests.factories import ActivityFactory

    activity_a = ActivityFactory(area=area_a)
    draft_b = ActivityFactory(area=area_b, status="draft")
    from gongzhi.contests.tests.builders import contest_world

    contests = contest_world(town=town, area=area_a, people=people, partner=partner)
    cafe_a = ActivityFactory(area=area_a, kind="world_cafe")
    market_a = ActivityFactory(area=area_a, kind="charity_market")
    # proposals world (keys go here)
    from gongzhi.proposals import services as proposal_services
    from gongzhi.proposals.tests.builders import adopted_proposal, make_proposal

    proposal_a = make_proposal(
        town=town,
        author=people["resident"],
        area=area_a,
        title="加装座椅",
        description="老人需要休息。",
    )
    proposal_b = make_proposal(
        town=town,
        author=people["partner"],
        area=area_b,
        title="垃圾房改造",
        description="异味大。",
        category="environment",
    )
    proposal_comment = proposal_services.add_comment(
        proposal=proposal_a, author=people["partner"], body="同意"
    )
    # cultivation world: an open programme of two sessions (the partner attended both,
    # checked in from the roster), a draft with one session, an activity free to link
    from gongzhi.cultivation.tests.builders import attend_sessions, past_activity
    from gongzhi.cultivation.tests.builders import programme_with_sessions as cultivation

    programme_open = cultivation(town=town, area=area_a, actor=secretary, sessions=2, required=2)
    attend_sessions(programme_open, people["partner"], 2, staff=secretary)
    programme_draft = cultivation(
        town=town, area=area_a, actor=secretary, sessions=1, required=1, status="draft",
        title="草稿培训",
    )  # fmt: skip
    free_activity = past_activity(area=area_a, kind="world_cafe")
    from gongzhi.tests.factories import UserFactory as TraineeFactory

    trainee_b = TraineeFactory(display_name="乙区学员", residential_area=area_b)
    attend_sessions(programme_open, trainee_b, 2, staff=secretary)
    attend_sessions(programme_open, people["resident"], 1, staff=secretary)  # not completed
    # meetings world (keys go here)
    # surveys world (keys go here)
    from gongzhi.surveys.tests.builders import survey_world

    surveys = survey_world(town=town, area_a=area_a, area_b=area_b, actor=secretary)
    # planning evidence world (keys go here)
    from django.utils import timezone as evidence_tz

    from gongzhi.planning import evidence_services as planning_evidence
    from gongzhi.planning import services as planning_services
    from gongzhi.planning.models import PlanningProcess
    from gongzhi.planning.tests.builders import jump_to, pdf, publish_notice

    # One active process per area: the planning world's two are started first and
    # set aside (plan_a completed, draft_plan_b a draft) before the evidence world's.
    plan_a = planning_services.start_process(
        town=town, area=area_a, actor=secretary, title="甲区规划", team=team_a, lead_partner=partner
    )
    PlanningProcess.objects.filter(pk=plan_a.pk).update(status="completed")
    draft_plan_b = planning_services.start_process(
        town=town, area=area_b, actor=secretary, title="乙区草稿"
    )
    PlanningProcess.objects.filter(pk=draft_plan_b.pk).update(status="draft")
    evidence_plan_a = planning_services.start_process(
        town=town, area=area_a, actor=secretary, title="甲区花园更新", lead_partner=partner
    )
    evidence_plan_b = planning_services.start_process(
        town=town, area=area_b, actor=secretary, title="乙区花园更新"
    )
    jump_to(evidence_plan_a, 3)
    evidence_draft = planning_evidence.upload_draft(
        process=evidence_plan_a, actor=secretary, file=pdf(), title="方案一", description="说明"
    )
    jump_to(evidence_plan_a, 11)
    publish_notice(
        process=evidence_plan_a, actor=secretary, draft=evidence_draft, text="甲区花园更新方案公示"
    )
    # planning world (keys go here)
    # renewal world (keys go here)
    # reports world (keys go here)
    # api world (keys go here)
    from gongzhi.renewal import services as renewal_services
    from gongzhi.renewal.tests.builders import make_project
    from gongzhi.tests.factories import SiteFactory

    # Area A's project comes from its completed plan and has the partner on it; area
    # B (whose plan is active) builds an adopted proposal. Both are planned.
    today = evidence_tz.localdate()
    project_details = {"planned_start": today, "planned_end": today}
    project_a = make_project(
        actor=secretary,
        site=SiteFactory(town=town, area=area_a),
        responsible_unit=team_a,
        process=PlanningProcess.objects.get(pk=plan_a.pk),
        partners=[partner],
        title="甲区口袋花园",
        **project_details,
    )
    project_milestone = renewal_services.add_milestone(
        project=project_a, actor=secretary, title="施工", planned_start=today, planned_end=today
    )
    adopted_b = adopted_proposal(
        town=town,
        author=people["resident"],
        area=area_b,
        title="晾衣架",
        description="没有地方晒被子。",
    )
    project_b = make_project(
        actor=secretary,
        site=SiteFactory(town=town, area=area_b),
        responsible_unit=team_b,
        proposal=adopted_b,
        title="便民晾衣架",
        **project_details,
    )
    from gongzhi.tests.factories import AreaFactory

    plan_batch = planning_services.launch_batch(
        town=town,
        actor=secretary,
        title="批次",
        assignments=[(AreaFactory(town=town, name="批次居民区"), team_b)],
    )
    plan_template = planning_services.copy_template(
        template=planning_services.ensure_default_template(), actor=people["administrator"]
    )
    from gongzhi.meetings import services as meeting_services
    from gongzhi.meetings.tests.builders import make_meeting, seconded_motion, sign_in_people
    from gongzhi.proposals.services import submit_proposal

    meeting_a = make_meeting(town=town, area=area_a, actor=secretary, title="甲区自治会议")
    motion_a = seconded_motion(
        meeting_a, secretary, sign_in_people(meeting_a, secretary, ["甲", "乙"])
    )
    meeting_b = make_meeting(town=town, area=area_b, actor=secretary, title="乙区自治会议")
    motion_b = seconded_motion(
        meeting_b, secretary, sign_in_people(meeting_b, secretary, ["丙", "丁"])
    )
    cancelled_meeting_b = make_meeting(town=town, area=area_b, actor=secretary, title="取消的会")
    meeting_services.cancel_meeting(meeting=cancelled_meeting_b, actor=secretary, reason="改期")
    meetings_proposals = [
        submit_proposal(
            town=town,
            author=people["resident"],
            area=area,
            title="加装座椅",
            description="花园缺少座椅",
            category="facilities",
        )
        for area in (area_a, area_b)
    ]
    # news world: the partner also writes news (media work mode)
    from gongzhi.news.services import save_article
    from gongzhi.news.tests.builders import published_article, submitted_article
    from gongzhi.partners.models import PartnerMode

    PartnerMode.objects.create(partner=partner, mode="media")
    writer = people["partner"]
    news_published_a = published_article(town=town, author=writer, reviewer=secretary, area=area_a)
    news_draft_a = save_article(town=town, actor=writer, title="草稿", body="正文", area=area_a)
    news_submitted_a = submitted_article(town=town, author=writer, area=area_a)
    news_submitted_b = submitted_article(town=town, author=writer, area=area_b)
    from gongzhi.venues.tests.builders import venue_world

    from .post_actions import build_action_world

    action_keys = build_action_world(
        town=town, area_a=area_a, area_b=area_b, people=people, partner=partner,
        activity_a=activity_a,
    )  # fmt: skip
    # paper world: a sign-up recorded from paper, with its photo
    from gongzhi.paper.tests.builders import paper_registration

    paper_registration_a = paper_registration(activity_a, people["area_staff"], area_a)
    return {
        **action_keys,
        "paper_registration": paper_registration_a.pk,
        # proposals keys (go here)
        "proposal_a": proposal_a.pk,
        "proposal_b": proposal_b.pk,
        "proposal_comment": proposal_comment.pk,
        "programme_open": programme_open.pk,
        "programme_draft": programme_draft.pk,
        "free_activity": free_activity.pk,
        "trainee_b": trainee_b.pk,
        "partner_user": people["partner"].pk,
        "resident_user": people["resident"].pk,
        # meetings keys (go here)
        # surveys keys (go here)
        **surveys,
        # planning evidence keys (go here)
        "evidence_plan_a": evidence_plan_a.pk,
        "evidence_plan_b": evidence_plan_b.pk,
        "evidence_draft": evidence_draft.pk,
        # planning keys (go here)
        # renewal keys (go here)
        "news_published_a": news_published_a.pk,
        "news_draft_a": news_draft_a.pk,
        "news_submitted_a": news_submitted_a.pk,
        "news_submitted_b": news_submitted_b.pk,
        # reports keys (go here)
        # api keys (go here)
        "project_a": project_a.pk,
        "project_b": project_b.pk,
        "project_milestone": project_milestone.pk,
        "plan_a": plan_a.pk,
        "draft_plan_b": draft_plan_b.pk,
        "plan_batch": plan_batch.pk,
        "plan_template": plan_template.pk,
        "plan_template_step": plan_template.steps.get(order=1).pk,
        "meeting_a": meeting_a.pk,
        "motion_a": motion_a.pk,
        "meeting_b": meeting_b.pk,
        "motion_b": motion_b.pk,
        "cancelled_meeting_b": cancelled_meeting_b.pk,
        "meetings_proposal_a": meetings_proposals[0].pk,
        "meetings_proposal_b": meetings_proposals[1].pk,
        "contest": contests["contest"],
        "draft_contest": contests["draft_contest"],
        "contest_entry": contests["entry"],
        "contest_file": contests["entry_file"],
        "activity_a": activity_a.pk,
        "draft_b": draft_b.pk,
        "cafe_a": cafe_a.pk,
        "market_a": market_a.pk,
        "checkin_token": checkin_token(activity_a),
        "town_slug": town.slug,
        "other_town_slug": other_town.slug,
        "area_a": area_a.pk,
        "area_b": area_b.pk,
        "consent": consent.pk,
        "partner": partner.pk,
        "team_a": team_a.pk,
        "team_b": team_b.pk,
        "membership": team_a.memberships.get().pk,
        "application": application.pk,
        "token": token,
        **venue_world(town=town, area_a=area_a, area_b=area_b, people=people),
    }


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world (towns, areas, people, partners, activities, a contest, proposals,
    meetings, projects…) built once for the whole matrix and rolled back after it
    (``rolled_back_world``); whatever a case's GETs write (the trail, a last-login
    time) goes with the case. Built for each of the two hundred cases, it cost two
    minutes on PostgreSQL."""
    from gongzhi.conftest import AREA_A, AREA_B, OTHER_TOWN, TOWN, make_people
    from gongzhi.core.testing import rolled_back_world
    from gongzhi.tests.factories import AreaFactory, TownFactory

    with rolled_back_world(django_db_blocker, tmp_path_factory.mktemp("media")):
        town, other_town = TownFactory(**TOWN), TownFactory(**OTHER_TOWN)
        area_a, area_b = AreaFactory(town=town, **AREA_A), AreaFactory(town=town, **AREA_B)
        people = make_people(town=town, other_town=other_town, area_a=area_a)
        keys = build_world(
            town=town, other_town=other_town, area_a=area_a, area_b=area_b, people=people
        )
        yield people, keys


@pytest.fixture
def people(world_once, db):
    """The world's people (so ``client_for`` signs in as them), not a second set."""
    return world_once[0]


@pytest.fixture
def world(world_once, db):
    return world_once[1]


# One test per URL case, every role inside it. GET requests change nothing a later
# role would see (at most they append to the trail).
CASES = [
    pytest.param(name, index, id=f"{name}[{index}]")
    for name, cases in MATRIX.items()
    for index in range(len(cases))
]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_permission_matrix(world, client_for, name, index):
    """GET as every role; a role refused the page is refused its form too: the same
    URL sent by POST (a form page's submission, with nothing filled in) is refused
    the same way (or is a 405), and writes nothing."""
    case = MATRIX[name][index]
    url = case.url(world)
    wrong = []
    for role in ROLES:
        expected = case.expect[role]
        client = client_for(role)
        response = client.get(url)
        if expected == LOGIN:
            if not _to_login(response):
                wrong.append(f"{role}: expected the log-in redirect, got {response.status_code}")
        elif response.status_code != expected:
            wrong.append(f"{role}: expected {expected}, got {response.status_code}")
        if expected in (LOGIN, DENIED, 404):
            wrong += _post_refused(client, url, role, expected)
    assert not wrong, f"{url} ({case.note}):\n  " + "\n  ".join(wrong)


def _to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(reverse("account_login"))


def _post_refused(client, url, role, expected) -> list[str]:
    with transaction.atomic():
        before = database_snapshot()
        response = client.post(url, {})
        changes = snapshot_changes(before, database_snapshot())
        transaction.set_rollback(True)
    refused = response.status_code in (expected, NO_METHOD) or (
        expected == LOGIN and _to_login(response)
    )
    wrong = [] if refused else [f"{role}: POST expected {expected}, got {response.status_code}"]
    if changes:
        wrong.append(f"{role}: POST refused, yet it wrote: {', '.join(changes)}")
    return wrong


# --- Actions: every POST-only URL, sent by every role (see post_actions.py) ---------


def test_every_post_only_url_has_actions():
    """A URL whose GET answers 405 for someone is an action: it needs rows in ACTIONS
    (and every ACTIONS row names such a URL)."""
    post_only = {
        name
        for name, cases in MATRIX.items()
        if any(status == NO_METHOD for case in cases for status in case.expect.values())
    }
    assert post_only, "no POST-only URL found: the matrix lost its 405 rows"
    missing = post_only - set(ACTIONS)
    assert not missing, f"POST-only URLs without rows in post_actions.ACTIONS: {sorted(missing)}"
    stale = set(ACTIONS) - post_only
    assert not stale, f"ACTIONS rows for URLs that are not POST-only: {sorted(stale)}"


ACTION_CASES = [
    pytest.param(name, index, id=f"{name}[{index}]")
    for name, actions in ACTIONS.items()
    for index in range(len(actions))
]


def _send(client, action, url, world):
    data = action.data(world)
    if action.json:
        return getattr(client, action.method)(
            url, data=json.dumps(data), content_type="application/json"
        )
    return getattr(client, action.method)(url, data)


def _outcome_errors(role, expected, response, changes) -> list[str]:
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and location.startswith(reverse("account_login"))
    got = f"{status} {location}".strip()
    if expected in REFUSALS:
        wrong = (
            []
            if (to_login if expected == LOGIN else status == expected)
            else [f"{role}: expected {expected}, got {got}"]
        )
        if changes:
            wrong.append(f"{role}: refused, yet it wrote: {', '.join(changes)}")
        return wrong
    if to_login or status in (401, 403, 404) or status >= 500:
        return [f"{role}: expected the action to be {expected}, got {got}"]
    if expected == DONE and (status >= 400 or not changes):
        return [f"{role}: expected the action done, got {got} and {changes or 'no change'}"]
    if expected == KEPT and changes:
        return [f"{role}: expected the action declined, yet it wrote: {', '.join(changes)}"]
    return []


@pytest.mark.parametrize(("name", "index"), ACTION_CASES)
def test_action_matrix(world, client_for, name, index):
    """Each role sends the action in a savepoint rolled back after it, so each finds
    the same world; a refused one must leave every table as it was."""
    action = ACTIONS[name][index]
    url = action.url(world)
    clients = {role: client_for(role) for role in ROLES}  # signing in writes; do it first
    before = database_snapshot()
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            version = pagecache.data_version()
            response = _send(clients[role], action, url, world)
            changes = snapshot_changes(before, database_snapshot())
            refreshed = pagecache.data_version() != version
            transaction.set_rollback(True)
        wrong += _outcome_errors(role, action.expect[role], response, changes)
        # Whatever it wrote, visitors' next read shows it (core/pagecache.py).
        seen = [c for c in changes if c.split(":")[0] not in pagecache.UNWATCHED_TABLES]
        if seen and not refreshed:
            wrong.append(f"{role}: wrote {', '.join(seen)}, yet visitors' pages were kept")
    assert not wrong, f"POST {url} ({action.note}):\n  " + "\n  ".join(wrong)
