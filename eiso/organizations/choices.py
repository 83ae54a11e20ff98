from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_HEAD = "agency_head", _("Agency head")
    QMS_SECRETARY = "qms_secretary", _("ISO secretary")
    STEERING_MEMBER = "steering_member", _("ISO steering committee member")
    UNIT_HEAD = "unit_head", _("Unit head")
    STAFF = "staff", _("Staff member")
    AUDITOR = "auditor", _("Internal auditor")
    OVERSEER = "overseer", _("Provincial overseer")
    ADMIN = "admin", _("System administrator")


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    PROVINCE_PC = "province_pc", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT_PC = "district_pc", _("District People's Committee (before 1 July 2025)")
    COMMUNE_PC = "commune_pc", _("Commune People's Committee")
    SERVICE_CENTRE = "service_centre", _("Public service centre")


class UnitKind(models.TextChoices):
    ONE_STOP = "one_stop", _("One-stop desk")
    OFFICE = "office", _("Office")
    SPECIALIST = "specialist", _("Specialist unit")
    LEADERSHIP = "leadership", _("Leadership")
    OTHER = "other", _("Other")


class SteeringRole(models.TextChoices):
    HEAD = "head", _("Head of the committee")
    DEPUTY = "deputy", _("Deputy head")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class NationalDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("National day off")
    MAKEUP = "makeup", _("Make-up working day")


class CalendarExceptionKind(models.TextChoices):
    EXTRA_DAY_OFF = "extra_day_off", _("Extra day off")
    EXTRA_WORKING_DAY = "extra_working_day", _("Extra working day")
