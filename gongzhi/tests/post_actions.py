"""The permission matrix's actions: every URL that only accepts POST (or DELETE), tried
by every role with the data its form sends.

A GET to such a URL only says 405, so ``test_permission_matrix`` cannot tell who may
act. Here each action is sent by each role in turn, in a savepoint rolled back after
it, and its outcome is one of:

- ``DONE``: the action was carried out (a success status and rows changed);
- ``REACHED``: the role got past the permission check (a success status, or the
  action's own 400/409 for a state or an input the world does not satisfy);
- ``KEPT``: past the permission check, but the action's own rule declined it and
  nothing was written (a sign-up for a draft, reporting one's own comment);
- a refusal (403, 404, 401, or the log-in redirect): and then a snapshot of the whole
  database before and after shows that nothing was written.

``test_every_post_only_url_has_actions`` fails for a URL whose GET answers 405 and has
no row here: whoever adds an action decides here who may take it. Area-scoped actions
have a row on an object in the area staff member's area and one on an object in
another area; ``other_secretariat`` is the secretariat of another town.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from gongzhi.conftest import ROLES

DONE, REACHED, KEPT = "done", "reached", "kept"
DENIED, NOT_FOUND, UNAUTHORISED, LOGIN = 403, 404, 401, "login"
REFUSALS = {DENIED, NOT_FOUND, UNAUTHORISED, LOGIN}


@dataclass
class Action:
    url: Callable[[dict], str]
    expect: dict[str, object]
    data: Callable[[dict], dict] = field(default=lambda w: {})
    method: str = "post"
    json: bool = False  # the API: a JSON body, and 401 (not the log-in page) when anonymous
    note: str = ""


def url(name, *keys, extra=()):
    """A URL from the world's keys; ``extra`` are keys appended after them."""
    return lambda w: reverse(name, args=[w[k] for k in (*keys, *extra)])


def by(allowed: set[str], outcome=DONE, *, others=DENIED, anonymous=LOGIN):
    """``allowed`` roles get ``outcome``; the others are refused."""
    return {
        role: anonymous if role == "anonymous" else outcome if role in allowed else others
        for role in ROLES
    }


def signed_in(outcome=DONE, *, anonymous=LOGIN):
    return {**dict.fromkeys(ROLES, outcome), "anonymous": anonymous}


AREA_MANAGERS = {"area_staff", "secretariat", "administrator"}
TOWN_MANAGERS = {"secretariat", "administrator"}
EVERY_SIGNED_IN = set(ROLES) - {"anonymous"}


def managed(name, key_a, key_b, *, extra_a=(), extra_b=(), data=None, outcome=DONE, note=""):
    """An area-scoped staff action: on an object of area A (the area staff's) and on
    one of area B (not theirs)."""
    data = data or (lambda w: {})
    return [
        Action(url(name, "town_slug", key_a, extra=extra_a), by(AREA_MANAGERS, outcome), data,
               note=note or "area A: the area staff's"),
        Action(url(name, "town_slug", key_b, extra=extra_b), by(TOWN_MANAGERS, outcome), data,
               note=note or "area B: not the area staff's"),
    ]  # fmt: skip


def cafe_setup_data(w):
    return {
        "setup-question_1": "社区最需要什么？",
        "setup-question_2": "我们能做什么？",
        "setup-question_3": "从哪里开始？",
        "setup-minutes": "20",
        "setup-tables": "3",
    }


def note_data(key):
    return lambda w: {
        "note-table": w[f"{key}_table"],
        "note-round": w[f"{key}_round"],
        "note-text": "桌长记录：增加座椅。",
    }


def stall_data(w):
    return {
        "stall-partner": w["second_partner"],
        "stall-offer": "理发",
        "stall-offer_kind": "service",
    }


def raised_data(key):
    return lambda w: {f"raised-{w[key]}-raised_amount": "120.50"}


def reason(prefix=""):
    return lambda w: {f"{prefix}reason": "内容不当。"}


