"""Forms of the one-stop import pages and of the agency's dossier settings (they parse; services write)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.dossiers.choices import ImportStatus, SupplementMode
from eiso.dossiers.services.settings import MAX_DUE_SOON_HOURS
from eiso.organizations.forms import BootstrapMixin, FilterForm


class DossierImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("File (.csv, .jsonl or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.jsonl,.xlsx"}),
        help_text=_("CSV or Excel: one row per event, with the columns listed below (or the template to download). "
                    "JSONL: one dossier per line."),
    )


class DossierImportFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *ImportStatus.choices])


class DossierSettingsForm(BootstrapMixin, forms.Form):
    supplement_mode = forms.ChoiceField(label=_("When a complete supplement arrives"), choices=SupplementMode.choices,
                                        widget=forms.RadioSelect)
    due_soon_hours = forms.IntegerField(
        label=_("Due soon within (working hours)"), min_value=1, max_value=MAX_DUE_SOON_HOURS,
        help_text=_("Open dossiers due within this many working hours are listed as due soon (8 hours = one "
                    "working day)."))
