"""Building surveys for tests (also used by the permission matrix)."""

from gongzhi.surveys import services

OPTIONS = ["绿化", "座椅", "照明"]


def build_survey(*, town, area, actor, allows_anonymous=False, open_it=True, title="社区需求调研"):
    """A survey with one question of each kind: single, multiple, scale (required)
    and free text (optional)."""
    survey = services.create_survey(
        town=town,
        area=area,
        actor=actor,
        title=title,
        intro="请花两分钟回答。",
        allows_anonymous=allows_anonymous,
    )
    services.add_question(
        survey=survey, actor=actor, kind="single", text="您最希望改善什么？", options=OPTIONS
    )
    services.add_question(
        survey=survey, actor=actor, kind="multiple", text="您常去哪些地方？", options=OPTIONS
    )
    services.add_question(survey=survey, actor=actor, kind="scale", text="您对环境满意吗？")
    services.add_question(
        survey=survey, actor=actor, kind="text", text="还有什么建议？", required=False
    )
    if open_it:
        services.open_survey(survey=survey, actor=actor)
    return survey


def answers_for(survey, single=0, multiple=(0, 2), scale=4, text="多种树"):
    single_q, multiple_q, scale_q, text_q = survey.questions.order_by("order")
    return {
        single_q.pk: single,
        multiple_q.pk: list(multiple),
        scale_q.pk: scale,
        text_q.pk: text,
    }


def survey_world(*, town, area_a, area_b, actor) -> dict:
    survey_a = build_survey(town=town, area=area_a, actor=actor)
    draft_a = build_survey(town=town, area=area_a, actor=actor, open_it=False, title="草稿甲")
    draft_b = build_survey(town=town, area=area_b, actor=actor, open_it=False, title="草稿乙")
    return {
        "survey_a": survey_a.pk,
        "draft_survey_a": draft_a.pk,
        "draft_survey_b": draft_b.pk,
        "question_a": draft_a.questions.order_by("order").first().pk,
        "question_b": draft_b.questions.order_by("order").first().pk,
    }
