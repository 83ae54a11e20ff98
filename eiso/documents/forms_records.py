"""Forms of the records pages: record types, file lists, record files and their disposal.

Forms only parse and check input; ``eiso.documents.services.records`` writes and decides. Every
choice of a unit, procedure or record type comes from a selector.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.documents.models import Document, FileList, RecordFile, RecordType
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import (
    AgencyScopedFilter,
    BootstrapMixin,
    ServiceModelForm,
    date_widget,
    grouped_unit_choices,
    with_blank,
)


class _ProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title}"


class _UnitField(forms.TypedChoiceField):
    """A unit chosen among ``units`` (grouped by agency when there are several)."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def setup(self, units, blank_label=None):
        self._units = {u.pk: u for u in units}
        self.choices = grouped_unit_choices(
            self._units.values(), **({"blank_label": blank_label} if blank_label else {})
        )

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self._units[pk]


def _units(user, agencies):
    return org_selectors.units_for_user(user, active="1").filter(agency__in=agencies).select_related("agency")


# --- record types ----------------------------------------------------------------------------------


class RecordTypeFilterForm(AgencyScopedFilter):
    pass


class RecordTypeForm(ServiceModelForm):
    responsible_unit = _UnitField(label=_("Responsible unit"), required=False)
    document = _ProcedureChoice(label=_("Procedure"), queryset=Document.objects.none(), required=False)
    permanent = forms.BooleanField(label=_("Kept permanently"), required=False)

    class Meta:
        model = RecordType
        fields = [
            "agency",
            "code",
            "name",
            "document",
            "retention_years",
            "storage_place",
            "responsible_unit",
        ]

    field_order = [
        "agency",
        "code",
        "name",
        "document",
        "retention_years",
        "permanent",
        "storage_place",
        "responsible_unit",
    ]

    def __init__(self, *args, agencies, units, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None or len(agencies) <= 1:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
        self.fields["responsible_unit"].setup(units)
        self.fields["document"].queryset = procedures
        self.fields["retention_years"].help_text = _("Years after the file is closed.")
        if self.instance.pk:
            self.initial["responsible_unit"] = self.instance.responsible_unit_id
            self.initial["permanent"] = self.instance.retention_years is None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("permanent"):
            cleaned["retention_years"] = None
        elif cleaned.get("retention_years") is None and "retention_years" not in self.errors:
            self.add_error("retention_years", _("Give the retention period, or tick “Kept permanently”."))
        agency = cleaned.get("agency") if "agency" in self.fields else None
        for name in ("responsible_unit", "document"):
            value = cleaned.get(name)
            if agency is not None and value is not None and value.agency_id != agency.pk:
                self.add_error(name, _("It belongs to another agency."))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("permanent", None)
        data.pop("agency", None)
        return data


# --- file lists ------------------------------------------------------------------------------------


class FileListFilterForm(AgencyScopedFilter):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=str)

    def __init__(self, *args, user, years, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["year"].choices = with_blank([(str(y), str(y)) for y in years])


class FileListForm(ServiceModelForm):
    unit = _UnitField(label=_("Unit"))

    class Meta:
        model = FileList
        fields = ["unit", "year"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].setup(units, blank_label="—")
        self.fields["year"].initial = timezone.localdate().year


# --- record files ----------------------------------------------------------------------------------


class _RecordTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        keep = (_("%(n)s years") % {"n": obj.retention_years}) if obj.retention_years is not None else _("permanent")
        return f"{obj.code} — {obj.name} ({keep})"


class RecordFileForm(ServiceModelForm):
    record_type = _RecordTypeChoice(label=_("Record type"), queryset=RecordType.objects.none(), required=False)
    permanent = forms.BooleanField(label=_("Kept permanently"), required=False)

    class Meta:
        model = RecordFile
        fields = [
            "code",
            "title",
            "record_type",
            "opened_on",
            "closed_on",
            "retention_years",
            "keeper",
            "location",
        ]
        widgets = {
            "opened_on": date_widget(),
            "closed_on": date_widget(),
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "code",
        "title",
        "record_type",
        "opened_on",
        "closed_on",
        "retention_years",
        "permanent",
        "keeper",
        "location",
    ]

    def __init__(self, *args, record_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = record_types
        self.fields["retention_years"].help_text = _(
            "Years after the file is closed. Empty: the record type's retention."
        )
        if self.instance.pk:
            self.initial["permanent"] = self.instance.retention_years is None

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("opened_on"), cleaned.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("A file cannot close before it opens."))
        return cleaned

    def service_data(self, *, creating: bool) -> dict:
        """The service's arguments: on creation an empty retention takes the record type's."""
        data = dict(self.cleaned_data)
        permanent = data.pop("permanent", False)
        if permanent:
            data["retention_years"] = None
        elif data.get("retention_years") is None:
            if creating:
                data.pop("retention_years")
            else:
                record_type = data.get("record_type")
                data["retention_years"] = record_type.retention_years if record_type is not None else None
        return data


class RecordDisposeForm(BootstrapMixin, forms.Form):
    disposed_on = forms.DateField(label=_("Disposed on"), widget=date_widget())
    note = forms.CharField(
        label=_("Disposal record"),
        max_length=300,
        help_text=_("E.g. the number and date of the disposal minutes (biên bản hủy)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disposed_on"].initial = timezone.localdate()


class DisposalFilterForm(AgencyScopedFilter):
    pass
