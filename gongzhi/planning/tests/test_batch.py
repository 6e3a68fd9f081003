"""Batch launch: one POST starts the template in every area ticked, with a team
each; all or nothing; refusals are shown."""

import pytest
from django.urls import reverse

from gongzhi.core.testing import assert_nothing_written
from gongzhi.planning.models import BatchLaunch, PlanningProcess
from gongzhi.tests.factories import AreaFactory

from .test_pages import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(town, area_a, area_b, people):
    from gongzhi.organisations.services import create_team, set_up_organisation
    from gongzhi.tests.factories import PartnerFactory

    secretary = people["secretariat"]
    set_up_organisation(town=town, actor=secretary)
    leader = PartnerFactory(area=area_a)
    return [
        create_team(
            town=town, actor=secretary, name="甲队", basis="leader", leader=leader, areas=[area_a]
        ),
        create_team(
            town=town, actor=secretary, name="乙队", basis="group", group_name="乙组", areas=[]
        ),
    ]


def test_batch_in_32_areas_in_one_post(client_for, town, area_a, area_b, teams):
    areas = [area_a, area_b] + [AreaFactory(town=town) for _i in range(30)]
    url = reverse("planning:batch", args=[town.slug])
    page = client_for("secretariat").get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="areas"') == 32
    data = {"title": "2024年参与式规划", "areas": [a.pk for a in areas]}
    for area in areas:
        data[f"team_{area.pk}"] = teams[0].pk if area == area_a else teams[1].pk
    response = client_for("secretariat").post(url, data)
    assert response.status_code == 302
    batch = BatchLaunch.objects.get()
    assert PlanningProcess.objects.filter(batch=batch).count() == 32
    assert PlanningProcess.objects.get(area=area_a).team == teams[0]
    assert PlanningProcess.objects.get(area=area_b).team == teams[1]
    result = client_for("secretariat").get(response["Location"])
    assert result.status_code == 200
    assert (
        result.content.decode().count(reverse("planning:process", args=[town.slug, 1])[:-2]) >= 32
    )


def test_batch_all_or_nothing(client_for, town, area_a, area_b, people, teams):
    start(town, area_b, people["secretariat"])
    fresh = AreaFactory(town=town, name="第三居民区")
    url = reverse("planning:batch", args=[town.slug])
    with assert_nothing_written():
        response = client_for("secretariat").post(
            url, {"title": "批次", "areas": [area_a.pk, area_b.pk, fresh.pk]}
        )
    assert response.status_code == 409
    assert area_b.name in response.content.decode()
    assert PlanningProcess.objects.count() == 1 and not BatchLaunch.objects.exists()
    # The choices are kept on the page shown again.
    assert f'value="{fresh.pk}" id="area-{fresh.pk}" checked' in response.content.decode()


def test_batch_refusals(client_for, town, area_a, other_town, teams):
    url = reverse("planning:batch", args=[town.slug])
    client = client_for("secretariat")
    with assert_nothing_written():
        none = client.post(url, {"title": "批次"})
    assert none.status_code == 409
    assert not PlanningProcess.objects.exists()
    foreign = AreaFactory(town=other_town)
    with assert_nothing_written():
        assert client.post(url, {"title": "批次", "areas": [foreign.pk]}).status_code == 400
    with assert_nothing_written():
        bad_team = client.post(
            url, {"title": "批次", "areas": [area_a.pk], f"team_{area_a.pk}": "x"}
        )
    assert bad_team.status_code == 400
    with assert_nothing_written():
        assert client.post(url, {"title": "", "areas": [area_a.pk]}).status_code == 400
    assert not PlanningProcess.objects.exists()
    select_all = client.get(url + "?all=1").content.decode()
    assert f'value="{area_a.pk}" id="area-{area_a.pk}" checked' in select_all


def test_batch_permissions(client_for, town, area_a, people):
    url = reverse("planning:batch", args=[town.slug])
    for role in ("resident", "partner", "area_staff", "other_secretariat"):
        assert client_for(role).get(url).status_code == 403
        with assert_nothing_written():
            assert (
                client_for(role).post(url, {"title": "x", "areas": [area_a.pk]}).status_code == 403
            )
    assert not PlanningProcess.objects.exists()
    from gongzhi.planning import services

    batch = services.launch_batch(
        town=town, actor=people["secretariat"], title="批次", assignments=[(area_a, None)]
    )
    result = reverse("planning:batch_result", args=[town.slug, batch.pk])
    assert client_for("area_staff").get(result).status_code == 403
    assert client_for("secretariat").get(result).status_code == 200
