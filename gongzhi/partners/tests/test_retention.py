from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from gongzhi.partners import services
from gongzhi.partners.models import Application, Recommendation
from gongzhi.tests.factories import PartnerFactory


def test_retention_deletes_and_anonymises_what_the_notice_promises(
    db, town, area_a, people, capsys
):
    secretary = people["secretariat"]
    expired, _ = services.recommend(
        town=town, area=area_a, actor=secretary, name="甲", phone="13700000001", reason="r"
    )
    fresh, _ = services.recommend(
        town=town, area=area_a, actor=secretary, name="乙", phone="13700000002", reason="r"
    )
    Recommendation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    application = services.submit_application(
        town=town,
        phone="13700000003",
        name="丙",
        area=area_a,
        profession="p",
        skills=[],
        modes=["media"],
        party_status="none",
        availability=[],
        consent=True,
    )
    services.decline_application(application=application, actor=secretary, reason="满")
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=400)
    )
    gone = PartnerFactory(
        town=town, area=area_a, name="丁", profession="医生", status="left", skills=["x"]
    )
    staying = PartnerFactory(town=town, area=area_a, name="戊", status="left")
    type(gone).objects.filter(pk=gone.pk).update(updated_at=timezone.now() - timedelta(days=400))

    call_command("apply_retention")
    out = capsys.readouterr().out
    assert "expired_recommendations: 1" in out and "declined_applications: 1" in out
    assert list(Recommendation.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Application.objects.filter(pk=application.pk).exists()
    gone.refresh_from_db()
    assert gone.name == "" and gone.profession == "" and not gone.skills.exists()
    staying.refresh_from_db()
    assert staying.name == "戊"
    # Running again changes nothing.
    call_command("apply_retention")
    assert "former_partners: 0" in capsys.readouterr().out
