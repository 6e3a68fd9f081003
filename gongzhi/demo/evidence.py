"""A planning step's evidence written directly with the models: the demo's history
and the tests share it.

``give_evidence(run)`` writes exactly what ``gongzhi/planning/evidence.py`` asks of the
run's step kind, with the amounts of its template step (min_count, min_days);
``give_evidence(run, without=item)`` leaves one item out (the names per kind are
``MISSABLE``; the tests use it, with ``take_away`` in ``gongzhi/planning/tests/builders.py``).
The demo (``gongzhi/demo/planning.py``) writes its plans' evidence with it and realistic
texts. It lives in the demo app, not in planning, because it bypasses the services
(no checks, no audit): nothing in production may write evidence this way.

Files are small ContentFile bytes: use a temporary MEDIA_ROOT in tests (see the
``_media_in_tmp`` fixtures of the planning tests).
"""

import hashlib
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from gongzhi.planning.calendar import last_day
from gongzhi.planning.models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Interview,
    IntervieweeCategory,
    JointDecision,
    MeetingLink,
    Need,
    Objection,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)

# What give_evidence(run, without=...) / take_away(run, ...) can leave out, per kind;
# each leaves exactly one line in evidence.missing(run).
MISSABLE = {
    StepKind.SURVEY: ["survey", "responses", "site_photo", "needs"],
    StepKind.INTERVIEWS: ["interviews"],
    StepKind.DRAFTS: ["distinct"],
    StepKind.PARTICIPATORY_DESIGN: ["activity", "held", "inputs"],
    StepKind.ADJUSTMENT: ["change_note", "answers"],
    StepKind.JOINT_MEETING: ["meeting", "parties", "minutes", "motion", "approve"],
    StepKind.OPTIMISATION: ["change_note"],
    StepKind.CONSULTATION: ["consultation", "length", "closed", "replies"],
    StepKind.REVISION: ["change_note", "answers"],
    StepKind.PUBLIC_NOTICE: [
        "notice",
        "period",
        "ended",
        "online",
        "board_photo",
        "objection_reply",
        "result",
    ],
}

# A 1×1 PNG: enough for an ImageField (nothing reads it back in tests).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db40000000049454e44ae426082"
)

_phones = itertools.count(1)


# --- People ------------------------------------------------------------------------


def make_people(count: int, *, area=None, prefix: str = "166") -> list:
    """``count`` residents made in one query (one shared unusable password)."""
    User = get_user_model()
    users = []
    for _ in range(count):
        n = next(_phones)
        users.append(
            User(
                phone=f"{prefix}{n:08d}",
                display_name=f"居民{n}",
                residential_area=area,
                password="!",
            )
        )
    # Phones stay unique even if the counter restarts against a kept database.
    taken = set(
        User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", flat=True)
    )
    if taken:
        for user in users:
            while user.phone in taken:
                user.phone = f"{prefix}{next(_phones):08d}"
    return User.objects.bulk_create(users)


def _people(run, count, people):
    if people is not None and len(people) >= count:
        return list(people)[:count]
    have = list(people or [])
    return have + make_people(count - len(have), area=run.process.area)


# --- Drafts ------------------------------------------------------------------------


def make_draft(run, *, actor, title="", description="", change_note="", body=None, **fields):
    """A new draft version of the run's process (the next version number), its file a
    few distinct bytes (so its digest differs from every other draft's)."""
    process = run.process
    version = (
        DesignDraft.objects.filter(process=process)
        .order_by("-version")
        .values_list("version", flat=True)[:1]
    )
    version = (version[0] if version else 0) + 1
    data = body if body is not None else f"%PDF-1.4 {process.pk} v{version}".encode()
    return DesignDraft.objects.create(
        process=process,
        run=run,
        version=version,
        title=title or f"方案第{version}稿",
        description=description or f"第{version}稿设计说明。",
        file=ContentFile(data, name=f"draft-v{version}.pdf"),
        content_type="application/pdf",
        digest=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        change_note=change_note,
        **fields,
    )


def latest_draft(process, *, actor, run):
    draft = DesignDraft.objects.filter(process=process).order_by("-version").first()
    return draft or make_draft(run, actor=actor)


# --- Evidence, kind by kind --------------------------------------------------------


def give_evidence(run, now=None, *, without=None, actor=None, people=None, text=None):
    """Write the evidence ``run``'s step needs (all of it, or all but ``without``,
    one of ``MISSABLE[kind]``). ``now`` is the moment the step would close (default:
    now); ``actor`` the staff member or partner who gathered it (default: the
    process's creator); ``people`` residents to answer, comment and vote (default:
    new ones of the area); ``text`` overrides texts (see each builder). Returns what
    it made (a dict)."""
    run = StepRun.objects.select_related("step", "process__area", "process__town").get(pk=run.pk)
    kind = run.step.kind
    if without is not None and without not in MISSABLE[kind]:
        raise ValueError(f"{kind} has nothing called {without!r}: {MISSABLE[kind]}")
    now = now or timezone.now()
    actor = actor or run.process.created_by
    return BUILDERS[kind](run, now, without, actor, people, text or {})


