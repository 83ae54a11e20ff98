"""Self-service password reset by e-mail: the mail and its link, the same answer whether or not the
address exists, rate limits per e-mail and per client address, the audited new password."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.organizations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-2026!"


@pytest.fixture
def person(a_staff):
    a_staff.email = "chuyenvien@stp.example.gov.vn"
    a_staff.save(update_fields=["email"])
    return a_staff


@pytest.fixture
def limits(settings):
    settings.PASSWORD_RESET_PER_EMAIL = 2
    settings.PASSWORD_RESET_PER_ADDRESS = 4
    return settings


def ask(email, client=None, **extra):
    return (client or Client()).post(reverse("password_reset"), {"email": email}, **extra)


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_the_login_page_offers_the_reset():
    assert reverse("password_reset") in Client().get(reverse("login")).content.decode()


def test_a_reset_by_e_mail_sets_the_password_through_the_audited_service(person):
    mail.outbox.clear()
    response = ask("ChuyenVien@stp.example.gov.vn")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[person.email]]
    message = mail.outbox[0]
    assert "mật khẩu" in message.subject and "a_staff" in message.body
    client = Client()
    form_page = client.get(reset_link(message), follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert AuditEvent.objects.filter(action="password", object_id=str(person.pk)).count() == 1
    assert Client().login(username="a_staff", password=NEW_PASSWORD)
    assert not Client().login(username="a_staff", password=PASSWORD)
    # The link works once.
    again = Client().get(reset_link(message), follow=True)
    assert "không còn hiệu lực" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(person):
    mail.outbox.clear()
    known, unknown = ask(person.email), ask("khong-ai@example.gov.vn")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


def test_an_e_mail_address_gets_a_few_mails_an_hour_then_none_silently(limits, person):
    mail.outbox.clear()
    answers = {ask(person.email, REMOTE_ADDR=f"10.0.0.{n}").url for n in range(4)}
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 2


def test_a_client_address_is_told_to_wait_after_its_limit(limits, person):
    for n in range(4):
        ask(f"nguoi{n}@example.gov.vn")
    mail.outbox.clear()
    response = ask(person.email)
    assert response.status_code == 429 and "Thử lại sau một giờ" in response.content.decode()
    assert mail.outbox == []


def test_a_reset_lifts_a_lockout(settings, person):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        Client().post(reverse("login"), {"username": "a_staff", "password": "sai"})
    mail.outbox.clear()
    ask(person.email)
    client = Client()
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().post(reverse("login"), {"username": "a_staff", "password": NEW_PASSWORD}).status_code == 302
