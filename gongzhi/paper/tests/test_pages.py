"""The paper desk, the record pages, the printable forms and what public pages show."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from gongzhi.core.testing import assert_nothing_written
from gongzhi.paper.kinds import KINDS
from gongzhi.paper.services import record_from_paper
from gongzhi.paper.tests.builders import paper_form
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import Objection
from gongzhi.surveys.tests.builders import build_survey
from gongzhi.tests.factories import UserFactory


def page(name, process, *args):
    return reverse(f"paper:{name}", args=[process.town.slug, process.pk, *args])


def photo_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "paper.png"
    return buffer


def test_staff_record_a_paper_objection_and_the_plan_page_shows_it_as_from_paper(
    client_for, plan, area_a
):
    staff = client_for("area_staff")
    form = staff.get(page("record_objection", plan))
    assert form.status_code == 200
    # Only the staff member's own areas are offered.
    assert form.context["form"].fields["area"].queryset.get() == area_a
    done = staff.post(
        page("record_objection", plan),
        {**paper_form(area_a), "body": "廊架挡住一楼的阳光。", "photo": photo_upload()},
    )
    assert done.status_code == 302 and done.url == page("record_objection", plan)
    objection = Objection.objects.get()
    assert objection.from_paper and objection.paper_photo

    public = client_for("anonymous")
    plan_page = public.get(plan.get_absolute_url()).content.decode()
    assert "（其中1份为纸质意见代录）" in plan_page
    notice = public.get(reverse("planning:notice", args=[plan.town.slug, plan.pk]))
    text = notice.content.decode()
    assert "工作人员根据纸质意见代录" in text
    # The public page masks the name, as for any resident.
    assert "王秀英（12号楼）" not in text


def test_a_refused_paper_form_is_a_400_with_the_reason_and_nothing_written(
    client_for, plan, area_a
):
    online = UserFactory(display_name="张阿姨", phone="13911112222", residential_area=area_a)
    ev.object_to_notice(process=plan, user=online, body="网上提过。")
    staff = client_for("area_staff")
    with assert_nothing_written():
        refused = staff.post(
            page("record_objection", plan),
            {**paper_form(area_a, name="张阿姨", phone="13911112222"), "body": "纸上"},
        )
    assert refused.status_code == 400
    assert "张阿姨" in refused.content.decode()
    with assert_nothing_written():
        unsigned = staff.post(
            page("record_objection", plan), {**paper_form(area_a, consent=""), "body": "x"}
        )
    assert unsigned.status_code == 400


def test_an_area_not_ones_own_is_not_accepted(client_for, plan, area_b):
    with assert_nothing_written():
        refused = client_for("area_staff").post(
            page("record_objection", plan), {**paper_form(area_b), "body": "x"}
        )
    assert refused.status_code == 400


@pytest.mark.parametrize("role", ["resident", "partner", "secretariat", "administrator"])
def test_the_paper_pages_are_for_area_staff_only(client_for, plan, role):
    client = client_for(role)
    for url in (
        page("record_objection", plan),
        page("plan_form", plan),
        reverse("paper:desk", args=[plan.town.slug]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_printable_forms_carry_a_qr_code_and_the_consent(client_for, plan, town, area_a, staff):
    client = client_for("area_staff")
    plan_form = client.get(page("plan_form", plan)).content.decode()
    assert "<svg" in plan_form and "公示" in plan_form and "隐私" in plan_form
    survey = build_survey(town=town, area=area_a, actor=staff)
    survey_form = client.get(reverse("paper:survey_form", args=[town.slug, survey.pk]))
    text = survey_form.content.decode()
    assert survey_form.status_code == 200 and "<svg" in text
    questions = list(survey.questions.all())
    assert len(questions) == 4
    assert all(question.text in text for question in questions)


def test_the_desk_lists_what_is_open_and_what_was_recorded(client_for, plan, staff, area_a):
    record_from_paper(
        kind=KINDS["objection"], target=plan, actor=staff, area=area_a,
        name="王秀英", reference="YJ-7", body="意见",
    )  # fmt: skip
    desk = client_for("area_staff").get(reverse("paper:desk", args=[plan.town.slug]))
    text = desk.content.decode()
    assert plan.title in text and "YJ-7" in text
    assert page("record_objection", plan) in text


def test_the_photo_is_for_staff_of_the_area_and_the_secretariat(client_for, plan, staff, area_a):
    buffer = photo_upload()
    from django.core.files.base import ContentFile

    objection = record_from_paper(
        kind=KINDS["objection"], target=plan, actor=staff, area=area_a, name="王秀英",
        reference="YJ-8", body="意见", photo=ContentFile(buffer.getvalue(), name="paper.png"),
    )  # fmt: skip
    url = reverse("paper:photo", args=[plan.town.slug, "objection", objection.pk])
    for role, status in [
        ("area_staff", 200),
        ("secretariat", 200),
        ("resident", 403),
        ("partner", 403),
        ("other_secretariat", 403),
    ]:
        assert client_for(role).get(url).status_code == status, role
    # Never reachable as media.
    media = client_for("anonymous").get("/media/" + objection.paper_photo.name)
    assert media.status_code == 404


def test_pages_show_the_way_to_paper_only_to_area_staff(client_for, plan):
    record = page("record_objection", plan)
    assert record in client_for("area_staff").get(plan.get_absolute_url()).content.decode()
    for role in ("anonymous", "resident", "secretariat"):
        assert record not in client_for(role).get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [("registration", 302), ("support", 302), ("objection", 302)],
)
def test_a_filled_paper_form_posted_by_every_role(
    client_for, people, plan, town, area_a, kind, outcome
):
    """Only staff of the resident's area record it; every other role is refused and
    nothing is written (the matrix posts empty forms; this one is filled in)."""
    from gongzhi.conftest import ROLES
    from gongzhi.proposals.tests.builders import make_proposal
    from gongzhi.tests.factories import ActivityFactory

    target = {
        "registration": lambda: ActivityFactory(area=area_a),
        "support": lambda: make_proposal(town=town, area=area_a),
        "objection": lambda: plan,
    }[kind]()
    url = reverse(f"paper:record_{kind}", args=[town.slug, target.pk])
    data = {**paper_form(area_a), "body": "纸质意见：请保留大树。"}
    others = [role for role in ROLES if role != "area_staff"]
    assert len(others) == len(ROLES) - 1
    for role in others:
        client = client_for(role)
        with assert_nothing_written():
            response = client.post(url, data)
        expected = (302,) if role == "anonymous" else (403,)
        assert response.status_code in expected, role
        if role == "anonymous":
            assert response.url.startswith(reverse("account_login"))
    assert client_for("area_staff").post(url, data).status_code == outcome
    assert KINDS[kind].row_model.objects.filter(paper_recorded_at__isnull=False).count() == 1
