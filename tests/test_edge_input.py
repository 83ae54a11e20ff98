"""Input a browser or a script can send that once gave a 500 or a wrong answer."""

import datetime

import pytest

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.organizations import selectors, services
from eiso.organizations.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/units/new/?agency=²", "/people/new/?agency=²", "/job-descriptions/new/?agency=²",
    "/job-descriptions/new/?unit=²", "/steering-committees/new/?agency=٣", "/units/?agency=²",
    "/people/?unit=99999999999999999999999", "/documents/?unit=²", "/records/files/?unit=²",
])
def test_odd_digits_in_query_strings_are_not_errors(client_for, admin_user, a_secretary, url):
    for user in (admin_user, a_secretary):
        assert client_for(user).get(url).status_code in (200, 302, 403, 404)


def test_province_admin_cannot_take_over_privileged_accounts(admin_user, dost, django_user_model):
    from eiso.organizations.tests.factories import make_user

    root = make_user(dost, ["staff"], username="root2")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    assert not admin_user.has_perm("organizations.change_user", root)
    with pytest.raises(Forbidden):
        services.user_set_password(actor=admin_user, user=root, password="Mot-mat-khau-moi-77")
    with pytest.raises(Forbidden):
        services.api_token_create(actor=admin_user, user=root)


def test_merge_cannot_be_recorded_ahead_of_time(admin_user, province):
    a, b = AgencyFactory(province=province), AgencyFactory(province=province)
    with pytest.raises(ValidationFailed):
        services.agencies_merge(actor=admin_user, sources=[a, b], code="FUT", name="Tương lai",
                                effective_date=datetime.date.today() + datetime.timedelta(days=30))


def test_merge_keeps_unit_codes_within_their_length(admin_user, province):
    a = AgencyFactory(province=province, code="A" * 40)
    b = AgencyFactory(province=province, code="B" * 40)
    UnitFactory(agency=a, code="VP" * 20)
    UnitFactory(agency=b, code="VP" * 20)
    new = services.agencies_merge(actor=admin_user, sources=[a, b], code="AB", name="Sở AB",
                                  effective_date=datetime.date(2025, 3, 1))
    codes = list(new.units.values_list("code", flat=True))
    assert len(codes) == 2 and len(set(codes)) == 2 and all(len(c) <= 40 for c in codes)


def test_people_and_units_search_folds_diacritics(overseer, a_staff, unit_a):
    assert a_staff in selectors.users_for_user(overseer, q="dang van")
    assert unit_a in selectors.units_for_user(overseer, q="hanh chinh tu phap")


def test_usernames_are_unique_whatever_the_case(admin_user, agency_a, a_staff):
    with pytest.raises(ValidationFailed):
        services.user_create(actor=admin_user, username="A_STAFF", full_name="X", agency=agency_a, roles=["staff"])


def test_person_moved_away_shows_nothing_of_the_new_agency(admin_user, a_staff, a_head, agency_b, unit_b,
                                                           client_for, api_for):
    services.membership_change(actor=admin_user, user=a_staff, roles=["staff"], agency=agency_b, unit=unit_b)
    page = client_for(a_head).get(f"/people/{a_staff.pk}/?tab=memberships").content.decode()
    history = client_for(a_head).get(f"/people/{a_staff.pk}/?tab=history").content.decode()
    api = api_for(a_head).get(f"/api/v1/users/{a_staff.pk}").content.decode()
    for body in (page, history, api):
        assert unit_b.name not in body and agency_b.name not in body


ODD = ("²", "٣", "99999999999999999999999")


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("url", [
    "/oversight/?year={odd}", "/oversight/plans/?year={odd}", "/objectives/?year={odd}",
    "/satisfaction/?year={odd}", "/trainings/?year={odd}", "/onboarding/?unit={odd}",
    "/fives/inspections/?unit={odd}", "/fives/inspections/?inspector={odd}", "/fives/areas/?unit={odd}",
    "/announcements/?agency={odd}", "/transitions/?agency={odd}",
    "/agencies/{agency}/objectives.docx?year={odd}", "/agencies/{agency}/training-plan.docx?year={odd}",
])
def test_odd_digits_in_the_query_strings_of_the_new_areas_are_not_errors(client_for, admin_user, a_secretary,
                                                                         overseer, agency_a, url, odd):
    for user in (admin_user, a_secretary, overseer):
        response = client_for(user).get(url.format(odd=odd, agency=agency_a.pk))
        assert response.status_code in (200, 302, 403, 404), (user, response.status_code)


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("path", ["/api/v1/announcements?agency={odd}", "/api/v1/transitions?agency={odd}"])
def test_odd_digits_in_the_api_agency_filter_are_not_errors(api_for, a_secretary, overseer, path, odd):
    for user in (a_secretary, overseer):
        response = api_for(user).get(path.format(odd=odd))
        assert response.status_code == 200, (user, response.status_code)
        assert response.json()["items"] == []


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("url", ["/fives/?agency={odd}", "/fives/inspections/?agency={odd}",
                                 "/dossiers/statistics/?agency={odd}", "/dossiers/statistics/?procedure={odd}"])
def test_odd_digits_in_agency_and_procedure_choices_are_not_errors(client_for, admin_user, a_secretary, overseer,
                                                                  url, odd):
    for user in (admin_user, a_secretary, overseer):
        response = client_for(user).get(url.format(odd=odd))
        assert response.status_code in (200, 302, 403, 404), (user, response.status_code)
