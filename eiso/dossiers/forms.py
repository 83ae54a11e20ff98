"""Forms of the dossier pages: the list's filters and the apology letter.

Forms only parse input; ``eiso.dossiers.services`` decides. Procedure and unit choices come from
the user's scope, so another agency's id is simply not a choice.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core import freshness
from eiso.dossiers.choices import DossierStatus, Result
from eiso.dossiers.selectors.lists import OPEN
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import BootstrapMixin, FilterForm, date_field, grouped_unit_choices
from eiso.organizations.permissions import agencies_read_by
from eiso.procedures.selectors import admin_procedure_options_for_user

ALL = _("All")
RESULT_CHOICES = [("", ALL), *Result.choices, (OPEN, _("Not finished yet"))]
PERIOD_CHOICES = [("received", _("Received")), ("finished", _("Result returned"))]


class DossierFilterForm(FilterForm):
    procedure = forms.ChoiceField(label=_("Administrative procedure"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", ALL), *DossierStatus.choices])
    result = forms.ChoiceField(label=_("Result"), required=False, choices=RESULT_CHOICES)
    period = forms.ChoiceField(label=_("Dates of"), required=False, choices=PERIOD_CHOICES)
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    field_order = ["q", "procedure", "unit", "status", "result", "period", "date_from", "date_to", "agency"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Dossier code or applicant")
        # The choices change only with the data: kept in the process until they change (eiso.core.
        # freshness, per reader), as they are, not unpickled on every page (a province's are hundreds).
        agencies, procedures, units = freshness.kept_in_process("dossier-filter-choices", user.pk, lambda: (
            list(org_selectors.agencies_for_user(user).values_list("pk", "name")),
            admin_procedure_options_for_user(user),
            list(org_selectors.units_for_user(user).order_by("agency__name", "name"))), user,
            agencies=agencies_read_by(user))
        self.agency_ids = [pk for pk, _name in agencies]  # the agencies the user reads
        several = len(agencies) > 1
        if several:
            self.fields["agency"].choices = [("", ALL), *((str(pk), name) for pk, name in agencies)]
        else:
            del self.fields["agency"]
        self.fields["procedure"].choices = [("", ALL), *(
            (str(pk), f"{code} — {name}"[:120] + (f" ({agency})" if several else ""))
            for pk, code, name, agency in procedures)]
        self.fields["unit"].choices = grouped_unit_choices(units, blank_label=ALL)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            data["date_from"], data["date_to"] = end, start
        if not (start or end):
            data.pop("period", None)
        return data


class ApologyForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the delay"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Printed on the letter the applicant receives."))
    new_due_at = forms.DateTimeField(
        label=_("New appointment"),
        help_text=_("Only one new appointment may be given: choose a date the agency can keep."))
    confirm = forms.BooleanField(
        label=_("The result cannot be returned by the current due date"), required=True,
        help_text=_("The dossier is not late yet: an apology letter is sent when it will be."))

    def __init__(self, *args, overdue: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if overdue:
            del self.fields["confirm"]