def _today():
    """Dates in the data are worked out when a case runs, not at import."""
    from django.utils import timezone

    return timezone.localdate().isoformat()


RENEWAL_DATA = {
    "add_milestone": lambda w: {
        "milestone-title": "材料进场",
        "milestone-planned_start": _today(),
        "milestone-planned_end": _today(),
    },
    "add_spending": lambda w: {
        "spending-amount": "100",
        "spending-spent_on": _today(),
        "spending-item": "材料费",
    },
    "approve_budget": lambda w: {
        "approval-amount": "500",
        "approval-reason": "追加座椅",
        "approval-authority": "镇党委会议",
    },
    "start_construction": lambda w: {"start-on": _today()},
    "suspend": lambda w: {"suspend-on": _today(), "suspend-reason": "雨季停工"},
    "resume": lambda w: {"resume-on": _today()},
    "complete": lambda w: {"complete-on": _today(), "complete-result": "建成"},
    "start_maintenance": lambda w: {
        "maintenance-on": _today(),
        "maintenance-maintained_by": "物业",
    },
    "add_photo": lambda w: {"photo-phase": "before", "photo-content": "现状"},
}
# Who may act on a project (its origin in area A or B): staff of its area, the
# secretariat; photos and milestone dates also the project's partners (area A's
# project has the partner on it); approvals beyond the budget only the secretariat.
RENEWAL_WHO = {
    "approve_budget": (TOWN_MANAGERS, TOWN_MANAGERS),
    "add_photo": (AREA_MANAGERS | {"partner"}, TOWN_MANAGERS),
}


def renewal_rows(name):
    who_a, who_b = RENEWAL_WHO.get(name, (AREA_MANAGERS, TOWN_MANAGERS))
    data = RENEWAL_DATA[name]
    # Not every action fits a planned project (start_maintenance needs a completed
    # one, complete needs photos): past the permission check they answer 409.
    return [
        Action(url(f"renewal:{name}", "town_slug", "project_a"), by(who_a, REACHED), data,
               note="area A's project"),
        Action(url(f"renewal:{name}", "town_slug", "project_b"), by(who_b, REACHED), data,
               note="area B's project"),
    ]  # fmt: skip


# The forms of a meeting's manage page and of its motion page, each posted to its own
# URL: staff of the meeting's area and the secretariat. Past the permission check the
# world's meeting (scheduled, its motion seconded) may refuse with 400 or 409.
MEETING_DATA = {
    "add_agenda_item": lambda w: {"title": "停车管理"},
    "invite": lambda w: {"name": "赵受邀", "party": "resident"},
    "sign_in_attendee": lambda w: {"attendee": "0"},
    "walk_in": lambda w: {"name": "钱临时", "party": "resident"},
    "record_party": lambda w: {"party": "owners_committee", "present": "1"},
    "move_motion": lambda w: {"text": "增设晾衣架"},
    "save_minutes": lambda w: {"body": "纪要"},
    "approve_minutes": lambda w: {},
    "add_action_item": lambda w: {"title": "联系物业", "owner_name": "物业", "due_on": _today()},
    "set_action_status": lambda w: {"status": "done"},
    "cancel_meeting": lambda w: {"reason": "下雨"},
}
MOTION_DATA = {
    "second_motion": lambda w: {},
    "withdraw_motion": lambda w: {},
    "record_speech": lambda w: {"stance": "for", "seconds": "60"},
    "cast_votes": lambda w: {},
    "record_counts": lambda w: {"yes": "1", "no": "0", "abstain": "0"},
    "record_owners_count": lambda w: {},
    "decide_motion": lambda w: {"declared": "passed"},
}
# The step page's actions (``planning:step_<name>``) and who may take them on area A's
# plan: its lead partner (the 'partner' user) gathers evidence with the area's staff;
# the official acts are the staff's alone. Sent empty, each is a 400 (an invalid form)
# or a 409 (not offered at the plan's step, the public notice) for whoever may.
PLANNING_CONTRIBUTORS = AREA_MANAGERS | {"partner"}
PLANNING_STEP_ACTIONS = {
    "survey": PLANNING_CONTRIBUTORS,
    "need": PLANNING_CONTRIBUTORS,
    "remove_need": PLANNING_CONTRIBUTORS,
    "photo": PLANNING_CONTRIBUTORS,
    "interview": PLANNING_CONTRIBUTORS,
    "draft": PLANNING_CONTRIBUTORS,
    "activity": PLANNING_CONTRIBUTORS,
    "meeting": PLANNING_CONTRIBUTORS,
    "decision": AREA_MANAGERS,
    "consultation": AREA_MANAGERS,
    "notice": AREA_MANAGERS,
    "result": AREA_MANAGERS,
}


