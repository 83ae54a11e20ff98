"""The filter of the statistics page: a month range, and for those who read several agencies,
one agency; a procedure, a field, and the order of the tables."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core import freshness
from eiso.core.formfields import MonthField, MonthInput
from eiso.core.text import is_id
from eiso.dossiers.selectors import statistics as stats
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import ALL, BootstrapMixin

SORT_CHOICES = [
    ("late", _("Late rate, worst first")),
    ("rate", _("On-time rate, best first")),
    ("total", _("Most dossiers first")),
    ("name", _("Code and name")),
]


class StatisticsFilterForm(BootstrapMixin, forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    procedure = forms.TypedChoiceField(label=_("Administrative procedure"), required=False, coerce=int,
                                       empty_value=None)
    field = forms.ChoiceField(label=_("Field"), required=False)
    sort = forms.ChoiceField(label=_("Order tables by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are the API's names too; they are not Python identifiers for a class body.
        self.fields = {
            "from": MonthField(label=_("From month"), required=False,
                               widget=MonthInput(attrs={"class": "form-control"})),
            "to": MonthField(label=_("To month"), required=False, widget=MonthInput(attrs={"class": "form-control"})),
            **self.fields,
        }
        # The choices change only with the data: kept until they change (eiso.core.freshness).
        agencies = freshness.cached("statistics-filter-agencies", user,
                                    lambda: list(org_selectors.agencies_for_user(user).values_list("pk", "name")))
        self.several_agencies = len(agencies) > 1
        self.own_agency = agencies[0][0] if len(agencies) == 1 else None
        if self.several_agencies:
            self.fields["agency"].choices = [("", ALL), *agencies]
        else:
            del self.fields["agency"]
        chosen = self.data.get("agency") if self.several_agencies else (agencies[0][0] if agencies else None)
        chosen = int(chosen) if is_id(chosen or "") else None
        if chosen or not self.several_agencies:
            only = None
        else:  # a whole province: too many to list; only the one asked for (a link from a table)
            asked = str(self.data.get("procedure") or "")
            only = int(asked) if is_id(asked) else 0
        procedures, fields = freshness.cached(f"statistics-filter-choices:{chosen}:{only}", user, lambda: (
            (stats.procedure_choices(user, chosen, only=only) if only != 0 else []),
            stats.field_choices(user, chosen)))
        self.fields["procedure"].choices = [("", ALL), *procedures]
        self.fields["field"].choices = [("", ALL), *((f, f) for f in fields)]

    def clean(self):
        data = super().clean()
        asked = str(self.data.get("agency") or "")
        if not self.several_agencies and asked and asked != str(self.own_agency or ""):
            self.add_error(None, _("Choose an agency from the list."))
        return data

    def params(self) -> dict:
        """The cleaned filter as ``statistics_query`` keywords (invalid choices raise on the form)."""
        data = self.cleaned_data
        return {"start": data.get("from") or "", "end": data.get("to") or "",
                "agency": str(data.get("agency") or ""), "procedure": str(data.get("procedure") or ""),
                "field": data.get("field") or ""}
