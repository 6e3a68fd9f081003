"""The demo's paper voices: older residents of 逸景佳苑 and 第二居民区 who took part on
paper this week, recorded by their area's staff (陈社工) through the paper app's service,
so the plan pages, the proposal, the activity and the survey show them as from paper."""

from datetime import timedelta

from django.db import transaction

from gongzhi.paper.kinds import KINDS
from gongzhi.paper.queries import open_for_paper
from gongzhi.paper.services import record_from_paper
from gongzhi.places.models import ResidentialArea
from gongzhi.surveys.models import QuestionKind

# (kind, the resident's name on the paper, what they wrote)
PAPERS = {
    "comment": ("周阿婆（5号楼）", "楼道书架旁请留一盏夜灯，晚上倒垃圾看得清。"),
    "objection": ("孙老伯（3号楼）", "草坪灯请不要对着一楼窗户，老人睡得早。"),
}
SIGN_UP_NAME = "钱阿姨（7号楼）"
SUPPORT_NAME = "吴老师（9号楼）"
SURVEY_NAME = "郑阿婆（2号楼）"


def _answers(survey) -> dict:
    """A paper questionnaire ticked in full: the first option, 4 of 5, no free text."""
    answers = {}
    for question in survey.questions.order_by("order"):
        if question.kind == QuestionKind.SINGLE:
            answers[question.pk] = 0
        elif question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = [0]
        elif question.kind == QuestionKind.SCALE:
            answers[question.pk] = 4
        else:
            answers[question.pk] = ""
    return answers


TIME_FIELDS = ("created_at", "submitted_at", "cast_at")


def _backdate(row, when) -> None:
    """The demo's present is ``now``, not the clock: the paper came in a day before."""
    field = next(name for name in TIME_FIELDS if hasattr(row, name))
    type(row).objects.filter(pk=row.pk).update(**{field: when, "paper_recorded_at": when})
    proposal = getattr(row, "proposal", None)
    if proposal is not None:
        type(proposal).objects.filter(pk=proposal.pk, last_activity_at__gt=when).update(
            last_activity_at=when
        )


@transaction.atomic
def seed_today(town, area_staff, *, now) -> int:
    """Record this week's paper forms (a day before ``now``); returns how many (none
    on a second run)."""
    areas = list(ResidentialArea.objects.filter(town=town, code__in=["01", "02"]))
    if not areas:
        return 0
    by_pk = {area.pk: area for area in areas}
    paper_rows = sum(
        kind.row_model.objects.filter(
            paper_recorded_at__isnull=False, **{kind.town_path: town}
        ).count()
        for kind in KINDS.values()
    )
    if paper_rows:
        return 0
    open_now = open_for_paper(town, list(by_pk))
    recorded = 0
    number = 0

    def record(kind_key, target, area, name, **inputs):
        nonlocal recorded, number
        number += 1
        row = record_from_paper(
            kind=KINDS[kind_key], target=target, actor=area_staff, area=area, name=name,
            reference=f"{area.code}-{number:03d}", **inputs,
        )  # fmt: skip
        _backdate(row, now - timedelta(days=1, hours=number))
        recorded += 1

    for entry in open_now["plans"]:
        process = entry["process"]
        for kind in entry["kinds"]:
            if kind.key in PAPERS:
                name, body = PAPERS[kind.key]
                record(kind.key, process, by_pk[process.area_id], name, body=body)
    home = areas[0]
    if open_now["activities"]:
        activity = open_now["activities"][0]
        record("registration", activity, by_pk.get(activity.area_id, home), SIGN_UP_NAME)
    if open_now["proposals"]:
        proposal = open_now["proposals"][0]
        record("support", proposal, by_pk.get(proposal.area_id, home), SUPPORT_NAME)
    # A survey of these areas opened this year (not a finished project's satisfaction
    # survey, which its own area's residents answer).
    surveys = [
        survey
        for survey in open_now["surveys"]
        if survey.area_id in by_pk and survey.opened_at and survey.opened_at.year == now.year
    ]
    if surveys:
        survey = surveys[0]
        record("response", survey, by_pk[survey.area_id], SURVEY_NAME, answers=_answers(survey))
    return recorded
