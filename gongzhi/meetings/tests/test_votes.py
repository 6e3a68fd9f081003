"""Votes cast together are all or nothing; the logged ledger download."""

import pytest
from django.urls import reverse

from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import Column, Ledger, logged_download
from gongzhi.core.models import AuditEvent
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    Vote,
)
from gongzhi.places.models import ResidentialArea

from .builders import decided_meeting, seconded_motion, sign_in_people

# --- 11. Votes together, one ledger download, one list of areas -------------------------


def test_cast_votes_is_all_or_nothing(meeting, staff):
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    absent = services.invite(meeting=meeting, actor=staff, name="李四")
    motion = seconded_motion(meeting, staff, people)
    with pytest.raises(DomainError):
        services.cast_votes(
            motion=motion,
            actor=staff,
            votes={people[0].pk: "yes", people[1].pk: "no", absent.pk: "yes"},
        )
    assert not Vote.objects.exists()
    with pytest.raises(DomainError):
        services.cast_votes(motion=motion, actor=staff, votes={people[0].pk: "maybe"})
    assert not Vote.objects.exists()
    cast = services.cast_votes(
        motion=motion, actor=staff, votes={people[0].pk: "yes", people[1].pk: "no"}
    )
    assert len(cast) == 2 and Vote.objects.count() == 2


def test_logged_download_records_the_rows(town, people):
    ledger = Ledger("Sheet", "Title", [Column("A")], lambda: iter([[1], [2], [3]]))
    response = logged_download(
        [ledger],
        "台账.xlsx",
        "ledger.xlsx",
        actor=people["secretariat"],
        town=town,
        name="x",
        year=1,
    )
    assert response["Content-Disposition"].startswith('attachment; filename="ledger.xlsx"')
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "x", "rows": 3, "year": 1}


def test_meeting_ledger_export_is_logged_with_its_rows(client_for, town, area_a, staff):
    decided_meeting(town=town, area=area_a, actor=staff)
    response = client_for("area_staff").get(reverse("meetings:ledger", args=[town.slug]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "meetings", "rows": 1, "year": None}


def test_areas_for_choices_come_from_one_queryset_method(town, area_a, area_b):
    import gongzhi.proposals.forms as proposal_forms
    from gongzhi.partners.forms import town_areas

    assert not hasattr(proposal_forms, "town_areas")
    # In pinyin order: 第二居民区 (di) before 逸景佳苑 (yi).
    assert list(ResidentialArea.objects.choices_in(town)) == [area_b, area_a]
    assert list(town_areas(town)) == list(ResidentialArea.objects.choices_in(town))
    assert not ResidentialArea.objects.choices_in(None).exists()
