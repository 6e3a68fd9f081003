"""Lists of people and areas read in pinyin order (issue 14, point 7), the same on
SQLite and PostgreSQL: the key is stored beside the name (core.pinyin)."""

from django.urls import reverse

from gongzhi.core.pinyin import pinyin_key
from gongzhi.organisations.models import MemberRole
from gongzhi.organisations.services import add_member, set_up_organisation
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import AreaFactory, PartnerFactory, UserFactory

# People: 曾 is read as the surname zēng, not céng.
PEOPLE = ["张三", "李四", "王五", "阿花", "赵六", "曾七"]
PEOPLE_IN_PINYIN = ["阿花", "李四", "王五", "曾七", "张三", "赵六"]
# Areas, with codes that put them in yet another order.
AREAS = {"张庙": "11", "李家宅": "12", "赵巷": "13", "王家桥": "14", "林苑": "15", "阿花苑": "16"}
AREAS_IN_PINYIN = ["阿花苑", "李家宅", "林苑", "王家桥", "张庙", "赵巷"]


def _areas(town):
    return [AreaFactory(town=town, name=name, code=code) for name, code in AREAS.items()]


def _in_order(html: str, names: list[str]) -> list[str]:
    """The names as they come on the page."""
    assert all(name in html for name in names)
    return sorted(names, key=html.index)


def test_keys_order_names_as_chinese_readers_expect():
    assert sorted(PEOPLE, key=lambda n: pinyin_key(n, person=True)) == PEOPLE_IN_PINYIN
    assert sorted(PEOPLE) != PEOPLE_IN_PINYIN  # code-point order is another order
    # A surname read as a surname; the same character in a place name read as a word.
    assert pinyin_key("单田芳", person=True).startswith("shan4")
    assert pinyin_key("解晓东", person=True).startswith("xie4")
    assert pinyin_key("曾家村").startswith("ceng2")
    assert pinyin_key("李四") < pinyin_key("林一")  # li before lin, as in dictionaries
    assert pinyin_key("  ") == ""


def test_area_list_and_api_in_pinyin_order(client, town):
    _areas(town)
    html = client.get(reverse("places:area_list", args=[town.slug])).content.decode()
    assert _in_order(html, AREAS_IN_PINYIN) == AREAS_IN_PINYIN
    body = client.get(f"/api/v1/towns/{town.slug}/areas", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [a["name"] for a in body["items"]] == AREAS_IN_PINYIN
    choices = [a.name for a in ResidentialArea.objects.choices_in(town)]
    assert choices == AREAS_IN_PINYIN


def test_partner_directory_in_pinyin_order_with_surnames(client, town, area_a):
    for name in PEOPLE:
        PartnerFactory(town=town, area=area_a, name=name)
    response = client.get(reverse("partners:directory", args=[town.slug]))
    # Names are masked on the page (张**), so read the page's rows.
    assert [p.name for p in response.context["page"]] == PEOPLE_IN_PINYIN


def test_a_renamed_area_sorts_by_its_new_name(town):
    rows = {a.name: a for a in _areas(town)}
    area = rows["阿花苑"]
    area.name = "祝桥"  # zhu: last
    area.save(update_fields=["name"])
    names = list(ResidentialArea.objects.in_town(town).by_pinyin().values_list("name", flat=True))
    assert names == [*AREAS_IN_PINYIN[1:], "祝桥"]


def test_area_residents_roster_in_pinyin_order(client_for, town, area_a, people):
    for n, name in enumerate(PEOPLE):
        UserFactory(display_name=name, residential_area=area_a, phone=f"1370000000{n}")
    url = reverse("places:area_residents", args=[town.slug, area_a.pk])
    response = client_for("area_staff").get(url)
    names = [u.display_name for u in response.context["page"]]
    assert [n for n in names if n in PEOPLE] == PEOPLE_IN_PINYIN


def test_unit_members_in_pinyin_order(client_for, town, area_a, people):
    secretariat = people["secretariat"]
    unit = set_up_organisation(town=town, actor=secretariat)
    for name in PEOPLE:
        partner = PartnerFactory(town=town, area=area_a, name=name)
        add_member(unit=unit, partner=partner, role=MemberRole.MEMBER, actor=secretariat)
    response = client_for("secretariat").get(
        reverse("organisations:unit", args=[town.slug, unit.pk])
    )
    assert [m.partner.name for m in response.context["current"]] == PEOPLE_IN_PINYIN
