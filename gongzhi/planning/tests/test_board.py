"""The progress board: who sees which processes, filters, overdue steps, missing
evidence (the board's reading agrees with evidence.missing on every kind of step),
constant queries per page, and the Excel export."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.testing import assert_constant_queries
from gongzhi.planning import evidence
from gongzhi.planning.board import missing_for_runs
from gongzhi.planning.models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DotVote,
    MeetingLink,
    Need,
    Objection,
    PlanningProcess,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)
from gongzhi.tests.factories import ActivityFactory, AreaFactory

from .test_pages import add_draft, add_interview, make_survey, open_run_of, short_template, start

pytestmark = pytest.mark.django_db


def board_url(town, **query):
    from urllib.parse import urlencode

    url = reverse("planning:board", args=[town.slug])
    return url + ("?" + urlencode(query) if query else "")


def test_board_permissions_and_scope(client_for, town, area_a, area_b, people):
    start(town, area_a, people["secretariat"], title="甲区规划")
    start(town, area_b, people["secretariat"], title="乙区规划")
    url = board_url(town)
    assert client_for("resident").get(url).status_code == 403
    assert client_for("partner").get(url).status_code == 403
    assert client_for("other_secretariat").get(url).status_code == 403
    page = client_for("area_staff").get(url).content.decode()
    assert "甲区规划" in page and "乙区规划" not in page
    page = client_for("secretariat").get(url).content.decode()
    assert "甲区规划" in page and "乙区规划" in page
    # Area staff cannot widen their view by filtering on another area.
    assert client_for("area_staff").get(board_url(town, area=area_b.pk)).status_code == 400


def test_board_filters_and_overdue(client_for, town, area_a, area_b, people):
    a = start(town, area_a, people["secretariat"], title="甲区规划")
    b = start(town, area_b, people["secretariat"], title="乙区规划")
    StepRun.objects.filter(process=b).update(
        due_on=timezone.localdate() - timedelta(days=3),
        opened_at=timezone.now() - timedelta(days=40),
    )
    PlanningProcess.objects.filter(pk=a.pk).update(current_order=1)
    client = client_for("secretariat")
    page = client.get(board_url(town, overdue="on")).content.decode()
    assert "乙区规划" in page and "甲区规划" not in page
    assert "overdue" in page  # the row is marked
    page = client.get(board_url(town, area=area_a.pk)).content.decode()
    assert "甲区规划" in page and "乙区规划" not in page
    page = client.get(board_url(town, step=2)).content.decode()
    assert "甲区规划" not in page and "乙区规划" not in page
    page = client.get(board_url(town, status="active")).content.decode()
    assert "甲区规划" in page and "乙区规划" in page
    page = client.get(board_url(town)).content.decode()
    assert ">40<" in page  # days in step
    # The missing evidence of the open step, in the evidence table's words.
    assert "问卷" in page or "questionnaire" in page
    partial = client.get(board_url(town), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content


def test_board_queries_constant(client_for, town, people):
    def make_rows(n):
        processes = []
        for _i in range(n):
            process = start(town, AreaFactory(town=town), people["secretariat"])
            run = open_run_of(process)
            SurveyLink.objects.create(
                run=run, survey=make_survey(town, process.area, people["secretariat"], 2)
            )
            processes.append(process)
        return processes

    assert_constant_queries(client_for("secretariat"), board_url(town), make_rows)


def test_board_export(client_for, town, area_a, area_b, people):
    start(town, area_a, people["secretariat"], title="甲区规划")
    start(town, area_b, people["secretariat"], title="乙区规划")
    url = reverse("planning:board_export", args=[town.slug])
    assert client_for("resident").get(url).status_code == 403
    response = client_for("area_staff").get(url)
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    titles = [row[1] for row in rows[2:]]
    assert titles == ["甲区规划"]  # area staff: their own areas only
    assert rows[2][9]  # the missing evidence column is filled
    response = client_for("secretariat").get(url + f"?area={area_b.pk}")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert [row[1] for row in list(book.active.iter_rows(values_only=True))[2:]] == ["乙区规划"]


# --- The board reads evidence.missing's rule, for many runs at once -----------------


def _runs_in_every_state(town, area, people):
    """Processes opened at each kind of step, with evidence missing, partial or
    complete; returns their open runs."""
    from gongzhi.events.models import Attendance
    from gongzhi.meetings.models import MeetingKind, Party, PartyPresence
    from gongzhi.meetings.tests.builders import decided_meeting, make_meeting
    from gongzhi.tests.factories import AreaFactory

    staff = people["secretariat"]
    now = timezone.now()
    runs = []
    kinds = [
        StepKind.SURVEY,
        StepKind.INTERVIEWS,
        StepKind.DRAFTS,
        StepKind.PARTICIPATORY_DESIGN,
        StepKind.ADJUSTMENT,
        StepKind.JOINT_MEETING,
        StepKind.OPTIMISATION,
        StepKind.CONSULTATION,
        StepKind.REVISION,
        StepKind.PUBLIC_NOTICE,
    ]
    for state in range(3):
        for kind in kinds:
            template = short_template(kind, name=f"{kind}-{state}")
            # One active process per area: each in an area of its own.
            area = AreaFactory(town=town)
            process = start(town, area, staff, template=template, title=f"{kind}{state}")
            run = open_run_of(process)
            runs.append(run)
            if state == 0:
                continue
            full = state == 2
            if kind == StepKind.SURVEY:
                SurveyLink.objects.create(run=run, survey=make_survey(town, area, staff, 1))
                if full:
                    Need.objects.create(run=run, text="照明")
                    StepPhoto.objects.create(
                        run=run, purpose="site", image="x.jpg", uploaded_by=staff
                    )
            elif kind == StepKind.INTERVIEWS and full:
                add_interview(run, staff)
            elif kind == StepKind.DRAFTS:
                add_draft(process, run, staff, 1)
                add_draft(process, run, staff, 2, digest="1" * 64 if full else f"{1:064d}")
            elif kind == StepKind.PARTICIPATORY_DESIGN:
                activity = ActivityFactory(
                    area=area,
                    kind="workshop" if full else "charity_market",
                    starts_at=now - timedelta(hours=3),
                    ends_at=now - timedelta(hours=1),
                )
                ActivityLink.objects.create(run=run, activity=activity)
                if full:
                    Attendance.objects.create(activity=activity, user=staff, method="roster")
                    draft = add_draft(process, run, staff, 1)
                    DotVote.objects.create(run=run, draft=draft, user=people["resident"])
            elif kind in (StepKind.ADJUSTMENT, StepKind.OPTIMISATION, StepKind.REVISION):
                draft = add_draft(process, run, staff, 1)
                draft.change_note = "按意见修改"
                draft.answers_votes = full
                draft.save()
                if kind == StepKind.REVISION and not full:
                    consultation = Consultation.objects.create(
                        run=run, draft=draft, opens_at=now - timedelta(days=9), closes_at=now
                    )
                    ConsultationComment.objects.create(
                        consultation=consultation, user=people["resident"], body="意见"
                    )
            elif kind == StepKind.JOINT_MEETING:
                motion = None
                if full:
                    # A decided motion (a joint meeting's quorum needs its parties
                    # first, which the helper does not record; the kind is checked
                    # on its own).
                    decided = decided_meeting(town=town, area=area, actor=staff, title="联席会")
                    meeting, motion = decided["meeting"], decided["motion"]
                    for party in Party.joint_parties():
                        PartyPresence.objects.create(meeting=meeting, party=party, present=True)
                else:
                    meeting = make_meeting(
                        town=town, area=area, actor=staff, kind=MeetingKind.JOINT, title="联席会"
                    )
                MeetingLink.objects.create(
                    run=run, meeting=meeting, motion=motion, decision="approve" if full else ""
                )
            elif kind == StepKind.CONSULTATION:
                draft = add_draft(process, run, staff, 1)
                consultation = Consultation.objects.create(
                    run=run,
                    draft=draft,
                    opens_at=now - timedelta(days=10),
                    closes_at=now - timedelta(days=1) if full else now + timedelta(days=1),
                )
                ConsultationComment.objects.create(
                    consultation=consultation,
                    user=people["resident"],
                    body="意见",
                    reply="已答复" if full else "",
                )
            elif kind == StepKind.PUBLIC_NOTICE:
                draft = add_draft(process, run, staff, 1)
                if not full:
                    template.steps.update(working_days=True)
                    run.step.refresh_from_db()
                today = timezone.localdate()
                notice = PublicNotice.objects.create(
                    run=run,
                    draft=draft,
                    text="公示",
                    starts_on=today - timedelta(days=10),
                    period_days=7,
                    ends_on=today - timedelta(days=2) if full else today + timedelta(days=2),
                    on_board=full,
                    result="无异议" if full else "",
                )
                Objection.objects.create(
                    notice=notice,
                    user=people["resident"],
                    body="异议",
                    reply="已答复" if full else "",
                )
                if full:
                    StepPhoto.objects.create(
                        run=run, purpose="notice_board", image="b.jpg", uploaded_by=staff
                    )
    return runs


def test_board_check_agrees_with_the_evidence_table(town, area_a, people):
    runs = _runs_in_every_state(town, area_a, people)
    now = timezone.now()
    runs = list(StepRun.objects.filter(pk__in=[r.pk for r in runs]).select_related("step"))
    grouped = missing_for_runs(runs, now)
    for run in runs:
        assert grouped[run.pk] == evidence.missing(run, now), run.step.kind
    assert any(not gaps for gaps in grouped.values())  # some runs are complete
    assert all(grouped[r.pk] for r in runs if r.process.title.endswith("0"))


def test_board_agrees_on_answers_to_the_latest_round(town, people):
    """Steps 5 and 9 read only the latest round of step 4 and the latest
    consultation; the board's grouped check reads them the same way."""
    from gongzhi.planning import evidence_services as ev
    from gongzhi.planning import services

    from .builders import consult_twice, draft, jump_to, pdf, second_round_of_step_4

    staff, resident, partner = people["secretariat"], people["resident"], people["partner"]
    now = timezone.now()
    runs = []
    # Step 5 after two rounds of step 4: answering the first round (votes, comment),
    # the second round's comment, or the second round's votes.
    for answer in ("old", "votes_of_old", "new_comment", "new_votes", "nothing"):
        process = start(town, AreaFactory(town=town), staff, title=f"调整{answer}")
        first, old = second_round_of_step_4(process, staff, resident)
        new = ev.comment_on_draft(process=process, user=partner, draft=first, body="遮阳")
        if answer == "new_votes":
            ev.cast_dot_vote(process=process, user=resident, draft=first)
        jump_to(process, 5)
        fields = {
            "old": {"answers_comments": [old]},
            "votes_of_old": {"answers_votes": True},
            "new_comment": {"answers_comments": [new]},
            "new_votes": {"answers_votes": True},
            "nothing": {},
        }[answer]
        draft(process, staff, file=pdf("三"), title="方案三", change_note="修改", **fields)
        runs.append(services.open_run(process))
    # Step 9 after two consultations: answering the first, the second, or none.
    for answer in (0, 1, None):
        process = start(town, AreaFactory(town=town), staff, title=f"修改{answer}")
        jump_to(process, 3)
        plan = draft(process, staff)
        comments = consult_twice(process, staff, plan, resident, now=now)
        jump_to(process, 9)
        answers = [comments[answer]] if answer is not None else []
        draft(
            process,
            staff,
            file=pdf("改"),
            title="修改稿",
            change_note="修改",
            answers_consultation=answers,
        )
        runs.append(services.open_run(process))
    runs = list(StepRun.objects.filter(pk__in=[r.pk for r in runs]).select_related("step"))
    grouped = missing_for_runs(runs, now)
    assert len(runs) == len(grouped) > 3
    for run in runs:
        assert grouped[run.pk] == evidence.missing(run, now), run.process.title
    complete = {run.process.title for run in runs if not grouped[run.pk]}
    assert complete == {"调整new_comment", "调整new_votes", "修改1"}
