"""What the people pages share: the agency a manager works on, and the lists its forms choose from."""

from eiso.core.errors import Forbidden
from eiso.people.selectors import agency_people


def own_agency(user):
    """The agency of the user (training is planned in one's own agency)."""
    if user.agency is None:
        raise Forbidden()
    return user.agency


def people_of(agency, unit=None):
    people = agency_people(agency)
    if unit is not None:
        people = people.filter(memberships__unit=unit, memberships__valid_to__isnull=True)
    return people
