"""Indicators a quality objective is measured by, comparators, frequencies and statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCode(models.TextChoices):
    """Each a pure formula over data eISO holds (``formulas`` and ``measures``), or ``manual``."""

    DOSSIER_ON_TIME_RATE = "dossier_on_time_rate", _("Dossiers resolved on time (%)")
    DOSSIER_ONLINE_RATE = "dossier_online_rate", _("Dossiers received online (%)")
    CORRECTIVE_ACTIONS_ON_TIME_RATE = "corrective_actions_on_time_rate", _("Corrective actions closed on time (%)")
    SATISFACTION_SCORE = "satisfaction_score", _("Citizen satisfaction score (0–18)")
    COMPLAINTS_ON_TIME_RATE = "complaints_on_time_rate", _("Complaints answered on time (%)")
    TTHC_COVERAGE_RATE = "tthc_coverage_rate", _("TTHC with a procedure in force (%)")
    LEGAL_REVIEWS_ON_TIME_RATE = "legal_reviews_on_time_rate", _("Legal-change reviews done within 3 months (%)")
    AUDIT_PROGRAMME_COMPLETION = "audit_programme_completion", _("Planned internal audits done (%)")
    MANUAL = "manual", _("Entered by hand, with evidence")


PERCENT_INDICATORS = frozenset({IndicatorCode.DOSSIER_ON_TIME_RATE, IndicatorCode.DOSSIER_ONLINE_RATE,
                                IndicatorCode.CORRECTIVE_ACTIONS_ON_TIME_RATE, IndicatorCode.COMPLAINTS_ON_TIME_RATE,
                                IndicatorCode.TTHC_COVERAGE_RATE, IndicatorCode.LEGAL_REVIEWS_ON_TIME_RATE,
                                IndicatorCode.AUDIT_PROGRAMME_COMPLETION})


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="


class Frequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


# What each announcement of eiso.core.changes makes stale: the computed indicators over that data.
TOPIC_INDICATORS: dict[str, frozenset[str]] = {
    "dossiers": frozenset({IndicatorCode.DOSSIER_ON_TIME_RATE, IndicatorCode.DOSSIER_ONLINE_RATE}),
    "corrective_actions": frozenset({IndicatorCode.CORRECTIVE_ACTIONS_ON_TIME_RATE}),
    "complaints": frozenset({IndicatorCode.COMPLAINTS_ON_TIME_RATE}),
    "satisfaction": frozenset({IndicatorCode.SATISFACTION_SCORE}),
    "audits": frozenset({IndicatorCode.AUDIT_PROGRAMME_COMPLETION}),
    "legal_reviews": frozenset({IndicatorCode.LEGAL_REVIEWS_ON_TIME_RATE}),
    "procedures": frozenset({IndicatorCode.TTHC_COVERAGE_RATE}),
}
