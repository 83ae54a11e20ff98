import pytest

from eiso.core.audit import history_for

pytestmark = pytest.mark.django_db


def test_back_office_edit_leaves_audit_event(client, django_user_model, unit_a):
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    response = client.post(f"/admin/organizations/unit/{unit_a.pk}/change/", {
        "agency": unit_a.agency_id, "code": unit_a.code, "name": "Phòng sửa ở back office", "kind": unit_a.kind,
        "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = history_for(unit_a).first()
    assert event.action == "admin_change" and event.actor == root
    assert event.changes == {"name": ["Phòng Hành chính tư pháp", "Phòng sửa ở back office"]}

    response = client.post(f"/admin/organizations/unit/{unit_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert history_for(unit_a).first().action == "admin_delete"


def test_back_office_password_change_is_audited(client, django_user_model, a_staff):
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    response = client.post(f"/admin/organizations/user/{a_staff.pk}/password/", {
        "password1": "Mot-mat-khau-moi-77", "password2": "Mot-mat-khau-moi-77", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:1500]
    event = history_for(a_staff).first()
    assert event.action == "password" and event.actor == root
