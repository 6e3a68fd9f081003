"""The demo year's partner cultivation: the 2023 programme held through the named
salon, World Café and training, and the 32 residential areas it served, counted from
the sessions' check-ins."""

from gongzhi.cultivation.counting import areas_served
from gongzhi.cultivation.models import Programme
from gongzhi.cultivation.queries import area_record
from gongzhi.places.models import ResidentialArea
from gongzhi.reports.figures import Period, compute


def test_the_2023_programme_is_held_through_the_named_formats(town):
    programme = Programme.objects.get(town=town, title="参与式社区规划培训")
    assert programme.status == "closed" and programme.sessions_required == 2
    sessions = list(programme.sessions.select_related("activity").order_by("order"))
    assert [s.activity.title for s in sessions] == [
        "共创美好社区",
        "境聚里世界咖啡馆",
        "合伙人参与式规划培训",
    ]
    assert {s.activity.kind for s in sessions} == {"salon", "world_cafe", "training"}
    assert all(s.activity.starts_at.year == 2023 for s in sessions)


def test_all_32_areas_were_served_in_2023_and_none_in_2022(town):
    served = areas_served(town, Period.of_year(2023))
    assert served.total == 32 == ResidentialArea.objects.filter(town=town).count()
    assert compute(town=town, period=Period.of_year(2023))["areas_served"].value == 32
    assert areas_served(town, Period.of_year(2022)).total == 0


def test_each_area_has_its_record(town):
    area = ResidentialArea.objects.get(town=town, code="01")
    record = area_record(area)
    assert record and all(row.user.residential_area_id == area.pk for row in record)
    assert (
        len({row.user.pk for row in record})
        == areas_served(town, Period.of_year(2023), area).areas[area.pk]
    )
