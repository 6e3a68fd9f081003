"""The roster ledger export, the import of paper applications, and the template."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongzhi.accounts.models import ConsentRecord, User
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_constant_queries
from gongzhi.organisations.models import Membership, OrgUnit
from gongzhi.partners import ledgers
from gongzhi.partners.models import Application, Channel, Partner, PartnerStatus
from gongzhi.tests.factories import AreaFactory, PartnerFactory, UserFactory

HEADERS = [c.header for c in ledgers.IMPORT_COLUMNS]  # 姓名, 手机号码, ... as documented


def roster_url(town):
    return reverse("partners:roster_export", args=[town.slug])


def import_url(town):
    return reverse("partners:import", args=[town.slug])


def row(n=1, **changes):
    """A good row of the documented layout; ``changes`` by column key."""
    values = {
        "name": f"申请人{n}",
        "phone": f"1370000{n:04d}",
        "area": "逸景佳苑",
        "profession": "设计师",
        "skills": "园艺、摄影",
        "modes": "社区规划、媒体",
        "party_status": "双报到党员",
        "availability": "周末白天,工作日晚上",
        "motivation": "想为小区出份力",
        "consent": "是",
    }
    values.update(changes)
    return [values[c.key] for c in ledgers.IMPORT_COLUMNS]


def xlsx_bytes(rows, headers=HEADERS, above=()):
    book = Workbook()
    sheet = book.active
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content, name="申请.xlsx"):
    return SimpleUploadedFile(name, content, content_type=ledgers.XLSX_CONTENT_TYPE)


def post_file(client, town, content, name="申请.xlsx"):
    return client.post(import_url(town), {"file": upload(content, name)}, HTTP_ACCEPT_LANGUAGE="en")


def open_workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def roster_names(response):
    sheet = open_workbook(response).active
    return [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]


# -- roster export -----------------------------------------------------------


@pytest.fixture
def partners(town, other_town, area_a, area_b):
    return {
        "a": PartnerFactory(town=town, area=area_a, name="甲合伙人"),
        "b": PartnerFactory(town=town, area=area_b, name="乙合伙人"),
        "other": PartnerFactory(area=AreaFactory(town=other_town), name="外镇合伙人"),
    }


def test_secretariat_exports_every_partner_of_the_town_and_no_other(client_for, town, partners):
    response = client_for("secretariat").get(roster_url(town))
    assert response.status_code == 200
    assert response["Content-Type"] == ledgers.XLSX_CONTENT_TYPE
    assert sorted(roster_names(response)) == ["乙合伙人", "甲合伙人"]


def test_area_staff_export_holds_only_their_areas(client_for, town, partners):
    response = client_for("area_staff").get(roster_url(town))
    assert response.status_code == 200
    assert roster_names(response) == ["甲合伙人"]


def test_roster_needs_staff(client_for, town, partners):
    anonymous = client_for("anonymous").get(roster_url(town))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client_for("resident").get(roster_url(town)).status_code == 403
    assert client_for("partner").get(roster_url(town)).status_code == 403
    assert client_for("other_secretariat").get(roster_url(town)).status_code == 403


def test_roster_is_a_real_workbook_with_the_ledger_columns(client_for, town, area_a, people):
    user = UserFactory(phone="13912345678")
    partner = PartnerFactory(
        town=town,
        area=area_a,
        user=user,
        name="王规划",
        profession="建筑师",
        party_status="dual_registered",
        modes=["planning", "media", "education"],
        skills=["摄影", "园艺"],
        joined_on=date(2026, 3, 1),
        weekend_day=True,
        weekday_evening=True,
    )
    partner.application = Application.objects.create(
        town=town,
        applicant=user,
        channel=Channel.RECOMMENDED,
        name="王规划",
        area=area_a,
        profession="建筑师",
        status="accepted",
    )
    partner.save()
    unit = OrgUnit.objects.create(town=town, kind="committee", mode="planning", name="规划委员会")
    Membership.objects.create(unit=unit, partner=partner, role="head")
    Membership.objects.create(
        unit=OrgUnit.objects.create(
            town=town, kind="team", basis="group", group_name="组", name="花园队"
        ),
        partner=partner,
        role="member",
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 1),
    )

    response = client_for("secretariat").get(roster_url(town), HTTP_ACCEPT_LANGUAGE="en")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="partner-roster-gaojing-')
    assert "filename*=UTF-8''" in disposition and "%E9%AB%98%E5%A2%83%E9%95%87" in disposition
    assert "no-store" in response["Cache-Control"]
    book = open_workbook(response)
    sheet = book.active
    assert sheet.freeze_panes == "A3"
    assert "高境镇" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "No.",
        "Name",
        "Mobile number",
        "Residential area",
        "Profession",
        "Skills",
        "Primary mode",
        "Other modes",
        "Party membership",
        "Availability",
        "Units and roles",
        "Joined on",
        "Status",
        "Channel",
    ]
    values = dict(zip(headers, [c.value for c in sheet[3]], strict=True))
    assert values["No."] == 1
    assert values["Mobile number"] == "13912345678"  # full: the ledger is for staff
    assert values["Residential area"] == "逸景佳苑"
    assert values["Skills"] == "园艺、摄影"
    assert values["Primary mode"] == "Planning"
    assert values["Other modes"] == "Education、Media"
    assert values["Party membership"] == "Dual-registered party member"
    assert values["Availability"] == "Weekday evening、Weekend daytime"
    assert values["Units and roles"] == "规划委员会 (Head)"  # the ended membership is left out
    assert values["Joined on"].date() == date(2026, 3, 1)
    assert values["Status"] == "Active"
    assert values["Channel"] == "Community recommendation"


def test_roster_keeps_text_that_looks_like_a_formula_as_text(client_for, town, area_a):
    PartnerFactory(
        town=town, area=area_a, name='=HYPERLINK("http://x.invalid","点")', profession="=1+1"
    )
    sheet = open_workbook(client_for("secretariat").get(roster_url(town))).active
    name, profession = sheet["B3"], sheet["E3"]
    assert name.value == '=HYPERLINK("http://x.invalid","点")' and name.data_type == "s"
    assert profession.value == "=1+1" and profession.data_type == "s"


def test_roster_export_is_logged(client_for, town, partners, people):
    client_for("area_staff").get(roster_url(town))
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.actor == people["area_staff"]
    assert event.town_id == town.pk and event.target_id == str(town.pk)
    assert event.after["rows"] == 1


def test_roster_queries_do_not_grow_with_partners(client_for, town, area_a):
    unit = OrgUnit.objects.create(town=town, kind="committee", mode="media", name="媒体委员会")

    def make_rows(n):
        names = []
        for _ in range(n):
            partner = PartnerFactory(
                town=town, area=area_a, modes=["media", "planning"], skills=["摄影"]
            )
            Membership.objects.create(unit=unit, partner=partner, role="member")
            names.append(partner.name)
        return names

    response = assert_constant_queries(client_for("secretariat"), roster_url(town), make_rows)
    assert len(roster_names(response)) == 50


def test_roster_streams_in_chunks(town, area_a, people, monkeypatch):
    """More partners than one chunk: every one written once, in order."""
    monkeypatch.setattr(ledgers, "CHUNK_SIZE", 3)
    for n in range(8):
        PartnerFactory(town=town, area=area_a, name=f"合伙人{n:02d}", status=PartnerStatus.ACTIVE)
    out = io.BytesIO()
    rows = ledgers.write_roster(
        out,
        town=town,
        partners=ledgers.roster_partners(town=town, user=people["secretariat"]),
        on=date(2026, 11, 25),
    )
    assert rows == 8
    sheet = load_workbook(out).active
    assert [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)] == list(range(1, 9))
    assert [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)] == [
        f"合伙人{n:02d}" for n in range(8)
    ]


# -- import ------------------------------------------------------------------


def test_a_good_file_creates_every_application(client_for, town, area_a, area_b, people):
    client = client_for("secretariat")
    content = xlsx_bytes([row(1), row(2, area="第二居民区", party_status=""), row(3)])
    response = post_file(client, town, content)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:review_queue", args=[town.slug])
    applications = Application.objects.filter(town=town).order_by("name")
    assert applications.count() == 3
    first = applications[0]
    assert first.channel == Channel.IMPORTED
    assert first.modes_wanted == ["planning", "media"]
    assert first.party_status == "dual_registered"
    assert sorted(first.availability) == ["weekday_evening", "weekend_day"]
    assert sorted(s.name for s in first.skills.all()) == ["园艺", "摄影"]
    assert applications[1].area == area_b and applications[1].party_status == "none"
    for application in applications:
        assert not application.applicant.has_usable_password()
        assert ConsentRecord.objects.filter(
            user=application.applicant, kind="partner_profile", withdrawn_at__isnull=True
        ).exists()
    event = AuditEvent.objects.get(verb="ledger.import")
    assert event.actor == people["secretariat"] and event.after["rows"] == 3
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "3 applications were imported" in followed.content.decode()


def test_one_bad_row_stores_nothing_and_names_the_row(client_for, town, area_a):
    users_before = User.objects.count()
    content = xlsx_bytes([row(1), row(2, phone="12345"), row(3)])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 400
    assert Application.objects.count() == 0 and User.objects.count() == users_before
    assert not AuditEvent.objects.filter(verb__in=["ledger.import", "application.submit"]).exists()
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [(3, "手机号码 (B)")]
    assert "not a mainland mobile number" in errors[0].reason
    html = response.content.decode()
    assert "Nothing was imported: 1 row has problems" in html
    assert "<caption>" in html and "12345" in html


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"phone": "1380013800"}, "手机号码 (B)", "not a mainland mobile number"),
        ({"phone": ""}, "手机号码 (B)", "required"),
        ({"name": ""}, "姓名 (A)", "required"),
        ({"name": "名" * 41}, "姓名 (A)", "At most 40 characters"),
        ({"area": "逸景佳园"}, "居民区 (C)", "Did you mean “逸景佳苑”?"),
        ({"area": "火星"}, "居民区 (C)", "no residential area called “火星”"),
        ({"modes": "规划、跳舞"}, "工作模式 (F)", "Unknown work mode “跳舞”"),
        ({"modes": ""}, "工作模式 (F)", "required"),
        ({"party_status": "少先队员"}, "政治面貌 (G)", "Unknown party membership"),
        ({"availability": "半夜"}, "可服务时间 (H)", "Unknown time “半夜”"),
        ({"motivation": "很" * 501}, "申请理由 (I)", "At most 500 characters"),
        ({"skills": "技" * 31}, "技能 (E)", "At most 30 characters"),
        ({"consent": ""}, "已签署同意书 (J)", "signed the privacy consent"),
        ({"consent": "否"}, "已签署同意书 (J)", "signed the privacy consent"),
        ({"phone": ledgers.EXAMPLE_PHONE}, "", "example row"),
    ],
)
def test_each_kind_of_bad_cell_is_reported(client_for, town, area_a, changes, column, reason):
    content = xlsx_bytes([row(1), row(2, **changes)])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 400
    assert Application.objects.count() == 0
    errors = response.context["row_errors"]
    assert [e.row for e in errors] == [3]
    assert errors[0].column == column and reason in errors[0].reason, errors


def test_a_mobile_twice_in_the_file_names_both_rows(client_for, town, area_a):
    content = xlsx_bytes([row(1), row(2, phone="13700000001"), row(3)])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 400
    errors = response.context["row_errors"]
    assert [(e.row, e.reason) for e in errors] == [
        (2, "The same mobile number is also in row 3."),
        (3, "The same mobile number is also in row 2."),
    ]


@pytest.mark.parametrize("holder", ["account", "open_application", "partner"])
def test_a_mobile_already_known_is_a_bad_row(client_for, town, area_a, holder):
    phone = "13700000002"
    user = UserFactory(phone=phone)
    if holder == "open_application":
        Application.objects.create(
            town=town, applicant=user, channel="online", name="x", area=area_a, profession="y"
        )
    elif holder == "partner":
        PartnerFactory(town=town, area=area_a, user=user)
    applications_before = Application.objects.count()
    response = post_file(client_for("secretariat"), town, xlsx_bytes([row(1), row(2), row(3)]))
    assert response.status_code == 400
    assert Application.objects.count() == applications_before
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [(3, "手机号码 (B)")]
    expected = {
        "account": "already has an account",
        "open_application": "already waiting for review",
        "partner": "already belongs to a partner",
    }[holder]
    assert expected in errors[0].reason


@pytest.mark.django_db(transaction=True)
def test_an_import_racing_a_sign_up_or_itself_stores_its_rows_once_or_not_at_all(
    town, area_a, people, settings
):
    """Last resort (PostgreSQL only): a number registered between the check and the
    write refuses the whole import, every row rolled back and named; and the same
    file imported twice at once is imported once."""
    from django.db import connection

    from gongzhi.accounts.services import sign_up
    from gongzhi.core.testing import all_at_once, into_a_held_write

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    secretariat = people["secretariat"]
    refusals = []

    def import_rows(*numbers):
        try:
            ledgers.import_applications(
                town=town, actor=secretariat, upload=upload(xlsx_bytes([row(n) for n in numbers]))
            )
        except ledgers.ImportRejected as refusal:
            refusals.append(refusal)
            raise

    outcome = into_a_held_write(
        lambda: sign_up(
            phone="13700000003",
            display_name="居民",
            password="quiet-garden-42",
            privacy_consent=True,
        ),
        lambda: import_rows(1, 2, 3),
        refused=(ledgers.ImportRejected,),
    )
    assert outcome == "refused"
    assert [e.row for e in refusals[0].errors] == [4]  # the header is row 1
    assert not Application.objects.exists()
    assert list(
        User.objects.filter(phone__startswith="1370000").values_list("phone", flat=True)
    ) == ["13700000003"]
    assert not ConsentRecord.objects.filter(kind="partner_profile").exists()
    assert not AuditEvent.objects.filter(verb="ledger.import").exists()

    outcomes = all_at_once(
        lambda _n: import_rows(4, 5, 6), range(2), refused=(ledgers.ImportRejected,)
    )
    assert sorted(outcomes) == ["ok", "refused"]
    assert Application.objects.count() == 3
    assert ConsentRecord.objects.filter(kind="partner_profile").count() == 3
    assert AuditEvent.objects.filter(verb="ledger.import").count() == 1


def test_tolerated_shapes_of_a_file(client_for, town, area_a):
    """A title row above the header, columns in another order, a notes column, numbers
    typed as numbers or with +86 and dashes, empty rows between and after."""
    columns = [c.key for c in ledgers.IMPORT_COLUMNS]
    order = [*reversed(range(len(columns)))]
    headers = [HEADERS[i] for i in order] + ["备注"]
    rows = [
        [row(1, phone=13700000001)[i] for i in order] + ["纸质表第1张"],
        [None] * 11,
        [row(2, phone="+86 137-0000-0002", consent="Y")[i] for i in order] + [None],
        [None] * 11,
        [None] * 11,
    ]
    content = xlsx_bytes(rows, headers=headers, above=[["高境镇社区合伙人申请汇总"]])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 302, response.context and response.context["row_errors"]
    phones = set(Application.objects.values_list("applicant__phone", flat=True))
    assert phones == {"13700000001", "13700000002"}


def test_english_headers_and_labels_are_accepted(client_for, town, area_a):
    headers = [str(c.label) for c in ledgers.IMPORT_COLUMNS]  # English: no translation active
    content = xlsx_bytes(
        [row(1, modes="think_tank, Governance", party_status="none", availability="weekend_day")],
        headers=headers,
    )
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 302
    assert Application.objects.get().modes_wanted == ["think_tank", "governance"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "姓名,手机号码\n张三,13700000001\n".encode(),
            "applications.xlsx",
            "not be read as an Excel",
        ),
        (b"name,phone\n", "applications.csv", "File extension"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "old-style Excel file"),
        ("zip", "archive.xlsx", "not be read as an Excel"),
        (b"", "empty.xlsx", "empty"),
    ],
)
def test_a_file_that_is_not_excel_gets_a_clear_message(
    client_for, town, area_a, content, name, message
):
    if content == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        content = buffer.getvalue()
    response = post_file(client_for("secretariat"), town, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_a_workbook_that_unpacks_to_too_much_is_refused(client_for, town, area_a, monkeypatch):
    monkeypatch.setattr(ledgers, "MAX_UNPACKED_BYTES", 5000)
    response = post_file(client_for("secretariat"), town, xlsx_bytes([row(1)]))
    assert response.status_code == 400
    assert "too large once unpacked" in response.content.decode()


def test_a_workbook_without_the_columns_is_rejected(client_for, town, area_a):
    content = xlsx_bytes([["张三", "13700000001"]], headers=["姓名", "手机号码", "地址"])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 400
    assert "The header row lacks these columns" in response.content.decode()
    no_header = post_file(client_for("secretariat"), town, xlsx_bytes([], headers=["随便"]))
    assert "No header row found" in no_header.content.decode()
    only_header = post_file(client_for("secretariat"), town, xlsx_bytes([[None], []]))
    assert "no applications below the header row" in only_header.content.decode()


def test_an_oversized_file_is_refused(client_for, town, area_a, settings):
    settings.GONGZHI_MAX_UPLOAD_BYTES = 1000
    response = post_file(client_for("secretariat"), town, xlsx_bytes([row(1)]))
    assert response.status_code == 400
    assert "files may be at most" in response.content.decode()
    assert Application.objects.count() == 0


def test_more_than_500_rows_are_refused(client_for, town, area_a):
    content = xlsx_bytes([row(n) for n in range(1, 502)])
    response = post_file(client_for("secretariat"), town, content)
    assert response.status_code == 400
    assert "more than 500 applications" in response.content.decode()
    assert Application.objects.count() == 0


def test_500_rows_are_within_the_limit(area_a):
    rows = [HEADERS] + [row(n) for n in range(1, 501)]
    results = ledgers.parse_rows(rows, areas={area_a.name: area_a})
    assert len(results) == 500
    assert all(isinstance(r, ledgers.RowData) for r in results)


def test_import_page_and_permissions(client_for, town, area_a):
    page = client_for("secretariat").get(import_url(town), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert reverse("partners:import_template") + f"?town={town.slug}" in html
    assert "已签署同意书" in html
    content = xlsx_bytes([row(1)])
    for role in ("area_staff", "resident", "partner", "other_secretariat"):
        assert client_for(role).get(import_url(town)).status_code == 403
        assert post_file(client_for(role), town, content).status_code == 403
    anonymous = post_file(client_for("anonymous"), town, content)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("account_login")
    )
    assert Application.objects.count() == 0


# -- template ----------------------------------------------------------------


def test_template_has_the_layout_an_example_and_explanations(client_for, town, area_a, area_b):
    client = client_for("secretariat")
    url = reverse("partners:import_template") + f"?town={town.slug}"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'filename="partner-application-template.xlsx"' in response["Content-Disposition"]
    book = open_workbook(response)
    data, notes, areas = book.worksheets
    assert [c.value for c in data[1]] == [str(c.label) for c in ledgers.IMPORT_COLUMNS]
    assert data["B2"].value == ledgers.EXAMPLE_PHONE and data["C2"].value == "逸景佳苑"
    assert notes.max_row > len(ledgers.IMPORT_COLUMNS)
    assert [r[0] for r in areas.iter_rows(min_row=2, values_only=True)] == [
        "逸景佳苑",
        "第二居民区",
    ]
    without_town = client.get(reverse("partners:import_template"))
    assert len(open_workbook(without_town).worksheets) == 2


def test_the_template_filled_in_imports(client_for, town, area_a):
    """Round trip: download, replace the example with real rows, upload."""
    client = client_for("secretariat")
    for language, phone in (("en", "13700000011"), ("zh-hans", "13700000012")):
        url = reverse("partners:import_template") + f"?town={town.slug}"
        book = open_workbook(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        sheet = book.worksheets[0]
        sheet["A2"], sheet["B2"] = "李四", phone
        out = io.BytesIO()
        book.save(out)
        response = client.post(
            import_url(town),
            {"file": upload(out.getvalue())},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 302, response.context["row_errors"]
    assert Application.objects.count() == 2


def test_the_template_left_as_it_is_is_not_imported(client_for, town, area_a):
    client = client_for("secretariat")
    template = client.get(reverse("partners:import_template") + f"?town={town.slug}")
    content = b"".join(template.streaming_content)
    response = post_file(client, town, content)
    assert response.status_code == 400
    assert "example row" in response.context["row_errors"][0].reason


def test_template_is_for_those_who_import(client_for, town, other_town):
    url = reverse("partners:import_template")
    assert client_for("other_secretariat").get(url).status_code == 200
    assert client_for("area_staff").get(url).status_code == 403
    assert client_for("resident").get(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302
    # Another town's areas are not for this secretariat.
    assert client_for("secretariat").get(f"{url}?town={other_town.slug}").status_code == 403
    assert client_for("secretariat").get(f"{url}?town=nowhere").status_code == 404


def test_no_partner_is_created_by_an_import(client_for, town, area_a):
    post_file(client_for("secretariat"), town, xlsx_bytes([row(1)]))
    assert Application.objects.count() == 1 and Partner.objects.count() == 0
