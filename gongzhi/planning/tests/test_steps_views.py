"""The evidence pages through the test client: who may gather evidence, residents'
part (dot votes, comments, objections) and refusals shown as 403/409 with nothing
stored; the printable A4 notice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.testing import assert_nothing_written
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import (
    ConsultationComment,
    DesignDraft,
    DotVote,
    Need,
    Objection,
)

from .builders import draft, fake_pdf, jump_to, pdf, publish_notice, start


@pytest.fixture
def plan_a(town, area_a, people):
    """Started by the secretariat, run by the area staff of area A."""
    return start(town, area_a, people["secretariat"])


@pytest.fixture
def plan_b(town, area_b, people):
    return start(town, area_b, people["secretariat"])


def url(name, process, *args):
    return reverse(f"planning:{name}", args=[process.town.slug, process.pk, *args])


def test_step_page_shows_what_is_missing(client_for, plan_a):
    response = client_for("area_staff").get(url("step", plan_a))
    assert response.status_code == 200
    assert "questionnaire" in response.content.decode() or "问卷" in response.content.decode()
    assert response.context["missing"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("resident", 403), ("partner", 403), ("area_staff", 403), ("secretariat", 200)],
)
def test_step_page_of_another_area(client_for, plan_b, role, status):
    assert client_for(role).get(url("step", plan_b)).status_code == status


def test_anonymous_is_sent_to_log_in(client_for, plan_a):
    response = client_for("anonymous").get(url("step", plan_a))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_add_a_need_but_not_in_another_area(client_for, plan_a, plan_b):
    client = client_for("area_staff")
    response = client.post(url("step_need", plan_a), {"need-text": "夜间照明"})
    assert response.status_code == 302
    assert Need.objects.filter(run__process=plan_a, text="夜间照明").exists()
    with assert_nothing_written():
        response = client.post(url("step_need", plan_b), {"need-text": "越权"})
    assert response.status_code == 403
    assert not Need.objects.filter(run__process=plan_b).exists()


def test_lead_partner_gathers_evidence_but_cannot_decide(client_for, people, town, area_a):
    from gongzhi.tests.factories import PartnerFactory

    partner = PartnerFactory(user=people["partner"], town=town, area=area_a)
    process = start(town, area_a, people["secretariat"], lead_partner=partner)
    client = client_for("partner")
    assert client.get(url("step", process)).status_code == 200
    jump_to(process, 6)
    with assert_nothing_written():
        response = client.post(url("step_decision", process))
    assert response.status_code == 403


def test_a_text_file_named_pdf_is_refused_with_409(client_for, plan_a, settings):
    jump_to(plan_a, 3)
    with assert_nothing_written():
        response = client_for("area_staff").post(
            url("step_draft", plan_a),
            {
                "draft-file": fake_pdf(),
                "draft-title": "方案一",
                "draft-description": "说明",
            },
        )
    assert response.status_code == 409
    assert "PDF" in response.content.decode()
    assert not DesignDraft.objects.exists()


def test_upload_a_draft_through_the_page(client_for, plan_a):
    jump_to(plan_a, 3)
    response = client_for("area_staff").post(
        url("step_draft", plan_a),
        {
            "draft-file": pdf("一"),
            "draft-title": "方案一",
            "draft-description": "说明",
        },
    )
    assert response.status_code == 302
    assert DesignDraft.objects.get().version == 1


def test_action_of_another_step_is_refused(client_for, plan_a):
    with assert_nothing_written():
        response = client_for("area_staff").post(url("step_interview", plan_a))
    assert response.status_code == 409


def test_the_pages_refuse_a_post(client_for, plan_a, notice, drafts):
    """The step page, a draft, the consultation and the notice post each form to its
    own URL; a POST to the page itself (an old copy of it, a hand-made request) is
    refused, not answered with the page and nothing done."""
    pages = (
        url("step", plan_a),
        url("draft", plan_a, drafts[0].pk),
        url("notice", plan_a),
        url("consultation", plan_a),
    )
    for role in ("area_staff", "resident"):
        client = client_for(role)
        with assert_nothing_written():
            for page in pages:
                for data in ({}, {"action": "need", "need-text": "x"}, {"action": "vote"}):
                    assert client.post(page, data).status_code == 405


@pytest.fixture
def drafts(plan_a, people):
    jump_to(plan_a, 3)
    first = draft(plan_a, people["area_staff"])
    second = draft(plan_a, people["area_staff"], file=pdf("二"), title="方案二")
    return first, second


def test_draft_page_and_file_are_public(client_for, plan_a, drafts):
    first, _second = drafts
    response = client_for("anonymous").get(url("draft", plan_a, first.pk))
    assert response.status_code == 200 and "方案一" in response.content.decode()
    file = client_for("anonymous").get(url("draft_file", plan_a, first.pk))
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF-")
    assert file["X-Content-Type-Options"] == "nosniff"


def test_dot_vote_once_on_a_phone(client_for, plan_a, drafts):
    first, second = drafts
    jump_to(plan_a, 4)
    resident = client_for("resident")
    page = resident.get(url("draft", plan_a, first.pk))
    assert url("draft_vote", plan_a, first.pk) in page.content.decode()
    assert resident.post(url("draft_vote", plan_a, first.pk)).status_code == 302
    with assert_nothing_written():
        again = resident.post(url("draft_vote", plan_a, second.pk))
    assert again.status_code == 409
    assert DotVote.objects.count() == 1
    response = resident.post(
        url("draft_comment", plan_a, second.pk), {"comment-body": "更喜欢这个"}
    )
    assert response.status_code == 302
    anonymous = client_for("anonymous").post(url("draft_vote", plan_a, first.pk))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_no_dot_vote_outside_step_4(client_for, plan_a, drafts):
    first, _second = drafts
    with assert_nothing_written():
        response = client_for("resident").post(url("draft_vote", plan_a, first.pk))
    assert response.status_code == 409 and not DotVote.objects.exists()


@pytest.fixture
def consultation(plan_a, drafts, people):
    jump_to(plan_a, 8)
    now = timezone.now()
    return ev.open_consultation(
        process=plan_a,
        actor=people["area_staff"],
        draft=drafts[0],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )


def test_consultation_comment_and_staff_reply(client_for, plan_a, consultation):
    resident = client_for("resident")
    page = resident.get(url("consultation", plan_a))
    assert page.status_code == 200 and url("consultation_comment", plan_a) in page.content.decode()
    response = resident.post(url("consultation_comment", plan_a), {"comment-body": "增加坡道"})
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    with assert_nothing_written():
        denied = resident.post(
            url("consultation_reply", plan_a),
            {"reply-target": comment.pk, "reply-reply": "我来回复"},
        )
    assert denied.status_code == 403
    staff = client_for("area_staff")
    response = staff.post(
        url("consultation_reply", plan_a),
        {"reply-target": comment.pk, "reply-reply": "已增加坡道"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.reply == "已增加坡道"
    public = client_for("anonymous").get(url("consultation", plan_a)).content.decode()
    assert "已增加坡道" in public


def test_comment_after_the_window_closed(client_for, plan_a, consultation):
    consultation.opens_at = timezone.now() - timedelta(days=9)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save()
    with assert_nothing_written():
        response = client_for("resident").post(
            url("consultation_comment", plan_a), {"comment-body": "晚了"}
        )
    assert response.status_code == 409
    assert not ConsultationComment.objects.exists()


@pytest.fixture
def notice(plan_a, drafts, people):
    jump_to(plan_a, 11)
    return publish_notice(
        process=plan_a,
        actor=people["area_staff"],
        draft=drafts[0],
        text="逸景佳苑中心花园更新方案现予公示，公示期内居民可提出异议。",
    )


def test_objection_and_reply(client_for, plan_a, notice):
    resident = client_for("resident")
    response = resident.post(url("notice_object", plan_a), {"objection-body": "廊架挡光"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    response = client_for("secretariat").post(
        url("notice_reply", plan_a),
        {"reply-target": objection.pk, "reply-reply": "廊架已调整"},
    )
    assert response.status_code == 302
    page = client_for("anonymous").get(url("notice", plan_a)).content.decode()
    assert "廊架已调整" in page and "公示期内居民可提出异议" in page


def test_objection_after_the_notice_ended(client_for, plan_a, notice):
    notice.starts_on = timezone.localdate() - timedelta(days=10)
    notice.ends_on = timezone.localdate() - timedelta(days=1)
    notice.save()
    with assert_nothing_written():
        response = client_for("resident").post(
            url("notice_object", plan_a), {"objection-body": "晚了"}
        )
    assert response.status_code == 409 and not Objection.objects.exists()


def test_a4_notice_has_the_chinese_text_and_a_qr_code(client_for, plan_a, notice):
    response = client_for("anonymous").get(url("notice_print", plan_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert "公示期内居民可提出异议" in page and plan_a.area.name in page
    assert "<svg" in page and "print.css" in page
    assert 'lang="zh-Hans"' in page


def test_a4_notice_without_a_notice_is_not_found(client_for, plan_a):
    assert client_for("anonymous").get(url("notice_print", plan_a)).status_code == 404


# --- Malformed ids, names on public pages, caching, sizes ---------------------------


BAD_IDS = ["abc", "²", "1" * 40, "-1", " "]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_malformed_need_id_is_a_bad_request(client_for, plan_a, bad):
    need = ev.add_need(process=plan_a, actor=plan_a.created_by, text="夜间照明")
    client = client_for("area_staff")
    client.cookies["django_language"] = "en"
    with assert_nothing_written():
        response = client.post(url("step_remove_need", plan_a), {"need": bad})
    assert response.status_code == 400
    assert "Choose a need of the list." in response.content.decode()
    assert Need.objects.filter(pk=need.pk).exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_malformed_area_and_team_ids_on_start_and_batch(client_for, town, area_a, bad):
    client = client_for("secretariat")
    start_url = reverse("planning:start", args=[town.slug])
    assert client.get(start_url, {"area": bad}).status_code == 200
    with assert_nothing_written():
        response = client.post(start_url, {"area": bad, "title": "规划"})
    assert response.status_code == 400
    batch_url = reverse("planning:batch", args=[town.slug])
    with assert_nothing_written():
        response = client.post(batch_url, {"title": "批次", "areas": [bad]})
    assert response.status_code == 400
    with assert_nothing_written():
        response = client.post(
            batch_url, {"title": "批次", "areas": [area_a.pk], f"team_{area_a.pk}": bad}
        )
    assert response.status_code == 400
    assert not plan_exists(town)


def plan_exists(town):
    from gongzhi.planning.models import PlanningProcess

    return PlanningProcess.objects.filter(town=town).exists()


def test_draft_author_is_masked_for_the_public(client_for, plan_a, town, people):
    from gongzhi.tests.factories import PartnerFactory

    jump_to(plan_a, 3)
    author = PartnerFactory(town=town, name="欧阳设计师")
    made = draft(plan_a, people["area_staff"], author=author)
    for role in ("anonymous", "resident"):
        page = client_for(role).get(url("draft", plan_a, made.pk)).content.decode()
        assert "欧阳设计师" not in page and "欧**" in page
    page = client_for("area_staff").get(url("draft", plan_a, made.pk)).content.decode()
    assert "欧阳设计师" in page


def test_plan_page_offers_the_dot_vote_only_in_participatory_design(client_for, plan_a, drafts):
    process_url = plan_a.get_absolute_url()
    draft_url = url("draft", plan_a, drafts[0].pk)
    actions = client_for("resident").get(process_url).context["can_do_now"]
    assert all(action["url"] != draft_url for action in actions)  # step 3: drafts only
    jump_to(plan_a, 4)
    actions = client_for("resident").get(process_url).context["can_do_now"]
    assert any(action["url"] == draft_url for action in actions)


def test_draft_file_is_publicly_cached_only_for_a_public_plan(client_for, plan_a, drafts):
    from gongzhi.planning.models import PlanningProcess

    file_url = url("draft_file", plan_a, drafts[0].pk)
    assert client_for("anonymous").get(file_url)["Cache-Control"].startswith("public")
    PlanningProcess.objects.filter(pk=plan_a.pk).update(status="draft")
    response = client_for("secretariat").get(file_url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_oversized_uploads_are_refused_and_store_nothing(client_for, plan_a, settings):
    from gongzhi.planning.models import StepPhoto

    from .builders import png
    from .test_evidence_services import media_files

    settings.GONGZHI_MAX_UPLOAD_BYTES = 100
    client = client_for("area_staff")
    client.cookies["django_language"] = "en"
    with assert_nothing_written():
        response = client.post(
            url("step_photo", plan_a), {"photo-image": png(), "photo-caption": "入口"}
        )
    assert response.status_code == 409
    assert "at most" in response.content.decode()
    jump_to(plan_a, 3)
    with assert_nothing_written():
        response = client.post(
            url("step_draft", plan_a),
            {
                "draft-file": pdf("很长的方案" * 20),
                "draft-title": "方案一",
                "draft-description": "说明",
            },
        )
    assert response.status_code == 409
    assert "at most" in response.content.decode()
    assert not StepPhoto.objects.exists() and not DesignDraft.objects.exists()
    assert not media_files(settings)
