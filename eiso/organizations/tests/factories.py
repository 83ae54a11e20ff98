"""factory_boy factories for organisation data. People are made through the service, so their
membership and roles are real."""

import datetime

import factory
from factory.django import DjangoModelFactory

from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, UnitKind
from eiso.organizations.models import Agency, JobDescription, Province, SteeringCommittee, Unit, User

PASSWORD = "Mk-kiem-thu-2026"


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm số {n}")
    level = AgencyLevel.DEPARTMENT
    province = factory.SubFactory(ProvinceFactory)
    valid_from = datetime.date(2020, 1, 1)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng Nghiệp vụ {n}")
    kind = UnitKind.SPECIALIST


class JobDescriptionFactory(DjangoModelFactory):
    class Meta:
        model = JobDescription

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"MTCV-{n:02d}")
    position = "Chuyên viên tiếp nhận hồ sơ"
    duties = "Tiếp nhận, kiểm tra và trả kết quả hồ sơ thủ tục hành chính."


class SteeringCommitteeFactory(DjangoModelFactory):
    class Meta:
        model = SteeringCommittee

    agency = factory.SubFactory(AgencyFactory)
    name = "Ban chỉ đạo ISO"
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-BCĐ")
    decision_date = datetime.date(2025, 3, 1)


_seq = iter(range(1, 10**9))


def make_user(agency: Agency, roles, *, unit: Unit | None = None, username: str | None = None,
              full_name: str | None = None, password: str = PASSWORD,
              valid_from: datetime.date | None = None) -> User:
    n = next(_seq)
    return services.user_create(
        actor=None, username=username or f"nguoi{n}", full_name=full_name or f"Nguyễn Văn Thử {n}",
        email=f"nguoi{n}@example.gov.vn", agency=agency, unit=unit, roles=list(roles), password=password,
        valid_from=valid_from,
    )
