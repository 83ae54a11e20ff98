"""Training, competence and onboarding (ISO 9001 7.2, 7.3): kinds of course, courses and their
sessions with attendance, results and certificates, the competence each job requires, who holds
which job, actions to close gaps, newcomers' onboarding, and an agency's settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.organizations.choices import Role
from eiso.people.choices import AttendanceStatus, GapActionStatus


def certificate_path(instance, filename: str) -> str:
    return f"certificates/{timezone.now():%Y/%m}/{instance.sha256[:16]}.{instance.file_type}"


class CourseKind(models.Model):
    """A kind of course (ISO 9001 awareness, internal auditor, procedure briefing, 5S…): shipped
    as data, changed by an administrator. A kind that qualifies internal auditors is what the
    audit team check looks for."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    qualifies_auditor = models.BooleanField(
        _("qualifies internal auditors"), default=False,
        help_text=_("Holding a valid training of this kind counts as internal auditor training."))
    is_briefing = models.BooleanField(
        _("procedure briefing"), default=False,
        help_text=_("Sessions of this kind can be attached to a revision coming into force."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kind of course")
        verbose_name_plural = _("kinds of course")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Course(models.Model):
    """A training course an agency plans or has held: kind, provider, dates, hours."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="courses")
    kind = models.ForeignKey(CourseKind, verbose_name=_("kind of course"), on_delete=models.PROTECT,
                             related_name="courses")
    title = models.CharField(_("course"), max_length=300)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(2000)])
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Empty: the training does not expire."))
    description = models.TextField(_("content"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["agency", "start_date"], name="course_agency_start_idx")]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="course_dates_in_order",
                                              violation_error_message=_("The end date cannot be before the start "
                                                                        "date."))]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """One sitting of a course; a briefing session may present a revision coming into force."""

    scope = Scope(agency="course__agency", course="course")

    course = models.ForeignKey(Course, verbose_name=_("training course"), on_delete=models.CASCADE,
                               related_name="sessions")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    revision = models.ForeignKey("documents.DocumentRevision", verbose_name=_("revision briefed"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="briefings",
                                 help_text=_("Attending counts as acknowledging this revision."))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.course} — {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    """A person invited to a session, then present or absent."""

    scope = Scope(agency="session__course__agency", unit="user__memberships__unit", many=True)

    session = models.ForeignKey(TrainingSession, verbose_name=_("training session"), on_delete=models.CASCADE,
                                related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="training_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.INVITED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "user__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_session",
                                               violation_error_message=_("This person is already invited."))]
        indexes = [models.Index(fields=["user", "status"], name="attendance_user_status_idx")]

    def __str__(self):
        return f"{self.user} — {self.session}"


class TrainingResult(models.Model):
    """A person's result of a course, with the certificate when one was issued. A certificate past
    its validity no longer counts as competence."""

    scope = Scope(agency="course__agency", unit="user__memberships__unit", many=True)

    course = models.ForeignKey(Course, verbose_name=_("training course"), on_delete=models.CASCADE,
                               related_name="results")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="training_results")
    passed = models.BooleanField(_("passed"), default=True)
    score = models.CharField(_("score or grade"), max_length=40, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_on = models.DateField(_("awarded on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Empty: does not expire."))
    file = models.FileField(_("certificate"), upload_to=certificate_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("type"), max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("training result")
        verbose_name_plural = _("training results")
        ordering = ["course", "user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="training_result_once_per_course",
                                    violation_error_message=_("This person already has a result for the course.")),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                                   name="training_result_valid_after_issue",
                                   violation_error_message=_("A certificate cannot expire before it is issued.")),
        ]
        indexes = [models.Index(fields=["user", "valid_until"], name="result_user_valid_idx")]

    def __str__(self):
        return f"{self.user} — {self.course}"

    def is_valid_on(self, day) -> bool:
        return self.passed and (self.valid_until is None or self.valid_until >= day)


class CompetenceRequirement(models.Model):
    """A training a job requires (the structured part of the job description's "competence
    required"); with no job, of everyone holding ``role``, or of everyone in the agency."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="competence_requirements")
    job_description = models.ForeignKey("organizations.JobDescription", verbose_name=_("job description"),
                                        null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="competence_requirements")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True,
                            help_text=_("Without a job description: everyone with this role (empty: everyone)."))
    kind = models.ForeignKey(CourseKind, verbose_name=_("training required"), on_delete=models.PROTECT,
                             related_name="requirements")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("competence requirement")
        verbose_name_plural = _("competence requirements")
        ordering = ["agency", "kind__order", "id"]
        constraints = [models.UniqueConstraint(
            fields=["agency", "job_description", "role", "kind"], name="competence_requirement_unique",
            violation_error_message=_("This requirement is already recorded."))]

    def __str__(self):
        return str(self.kind)


class PositionHolder(models.Model):
    """Who holds the position of a job description (one job per person)."""

    scope = Scope(agency="job_description__agency", unit="job_description__unit")

    job_description = models.ForeignKey("organizations.JobDescription", verbose_name=_("job description"),
                                        on_delete=models.CASCADE, related_name="holders")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                                related_name="position_held")
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("position holder")
        verbose_name_plural = _("position holders")
        ordering = ["job_description", "user__full_name"]

    def __str__(self):
        return f"{self.user} — {self.job_description}"


class GapAction(models.Model):
    """What will close a person's competence gap, who arranges it and by when."""

    scope = Scope(agency="agency", unit="user__memberships__unit", many=True)

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="gap_actions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="competence_gap_actions")
    kind = models.ForeignKey(CourseKind, verbose_name=_("training required"), on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(_("what will be done"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who arranges it"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("by"))
    course = models.ForeignKey(Course, verbose_name=_("training course"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="gap_actions")
    status = models.CharField(_("status"), max_length=10, choices=GapActionStatus.choices,
                              default=GapActionStatus.OPEN)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("action to close a gap")
        verbose_name_plural = _("actions to close gaps")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.action


class Onboarding(models.Model):
    """A newcomer's onboarding: the quality policy, the objectives and the procedures of their
    unit to read. Each is put on their reading list; the unit head follows the progress."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="onboardings")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="onboardings")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("newcomer"), on_delete=models.PROTECT,
                                related_name="onboarding")
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    revisions = models.ManyToManyField("documents.DocumentRevision", verbose_name=_("documents to read"),
                                       blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboarding")
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return str(self.user)


class PeopleSettings(models.Model):
    """An agency's training settings: whether an internal auditor without training on record is
    refused from an audit team (by default only a warning: TT 26/2014 prescribes no certificate)."""

    scope = Scope(agency="agency")

    agency = models.OneToOneField("organizations.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                                  related_name="people_settings")
    auditor_training_required = models.BooleanField(
        _("refuse auditors without training"), default=False,
        help_text=_("Refuse, rather than warn about, an audit team member with no valid internal auditor "
                    "training on record."))

    class Meta:
        verbose_name = _("training settings")
        verbose_name_plural = _("training settings")

    def __str__(self):
        return str(self.agency)
