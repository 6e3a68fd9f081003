"""Applying, recommending and reviewing: the services and their pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.accounts.models import User
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.services import verify_audit_chain
from gongzhi.core.testing import assert_nothing_written
from gongzhi.partners import services
from gongzhi.partners.models import (
    Application,
    Partner,
    Recommendation,
    RecommendationStatus,
)
from gongzhi.partners.tests.builders import make_application


@pytest.fixture
def form(town, area_a):
    return {
        "name": "张设计",
        "phone": "13955556666",
        "password1": "quiet-garden-42",
        "password2": "quiet-garden-42",
        "area": str(area_a.pk),
        "profession": "设计师",
        "skills": "手绘、旧物改造, 摄影",
        "modes": ["planning", "media"],
        "party_status": "dual_registered",
        "availability": ["weekend_day", "weekday_evening"],
        "motivation": "想为小区出力",
        "consent": "on",
    }


def apply_url(town):
    return reverse("partners:apply", args=[town.slug])


def test_visitor_applies_on_the_public_form_and_gets_an_account(client, town, form, area_a):
    response = client.post(apply_url(town), form)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:my_applications")
    application = Application.objects.get()
    assert application.applicant.phone == "13955556666"
    assert application.applicant.check_password("quiet-garden-42")
    assert application.channel == "online" and application.status == "submitted"
    assert application.modes_wanted == ["planning", "media"]
    assert sorted(s.name for s in application.skills.all()) == ["手绘", "摄影", "旧物改造"]
    assert application.availability == ["weekday_evening", "weekend_day"]
    assert application.party_status == "dual_registered"
    kinds = set(application.applicant.consents.values_list("kind", flat=True))
    assert kinds == {"privacy_notice", "partner_profile"}
    assert AuditEvent.objects.filter(verb="application.submit").count() == 1
    # Logged in now: the page lists the application.
    page = client.get(reverse("partners:my_applications"))
    assert "等待审核" in page.content.decode() or "Waiting" in page.content.decode()


def test_signed_in_resident_applies_with_their_own_number(client_for, town, form, people):
    client = client_for("resident")
    form.pop("password1"), form.pop("password2")
    form["phone"] = "13000000000"  # ignored: the field is disabled for a signed-in user
    assert client.post(apply_url(town), form).status_code == 302
    assert Application.objects.get().applicant == people["resident"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "2395555666"}, "phone"),
        ({"consent": ""}, "consent"),
        ({"modes": ["astrology"]}, "modes"),
        ({"modes": []}, "modes"),
        ({"password2": "other-password-1"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"availability": ["midnight"]}, "availability"),
        ({"skills": "x" * 31}, "skills"),
        ({"area": "999999"}, "area"),
    ],
)
def test_bad_application_input_is_refused_and_nothing_is_stored(client, town, form, change, field):
    form.update(change)
    form = {k: v for k, v in form.items() if v not in ("", [])}
    with assert_nothing_written():
        response = client.post(apply_url(town), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Application.objects.exists()
    assert not User.objects.filter(phone=form.get("phone", "-")).exists()


def test_area_of_another_town_is_refused(client, town, other_town, form):
    from gongzhi.tests.factories import AreaFactory

    form["area"] = str(AreaFactory(town=other_town).pk)
    with assert_nothing_written():
        assert client.post(apply_url(town), form).status_code == 400
    assert not Application.objects.exists()


def test_number_with_an_account_must_log_in_first(client, town, form, people):
    form["phone"] = people["resident"].phone
    with assert_nothing_written():
        response = client.post(apply_url(town), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "log in first" in response.content.decode()
    assert not Application.objects.exists()


def test_duplicate_open_application_is_refused(client_for, town, form, people):
    client = client_for("resident")
    form.pop("password1"), form.pop("password2")
    assert client.post(apply_url(town), form).status_code == 302
    with assert_nothing_written():
        again = client.post(apply_url(town), form, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "already waiting for review" in again.content.decode()
    assert Application.objects.count() == 1


def test_accepting_enrols_a_partner_with_modes_role_audit_and_notice(
    db, town, area_a, people, django_capture_on_commit_callbacks
):
    application = make_application(town=town, area=area_a)
    secretary = people["secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.accept_application(
            application=application,
            actor=secretary,
            primary_mode="education",
            secondary_modes=["media", "education"],
        )
    assert partner.primary_mode == "education" and partner.secondary_modes == ["media"]
    assert partner.availability == ["weekend_day"] and [s.name for s in partner.skills.all()] == [
        "儿童教育"
    ]
    assert partner.user.role_grants.filter(role="partner", town=town).exists()
    application.refresh_from_db()
    assert application.status == "accepted" and application.decided_by == secretary
    assert AuditEvent.objects.filter(verb="application.accept", actor=secretary).exists()
    assert Notification.objects.filter(user=application.applicant).exists()
    assert verify_audit_chain() is None


def test_a_decided_application_cannot_be_decided_again(db, town, area_a, people):
    application = make_application(town=town, area=area_a)
    services.decline_application(
        application=application, actor=people["secretariat"], reason="名额已满"
    )
    with (
        translation.override("en"),
        assert_nothing_written(),
        pytest.raises(DomainError, match="already decided"),
    ):
        services.accept_application(
            application=application, actor=people["secretariat"], primary_mode="media"
        )
    assert not Partner.objects.exists()


def test_unknown_mode_on_acceptance_stores_nothing(db, town, area_a, people):
    application = make_application(town=town, area=area_a)
    with pytest.raises(DomainError):
        services.accept_application(
            application=application, actor=people["secretariat"], primary_mode="magic"
        )
    application.refresh_from_db()
    assert application.status == "submitted" and not Partner.objects.exists()


def test_decline_needs_a_reason(db, town, area_a, people):
    application = make_application(town=town, area=area_a)
    with pytest.raises(DomainError):
        services.decline_application(
            application=application, actor=people["secretariat"], reason="  "
        )
    application.refresh_from_db()
    assert application.status == "submitted"


def test_more_info_round_trip(client, db, town, area_a, people, django_capture_on_commit_callbacks):
    application = make_application(town=town, area=area_a, password="quiet-garden-42")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more_info(
            application=application, actor=people["secretariat"], question="周末哪天有空？"
        )
    applicant = application.applicant
    assert Notification.objects.filter(user=applicant, message__contains="周末哪天有空").exists()
    client.force_login(applicant)
    url = reverse("partners:edit_application", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and "周末哪天有空" in page.content.decode()
    response = client.post(
        url,
        {
            "name": "王老师",
            "area": area_a.pk,
            "profession": "教师",
            "skills": "儿童教育",
            "modes": ["education"],
            "party_status": "none",
            "availability": ["weekend_day", "weekend_evening"],
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and "weekend_evening" in application.availability
    # Once back in the queue it cannot be edited again.
    assert client.get(url).status_code == 409


def test_review_page_accepts_through_the_form(client_for, town, area_a):
    application = make_application(town=town, area=area_a)
    client = client_for("secretariat")
    args = [town.slug, application.pk]
    with assert_nothing_written():
        bad = client.post(reverse("partners:decline_application", args=args), {"reason": ""})
    assert bad.status_code == 400
    ok = client.post(
        reverse("partners:accept_application", args=args),
        {"primary_mode": "media", "secondary_modes": ["education"]},
    )
    assert ok.status_code == 302
    assert Partner.objects.get().primary_mode == "media"


def test_a_post_to_the_review_page_is_refused(client_for, town, area_a):
    """Each form posts to its own URL; a POST to the page itself (an old copy of it,
    a hand-made request) is refused, not answered with the page and nothing done."""
    application = make_application(town=town, area=area_a)
    url = reverse("partners:review_application", args=[town.slug, application.pk])
    client = client_for("secretariat")
    with assert_nothing_written():
        for data in ({}, {"action": "decline", "reason": "理由"}, {"action": "nonsense"}):
            assert client.post(url, data).status_code == 405
    application.refresh_from_db()
    assert application.status == "submitted"


def test_review_queue_lists_open_applications_with_constant_queries(client_for, town, area_a):
    from gongzhi.core.testing import assert_constant_queries

    counter = iter(range(10_000))

    def make(n):
        applications = [
            make_application(town=town, area=area_a, phone=f"1370000{next(counter):04d}")
            for _ in range(n)
        ]
        return [
            reverse("partners:review_application", args=[town.slug, a.pk]) for a in applications
        ]

    assert_constant_queries(
        client_for("secretariat"), reverse("partners:review_queue", args=[town.slug]), make
    )


# --- Recommendations ------------------------------------------------------------------


def test_recommendation_needs_the_residents_own_application(client, db, town, area_a, people, form):
    rec, token = services.recommend(
        town=town,
        area=area_a,
        actor=people["area_staff"],
        name="孙阿姨",
        phone="13955556666",
        reason="热心肠",
    )
    assert not Application.objects.exists()  # nobody is enrolled by being recommended
    assert rec.token_hash != token and len(token) > 20
    url = reverse("partners:recommendation", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "热心肠" in page.content.decode()
    assert client.post(url, form).status_code == 302
    application = Application.objects.get()
    assert application.channel == "recommended"
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CONFIRMED and rec.application == application


def test_recommendation_link_cannot_be_used_twice(client, db, town, area_a, people, form):
    _rec, token = services.recommend(
        town=town,
        area=area_a,
        actor=people["area_staff"],
        name="孙阿姨",
        phone="13955556666",
        reason="热心肠",
    )
    url = reverse("partners:recommendation", args=[token])
    client.post(url, form)
    client.post(reverse("account_logout"))
    second = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 410 and "already used" in second.content.decode()
    assert Application.objects.count() == 1


def test_expired_or_unknown_link_is_refused(client, db, town, area_a, people, form):
    rec, token = services.recommend(
        town=town,
        area=area_a,
        actor=people["area_staff"],
        name="孙阿姨",
        phone="13955556666",
        reason="热心肠",
    )
    Recommendation.objects.filter(pk=rec.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(
        reverse("partners:recommendation", args=[token]), form, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert client.get(reverse("partners:recommendation", args=["nope"])).status_code == 410
    assert not Application.objects.exists()


def test_recommend_page_shows_the_link_once(client_for, town, area_a, area_b):
    client = client_for("area_staff")
    url = reverse("partners:recommend", args=[town.slug])
    response = client.post(
        url, {"name": "孙阿姨", "phone": "13955556666", "area": area_a.pk, "reason": "热心"}
    )
    assert response.status_code == 200
    assert (
        "/partners/r/" in response.content.decode()
        and "data:image/svg+xml" in response.content.decode()
    )
    # Area staff cannot recommend for an area they do not serve.
    with assert_nothing_written():
        other = client.post(
            url, {"name": "钱", "phone": "13955556667", "area": area_b.pk, "reason": "热心"}
        )
    assert other.status_code == 400
    assert Recommendation.objects.count() == 1


def test_the_same_resident_cannot_be_recommended_twice_while_pending(db, town, area_a, people):
    services.recommend(
        town=town,
        area=area_a,
        actor=people["area_staff"],
        name="孙",
        phone="13955556666",
        reason="a",
    )
    with assert_nothing_written(), pytest.raises(DomainError):
        services.recommend(
            town=town,
            area=area_a,
            actor=people["secretariat"],
            name="孙",
            phone="13955556666",
            reason="b",
        )


def test_apply_qr_is_an_svg_of_the_apply_link(client, town):
    response = client.get(reverse("partners:apply_qr", args=[town.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    # A file needs its namespace, or the <img> showing it is a broken image.
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_accepting_at_once_enrol_one_partner():
    """Both requests pass the form; the row lock lets only one decide."""
    from gongzhi.core.testing import all_at_once
    from gongzhi.tests.factories import AreaFactory, RoleGrantFactory

    area = AreaFactory()
    application = make_application(town=area.town, area=area)
    reviewers = [RoleGrantFactory(town=area.town, role="secretariat").user for _ in range(2)]

    def accept(reviewer):
        services.accept_application(application=application, actor=reviewer, primary_mode="media")

    outcomes = all_at_once(accept, reviewers)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Partner.objects.count() == 1
    assert verify_audit_chain() is None