ACTIONS: dict[str, list[Action]] = {
    # core and accounts
    "set_language": [
        Action(url("set_language"), {**dict.fromkeys(ROLES, REACHED)}, lambda w: {"language": "en"})
    ],
    # 长辈版: anyone may switch; a visitor's choice is a cookie, a person's the account.
    "set_mode": [
        Action(url("set_mode"), dict.fromkeys(ROLES, REACHED), lambda w: {"mode": "elder"})
    ],
    # Which notifications come by SMS too: anyone signed in, for themself.
    "sms_choices": [
        Action(url("sms_choices"), signed_in(DONE), lambda w: {"kind": ["events.reminder"]})
    ],
    # Delivery reports: only the provider, at the address with the secret token.
    "sms_receipts": [
        Action(
            lambda w: reverse("sms_receipts", args=["console", "guessed"]),
            dict.fromkeys(ROLES, DENIED),
            note="a forged receipt",
        )
    ],
    "accounts:withdraw_consent": [
        Action(
            url("accounts:withdraw_consent", "consent"),
            {**by({"resident"}, DONE, others=NOT_FOUND)},
            note="the resident's own consent: nobody else's to withdraw",
        )
    ],
    # organisations
    # A team's members are managed by the secretariat and the staff of the team's area.
    "organisations:add_member": [
        Action(
            url("organisations:add_member", "town_slug", "team_a"),
            by(AREA_MANAGERS),
            lambda w: {"partner": w["second_partner"], "role": "member"},
            note="area A's team",
        ),
        Action(
            url("organisations:add_member", "town_slug", "team_b"),
            by(TOWN_MANAGERS),
            lambda w: {"partner": w["second_partner"], "role": "member"},
            note="area B's team",
        ),
    ],
    "organisations:end_membership": [
        Action(
            url("organisations:end_membership", "town_slug", "membership"),
            by(AREA_MANAGERS),
            note="a member of area A's team",
        ),
        Action(
            url("organisations:end_membership", "town_slug", "membership_b"),
            by(TOWN_MANAGERS),
            note="a member of area B's team",
        ),
    ],
    # venues: the keeper or those who book directly decide a request; its requester
    # (the partner) may cancel it too
    **{
        name: [
            Action(
                url(name, "town_slug", "venue_request_a"),
                by(AREA_MANAGERS | extra),
                data("venue_request_a"),
                note="a request for area A's venue",
            ),
            Action(
                url(name, "town_slug", "venue_request_b"),
                by(TOWN_MANAGERS | extra),
                data("venue_request_b"),
                note="a request for area B's venue",
            ),
        ]
        for name, extra, data in (
            ("venues:confirm_booking", set(), lambda key: lambda w: {}),
            (
                "venues:decline_booking",
                set(),
                lambda key: lambda w: {f"decline-{w[key]}-reason": "当天检修"},
            ),
            ("venues:cancel_booking", {"partner"}, lambda key: lambda w: {}),
        )
    },  # fmt: skip
    # venues: taking a venue out of use (its area's staff, the town's secretariat)
    "venues:retire_venue": managed("venues:retire_venue", "venue_a", "venue_b"),
    # events: sign-up
    "events:register": [
        Action(url("events:register", "town_slug", "activity_a"), signed_in(DONE)),
        Action(
            url("events:register", "town_slug", "draft_b"),
            signed_in(KEPT),
            note="a draft: nobody can sign up for it",
        ),
    ],
    "events:cancel_registration": [
        Action(
            url("events:cancel_registration", "town_slug", "registered_a"),
            by({"resident"}, DONE, others=NOT_FOUND),
            note="only the resident is signed up",
        )
    ],
    "events:publish": managed("events:publish", "publishable_a", "publishable_b"),
    "events:cancel_activity": managed(
        "events:cancel_activity",
        "publishable_a",
        "publishable_b",
        data=lambda w: {"reason": "天气预报有大雨，改期另行通知。"},
    ),
    # events: the roster's actions, on an activity of each area with a sign-up and an
    # attendance (past the permission check, the check-in window may refuse: a message
    # and no change)
    **{
        f"events:roster_{name}": [
            Action(
                url(f"events:roster_{name}", "town_slug", "roster_a"),
                by(AREA_MANAGERS, REACHED),
                lambda w, field=field: {field: w[f"{field}_a"]},
                note="area A: the area staff's",
            ),
            Action(
                url(f"events:roster_{name}", "town_slug", "roster_b"),
                by(TOWN_MANAGERS, REACHED),
                lambda w, field=field: {field: w[f"{field}_b"]},
                note="area B: not the area staff's",
            ),
        ]
        for name, field in (("check_in", "registration"), ("check_out", "attendance"))
    },
    "events:roster_walk_ins": managed(
        "events:roster_walk_ins", "roster_a", "roster_b", data=lambda w: {"count": "12"}
    ),
    "events:add_partner": managed(
        "events:add_partner",
        "activity_a",
        "activity_b",
        data=lambda w: {"partner": w["second_partner"], "role": "speaker"},
    ),
    "events:remove_partner": [
        Action(
            url("events:remove_partner", "town_slug", "activity_a", extra=["involved_a"]),
            by(AREA_MANAGERS),
        ),
        Action(
            url("events:remove_partner", "town_slug", "activity_b", extra=["involved_b"]),
            by(TOWN_MANAGERS),
        ),
    ],
    # events: World Café and charity market
    "events:cafe_setup": managed(
        "events:cafe_setup", "new_cafe_a", "new_cafe_b", data=cafe_setup_data
    ),
    "events:cafe_host": [
        Action(
            url("events:cafe_host", "town_slug", "set_cafe_a", extra=["set_cafe_a_table"]),
            by(AREA_MANAGERS),
            lambda w: {f"host-{w['set_cafe_a_table']}-partner": w["partner"]},
        ),
        Action(
            url("events:cafe_host", "town_slug", "set_cafe_b", extra=["set_cafe_b_table"]),
            by(TOWN_MANAGERS),
            lambda w: {f"host-{w['set_cafe_b_table']}-partner": w["partner"]},
        ),
    ],
    "events:cafe_note": [
        Action(
            url("events:cafe_note", "town_slug", "set_cafe_a"),
            by(AREA_MANAGERS),
            note_data("set_cafe_a"),
        ),
        Action(
            url("events:cafe_note", "town_slug", "set_cafe_b"),
            by(TOWN_MANAGERS),
            note_data("set_cafe_b"),
        ),
    ],
    "events:cafe_theme": managed(
        "events:cafe_theme",
        "set_cafe_a",
        "set_cafe_b",
        data=lambda w: {"theme-title": "增加休憩设施"},
    ),
    "events:market_stall": managed(
        "events:market_stall", "stall_market_a", "stall_market_b", data=stall_data
    ),
    "events:market_raised": [
        Action(
            url("events:market_raised", "town_slug", "stall_market_a", extra=["stall_a"]),
            by(AREA_MANAGERS),
            raised_data("stall_a"),
        ),
        Action(
            url("events:market_raised", "town_slug", "stall_market_b", extra=["stall_b"]),
            by(TOWN_MANAGERS),
            raised_data("stall_b"),
        ),
    ],
    # events: volunteer hours
    "events:claim_hours": [
        Action(
            url("events:claim_hours", "town_slug", "registered_a"),
            {**signed_in(REACHED), "resident": DONE},
            lambda w: {"minutes": "30", "reason": "会后整理场地"},
            note="the resident attended; the others are told only attendees may ask",
        )
    ],
    "events:decide_hours": [
        Action(
            url("events:decide_hours", "town_slug", "registered_a", extra=["claim_a"]),
            by(AREA_MANAGERS),
            lambda w: {"approve": "1"},
        ),
        Action(
            url("events:decide_hours", "town_slug", "activity_b", extra=["claim_b"]),
            by(TOWN_MANAGERS),
            lambda w: {"approve": "1"},
        ),
    ],
    # contests
    "contests:vote": [
        Action(
            url("contests:vote", "town_slug", "contest", "contest_entry"),
            signed_in(REACHED),
            note="the public vote is not open yet: everyone signed in is told so",
        )
    ],
    # contests: the manage page's forms, for the town's secretariat. The draft call has
    # no site (opening it is refused: 409); the open contest is in its early review with
    # one entry, which goes on; awards come after the final (409).
    "contests:add_criterion": [
        Action(
            url("contests:add_criterion", "town_slug", "draft_contest"),
            by(TOWN_MANAGERS),
            lambda w: {"name": "创意", "max_points": "50"},
        )
    ],
    "contests:open_call": [
        Action(url("contests:open_call", "town_slug", "draft_contest"), by(TOWN_MANAGERS, REACHED))
    ],
    "contests:appoint_judge": [
        Action(
            url("contests:appoint_judge", "town_slug", "contest"),
            by(TOWN_MANAGERS),
            lambda w: {"partner": w["second_partner"], "stages": ["midterm"]},
        )
    ],
    "contests:advance_stage": [
        Action(
            url("contests:advance_stage", "town_slug", "contest"),
            by(TOWN_MANAGERS),
            lambda w: {"keep": [w["contest_entry"]]},
        )
    ],
    "contests:award": [
        Action(url("contests:award", "town_slug", "contest"), by(TOWN_MANAGERS, REACHED))
    ],
    # partners: the review page's decisions, on an application waiting for more
    # information (the other town's secretariat may not review this town's)
    **{
        f"partners:{name}": [
            Action(url(f"partners:{name}", "town_slug", "application"), by(TOWN_MANAGERS), data)
        ]
        for name, data in {
            "accept_application": lambda w: {"primary_mode": "media"},
            "decline_application": lambda w: {"reason": "名额已满"},
            "ask_applicant": lambda w: {"question": "哪天有空？"},
        }.items()
    },
    # proposals
    "proposals:support": [
        Action(
            url("proposals:support", "town_slug", "proposal_a"),
            {**signed_in(DONE), "resident": REACHED},
            note="the resident wrote it and cannot support their own proposal",
        )
    ],
    "proposals:withdraw": [
        Action(
            url("proposals:withdraw", "town_slug", "proposal_b"),
            {**signed_in(REACHED), "resident": DONE},
            note="the resident supports area B's proposal",
        )
    ],
    "proposals:comment": [
        Action(
            url("proposals:comment", "town_slug", "proposal_a"),
            signed_in(DONE),
            lambda w: {"body": "同意，建议加遮阳棚。"},
        )
    ],
    "proposals:report_comment": [
        Action(
            url("proposals:report_comment", "town_slug", "proposal_a", "proposal_comment"),
            {**signed_in(DONE), "partner": KEPT, "resident": KEPT},
            reason(),
            note="the partner wrote the comment, the resident reported it already",
        )
    ],
    "proposals:hide_comment": managed(
        "proposals:hide_comment",
        "proposal_a",
        "proposal_b",
        extra_a=["proposal_comment"],
        extra_b=["proposal_b_comment"],
        data=reason(),
    ),
    "proposals:dismiss_reports": managed(
        "proposals:dismiss_reports",
        "proposal_a",
        "proposal_b",
        extra_a=["proposal_comment"],
        extra_b=["proposal_b_comment"],
    ),
    # The staff's decisions; the world's proposals are submitted: merging needs a
    # proposal to merge into (sent empty: a 400) and implementing an adopted one (409).
    "proposals:start_review": managed("proposals:start_review", "proposal_a", "proposal_b"),
    "proposals:merge": managed("proposals:merge", "proposal_a", "proposal_b", outcome=REACHED),
    "proposals:decline": managed(
        "proposals:decline",
        "proposal_a",
        "proposal_b",
        data=lambda w: {"decline-reason": "不在居委会职责范围内。"},
    ),
    "proposals:mark_implemented": managed(
        "proposals:mark_implemented", "proposal_a", "proposal_b", outcome=REACHED
    ),
    # surveys: the builder's forms, on a draft of each area (moving its first question
    # up leaves it where it is: reached, nothing to do); closing area A's open survey,
    # and area B's draft, which is not open (409)
    "surveys:add_question": managed(
        "surveys:add_question",
        "draft_survey_a",
        "draft_survey_b",
        data=lambda w: {"kind": "text", "text": "还有什么建议？"},
    ),
    **{
        f"surveys:{name}": [
            Action(
                url(f"surveys:{name}", "town_slug", f"draft_survey_{suffix}"),
                by(who, outcome),
                lambda w, suffix=suffix: {"question": w[f"question_{suffix}"]},
                note=note,
            )
            for suffix, who, note in (
                ("a", AREA_MANAGERS, "area A: the area staff's"),
                ("b", TOWN_MANAGERS, "area B: not the area staff's"),
            )
        ]
        for name, outcome in (
            ("move_question_up", REACHED),
            ("move_question_down", DONE),
            ("remove_question", DONE),
        )
    },
    "surveys:open_survey": managed("surveys:open_survey", "draft_survey_a", "draft_survey_b"),
    "surveys:close_survey": [
        Action(
            url("surveys:close_survey", "town_slug", "survey_a"),
            by(AREA_MANAGERS),
            note="area A's open survey",
        ),
        Action(
            url("surveys:close_survey", "town_slug", "draft_survey_b"),
            by(TOWN_MANAGERS, REACHED),
            note="area B's draft: not open yet",
        ),
    ],  # fmt: skip
    # meetings
    "meetings:sign_in": [
        Action(
            url("meetings:sign_in", "town_slug", "meeting_a"),
            signed_in(REACHED),
            note="nobody is invited in the world: each is told so",
        )
    ],
    **{
        f"meetings:{name}": managed(
            f"meetings:{name}", "meeting_a", "meeting_b", data=data, outcome=REACHED
        )
        for name, data in MEETING_DATA.items()
    },
    **{
        f"meetings:{name}": managed(
            f"meetings:{name}",
            "meeting_a",
            "meeting_b",
            extra_a=["motion_a"],
            extra_b=["motion_b"],
            data=data,
            outcome=REACHED,
        )
        for name, data in MOTION_DATA.items()
    },
    # news: the author submits; the article's area staff or the secretariat publish or
    # return it (area B's is not the area staff's)
    "news:submit": [
        Action(
            url("news:submit", "town_slug", "news_draft_a"),
            by({"partner", "administrator"}),
            note="the author (the administrator holds every permission)",
        ),
    ],
    **{
        f"news:{name}": managed(
            f"news:{name}",
            "news_submitted_a",
            "news_submitted_b",
            data=lambda w: {"reason": "请补充居民的话"},
        )
        for name in ("publish", "return")
    },
    # cultivation: the secretariat links a session, opens the draft, closes the open one
    "cultivation:add_session": [
        Action(
            url("cultivation:add_session", "town_slug", "programme_draft"),
            by(TOWN_MANAGERS),
            lambda w: {"session-activity": w["free_activity"]},
        )
    ],
    "cultivation:open_programme": [
        Action(url("cultivation:open_programme", "town_slug", "programme_draft"), by(TOWN_MANAGERS))
    ],
    "cultivation:close_programme": [
        Action(url("cultivation:close_programme", "town_slug", "programme_open"), by(TOWN_MANAGERS))
    ],
    # renewal
    **{f"renewal:{name}": renewal_rows(name) for name in RENEWAL_DATA},
    "renewal:record_milestone": [
        Action(
            url("renewal:record_milestone", "town_slug", "project_a", "project_milestone"),
            by(AREA_MANAGERS | {"partner"}, REACHED),
            lambda w: {f"progress-{w['project_milestone']}-actual_start": _today()},
            note="staff of the area and the project's partners",
        )
    ],
    # planning
    "planning:follow": [Action(url("planning:follow", "town_slug", "plan_a"), signed_in(DONE))],
    **{
        f"planning:{name}": [
            Action(
                url(f"planning:{name}", "town_slug", "evidence_plan_a"),
                by(AREA_MANAGERS if name in ("advance", "take_in") else TOWN_MANAGERS, REACHED),
                data,
                note="area A's active plan",
            ),
            Action(
                url(f"planning:{name}", "town_slug", "evidence_plan_b"),
                by(TOWN_MANAGERS, REACHED),
                data,
                note="area B's active plan",
            ),
        ]
        for name, data in {
            "advance": lambda w: {},
            "return": lambda w: {"to_order": "1", "reason": "调研不充分"},
            "abandon": lambda w: {"reason": "居民区合并"},
            "take_in": lambda w: {"proposal": w["meetings_proposal_a"]},
        }.items()
    },
    "planning:template_copy": [
        Action(
            url("planning:template_copy", "town_slug", "plan_template"),
            by({"administrator"}, REACHED),
        )
    ],
    # planning evidence: the step page's forms, each on a plan of area A and of area B
    **{
        f"planning:step_{name}": [
            Action(
                url(f"planning:step_{name}", "town_slug", "evidence_plan_a"),
                by(allowed, REACHED),
                note="area A's plan: its lead partner and the area's staff",
            ),
            Action(
                url(f"planning:step_{name}", "town_slug", "evidence_plan_b"),
                by(TOWN_MANAGERS, REACHED),
                note="area B's plan",
            ),
        ]
        for name, allowed in PLANNING_STEP_ACTIONS.items()
    },
    # residents' part: a dot vote outside its step and a closed consultation are 409,
    # an empty comment or objection 400; replies are the staff's (an unknown one, 409)
    **{
        f"planning:{name}": [
            Action(
                url(f"planning:{name}", "town_slug", "evidence_plan_a", extra=extra),
                signed_in(REACHED),
            )
        ]
        for name, extra in {
            "draft_vote": ["evidence_draft"],
            "draft_comment": ["evidence_draft"],
            "consultation_comment": [],
            "notice_object": [],
        }.items()
    },
    **{
        f"planning:{name}": [
            Action(
                url(f"planning:{name}", "town_slug", "evidence_plan_a"),
                by(AREA_MANAGERS, REACHED),
            )
        ]
        for name in ("consultation_reply", "notice_reply")
    },
    # API writes: the signed-in browser's session (or a token); anonymous is a 401
    **{
        f"api:{name}": [
            Action(
                url(f"api:{name}", *keys),
                signed_in(REACHED, anonymous=UNAUTHORISED),
                body,
                method=method,
                json=True,
            )
        ]
        for name, (keys, method, body) in {
            "apply": (["town_slug"], "post", lambda w: {}),
            "support": (["town_slug", "proposal_a"], "post", lambda w: {}),
            "withdraw_support": (["town_slug", "proposal_b"], "delete", lambda w: {}),
            "comment": (["town_slug", "proposal_a"], "post", lambda w: {"body": "赞成"}),
            "register": (["town_slug", "activity_a"], "post", lambda w: {}),
            "check_in": (["town_slug", "activity_a"], "post", lambda w: {}),
            "answer_survey": (["town_slug", "survey_a"], "post", lambda w: {"answers": {}}),
        }.items()
    },  # fmt: skip
}


