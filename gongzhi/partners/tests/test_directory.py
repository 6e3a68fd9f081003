"""The talent pool: filters, masking, profile, query counts."""

import pytest
from django.urls import reverse

from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.tests.factories import PartnerFactory, UserFactory


@pytest.fixture
def pool(town, area_a, area_b):
    return [
        PartnerFactory(
            town=town,
            area=area_a,
            name="张医生",
            profession="医生",
            modes=["education"],
            skills=["急救"],
            party_status="dual_registered",
            weekend_day=True,
            user=UserFactory(phone="13811112222"),
        ),
        PartnerFactory(
            town=town,
            area=area_b,
            name="李律师",
            profession="律师",
            modes=["governance", "think_tank"],
            skills=["法律咨询"],
            weekday_evening=True,
            user=UserFactory(phone="13833334444"),
        ),
    ]


def directory(town):
    return reverse("partners:directory", args=[town.slug])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["李律师", "张医生"]),  # pinyin order: li before zhang
        ({"mode": "think_tank"}, ["李律师"]),
        ({"mode": "education"}, ["张医生"]),
        ({"skill": "急救"}, ["张医生"]),
        ({"profession": "律"}, ["李律师"]),
        ({"party": "dual_registered"}, ["张医生"]),
        ({"slot": "weekday_evening"}, ["李律师"]),
        ({"q": "法律"}, ["李律师"]),
        ({"q": "医生"}, ["张医生"]),
    ],
)
def test_filters(client_for, pool, town, params, expected):
    response = client_for("secretariat").get(directory(town), params)
    assert [p.name for p in response.context["page"]] == expected


def test_area_filter(client_for, pool, town, area_b):
    response = client_for("secretariat").get(directory(town), {"area": area_b.pk})
    assert [p.name for p in response.context["page"]] == ["李律师"]


def test_bad_filter_value_is_a_400_with_message(client, pool, town):
    response = client.get(directory(town), {"mode": "astrology"})
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "resident", "partner", "other_secretariat"])
def test_contacts_are_masked_for_others(client_for, pool, town, role):
    html = client_for(role).get(directory(town)).content.decode()
    assert "13811112222" not in html and "张医生" not in html
    assert "138****2222" in html and "张**" in html


def test_secretariat_sees_all_contacts(client_for, pool, town):
    html = client_for("secretariat").get(directory(town)).content.decode()
    assert "13811112222" in html and "13833334444" in html and "张医生" in html


def test_area_staff_see_contacts_of_their_area_only(client_for, pool, town):
    html = client_for("area_staff").get(directory(town)).content.decode()
    assert "13811112222" in html  # 张医生 lives in area A, which they serve
    assert "13833334444" not in html and "138****4444" in html


def test_partner_sees_their_own_contact_on_their_profile(client, pool, town):
    doctor = pool[0]
    client.force_login(doctor.user)
    html = client.get(doctor.get_absolute_url()).content.decode()
    assert "13811112222" in html


def test_profile_shows_modes_skills_and_units(client, pool, town, people):
    from gongzhi.organisations.services import add_member, create_team

    team = create_team(
        town=town, actor=people["secretariat"], name="急救队", basis="group", group_name="组"
    )
    add_member(unit=team, partner=pool[0], role="deputy", actor=people["secretariat"])
    html = client.get(pool[0].get_absolute_url()).content.decode()
    assert "急救" in html and "急救队" in html and "138****2222" in html


def test_directory_query_count_is_constant(client_for, town, area_a):
    def make(n, modes=("planning", "education")):
        return [
            PartnerFactory(town=town, area=area_a, modes=list(modes), skills=["摄影", "手绘"])
            for _ in range(n)
        ]

    assert_constant_queries(client_for("secretariat"), directory(town), make)
    # Residents filter by a work mode that only the partners added next have.
    assert_constant_queries(
        client_for("resident"),
        directory(town) + "?mode=media",
        lambda n: make(n, modes=("media", "planning")),
    )


def test_partner_profile_query_count_does_not_depend_on_skills(client, town, area_a):
    partner = PartnerFactory(town=town, area=area_a)
    from gongzhi.partners.services import normalise_skills

    counter = iter(range(100))

    def add_skills(n):
        names = [f"技能{next(counter)}号" for _ in range(n)]
        partner.skills.add(*normalise_skills(names))
        return names

    assert_constant_queries(client, partner.get_absolute_url(), add_skills, small=2, large=12)


def test_staff_tools_are_linked_for_those_who_may_use_them(client_for, town):
    secretariat = client_for("secretariat").get(directory(town)).content.decode()
    for name in ["review_queue", "roster_export", "import", "match", "recommend"]:
        assert reverse(f"partners:{name}", args=[town.slug]) in secretariat
    area_staff = client_for("area_staff").get(directory(town)).content.decode()
    assert reverse("partners:roster_export", args=[town.slug]) in area_staff
    assert reverse("partners:review_queue", args=[town.slug]) not in area_staff
    resident = client_for("resident").get(directory(town)).content.decode()
    assert reverse("partners:recommend", args=[town.slug]) not in resident
    assert reverse("partners:roster_export", args=[town.slug]) not in resident


def test_partner_edits_their_own_profile(client, pool, town):
    doctor = pool[0]
    client.force_login(doctor.user)
    url = reverse("partners:edit_partner", args=[town.slug, doctor.pk])
    with assert_nothing_written():
        bad = client.post(
            url, {"profession": "", "skills": "急救", "availability": ["weekend_day"]}
        )
    assert bad.status_code == 400
    ok = client.post(
        url,
        {"profession": "全科医生", "skills": "急救、健康讲座", "availability": ["weekday_evening"]},
    )
    assert ok.status_code == 302
    doctor.refresh_from_db()
    assert doctor.profession == "全科医生" and doctor.availability == ["weekday_evening"]
    assert sorted(s.name for s in doctor.skills.all()) == ["健康讲座", "急救"]
    # Another partner's profile is not theirs to edit.
    other = client.get(reverse("partners:edit_partner", args=[town.slug, pool[1].pk]))
    assert other.status_code == 403


def test_secretariat_pauses_a_partner_with_a_reason(
    client_for, pool, town, django_capture_on_commit_callbacks
):
    from gongzhi.core.models import AuditEvent, Notification

    lawyer = pool[1]
    client = client_for("secretariat")
    url = reverse("partners:manage_partner", args=[town.slug, lawyer.pk])
    with assert_nothing_written():
        no_reason = client.post(url, {"status": "paused", "primary_mode": "governance"})
    assert no_reason.status_code == 400
    lawyer.refresh_from_db()
    assert lawyer.status == "active"
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url,
            {
                "status": "paused",
                "primary_mode": "think_tank",
                "secondary_modes": ["governance"],
                "note": "出国半年",
            },
        )
    assert ok.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.status == "paused" and lawyer.primary_mode == "think_tank"
    assert lawyer.secondary_modes == ["governance"]
    assert AuditEvent.objects.filter(verb="partner.manage", target_id=str(lawyer.pk)).exists()
    assert Notification.objects.filter(user=lawyer.user).exists()
    # A paused partner leaves the directory and matching.
    html = client.get(directory(town)).content.decode()
    assert "李律师" not in html
