"""Organisations: provinces, agencies (effective-dated), units, people and their roles."""

import copy
import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core import freshness
from eiso.core.policy import Scope
from eiso.core.text import fold
from eiso.organizations.choices import (
    AgencyLevel,
    CalendarExceptionKind,
    NationalDayKind,
    Role,
    SteeringRole,
    UnitKind,
)


class Province(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active(self):
        return self.active_on(timezone.localdate())


class Agency(models.Model):
    """A state administrative agency. Ended agencies stay, so old records keep pointing at them."""

    scope = Scope(agency="")

    code = models.CharField(_("code"), max_length=40, unique=True,
                            error_messages={"unique": _("This code is already used by another agency.")})
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="agencies")
    address = models.CharField(_("address"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", verbose_name=_("predecessors"), symmetrical=False, blank=True, related_name="successors"
    )
    name_folded = models.CharField(max_length=300, editable=False, db_index=True, default="")
    session_idle_hours = models.PositiveSmallIntegerField(
        _("sign out after idle hours"), default=8,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("A person of this agency who does nothing for this many hours is signed out (1 to 72)."))

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province", "level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.name} {self.short_name}".strip())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"name", "short_name"} & set(update_fields)):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )


class Unit(models.Model):
    """A department, office or desk inside an agency; the one-stop desk is a unit."""

    scope = Scope(agency="agency", unit="")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.SPECIALIST)
    is_active = models.BooleanField(_("active"), default=True)
    name_folded = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(
                fields=["agency", "code"], name="unit_code_unique_in_agency",
                violation_error_code="duplicate_code",
                violation_error_message=_("This code is already used by another unit of the agency."),
            )]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.code} {self.name}")[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person. Their agency, unit and roles come from their active membership."""

    scope = Scope(agency="memberships__agency", many=True)

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)
    name_folded = models.CharField(max_length=500, editable=False, default="")
    # Raised by "sign out everywhere": a session signed in under an older number is refused.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # "NguyenVanA" and "nguyenvana" are the same login for a person.
            models.UniqueConstraint(Lower("username"), name="username_unique_case_insensitive",
                                    violation_error_code="duplicate_username",
                                    violation_error_message=_("This username is already taken.")),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def save(self, *args, **kwargs):
        # Folded for search: "dang" finds "Đặng".
        self.name_folded = fold(f"{self.full_name} {self.username} {self.email}")[:500]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "username", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    # The active membership is read on every permission check; cache it on the instance.
    @property
    def membership(self):
        if not hasattr(self, "_membership_cache"):
            self._membership_cache = active_membership(self) if self.pk else None
        return self._membership_cache

    @property
    def agency(self):
        m = self.membership
        return m.agency if m else None

    @property
    def roles(self) -> frozenset[str]:
        m = self.membership
        return m.roles if m else frozenset()

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class Membership(models.Model):
    """A person's place in an agency over a period: unit and roles. Ended, never rewritten."""

    scope = Scope(agency="agency", unit="unit")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="memberships")
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(valid_to__isnull=True),
                                    name="one_active_membership_per_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.agency}"

    def scope_facts(self) -> dict:
        """What the scope conditions may take as known from the query that read this membership
        (``User.membership``), seeded into the viewer's per-request cache: an agency that succeeded
        no other has an empty lineage, so its people's reads need no lineage query."""
        if getattr(self, "agency_succeeded_others", None) is False:
            return {"lineage": frozenset()}
        return {}

    @property
    def roles(self) -> frozenset[str]:
        read = self.__dict__.get("_roles_read")  # an active membership's copy: its roles as they were read
        return read if read is not None else frozenset(r.role for r in self.role_rows.all())

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles, key=lambda r: list(Role.values).index(r))]


def _read_active_membership(user_id: int):
    # Whether the agency succeeded others comes in the same query: most agencies did not, and then
    # the scope of every read is their own agency alone (no lineage query).
    succeeded = Agency.predecessors.through.objects.filter(from_agency_id=OuterRef("agency_id"))
    membership = (Membership.objects.filter(user_id=user_id, valid_to__isnull=True)
                  .select_related("agency", "agency__province", "unit")
                  .prefetch_related("role_rows")
                  .annotate(agency_succeeded_others=Exists(succeeded))
                  .first())
    if membership is not None:
        # Kept for every reader: the roles as a frozen set (``Membership.roles``), not the role rows,
        # which each copy would share (and one reader's change would reach the others).
        membership._roles_read = frozenset(r.role for r in membership.role_rows.all())
        del membership._prefetched_objects_cache
    return membership


def active_membership(user) -> Membership | None:
    """``user``'s active membership with its agency, province, unit and roles. Every request reads
    it (the session's idle timeout, the menu, every scope): two queries and some 2 ms of CPU to
    build, so it is kept in the process until the data change (``freshness.kept_in_process``: a role
    given or taken, a person moved, an agency renamed are writes like any other; inside a write it is
    read again). Each user object gets its own copies of the rows, never the kept ones; the roles come
    as a frozen set shared by all (its role rows are not kept: reading them, which no request does,
    reads the copy's own)."""
    # What it is read from counts for its agency (the membership and its unit, a role given or taken in
    # the same transaction as the membership's audit row, a move: the old membership ends) or for
    # every agency (an agency's, a person's or a role's own row): other agencies' writes leave it.
    kept = freshness.kept_in_process("organizations.active-membership", user.pk,
                                     lambda: _read_active_membership(user.pk), user,
                                     agencies_of=lambda m: None if m is None else [m.agency_id])
    if kept is None:
        return None
    membership, agency = copy.copy(kept), copy.copy(kept.agency)
    Agency.province.field.set_cached_value(agency, copy.copy(kept.agency.province))
    Membership.agency.field.set_cached_value(membership, agency)
    Membership.unit.field.set_cached_value(membership, copy.copy(kept.unit) if kept.unit_id else None)
    Membership.user.field.set_cached_value(membership, user)
    return membership


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="membership_role_unique"),
        ]

    def __str__(self):
        return Role(self.role).label