def build_action_world(*, town, area_a, area_b, people, partner, activity_a) -> dict:
    """What the actions act on beyond the GET matrix's world: drafts to publish, cafés
    to set up and set up already, markets with stalls, an attended activity with an
    hours claim, partners on activities, a comment in area B."""
    from gongzhi.events import formats
    from gongzhi.events.models import Attendance, HoursClaim
    from gongzhi.events.services import register
    from gongzhi.organisations.models import OrgUnit
    from gongzhi.organisations.services import add_member
    from gongzhi.proposals.models import Comment as ProposalComment
    from gongzhi.proposals.models import Proposal
    from gongzhi.proposals.services import add_comment, report_comment, support_proposal
    from gongzhi.tests.factories import ActivityFactory, PartnerFactory

    secretary = people["secretariat"]
    keys = {}
    for suffix, area in (("a", area_a), ("b", area_b)):
        keys[f"publishable_{suffix}"] = ActivityFactory(area=area, status="draft").pk
        activity = activity_a if suffix == "a" else ActivityFactory(area=area)
        keys[f"activity_{suffix}"] = activity.pk
        keys[f"involved_{suffix}"] = formats.add_activity_partner(
            activity=activity, partner=partner, role="host", actor=secretary
        ).pk
        keys[f"new_cafe_{suffix}"] = ActivityFactory(area=area, kind="world_cafe").pk
        cafe = formats.set_up_world_cafe(
            activity=ActivityFactory(area=area, kind="world_cafe"),
            actor=secretary,
            questions=["问题一", "问题二", "问题三"],
            tables=2,
        )
        keys[f"set_cafe_{suffix}"] = cafe.activity_id
        keys[f"set_cafe_{suffix}_table"] = cafe.tables.order_by("pk").first().pk
        keys[f"set_cafe_{suffix}_round"] = cafe.rounds.order_by("pk").first().pk
        market = ActivityFactory(area=area, kind="charity_market")
        keys[f"stall_market_{suffix}"] = market.pk
        keys[f"stall_{suffix}"] = formats.add_market_stall(
            activity=market, actor=secretary, partner=partner, offer="义剪", offer_kind="service"
        ).pk
    # The roster's actions: an activity of each area with the resident signed up and
    # the partner checked in.
    for suffix, area in (("a", area_a), ("b", area_b)):
        roster = ActivityFactory(area=area)
        keys[f"roster_{suffix}"] = roster.pk
        keys[f"registration_{suffix}"] = register(activity=roster, user=people["resident"]).pk
        keys[f"attendance_{suffix}"] = Attendance.objects.create(
            activity=roster, user=people["partner"], method="code", checked_in_at=roster.starts_at
        ).pk
    # The resident signed up for and attended a past activity of area A and asks for
    # hours; so did someone at area B's activity.
    attended = ActivityFactory(area=area_a)
    register(activity=attended, user=people["resident"])
    Attendance.objects.create(
        activity=attended, user=people["resident"], method="code", checked_in_at=attended.starts_at
    )
    keys["registered_a"] = attended.pk
    keys["claim_a"] = HoursClaim.objects.create(
        activity=attended, user=people["partner"], minutes=30, reason="布置场地"
    ).pk
    keys["claim_b"] = HoursClaim.objects.create(
        activity_id=keys["activity_b"], user=people["partner"], minutes=30, reason="布置场地"
    ).pk
    keys["second_partner"] = PartnerFactory(area=area_a).pk
    team_b = OrgUnit.objects.get(town=town, name="B队")
    keys["membership_b"] = add_member(
        unit=team_b, partner=partner, role="member", actor=secretary
    ).pk
    report_comment(
        comment=ProposalComment.objects.get(proposal__area=area_a, author=people["partner"]),
        reporter=people["resident"],
        reason="广告",
    )
    proposal_b = Proposal.objects.filter(area=area_b, title="垃圾房改造").get()
    support_proposal(proposal=proposal_b, user=people["resident"])
    comment_b = add_comment(proposal=proposal_b, author=people["resident"], body="支持")
    report_comment(comment=comment_b, reporter=people["area_staff"], reason="广告")
    keys["proposal_b_comment"] = comment_b.pk
    return keys
