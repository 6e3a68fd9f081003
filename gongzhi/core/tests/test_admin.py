import pytest
from django.contrib import admin
from django.urls import reverse

from gongzhi.tests.factories import RoleGrantFactory

OUR_APPS = {
    "core",
    "accounts",
    "places",
    "partners",
    "organisations",
    "events",
    "contests",
    "proposals",
    "meetings",
    "surveys",
    "planning",
    "renewal",
    "reports",
    "api",
}


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert ours <= set(admin.site._registry), ours - set(admin.site._registry)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_changelist_opens_in_chinese(client_for, model):
    client = client_for("administrator")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_role_grants_changed_in_the_admin_are_audited(client_for, people, town, area_a):
    from gongzhi.core.models import AuditEvent

    grant = RoleGrantFactory(town=town, role="area_staff", areas=[area_a])
    client = client_for("administrator")
    url = reverse("admin:places_rolegrant_delete", args=[grant.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(verb="role.revoke", target_id=str(grant.pk)).exists()
