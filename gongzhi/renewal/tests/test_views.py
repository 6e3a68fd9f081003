"""Project pages: the public list (filters, htmx, constant queries), the story of a
project in each status, masking, the workbench (every POST: success, refusal with
409, malformed form with 400, nothing stored), creating and editing a project, who
may do what, and the sections on the origin's and the area's pages."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.models import Proposal
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.renewal import services
from gongzhi.renewal.models import (
    BudgetApproval,
    Project,
    ProjectPhoto,
    ProjectStatus,
    Spending,
    StatusChange,
)
from gongzhi.surveys.services import submit_response
from gongzhi.tests.factories import PartnerFactory, SiteFactory, UserFactory

from .builders import (
    completed_process,
    jpeg_upload,
    make_project,
    new_project,
    project_at,
    unit_of,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, project, *more):
    return reverse(f"renewal:{name}", args=[project.town.slug, project.pk, *more])


def town_url(name, town):
    return reverse(f"renewal:{name}", args=[town.slug])


def body(response) -> str:
    return response.content.decode()


def today():
    return timezone.localdate()


@pytest.fixture
def build(staff, area_a, django_capture_on_commit_callbacks):
    """project_at() by the staff of area_a, follow-ups (notifications) run."""

    def make(status, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return project_at(status, actor=staff, area=fields.pop("area", area_a), **fields)

    return make


def answer(project, user, gain=4, satisfaction=5):
    return submit_response(
        survey=project.satisfaction_survey,
        user=user,
        answers={
            str(project.gain_question_id): gain,
            str(project.satisfaction_question_id): satisfaction,
        },
    )


# --- The public list ---------------------------------------------------------------------


def test_list_filters_by_area_kind_and_status(client, town, area_a, area_b, people, build):
    secretary = people["secretariat"]
    garden = build("planned", title="甲区花园")
    build("completed", title="甲区围墙", kind="old_wall")
    project_at("planned", actor=secretary, area=area_b, title="乙区花园")
    page = town_url("project_list", town)

    def titles(query):
        response = client.get(page + query, **EN)
        assert response.status_code == 200
        text = body(response)
        return {t for t in ("甲区花园", "甲区围墙", "乙区花园") if t in text}

    assert titles("") == {"甲区花园", "甲区围墙", "乙区花园"}
    assert titles(f"?area={area_a.pk}") == {"甲区花园", "甲区围墙"}
    assert titles("?kind=old_wall") == {"甲区围墙"}
    assert titles("?status=planned") == {"甲区花园", "乙区花园"}
    assert titles(f"?area={area_b.pk}&kind=garden&status=planned") == {"乙区花园"}
    assert garden.get_absolute_url() in body(client.get(page))
    # A bad filter value is a 400 with the whole list, never a 500.
    assert client.get(page + "?status=nonsense").status_code == 400


def test_list_shows_counts_by_status_scores_and_staff_links(
    client_for, town, area_a, people, build
):
    done = build("completed", title="已建成")
    build("planned", title="计划中")
    answer(done, people["resident"], gain=3, satisfaction=4)
    text = body(client_for("anonymous").get(town_url("project_list", town), **EN))
    assert "Satisfaction 4.0 · sense of gain 3.0 (1 response)" in text
    assert "Satisfaction from 1 response" in text
    assert "Start a project" not in text
    staff_text = body(client_for("area_staff").get(town_url("project_list", town), **EN))
    assert "Start a project" in staff_text
    assert "Download the project ledger" in staff_text
    assert town_url("create_project", town) in staff_text
    # Counts follow the area and kind filters; a status filter narrows the list only.
    filtered = body(
        client_for("anonymous").get(town_url("project_list", town) + "?status=completed", **EN)
    )
    assert (
        '<span class="figure-value">1</span><span class="figure-label">Planned</span>' in filtered
    )
    assert "计划中" not in filtered


def test_list_answers_htmx_with_the_results_only(client, town, build):
    build("planned", title="局部刷新")
    response = client.get(town_url("project_list", town) + "?kind=garden", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = body(response)
    assert text.lstrip().startswith('<div id="results">')
    assert "局部刷新" in text
    assert "<html" not in text
    assert "HX-Request" in response["Vary"]


def test_list_makes_constant_queries(client_for, town, area_a, people, staff):
    process = completed_process(area=area_a, actor=staff)
    site = SiteFactory(area=area_a, town=town)
    partner_user = UserFactory()
    made = []

    def add(n):
        for _ in range(n):
            project = new_project(actor=staff, site=site, process=process, title=f"项目{len(made)}")
            made.append(project)
        # One finished project with a score, so that the scores' subqueries run on rows.
        if len(made) == n:
            finished = project_at("completed", actor=staff, area=area_a, process=process)
            answer(finished, partner_user)
        return made[-n:]

    assert_constant_queries(
        client_for("resident"), town_url("project_list", town) + "?kind=garden", add
    )


# --- The project's page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        ("planned", ["The milestones are not planned yet."], ["The result", "Before and after"]),
        ("construction", ["Under construction", "not started"], ["The result"]),
        (
            "completed",
            [
                "The result",
                "建成花园步道和座椅",
                "Before and after",
                "Answer the satisfaction survey",
            ],
            ["Maintained by"],
        ),
        ("maintenance", ["Maintained by", "居民自治小组", "In maintenance"], []),
        ("suspended", ["Reason", "等待审批"], ["The result"]),
    ],
)
def test_project_page_of_each_status(client, build, status, shown, hidden):
    project = build(status)
    response = client.get(project.get_absolute_url(), **EN)
    assert response.status_code == 200
    text = body(response)
    assert "Where it came from" in text
    assert project.process.title in text
    assert shown
    for words in shown:
        assert words in text, words
    for words in hidden:  # may be empty: a maintained project hides nothing listed
        assert words not in text, words
    assert url("manage", project) not in text


def finish(project, actor, *, finished_on=None):
    """Close the milestones, add the after photo and complete ``project``."""
    finished_on = finished_on or today() - timedelta(days=1)
    for milestone in project.milestones.filter(actual_end__isnull=True):
        services.record_milestone(
            milestone=milestone,
            actor=actor,
            actual_start=project.actual_start,
            actual_end=finished_on,
        )
    services.add_photo(
        project=project,
        actor=actor,
        phase="after",
        upload=jpeg_upload(),
        content="完工",
        taken_at=timezone.now() - timedelta(hours=1),
        place="花园",
        photographer="陈社工",
    )
    return services.complete_project(
        project=project, actor=actor, result="建成步道", completed_on=finished_on
    )


def test_page_tells_the_result_and_satisfaction(client, people, build):
    project = build("construction")
    services.approve_extra_budget(
        project=project,
        actor=people["secretariat"],
        amount="100.00",
        reason="加固",
        authority="镇联席会",
        approved_on=today(),
    )
    services.record_spending(
        project=project,
        actor=people["area_staff"],
        amount="50050.00",
        spent_on=today(),
        item="施工款",
    )
    project = finish(
        project, people["area_staff"], finished_on=project.planned_end + timedelta(days=3)
    )
    answer(project, people["resident"], gain=4, satisfaction=5)
    answer(project, people["partner"], gain=3, satisfaction=4)
    text = body(client.get(project.get_absolute_url(), **EN))
    assert "50,050 yuan of a budget of 50,000 yuan" in text
    assert "50 yuan over the budget (approved)" in text
    assert "3 days late" in text
    assert '<span class="figure-value">3.5</span>' in text  # sense of gain
    assert '<span class="figure-value">4.5</span>' in text  # satisfaction
    assert '<meter id="spread-5" min="0" max="2" value="1">' in text
    assert '<meter id="spread-4" min="0" max="2" value="1">' in text
    assert (
        reverse("surveys:survey", args=[project.town.slug, project.satisfaction_survey_id]) in text
    )


def test_page_hides_people_and_masks_names_from_the_public(client_for, area_a, people, build):
    partner = PartnerFactory(user=people["partner"], area=area_a, name="王合伙人")
    project = build("construction", partners=[partner])
    services.add_photo(
        project=project,
        actor=people["area_staff"],
        phase="during",
        upload=jpeg_upload(),
        content="铺设步道",
        taken_at=timezone.now() - timedelta(hours=2),
        place="中心花园",
        photographer="陈社工",
        people="张阿姨、李伯伯",
    )
    for role in ("anonymous", "resident"):
        text = body(client_for(role).get(project.get_absolute_url(), **EN))
        assert "铺设步道" in text
        assert "张阿姨" not in text
        assert "王合伙人" not in text
        assert "王**" in text
    staff_text = body(client_for("area_staff").get(project.get_absolute_url(), **EN))
    assert "张阿姨、李伯伯" in staff_text
    assert "王合伙人" in staff_text
    assert url("manage", project) in staff_text
    # The project's partner gets the workbench link, but the people stay staff-only.
    partner_text = body(client_for("partner").get(project.get_absolute_url(), **EN))
    assert url("manage", project) in partner_text
    assert "张阿姨" not in partner_text


def test_page_of_a_project_from_a_proposal_tells_its_history(client, town, area_a, people, staff):
    proposal = make_proposal(town=town, author=people["resident"], area=area_a, title="加装晾衣架")
    proposal_services.support_proposal(proposal=proposal, user=people["partner"])
    Proposal.objects.filter(pk=proposal.pk).update(status="adopted")
    proposal.refresh_from_db()
    project = make_project(
        actor=staff, site=SiteFactory(area=area_a, town=town), proposal=proposal, title="便民晾衣架"
    )
    text = body(client.get(project.get_absolute_url(), **EN))
    assert "加装晾衣架" in text
    assert "1 support" in text
    assert "李**" in text and "李居民" not in text


def test_an_unknown_project_is_404(client, town, build):
    project = build("planned")
    assert client.get(reverse("renewal:project", args=["other", project.pk])).status_code == 404
    assert client.get(reverse("renewal:project", args=[town.slug, 999999])).status_code == 404


# --- The workbench -------------------------------------------------------------------------


def post(client, name, project, data, *more, **extra):
    return client.post(url(name, project, *more), data, **EN, **extra)


@pytest.fixture
def staff_client(client_for):
    return client_for("area_staff")


def test_workbench_is_for_staff_and_the_projects_partners(
    client_for, area_a, area_b, people, build
):
    partner = PartnerFactory(user=people["partner"], area=area_a)
    mine = build("construction", partners=[partner])
    other = project_at("planned", actor=people["secretariat"], area=area_b)
    expected = {
        "anonymous": 302,
        "resident": 403,
        "partner": 200,
        "area_staff": 200,
        "secretariat": 200,
        "other_secretariat": 403,
        "administrator": 200,
    }
    for role, status in expected.items():
        assert client_for(role).get(url("manage", mine)).status_code == status, role
    assert client_for("area_staff").get(url("manage", other)).status_code == 403
    with assert_nothing_written():
        assert client_for("area_staff").post(url("add_spending", other), {}).status_code == 403
    # A partner records progress and photos, not money or status.
    text = body(client_for("partner").get(url("manage", mine), **EN))
    assert "Record the dates" in text and "Add a photo" in text
    assert "Record spending" not in text and "Suspend the project" not in text
    partner_client = client_for("partner")
    assert post(partner_client, "add_spending", mine, {}).status_code == 403
    assert post(partner_client, "suspend", mine, {}).status_code == 403


def test_get_on_an_action_is_405(staff_client, build):
    project = build("planned")
    assert staff_client.get(url("add_milestone", project)).status_code == 405


def test_add_milestone(staff_client, build):
    project = build("planned")
    ok = post(
        staff_client,
        "add_milestone",
        project,
        {
            "milestone-title": "拆除旧设施",
            "milestone-planned_start": "2030-03-01",
            "milestone-planned_end": "2030-03-10",
        },
    )
    assert ok.status_code == 302 and ok["Location"].endswith(url("manage", project) + "#milestones")
    assert project.milestones.get().title == "拆除旧设施"

    backwards = post(
        staff_client,
        "add_milestone",
        project,
        {
            "milestone-title": "倒着的",
            "milestone-planned_start": "2030-03-10",
            "milestone-planned_end": "2030-03-01",
        },
    )
    assert backwards.status_code == 409
    assert "is before its start" in body(backwards)
    invalid = post(staff_client, "add_milestone", project, {"milestone-planned_start": "x"})
    assert invalid.status_code == 400
    assert "This field is required." in body(invalid)
    assert project.milestones.count() == 1


def test_record_milestone(staff_client, build):
    project = build("construction")
    milestone = project.milestones.get()
    key = f"progress-{milestone.pk}"
    backwards = post(
        staff_client,
        "record_milestone",
        project,
        {
            f"{key}-actual_start": str(today()),
            f"{key}-actual_end": str(today() - timedelta(days=3)),
        },
        milestone.pk,
    )
    assert backwards.status_code == 409
    assert "is before its start" in body(backwards)
    future = post(
        staff_client,
        "record_milestone",
        project,
        {f"{key}-actual_start": str(today() + timedelta(days=3))},
        milestone.pk,
    )
    # A date that has not come yet is a field error of the form (core.validators.HAPPENED).
    assert future.status_code == 400
    invalid = post(
        staff_client, "record_milestone", project, {f"{key}-actual_start": "soon"}, milestone.pk
    )
    assert invalid.status_code == 400
    milestone.refresh_from_db()
    assert milestone.actual_start is None
    ok = post(
        staff_client,
        "record_milestone",
        project,
        {
            f"{key}-actual_start": str(today() - timedelta(days=10)),
            f"{key}-actual_end": str(today() - timedelta(days=2)),
        },
        milestone.pk,
    )
    assert ok.status_code == 302
    milestone.refresh_from_db()
    assert milestone.actual_end == today() - timedelta(days=2)
    # A milestone of another project is not found through this one.
    other = build("construction")
    stray = post(staff_client, "record_milestone", project, {}, other.milestones.get().pk)
    assert stray.status_code == 404


def test_spending_within_and_beyond_the_budget(client_for, staff_client, build):
    project = build("construction", budget="1000.00")
    ok = post(
        staff_client,
        "add_spending",
        project,
        {"spending-amount": "800.00", "spending-spent_on": str(today()), "spending-item": "材料"},
    )
    assert ok.status_code == 302
    beyond = post(
        staff_client,
        "add_spending",
        project,
        {"spending-amount": "300.00", "spending-spent_on": str(today()), "spending-item": "人工"},
    )
    assert beyond.status_code == 409
    assert "record an approval to spend beyond the budget first" in body(beyond)
    invalid = post(
        staff_client,
        "add_spending",
        project,
        {"spending-amount": "lots", "spending-spent_on": str(today()), "spending-item": "人工"},
    )
    assert invalid.status_code == 400
    assert list(Spending.objects.filter(project=project).values_list("amount", flat=True)) == [
        Decimal("800.00")
    ]
    # Area staff do not approve; the secretariat does, and then the spending passes.
    approval = {
        "approval-amount": "200.00",
        "approval-reason": "增加照明",
        "approval-authority": "镇联席会",
        "approval-approved_on": str(today()),
    }
    assert post(staff_client, "approve_budget", project, approval).status_code == 403
    assert "Record an approval" not in body(staff_client.get(url("manage", project), **EN))
    secretary = client_for("secretariat")
    assert "Record an approval" in body(secretary.get(url("manage", project), **EN))
    assert post(secretary, "approve_budget", project, {"approval-amount": "-5"}).status_code == 400
    assert not BudgetApproval.objects.exists()
    assert post(secretary, "approve_budget", project, approval).status_code == 302
    again = post(
        staff_client,
        "add_spending",
        project,
        {"spending-amount": "300.00", "spending-spent_on": str(today()), "spending-item": "人工"},
    )
    assert again.status_code == 302
    text = body(staff_client.get(url("manage", project), **EN))
    assert "1,100 yuan spent of a budget of 1,000 yuan." in text
    assert "Approved beyond the budget: 200 yuan." in text


def photo_data(upload, phase="before", **extra):
    return {
        "photo-phase": phase,
        "photo-image": upload,
        "photo-content": "改造前的角落",
        "photo-taken_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "photo-place": "3号楼转角",
        "photo-photographer": "陈社工",
        "photo-people": "",
        **extra,
    }


def test_add_photo(staff_client, settings, build):
    project = build("planned")
    ok = post(staff_client, "add_photo", project, photo_data(jpeg_upload()))
    assert ok.status_code == 302
    photo = ProjectPhoto.objects.get(project=project)
    assert photo.content == "改造前的角落"
    assert b"PhoneMaker" not in photo.image.read()  # re-encoded: no EXIF kept

    text_file = SimpleUploadedFile("notes.txt", b"not a photo", content_type="text/plain")
    refused = post(staff_client, "add_photo", project, photo_data(text_file))
    assert refused.status_code == 409
    assert "Upload a photo (JPEG, PNG or WebP)." in body(refused)

    wrong_phase = post(staff_client, "add_photo", project, photo_data(jpeg_upload(), "after"))
    assert wrong_phase.status_code == 409
    assert "only photos from before it" in body(wrong_phase)

    # The size limit is a setting: a photo over it is refused whatever its kind.
    settings.GONGZHI_MAX_UPLOAD_BYTES = 200
    big = io.BytesIO()
    Image.effect_noise((64, 64), 80).convert("RGB").save(big, "JPEG")
    too_big = SimpleUploadedFile("big.jpg", big.getvalue(), content_type="image/jpeg")
    refused_big = post(staff_client, "add_photo", project, photo_data(too_big))
    assert refused_big.status_code == 409
    assert "files may be at most" in body(refused_big)

    invalid = post(
        staff_client, "add_photo", project, photo_data(jpeg_upload(), **{"photo-content": ""})
    )
    assert invalid.status_code == 400
    assert ProjectPhoto.objects.filter(project=project).count() == 1


def test_start_construction(staff_client, build):
    project = build("planned")
    refused = post(staff_client, "start_construction", project, {"start-on": str(today())})
    assert refused.status_code == 409
    assert "at least one milestone" in body(refused)
    assert post(staff_client, "start_construction", project, {"start-on": "x"}).status_code == 400
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED
    services.add_milestone(
        project=project,
        actor=project.created_by,
        title="施工",
        planned_start=today(),
        planned_end=today() + timedelta(days=5),
    )
    ok = post(staff_client, "start_construction", project, {"start-on": str(today())})
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    assert project.actual_start == today()


def test_suspend_and_resume(client, staff_client, build):
    project = build("construction")
    invalid = post(staff_client, "suspend", project, {"suspend-on": str(today())})
    assert invalid.status_code == 400
    not_suspended = post(staff_client, "resume", project, {"resume-on": str(today())})
    assert not_suspended.status_code == 409
    assert "Only a suspended project can resume." in body(not_suspended)
    ok = post(
        staff_client, "suspend", project, {"suspend-reason": "材料延误", "suspend-on": str(today())}
    )
    assert ok.status_code == 302
    text = body(client.get(project.get_absolute_url(), **EN))
    assert "材料延误" in text and "Suspended" in text
    assert "Resume the project" in body(staff_client.get(url("manage", project), **EN))
    assert post(staff_client, "resume", project, {"resume-on": str(today())}).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    assert list(project.history.values_list("to_status", flat=True)) == [
        "construction",
        "suspended",
        "construction",
    ]
    finished = build("completed")
    late = post(
        staff_client, "suspend", finished, {"suspend-reason": "晚了", "suspend-on": str(today())}
    )
    assert late.status_code == 409


def test_complete_with_an_open_milestone_is_refused(staff_client, people, build):
    project = build("construction")
    data = {"complete-result": "建成了", "complete-completed_on": str(today())}
    page = body(staff_client.get(url("manage", project), **EN))
    assert "Still missing before the project can complete:" in page
    assert "1 milestone(s) still open" in page
    refused = post(staff_client, "complete", project, data)
    assert refused.status_code == 409
    assert "The project cannot complete yet" in body(refused)
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    assert project.satisfaction_survey_id is None and not project.result
    assert post(staff_client, "complete", project, {"complete-result": ""}).status_code == 400


def test_complete_publishes_and_maintenance_follows(
    staff_client, people, build, django_capture_on_commit_callbacks
):
    project = build("construction")
    services.record_milestone(
        milestone=project.milestones.get(),
        actor=people["area_staff"],
        actual_start=project.actual_start,
        actual_end=today() - timedelta(days=1),
    )
    services.add_photo(
        project=project,
        actor=people["area_staff"],
        phase="after",
        upload=jpeg_upload(),
        content="完工",
        taken_at=timezone.now() - timedelta(hours=1),
        place="花园",
        photographer="陈社工",
    )
    early = post(
        staff_client,
        "start_maintenance",
        project,
        {"maintenance-maintained_by": "物业", "maintenance-on": str(today())},
    )
    assert early.status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        ok = post(
            staff_client,
            "complete",
            project,
            {"complete-result": "建成步道", "complete-completed_on": str(today())},
        )
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert project.satisfaction_survey.is_open
    assert (
        post(
            staff_client, "start_maintenance", project, {"maintenance-on": str(today())}
        ).status_code
        == 400
    )
    ok = post(
        staff_client,
        "start_maintenance",
        project,
        {"maintenance-maintained_by": "居民自治小组", "maintenance-on": str(today())},
    )
    assert ok.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.MAINTENANCE
    assert project.maintained_by == "居民自治小组"
    assert StatusChange.objects.filter(project=project).count() == 3


# --- Creating and editing ------------------------------------------------------------------


def create_data(process, site, unit, **extra):
    return {
        "origin": f"process:{process.pk}",
        "site": site.pk,
        "kind": "garden",
        "title": "口袋花园",
        "description": "步道与座椅",
        "responsible_unit": unit.pk,
        "budget": "30000",
        "funding_source": "town_budget",
        "contractor": "某园林公司",
        "planned_start": str(today()),
        "planned_end": str(today() + timedelta(days=60)),
        **extra,
    }


def test_create_project_from_a_completed_plan(staff_client, town, area_a, staff):
    process = completed_process(area=area_a, actor=staff, title="甲区口袋花园规划")
    site = SiteFactory(area=area_a, town=town)
    unit = unit_of(town)
    page = staff_client.get(town_url("create_project", town) + f"?process={process.pk}", **EN)
    assert page.status_code == 200
    assert f'<option value="process:{process.pk}" selected>' in body(page)
    assert 'value="甲区口袋花园规划"' in body(page)  # the origin's title to start from
    ok = staff_client.post(town_url("create_project", town), create_data(process, site, unit), **EN)
    assert ok.status_code == 302
    project = Project.objects.get()
    assert ok["Location"] == url("manage", project)
    assert (project.process, project.site, project.budget) == (process, site, Decimal("30000"))


def test_create_project_refuses_a_site_outside_the_origins_area(
    client_for, town, area_a, area_b, people, staff
):
    process = completed_process(area=area_a, actor=staff)
    other_site = SiteFactory(area=area_b, town=town)
    secretary = client_for("secretariat")
    data = create_data(process, other_site, unit_of(town))
    with assert_nothing_written():
        refused = secretary.post(town_url("create_project", town), data, **EN)
    assert refused.status_code == 409
    assert "the residential area the project comes from" in body(refused)
    # Area staff are offered neither the other area's sites nor its origins.
    process_b = completed_process(area=area_b, actor=people["secretariat"])
    staff_client = client_for("area_staff")
    page = body(staff_client.get(town_url("create_project", town), **EN))
    assert f"process:{process.pk}" in page
    assert f"process:{process_b.pk}" not in page
    assert f"{area_b.name} · {other_site.name}" not in page
    with assert_nothing_written():
        not_offered = staff_client.post(
            town_url("create_project", town),
            create_data(process_b, other_site, unit_of(town)),
            **EN,
        )
    assert not_offered.status_code == 400
    assert not Project.objects.exists()


def test_create_project_is_for_staff_of_the_town(client_for, town, other_town):
    assert client_for("resident").get(town_url("create_project", town)).status_code == 403
    assert client_for("partner").get(town_url("create_project", town)).status_code == 403
    assert client_for("other_secretariat").get(town_url("create_project", town)).status_code == 403
    text = body(client_for("area_staff").get(town_url("create_project", town), **EN))
    assert "There is nothing to build from yet" in text


def test_edit_project(staff_client, build):
    project = build("construction", budget="1000.00")
    services.record_spending(
        project=project, actor=project.created_by, amount="600", spent_on=today(), item="材料"
    )
    page = staff_client.get(url("edit_project", project), **EN)
    assert page.status_code == 200
    assert 'value="中心花园微更新"' in body(page)
    data = {
        "title": "中心花园二期",
        "kind": "garden",
        "description": "更多座椅",
        "budget": "1200.00",
        "funding_source": "sponsor",
        "contractor": "新公司",
        "planned_start": str(project.planned_start),
        "planned_end": str(project.planned_end),
    }
    assert staff_client.post(url("edit_project", project), data).status_code == 302
    project.refresh_from_db()
    assert (project.title, project.budget, project.funding_source) == (
        "中心花园二期",
        Decimal("1200.00"),
        "sponsor",
    )
    with assert_nothing_written():
        below = staff_client.post(url("edit_project", project), {**data, "budget": "500"}, **EN)
    assert below.status_code == 409
    assert "the budget cannot be less than that" in body(below)
    with assert_nothing_written():
        invalid = staff_client.post(url("edit_project", project), {**data, "planned_end": ""})
    assert invalid.status_code == 400
    project.refresh_from_db()
    assert project.budget == Decimal("1200.00")
    finished = build("completed")
    final = staff_client.get(url("edit_project", finished), **EN)
    assert "the project's details are final" in body(final)


# --- Sections on other pages ---------------------------------------------------------------


def test_plan_page_offers_a_project_and_lists_it(client_for, town, area_a, people, staff):
    process = completed_process(area=area_a, actor=staff, title="甲区规划")
    plan_url = reverse("planning:process", args=[town.slug, process.pk])
    start = town_url("create_project", town) + f"?process={process.pk}"
    assert start in body(client_for("area_staff").get(plan_url, **EN))
    assert start in body(client_for("secretariat").get(plan_url, **EN))
    assert start not in body(client_for("resident").get(plan_url, **EN))
    project = new_project(actor=staff, area=area_a, process=process, title="甲区花园项目")
    public = body(client_for("anonymous").get(plan_url, **EN))
    assert "甲区花园项目" in public and project.get_absolute_url() in public
    area_page = body(
        client_for("anonymous").get(reverse("places:area", args=[town.slug, area_a.pk]), **EN)
    )
    assert project.get_absolute_url() in area_page
    assert "All projects of this area" in area_page


def test_staff_of_another_area_are_not_offered_the_plan(client_for, town, area_b, people):
    process = completed_process(area=area_b, actor=people["secretariat"])
    plan_url = reverse("planning:process", args=[town.slug, process.pk])
    start = town_url("create_project", town) + f"?process={process.pk}"
    assert start not in body(client_for("area_staff").get(plan_url, **EN))
    assert start in body(client_for("secretariat").get(plan_url, **EN))


def test_adopted_proposal_page_offers_a_project(client_for, town, area_a, people):
    proposal = make_proposal(town=town, author=people["resident"], area=area_a, title="加装座椅")
    start = town_url("create_project", town) + f"?proposal={proposal.pk}"
    assert start not in body(client_for("area_staff").get(proposal.get_absolute_url(), **EN))
    Proposal.objects.filter(pk=proposal.pk).update(status="adopted")
    assert start in body(client_for("area_staff").get(proposal.get_absolute_url(), **EN))
    page = body(client_for("area_staff").get(start, **EN))
    assert f'<option value="proposal:{proposal.pk}" selected>' in page


def test_page_compares_with_the_needs_survey(client, town, area_a, people, staff, build):
    from gongzhi.planning.models import Need, SurveyLink
    from gongzhi.surveys import services as surveys

    process = completed_process(area=area_a, actor=staff, title="有需求调查的规划")
    survey = surveys.create_survey(town=town, area=area_a, actor=staff, title="居民需求调查")
    question = surveys.add_question(survey=survey, actor=staff, kind="scale", text="现状满意度")
    surveys.open_survey(survey=survey, actor=staff)
    for user in (people["resident"], people["partner"]):
        surveys.submit_response(survey=survey, user=user, answers={question.pk: 2})
    run = process.runs.get(step__order=1)
    SurveyLink.objects.create(run=run, survey=survey)
    Need.objects.create(run=run, text="增加休憩座椅", order=1)
    project = build("completed", process=process)
    answer(project, people["resident"])
    text = body(client.get(project.get_absolute_url(), **EN))
    assert "Compared with the needs survey" in text
    assert "居民需求调查" in text and "2 responses" in text
    assert "1 resident answered both surveys." in text
    assert "增加休憩座椅" in text


def test_winning_entry_becomes_a_project(client_for, town, area_a, people, staff):
    from gongzhi.contests.models import Entry
    from gongzhi.contests.tests.builders import contest_world

    partner = PartnerFactory(user=people["partner"], area=area_a)
    world = contest_world(town=town, area=area_a, people=people, partner=partner)
    entry = Entry.objects.select_related("site", "contest").get(pk=world["entry"])
    entry_url = entry.get_absolute_url()
    start = town_url("create_project", town) + f"?entry={entry.pk}"
    assert start not in body(client_for("area_staff").get(entry_url, **EN))
    Entry.objects.filter(pk=entry.pk).update(is_winner=True)
    assert start in body(client_for("area_staff").get(entry_url, **EN))
    form = body(client_for("area_staff").get(start, **EN))
    assert f'<option value="entry:{entry.pk}" selected>' in form
    assert f'<option value="{entry.site_id}" selected>' in form  # the entry's site
    entry.refresh_from_db()
    project = make_project(actor=staff, site=entry.site, entry=entry, title="获奖方案落地")
    text = body(client_for("anonymous").get(project.get_absolute_url(), **EN))
    assert entry.title in text and entry.team_name in text and entry.contest.title in text
    assert project.get_absolute_url() in body(client_for("anonymous").get(entry_url, **EN))


# --- Review fixes ------------------------------------------------------------------------------


def test_a_date_before_2000_is_a_field_error(client, staff_client, build, settings):
    """Year 1 (a slip, and for a photo time one that could not be read back) is
    refused by the form with a 400 on its field; nothing is stored and the project
    page still opens."""
    from .test_services import stored_files

    project = build("construction")
    files = stored_files(settings)
    early = photo_data(jpeg_upload(), "during", **{"photo-taken_at": "0001-01-01T00:00"})
    refused = post(staff_client, "add_photo", project, early)
    assert refused.status_code == 400
    assert "Give a date from 2000-01-01 on." in body(refused)
    spending = post(
        staff_client,
        "add_spending",
        project,
        {"spending-amount": "10", "spending-spent_on": "1999-12-31", "spending-item": "材料"},
    )
    assert spending.status_code == 400
    assert "Give a date from 2000-01-01 on." in body(spending)
    assert not ProjectPhoto.objects.filter(project=project, phase="during").exists()
    assert not Spending.objects.filter(project=project).exists()
    assert stored_files(settings) == files
    assert client.get(project.get_absolute_url()).status_code == 200
    # The browser's date pickers start there too.
    assert 'min="2000-01-01"' in body(staff_client.get(url("manage", project)))


def test_the_photographer_is_masked_for_everyone_but_managers(client_for, area_a, people, build):
    partner = PartnerFactory(user=people["partner"], area=area_a)
    project = build("construction", partners=[partner])  # its photo is by 陈社工
    for role in ("anonymous", "resident", "partner"):
        text = body(client_for(role).get(project.get_absolute_url(), **EN))
        assert "photo: 陈**" in text, role
        assert "陈社工" not in text, role
    partner_bench = body(client_for("partner").get(url("manage", project), **EN))
    assert "photo: 陈**" in partner_bench and "陈社工" not in partner_bench
    for role in ("area_staff", "secretariat"):
        text = body(client_for(role).get(project.get_absolute_url(), **EN))
        assert "photo: 陈社工" in text, role


def test_maintained_by_asks_for_a_unit_not_a_person(staff_client, build):
    project = build("completed")
    text = body(staff_client.get(url("manage", project), **EN))
    assert "A unit or group, not a person&#x27;s name" in text


@pytest.mark.parametrize("status", ["completed", "maintenance"])
def test_no_spending_form_once_the_accounts_are_closed(client_for, build, status):
    project = build(status)
    for role in ("area_staff", "secretariat"):
        text = body(client_for(role).get(url("manage", project), **EN))
        assert "Record spending" not in text, role
        assert url("add_spending", project) not in text, role
        assert "Money" in text  # the accounts are still shown
    building = build("construction")
    assert "Record spending" in body(client_for("area_staff").get(url("manage", building), **EN))


# Every POST of the project pages, with who may use it: "manage" (staff of the area,
# the secretariat, the administrator), "contribute" (those and the project's active
# partners), "approve" (the town: secretariat and administrator), "create" (the
# town's staff, area staff of any area).
POST_ACTIONS = {
    "add_milestone": "manage",
    "record_milestone": "contribute",
    "add_spending": "manage",
    "approve_budget": "approve",
    "add_photo": "contribute",
    "start_construction": "manage",
    "suspend": "manage",
    "resume": "manage",
    "complete": "manage",
    "start_maintenance": "manage",
    "edit_project": "manage",
    "create_project": "create",
}
ALLOWED_ROLES = {
    "manage": {"area_staff", "secretariat", "administrator"},
    "contribute": {"project_partner", "area_staff", "secretariat", "administrator"},
    "approve": {"secretariat", "administrator"},
    "create": {"other_area_staff", "area_staff", "secretariat", "administrator"},
}
POST_ROLES = [
    "resident",
    "other_partner",
    "project_partner",
    "other_area_staff",
    "area_staff",
    "secretariat",
    "administrator",
]


@pytest.mark.parametrize("action", list(POST_ACTIONS))
def test_who_may_post_each_action(client, town, area_a, area_b, people, build, action):
    """403 for everyone without the permission; anyone with it gets past the check
    (an empty form is a 400, a refusal a 409: what matters is that it is not 403)."""
    from .builders import area_staff

    partner = PartnerFactory(user=people["partner"], area=area_a)
    project = build("construction", partners=[partner])
    accounts = {
        "resident": people["resident"],
        "other_partner": PartnerFactory(area=area_a).user,
        "project_partner": people["partner"],
        "other_area_staff": area_staff(area_b),
        "area_staff": people["area_staff"],
        "secretariat": people["secretariat"],
        "administrator": people["administrator"],
    }
    if action == "create_project":
        target = town_url("create_project", town)
    elif action == "record_milestone":
        target = url(action, project, project.milestones.get().pk)
    else:
        target = url(action, project)
    before = snapshot_counts(project)
    allowed = ALLOWED_ROLES[POST_ACTIONS[action]]
    for role in POST_ROLES:
        client.force_login(accounts[role])
        status = client.post(target, {}, **EN).status_code
        if role in allowed:
            assert status in (302, 400, 409), (role, status)
        else:
            assert status == 403, (role, status)
    assert snapshot_counts(project) == before


def snapshot_counts(project):
    project.refresh_from_db()
    return (
        project.status,
        project.milestones.filter(actual_start__isnull=False).count(),
        project.spendings.count(),
        project.approvals.count(),
        project.photos.count(),
        Project.objects.count(),
    )


def test_the_area_section_reads_only_the_projects_it_shows(town, area_a, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongzhi.renewal.hooks import AREA_SHOWN, area_section

    process = completed_process(area=area_a, actor=staff)
    site = SiteFactory(area=area_a, town=town)
    for n in range(AREA_SHOWN + 2):
        new_project(actor=staff, site=site, process=process, title=f"项目{n}")
    with CaptureQueriesContext(connection) as queries:
        shown = area_section(None, area_a)["projects"]
    assert len(shown) == AREA_SHOWN
    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()


def test_page_shows_the_needs_surveys_ratings_beside_satisfaction(
    client, town, area_a, people, staff, build
):
    from gongzhi.planning.models import SurveyLink
    from gongzhi.surveys import services as surveys

    process = completed_process(area=area_a, actor=staff, title="有评分的规划")
    survey = surveys.create_survey(town=town, area=area_a, actor=staff, title="居民需求调查")
    question = surveys.add_question(survey=survey, actor=staff, kind="scale", text="现状满意度")
    surveys.open_survey(survey=survey, actor=staff)
    for user, value in ((people["resident"], 2), (people["partner"], 3)):
        surveys.submit_response(survey=survey, user=user, answers={question.pk: value})
    SurveyLink.objects.create(run=process.runs.get(step__order=1), survey=survey)
    project = build("completed", process=process)
    answer(project, people["resident"], gain=4, satisfaction=5)
    text = body(client.get(project.get_absolute_url(), **EN))
    assert "Ratings in the needs survey (1–5)" in text
    assert '<td>现状满意度</td><td class="num">2.5</td><td class="num">2</td>' in text
    assert (
        '<td>Satisfaction with the finished project</td><td class="num">5.0</td>'
        '<td class="num">1</td>'
    ) in text
    assert '<div class="table-wrap" tabindex="0"' in text


def test_project_strings_have_their_own_chinese(client, client_for, town, build):
    """Words the project pages share with other pages in English, but not in Chinese:
    the project's result (not the notice's 公示结果), the spending's "What for" (not
    the volunteer hours' 做了什么)."""
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    project = build("completed")
    text = body(client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "建设成果" in text and "公示结果" not in text
    bench = build("construction")
    services.record_spending(
        project=bench, actor=bench.created_by, amount="10", spent_on=today(), item="材料"
    )
    manage = body(
        client_for("area_staff").get(url("manage", bench), HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    assert "用途" in manage
    with translation.override("zh-hans"):
        assert gettext("What for") == "做了什么"  # the events' volunteer-hours form
        assert pgettext("spending", "What for") == "用途"
