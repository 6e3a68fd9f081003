"""Recording a resident's paper form: the rules of the service (issue 18, point 4)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from gongzhi.accounts.models import ConsentKind, User
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_nothing_written, assert_refused
from gongzhi.events.models import Registration
from gongzhi.paper.kinds import KINDS
from gongzhi.paper.services import record_from_paper
from gongzhi.paper.tests.builders import plan_in_consultation, plan_in_design
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import ConsultationComment, DotVote, Objection
from gongzhi.proposals.models import Support
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.surveys.models import Response
from gongzhi.surveys.tests.builders import answers_for, build_survey
from gongzhi.tests.factories import ActivityFactory, AreaFactory, UserFactory


def record(kind, target, actor, area, **fields):
    values = {"name": "王秀英（12号楼）", "reference": "YJ-2026-012"}
    values.update(fields)
    return record_from_paper(kind=KINDS[kind], target=target, actor=actor, area=area, **values)


def test_a_paper_objection_is_marked_audited_and_gives_the_resident_an_account(plan, staff, area_a):
    objection = record("objection", plan, staff, area_a, body="廊架挡住一楼的阳光。")

    objection.refresh_from_db()
    assert objection.from_paper
    assert objection.paper_reference == "YJ-2026-012"
    assert objection.paper_recorded_by == staff
    resident = objection.user
    # A resident without a mobile number: an account of the area, no number, no
    # password to log in with, the paper's consent recorded.
    assert resident.display_name == "王秀英（12号楼）" and resident.phone is None
    assert resident.residential_area == area_a and not resident.has_usable_password()
    assert resident.consents.filter(kind=ConsentKind.PRIVACY_NOTICE).exists()
    event = AuditEvent.objects.get(verb="paper.objection")
    assert event.actor == staff and event.after["reference"] == "YJ-2026-012"
    # The trail names the resident by number, never by name.
    assert "王秀英" not in str(event.after) and event.after["resident"] == resident.audit_label


def test_the_same_resident_on_paper_twice_is_refused_with_who_recorded_it_and_when(
    plan, staff, area_a
):
    record("objection", plan, staff, area_a, body="廊架挡光。")
    with assert_nothing_written(), pytest.raises(DomainError) as refused:
        record("objection", plan, staff, area_a, body="再提一次。", reference="YJ-2026-013")
    message = refused.value.message
    assert "王秀英（12号楼）" in message and "YJ-2026-012" in message
    assert staff.display_name in message
    assert Objection.objects.count() == 1


def test_a_resident_who_took_part_online_is_refused_with_when(plan, staff, area_a):
    online = UserFactory(display_name="张阿姨", phone="13911112222", residential_area=area_a)
    ev.object_to_notice(process=plan, user=online, body="我在网上提过了。")
    with assert_nothing_written(), pytest.raises(DomainError) as refused:
        record("objection", plan, staff, area_a, name="张阿姨", phone="13911112222", body="纸上")
    message = refused.value.message
    assert "张阿姨" in message and "网上" in message
    assert Objection.objects.get().paper_recorded_at is None


def test_with_a_mobile_number_the_paper_joins_that_residents_account(plan, staff, area_a):
    known = UserFactory(display_name="张阿姨", phone="13911112222", residential_area=area_a)
    objection = record("objection", plan, staff, area_a, phone="13911112222", body="纸上意见")
    assert objection.user == known
    # A new number gets a new account without a password (the resident may claim it).
    other = record("objection", plan, staff, area_a, name="刘伯伯", phone="13922223333", body="好")
    assert other.user.phone == "13922223333" and not other.user.has_usable_password()


def test_a_resident_of_another_area_is_for_that_areas_staff(plan, staff, area_a, area_b):
    UserFactory(display_name="张阿姨", phone="13911112222", residential_area=area_b)
    with assert_nothing_written(), pytest.raises(DomainError) as refused:
        record("objection", plan, staff, area_a, phone="13911112222", body="纸上")
    assert area_b.name in refused.value.message


def test_only_staff_of_the_residents_area_may_record(plan, people, area_a, area_b):
    """(The deployment's administrator passes every permission, as everywhere; the
    pages offer them no area, so they record nothing: see test_pages.)"""
    assert_refused(
        *[
            lambda role=role, area=area: record("objection", plan, people[role], area, body="x")
            for role in ("resident", "partner", "secretariat", "other_secretariat", "area_staff")
            for area in ((area_b,) if role == "area_staff" else (area_a,))
        ]
    )


def test_a_target_of_another_town_is_refused(staff, area_a, other_town):
    activity = ActivityFactory(area=AreaFactory(town=other_town))
    with assert_nothing_written(), pytest.raises(DomainError):
        record("registration", activity, staff, area_a)


def test_the_inputs_own_rules_still_hold_and_nothing_is_half_written(plan, staff, area_a):
    """A refusal by the owning service (here the empty objection) leaves no account."""
    users = User.objects.count()
    with pytest.raises(DomainError):
        record("objection", plan, staff, area_a, body="   ")
    assert User.objects.count() == users and not Objection.objects.exists()


def test_a_missing_reference_is_refused(plan, staff, area_a):
    with assert_nothing_written(), pytest.raises(DomainError):
        record("objection", plan, staff, area_a, reference=" ", body="x")


def test_the_photo_is_kept_outside_media(plan, staff, area_a, settings, tmp_path):
    photo = ContentFile(b"\x89PNG fake but stored as given", name="paper.png")
    objection = record("objection", plan, staff, area_a, body="x", photo=photo)
    path = objection.paper_photo.path
    assert path.startswith(str(settings.PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("kind", ["registration", "support", "response", "comment", "dot"])
def test_every_kind_of_input_is_recorded_once_per_person(kind, town, area_a, staff, people):
    if kind == "registration":
        target, inputs, model = ActivityFactory(area=area_a), {}, Registration
    elif kind == "support":
        target, inputs, model = make_proposal(town=town, area=area_a), {}, Support
    elif kind == "response":
        target = build_survey(town=town, area=area_a, actor=staff)
        inputs, model = {"answers": answers_for(target)}, Response
    elif kind == "comment":
        target = plan_in_consultation(town=town, area=area_a, people=people)
        inputs, model = {"body": "座椅要有靠背。"}, ConsultationComment
    else:
        target = plan_in_design(town=town, area=area_a, people=people)
        inputs, model = {"draft": target.drafts.order_by("version").first()}, DotVote
    row = record(kind, target, staff, area_a, **inputs)
    assert model.objects.get(pk=row.pk).from_paper
    with pytest.raises(DomainError):
        record(kind, target, staff, area_a, reference="YJ-2026-099", **inputs)
    assert model.objects.filter(paper_recorded_at__isnull=False).count() == 1


def test_permission_is_checked_before_anything_for_every_kind(town, area_a, people):
    activity = ActivityFactory(area=area_a)
    with pytest.raises(PermissionDenied):
        record("registration", activity, people["secretariat"], area_a)
    assert not Registration.objects.exists()


def test_deleting_the_account_erases_the_photos_of_its_paper_forms(plan, staff, area_a):
    from gongzhi.accounts.services import delete_account
    from gongzhi.paper.tests.builders import paper_photo

    objection = record(
        "objection", plan, staff, area_a, phone="13933334444", body="x", photo=paper_photo()
    )
    path = objection.paper_photo.path
    resident = objection.user
    resident.set_password("纸质居民的新密码2026")
    resident.save()
    delete_account(user=resident, password="纸质居民的新密码2026")
    objection.refresh_from_db()
    assert not objection.paper_photo and objection.from_paper
    import os

    assert not os.path.exists(path)
