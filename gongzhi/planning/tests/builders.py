"""Building planning processes and their evidence for tests, directly with the models
(``process_at_step``, ``give_evidence``, ``take_away``) or through the services
(``start``, ``jump_to``, ``draft``, ``second_round_of_step_4``, ``consult_twice``,
``publish_notice``).

``process_at_step(order, ...)`` makes a process whose earlier steps are closed
(without evidence checks) and whose step ``order`` is open. ``give_evidence(run)``
writes exactly what ``evidence.py`` asks of the run's step kind, with the amounts of
its template step (min_count, min_days); ``give_evidence(run, without=item)`` leaves
one item out (the names per kind are ``MISSABLE``), and ``take_away(run, item)``
removes one from evidence already given. Other tests (views, the permission matrix)
reuse them. ``give_evidence`` and the drafts and people it makes live in
``gongzhi/demo/evidence.py``, since the demo writes its plans' evidence with them too
and production code never imports a test module; they are imported here for the tests.

Files are small ContentFile bytes: use a temporary MEDIA_ROOT in tests (see the
``_media_in_tmp`` fixtures of the planning tests).
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.demo.evidence import (  # noqa: F401 (the tests import them from here)
    MISSABLE,
    PNG,
    _consultation_of,
    give_evidence,
    latest_draft,
    make_draft,
    make_people,
)
from gongzhi.planning import evidence_services as ev
from gongzhi.planning import services
from gongzhi.planning.models import (
    Consultation,
    DotVote,
    DraftComment,
    Interview,
    JointDecision,
    MeetingLink,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    RunOutcome,
    StepKind,
    StepPhoto,
    StepRun,
)
from gongzhi.planning.services import ensure_default_template

# --- Processes ---------------------------------------------------------------------


def process_at_step(
    order: int = 1,
    *,
    town,
    area,
    actor,
    template=None,
    title: str = "",
    team=None,
    lead_partner=None,
    opened_at=None,
) -> PlanningProcess:
    """An active process whose steps 1..order-1 are closed as completed (no evidence
    checks, no audit) and whose step ``order`` is open (revision 1)."""
    template = template or ensure_default_template()
    now = opened_at or timezone.now()
    process = PlanningProcess.objects.create(
        town=town,
        area=area,
        title=title or f"{area.name}参与式规划",
        template=template,
        team=team,
        lead_partner=lead_partner,
        status=ProcessStatus.ACTIVE,
        current_order=order,
        starts_on=timezone.localdate(now) - timedelta(days=order * 14),
        created_by=actor,
    )
    steps = list(template.steps.filter(order__lte=order).order_by("order"))
    runs = []
    for step in steps:
        days_ago = (order - step.order) * 14
        opened = now - timedelta(days=days_ago + 14 if step.order < order else 0)
        closed = step.order < order
        runs.append(
            StepRun(
                process=process,
                step=step,
                revision=1,
                opened_at=opened,
                due_on=timezone.localdate(opened) + timedelta(days=step.expected_days),
                closed_at=now - timedelta(days=days_ago) if closed else None,
                outcome=RunOutcome.COMPLETED if closed else "",
            )
        )
    StepRun.objects.bulk_create(runs)
    return process


def publish_notice(*, process, actor, draft, **fields) -> PublicNotice:
    """Post the public notice of ``draft`` through the service (the process must be at
    its notice step): it starts today and runs the shortest period allowed, 7 days,
    unless given."""
    values = {
        "text": "逸景佳苑中心花园更新方案现予公示，如有异议请于公示期内提出。",
        "starts_on": timezone.localdate(),
        "period_days": 7,
    }
    values.update(fields)
    return ev.post_notice(process=process, actor=actor, draft=draft, **values)


def open_run(process) -> StepRun:
    return StepRun.objects.open().select_related("step", "process").get(process=process)


def run_of(process, order: int, revision: int | None = None) -> StepRun:
    runs = StepRun.objects.filter(process=process, step__order=order).select_related("step")
    if revision is not None:
        return runs.get(revision=revision)
    return runs.order_by("-revision").first()


# --- Through the services: a process, its steps, drafts and files --------------------


def start(town, area, actor, **fields):
    return services.start_process(
        town=town, area=area, actor=actor, title="逸景佳苑中心花园更新", **fields
    )


def jump_to(process, order):
    """Close the open run (without evidence checks) and open step ``order``."""
    now = timezone.now()
    run = services.open_run(process)
    run.closed_at = now
    run.outcome = RunOutcome.COMPLETED
    run.save()
    process.current_order = order
    process.save()
    services._open_run(process, order, now)
    process.refresh_from_db()
    return process


def png(*, gps=True, colour=(180, 120, 60), name="site.png") -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 18.0, 5.5), 3: "E", 4: (121.0, 27.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg(*, gps=True, name="IMG_0001.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (20, 120, 60))
    exif = Image.Exif()
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 18.0, 5.5), 3: "E", 4: (121.0, 27.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(text="方案一", name="draft.pdf") -> SimpleUploadedFile:
    body = f"%PDF-1.4\n1 0 obj <<>> endobj\n% {text}\n%%EOF\n".encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", b"just some text, not a PDF", content_type="text/plain")


def draft(process, actor, file=None, **fields):
    values = {"title": "方案一", "description": "在花园中设置休息座椅与遮阳廊架。"}
    values.update(fields)
    return ev.upload_draft(
        process=process, actor=actor, file=file or pdf(values["title"]), **values
    )


def second_round_of_step_4(process, actor, user):
    """Two drafts (step 3), a comment and a dot vote of ``user`` on the first in step 4,
    then step 4 opened again for its second round. Returns (the first draft, the first
    round's comment)."""
    jump_to(process, 3)
    first = draft(process, actor)
    draft(process, actor, file=pdf("二"), title="方案二")
    jump_to(process, 4)
    old_comment = ev.comment_on_draft(process=process, user=user, draft=first, body="要靠背")
    ev.cast_dot_vote(process=process, user=user, draft=first)
    jump_to(process, 4)  # the second round
    return first, old_comment


def consult_twice(process, actor, plan, user, *, now=None):
    """Two consultations on ``plan`` (step 8 opened twice, the second a day later), each
    with one comment of ``user``; returns the two comments, the first round's first."""
    now = now or timezone.now()
    comments = []
    for round_ in (1, 2):
        jump_to(process, 8)
        ev.open_consultation(
            process=process,
            actor=actor,
            draft=plan,
            opens_at=now - timedelta(days=10 - round_),
            closes_at=now + timedelta(days=7),
        )
        comments.append(
            ev.comment_in_consultation(process=process, user=user, body=f"第{round_}轮意见")
        )
    return comments


# --- Taking evidence away ------------------------------------------------------------


def take_away(run, what: str, now=None) -> None:
    """Remove or spoil one item of evidence already given, so that the run lacks
    exactly ``what`` (one of ``MISSABLE[kind]``)."""
    from gongzhi.meetings.models import MeetingStatus

    run = StepRun.objects.select_related("step").get(pk=run.pk)
    kind = run.step.kind
    if what not in MISSABLE[kind]:
        raise ValueError(f"{kind} has nothing called {what!r}: {MISSABLE[kind]}")
    now = now or timezone.now()
    if kind == StepKind.SURVEY:
        if what == "survey":
            run.survey_links.all().delete()
        elif what == "responses":
            from gongzhi.surveys.models import Response

            survey_ids = run.survey_links.values_list("survey_id", flat=True)
            have = Response.objects.filter(survey_id__in=survey_ids).count()
            extra = have - run.step.min_count + 1
            pks = Response.objects.filter(survey_id__in=survey_ids).values_list("pk", flat=True)
            Response.objects.filter(pk__in=list(pks[: max(extra, 0)])).delete()
        elif what == "site_photo":
            run.photos.filter(purpose=StepPhoto.Purpose.SITE).delete()
        else:
            run.needs.all().delete()
    elif kind == StepKind.INTERVIEWS:
        keep = max(run.step.min_count, 1) - 1
        pks = list(run.interviews.values_list("pk", flat=True)[keep:])
        Interview.objects.filter(pk__in=pks).delete()
    elif kind == StepKind.DRAFTS:
        first = run.drafts.order_by("version").first()
        run.drafts.update(digest=first.digest)
    elif kind == StepKind.PARTICIPATORY_DESIGN:
        if what == "activity":
            run.activity_links.all().delete()
        elif what == "held":
            for link in run.activity_links.select_related("activity"):
                link.activity.attendances.all().delete()
        else:
            need = max(run.step.min_count, 1)
            extra = run.draft_comments.count() + run.dot_votes.count() - need + 1
            votes = list(run.dot_votes.values_list("pk", flat=True)[:extra])
            DotVote.objects.filter(pk__in=votes).delete()
            extra -= len(votes)
            if extra > 0:
                comments = list(run.draft_comments.values_list("pk", flat=True)[:extra])
                DraftComment.objects.filter(pk__in=comments).delete()
    elif kind in (StepKind.ADJUSTMENT, StepKind.OPTIMISATION, StepKind.REVISION):
        if what == "change_note":
            run.drafts.update(change_note="")
        elif kind == StepKind.ADJUSTMENT:
            run.drafts.update(answers_votes=False)
            for draft in run.drafts.all():
                draft.answers_comments.clear()
        else:
            for draft in run.drafts.all():
                draft.answers_consultation.clear()
    elif kind == StepKind.JOINT_MEETING:
        link = run.meeting_links.select_related("meeting").order_by("-pk").first()
        if what == "meeting":
            run.meeting_links.all().delete()
        elif what == "parties":
            link.meeting.parties.filter(party="property_company").delete()
        elif what == "minutes":
            type(link.meeting).objects.filter(pk=link.meeting_id).update(
                status=MeetingStatus.SCHEDULED
            )
        elif what == "motion":
            MeetingLink.objects.filter(pk=link.pk).update(motion=None)
        else:
            MeetingLink.objects.filter(pk=link.pk).update(
                decision=JointDecision.RETURN, return_to=1, reasons="退回重新调研。"
            )
    elif kind == StepKind.CONSULTATION:
        consultation = Consultation.objects.filter(run=run).first()
        if what == "consultation":
            Consultation.objects.filter(run=run).delete()
        elif what == "length":
            Consultation.objects.filter(pk=consultation.pk).update(
                opens_at=consultation.closes_at - timedelta(days=run.step.min_days - 1, hours=1)
            )
        elif what == "closed":
            Consultation.objects.filter(pk=consultation.pk).update(
                closes_at=now + timedelta(days=2)
            )
        else:
            first = consultation.comments.order_by("pk").first()
            type(first).objects.filter(pk=first.pk).update(
                reply="", replied_by=None, replied_at=None
            )
    else:
        notice = PublicNotice.objects.filter(run=run).first()
        if what == "notice":
            PublicNotice.objects.filter(run=run).delete()
        elif what == "period":
            PublicNotice.objects.filter(pk=notice.pk).update(period_days=run.step.min_days - 1)
        elif what == "ended":
            today = timezone.localdate(now)
            PublicNotice.objects.filter(pk=notice.pk).update(
                ends_on=today, starts_on=min(notice.starts_on, today)
            )
        elif what == "online":
            PublicNotice.objects.filter(pk=notice.pk).update(online=False)
        elif what == "board_photo":
            run.photos.filter(purpose=StepPhoto.Purpose.NOTICE_BOARD).delete()
        elif what == "objection_reply":
            notice.objections.update(reply="", replied_by=None, replied_at=None)
        else:
            PublicNotice.objects.filter(pk=notice.pk).update(result="")