class JobDescription(models.Model):
    """Bảng mô tả công việc: a position's duties, authority and required competence."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="job_descriptions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="job_descriptions")
    code = models.CharField(_("code"), max_length=40)
    position = models.CharField(_("position"), max_length=200)
    duties = models.TextField(_("duties"))
    authority = models.TextField(_("authority"), blank=True)
    competence = models.TextField(_("competence required"), blank=True)
    reports_to = models.CharField(_("reports to"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("job description")
        verbose_name_plural = _("job descriptions")
        ordering = ["agency", "code"]
        constraints = [models.UniqueConstraint(
                fields=["agency", "code"], name="jobdescription_code_unique",
                violation_error_code="duplicate_code",
                violation_error_message=_("This code is already used by another job description of the agency."),
            )]

    def __str__(self):
        return f"{self.code} — {self.position}"


class SteeringCommittee(models.Model):
    """Ban chỉ đạo ISO of an agency, set up by a founding decision."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="steering_committees")
    name = models.CharField(_("name"), max_length=300)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ISO steering committee")
        verbose_name_plural = _("ISO steering committees")
        ordering = ["agency", "-decision_date"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=Q(is_active=True),
                                    name="one_active_steering_committee",
                                    violation_error_message=_("The agency already has an active steering committee.")),
        ]

    def __str__(self):
        return self.name


class SteeringMember(models.Model):
    scope = Scope(agency="committee__agency")

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="steering_memberships")
    role = models.CharField(_("role in the committee"), max_length=20, choices=SteeringRole.choices,
                            default=SteeringRole.MEMBER)
    duties = models.CharField(_("duties"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "id"]
        constraints = [models.UniqueConstraint(
            fields=["committee", "user"], name="steering_member_unique", violation_error_code="duplicate_user",
            violation_error_message=_("This person is already a member of the committee."))]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def agency_id(self):
        return self.committee.agency_id


class ApiToken(models.Model):
    """A Bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


# --- working calendar: office hours and the agency's own exceptions -------------------------------------

class AgencyCalendar(models.Model):
    """Office hours of an agency; without a row the default 08:00–12:00 and 13:00–17:00 apply.

    A limit of N working days is N × the hours of these two periods (8 by default).
    """

    scope = Scope(agency="agency")

    agency = models.OneToOneField(Agency, verbose_name=_("agency"), on_delete=models.CASCADE,
                                  related_name="office_hours")
    morning_start = models.TimeField(_("morning from"), default=datetime.time(8))
    morning_end = models.TimeField(_("morning to"), default=datetime.time(12))
    afternoon_start = models.TimeField(_("afternoon from"), default=datetime.time(13))
    afternoon_end = models.TimeField(_("afternoon to"), default=datetime.time(17))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_start__lt=models.F("morning_end"))
                & Q(morning_end__lte=models.F("afternoon_start"))
                & Q(afternoon_start__lt=models.F("afternoon_end")),
                name="agency_calendar_periods_in_order",
                violation_error_message=_("Office periods must be in order: morning from < morning to ≤ "
                                          "afternoon from < afternoon to."),
            )
        ]

    def __str__(self):
        return f"{self.agency}: {self.display}"

    @property
    def periods(self) -> tuple[tuple[datetime.time, datetime.time], ...]:
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))

    @property
    def display(self) -> str:
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.periods)


class CalendarException(models.Model):
    """A day an agency works although it is off, or closes although it is a working day, with the
    document that decided it. Shipped make-up working days apply to every agency without a row."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="calendar_exceptions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarExceptionKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    decision = models.CharField(
        _("deciding document"), max_length=300,
        help_text=_("Number and date of the decision or notice, e.g. Quyết định số 12/QĐ-STP ngày 2/3/2026."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["agency", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date"], name="calendar_exception_one_per_day",
                violation_error_code="duplicate_date",
                violation_error_message=_("The agency already has an exception on this date."),
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.reason}"


class NationalCalendarDay(models.Model):
    """A decreed national day off or make-up working day entered by an administrator (next year's
    swaps are decided each December): it applies to every agency's calendar, like the ones shipped
    with eISO, and wins over a shipped one on the same date. National, so no agency."""

    date = models.DateField(_("date"), unique=True, error_messages={
        "unique": _("This date is already in the national calendar.")})
    kind = models.CharField(_("kind"), max_length=10, choices=NationalDayKind.choices)
    replaces = models.DateField(_("in place of"), null=True, blank=True,
                                help_text=_("For a make-up working day: the day off it makes up for."))
    decision = models.CharField(
        _("deciding document"), max_length=300,
        help_text=_("Number and date of the notice, e.g. Công văn số 12729/VPCP-KGVX ngày 25/12/2025."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("national calendar day")
        verbose_name_plural = _("national calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"


class PasswordResetRequest(models.Model):
    """One request for a password reset e-mail, kept to rate-limit them per client address and per
    e-mail address (only a hash of the e-mail is kept). Old rows are worthless after an hour."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    address = models.CharField(max_length=45, blank=True, db_index=True)
    email_digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.address}"