def _survey(run, now, without, actor, people, text):
    from gongzhi.surveys.models import Answer, Question, QuestionKind, Response, Survey

    made = {}
    process = run.process
    if without != "survey":
        survey = Survey.objects.create(
            town=process.town,
            area=process.area,
            title=text.get("survey", f"{process.area.name}社区需求调查"),
            status="closed",
            opened_at=now - timedelta(days=20),
            closed_at=now - timedelta(days=1),
            created_by=actor,
        )
        question = Question.objects.create(
            survey=survey,
            order=1,
            kind=QuestionKind.SINGLE,
            text=text.get("question", "您最希望改善哪一处公共空间？"),
            options=text.get("options", ["中心花园", "楼道", "停车棚"]),
        )
        count = run.step.min_count - (1 if without == "responses" else 0)
        respondents = _people(run, max(count, 0), people)
        responses = Response.objects.bulk_create(
            Response(survey=survey, user=user) for user in respondents
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=question, choices=[n % len(question.options)])
            for n, response in enumerate(responses)
        )
        SurveyLink.objects.create(run=run, survey=survey)
        made.update(survey=survey, responses=responses)
    if without != "site_photo":
        made["photo"] = StepPhoto.objects.create(
            run=run,
            purpose=StepPhoto.Purpose.SITE,
            image=ContentFile(PNG, name="site.png"),
            caption=text.get("photo", "中心花园现状"),
            taken_on=timezone.localdate(now) - timedelta(days=10),
            uploaded_by=actor,
        )
    if without != "needs":
        needs = text.get("needs", ["增加休憩座椅", "改善夜间照明", "规范非机动车停放"])
        made["needs"] = Need.objects.bulk_create(
            Need(run=run, text=need, order=n) for n, need in enumerate(needs, 1)
        )
    return made


INTERVIEW_CATEGORIES = [
    IntervieweeCategory.OLDER_RESIDENT,
    IntervieweeCategory.FAMILY,
    IntervieweeCategory.YOUNG_RESIDENT,
    IntervieweeCategory.OWNER,
    IntervieweeCategory.SHOPKEEPER,
    IntervieweeCategory.PROPERTY_STAFF,
]


def _interviews(run, now, without, actor, people, text):
    count = max(run.step.min_count, 1) - (1 if without == "interviews" else 0)
    notes = text.get("notes", ["受访者希望增加座椅和遮阳设施。"])
    interviews = Interview.objects.bulk_create(
        Interview(
            run=run,
            category=INTERVIEW_CATEGORIES[n % len(INTERVIEW_CATEGORIES)],
            held_on=timezone.localdate(now) - timedelta(days=count - n),
            interviewer=actor,
            notes=notes[n % len(notes)],
            summary=text.get("summary", "居民希望公共空间更适合老人和儿童使用。"),
            consent=True,
        )
        for n in range(count)
    )
    return {"interviews": interviews}


def _drafts(run, now, without, actor, people, text):
    need = max(run.step.min_count, 2)
    titles = text.get("titles", [])
    drafts = []
    for n in range(need):
        body = b"%PDF-1.4 same" if without == "distinct" else None
        drafts.append(
            make_draft(
                run,
                actor=actor,
                title=titles[n] if n < len(titles) else "",
                body=body,
            )
        )
    return {"drafts": drafts}


def _participatory_design(run, now, without, actor, people, text):
    from gongzhi.events.models import Activity, Attendance

    made = {}
    process = run.process
    need = max(run.step.min_count, 1) - (1 if without == "inputs" else 0)
    residents = _people(run, max(need, 1), people)
    if without != "activity":
        held = without != "held"
        starts = now - timedelta(days=3) if held else now + timedelta(days=3)
        activity = text.get("activity") or Activity.objects.create(
            town=process.town,
            area=process.area,
            kind="workshop",
            title=f"{process.area.name}参与式设计工作坊",
            venue="议事厅",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status="published",
            created_by=actor,
        )
        if held and not activity.attendances.exists():
            Attendance.objects.bulk_create(
                Attendance(
                    activity=activity, user=user, method="roster", checked_in_at=activity.starts_at
                )
                for user in residents
            )
        ActivityLink.objects.create(run=run, activity=activity)
        made["activity"] = activity
    drafts = list(DesignDraft.objects.filter(process=process).order_by("version"))
    if len(drafts) < 2:
        drafts += [make_draft(run, actor=actor) for _ in range(2 - len(drafts))]
    comments = text.get("comments", ["希望保留大树，座椅多放几张。"])
    voters, commenters = residents[: need // 2], residents[need // 2 : need]
    made["votes"] = DotVote.objects.bulk_create(
        DotVote(run=run, draft=drafts[n % len(drafts)], user=user) for n, user in enumerate(voters)
    )
    made["comments"] = DraftComment.objects.bulk_create(
        DraftComment(
            run=run, draft=drafts[n % len(drafts)], user=user, body=comments[n % len(comments)]
        )
        for n, user in enumerate(commenters)
    )
    return made


def _last_run_of_kind(run, kind):
    return (
        StepRun.objects.filter(process=run.process, step__kind=kind, opened_at__lte=run.opened_at)
        .exclude(pk=run.pk)
        .order_by("-opened_at", "-pk")
        .first()
    )


def _adjustment(run, now, without, actor, people, text):
    note = "" if without == "change_note" else text.get("change_note", "根据居民意见调整方案。")
    answers = without not in ("answers", "change_note")
    draft = make_draft(run, actor=actor, change_note=note, answers_votes=answers)
    design = _last_run_of_kind(run, StepKind.PARTICIPATORY_DESIGN)
    if design is not None and not design.dot_votes.exists():
        # The round's dot vote that the version answers (process_at_step gives none).
        DotVote.objects.create(run=design, draft=draft, user=_people(run, 1, people)[0])
    if answers and design is not None:
        draft.answers_comments.set(design.draft_comments.all())
    return {"draft": draft}


def _new_version(run, now, without, actor, people, text):
    note = "" if without == "change_note" else text.get("change_note", "优化细节，完善说明。")
    return {"draft": make_draft(run, actor=actor, change_note=note)}


def _revision(run, now, without, actor, people, text):
    made = {}
    consultation = (
        Consultation.objects.filter(run__process=run.process).order_by("-opens_at").first()
    )
    if consultation is None or not consultation.comments.exists():
        # The consultation the revision answers (process_at_step gives none).
        if consultation is None:
            home = _last_run_of_kind(run, StepKind.CONSULTATION) or run
            made.update(_consultation_of(home, now, actor, people, text))
            consultation = made["consultation"]
        ConsultationComment.objects.create(
            consultation=consultation,
            user=_people(run, 1, people)[0],
            body="建议增加无障碍坡道。",
            reply="已采纳，将在修改稿中体现。",
            replied_by=actor,
            replied_at=now - timedelta(days=1),
        )
    note = "" if without == "change_note" else text.get("change_note", "按公众咨询意见修改。")
    draft = make_draft(run, actor=actor, change_note=note)
    if without != "answers" and consultation is not None:
        draft.answers_consultation.set(consultation.comments.all())
    made["draft"] = draft
    return made


def _joint_meeting(run, now, without, actor, people, text):
    from gongzhi.meetings.models import (
        Attendee,
        Meeting,
        MeetingKind,
        MeetingStatus,
        Minutes,
        MinutesStatus,
        Motion,
        MotionResult,
        MotionStatus,
        Party,
        PartyPresence,
    )

    process = run.process
    if without == "meeting":
        return {}
    starts = now - timedelta(days=2)
    meeting = Meeting.objects.create(
        town=process.town,
        area=process.area,
        kind=MeetingKind.JOINT,
        title=text.get("meeting", f"{process.area.name}三方联席会"),
        venue="议事厅",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        status=MeetingStatus.SCHEDULED if without == "minutes" else MeetingStatus.HELD,
        created_by=actor,
    )
    parties = Party.joint_parties()
    if without == "parties":
        parties = parties[:2]
    PartyPresence.objects.bulk_create(
        PartyPresence(meeting=meeting, party=party, present=True, note="代表出席")
        for party in parties
    )
    attendees = Attendee.objects.bulk_create(
        Attendee(meeting=meeting, name=name, party=party, present=True, signed_in_at=starts)
        for name, party in [
            ("居委代表", Party.RESIDENTS_COMMITTEE),
            ("业委代表", Party.OWNERS_COMMITTEE),
        ]
    )
    if without != "minutes":
        Minutes.objects.create(
            meeting=meeting,
            body=text.get("minutes", "三方就规划方案进行讨论，一致同意。"),
            status=MinutesStatus.APPROVED,
            approved_at=starts + timedelta(days=1),
            approved_by=actor,
        )
    motion = None
    if without != "motion":
        motion = Motion.objects.create(
            meeting=meeting,
            text=text.get("motion", "同意规划方案"),
            mover=attendees[0],
            seconder=attendees[1],
            status=MotionStatus.DECIDED,
            vote_mode="counts",
            yes_count=3,
            no_count=0,
            abstain_count=0,
            result=MotionResult.PASSED,
            decided_at=starts + timedelta(minutes=60),
        )
    returning = without == "approve"
    link = MeetingLink.objects.create(
        run=run,
        meeting=meeting,
        motion=motion,
        decision=JointDecision.RETURN if returning else JointDecision.APPROVE,
        return_to=max(run.step.order - 1, 1) if returning else None,
        reasons=text.get("reasons", "居民意见尚未充分吸纳。") if returning else "",
    )
    return {"meeting": meeting, "motion": motion, "link": link}


def _consultation_of(run, now, actor, people, text, *, days=None, closes_at=None):
    days = run.step.min_days if days is None else days
    closes_at = closes_at or now - timedelta(hours=1)
    opens_at = closes_at - timedelta(days=max(days, 0), hours=1)
    draft = latest_draft(run.process, actor=actor, run=run)
    consultation = Consultation.objects.create(
        run=run, draft=draft, opens_at=opens_at, closes_at=closes_at
    )
    return {"consultation": consultation, "draft": draft}


def _consultation(run, now, without, actor, people, text):
    if without == "consultation":
        return {}
    days = run.step.min_days
    if without == "length":
        days = days - 1
    closes_at = now + timedelta(days=2) if without == "closed" else now - timedelta(hours=1)
    made = _consultation_of(run, now, actor, people, text, days=days, closes_at=closes_at)
    consultation = made["consultation"]
    bodies = text.get("comments", ["建议增加儿童游乐设施。", "希望施工避开早晚高峰。"])
    residents = _people(run, len(bodies), people)
    made["comments"] = ConsultationComment.objects.bulk_create(
        ConsultationComment(
            consultation=consultation,
            user=user,
            body=body,
            reply=""
            if (without == "replies" and n == 0)
            else text.get("reply", "感谢意见，已采纳。"),
            replied_by=None if (without == "replies" and n == 0) else actor,
            replied_at=None if (without == "replies" and n == 0) else closes_at,
        )
        for n, (user, body) in enumerate(zip(residents, bodies, strict=True))
    )
    return made


def _public_notice(run, now, without, actor, people, text):
    if without == "notice":
        return {}
    step = run.step
    period = step.min_days - (1 if without == "period" else 0)
    period = max(period, 1)
    today = timezone.localdate(now)
    if without == "ended":
        ends_on = today  # the last day: the notice is still up
        starts_on = ends_on - timedelta(days=period - 1)
    else:
        starts_on = today - timedelta(days=period + (10 if step.working_days else 1))
        ends_on = last_day(starts_on, period, working=step.working_days)
    draft = latest_draft(run.process, actor=actor, run=run)
    notice = PublicNotice.objects.create(
        run=run,
        draft=draft,
        text=text.get("notice", f"{run.process.area.name}微更新规划方案公示"),
        starts_on=starts_on,
        period_days=period,
        working_days=step.working_days,
        ends_on=ends_on,
        online=without != "online",
        on_board=True,
        result="" if without == "result" else text.get("result", "公示期满，方案无重大异议。"),
    )
    made = {"notice": notice, "draft": draft}
    if without != "board_photo":
        made["photo"] = StepPhoto.objects.create(
            run=run,
            purpose=StepPhoto.Purpose.NOTICE_BOARD,
            image=ContentFile(PNG, name="board.png"),
            caption="公示栏张贴",
            taken_on=starts_on,
            uploaded_by=actor,
        )
    resident = _people(run, 1, people)[0]
    answered = without != "objection_reply"
    made["objection"] = Objection.objects.create(
        notice=notice,
        user=resident,
        body=text.get("objection", "担心座椅靠近窗户影响休息。"),
        reply=text.get("objection_reply", "座椅已移至远离住户一侧。") if answered else "",
        replied_by=actor if answered else None,
        replied_at=now - timedelta(days=1) if answered else None,
    )
    return made


BUILDERS = {
    StepKind.SURVEY: _survey,
    StepKind.INTERVIEWS: _interviews,
    StepKind.DRAFTS: _drafts,
    StepKind.PARTICIPATORY_DESIGN: _participatory_design,
    StepKind.ADJUSTMENT: _adjustment,
    StepKind.JOINT_MEETING: _joint_meeting,
    StepKind.OPTIMISATION: _new_version,
    StepKind.CONSULTATION: _consultation,
    StepKind.REVISION: _revision,
    StepKind.PUBLIC_NOTICE: _public_notice,
}
