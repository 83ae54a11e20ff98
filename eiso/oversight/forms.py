"""Forms of the oversight pages; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.organizations.forms import BootstrapMixin
from eiso.oversight.choices import POINTS, PointResult

MONTHS = [("", "—")] + [(str(m), _("Month %(m)d") % {"m": m}) for m in range(1, 13)]
TEAM_HELP = _("One person a line: name; position; role (leader, member or secretary). The leader first.")


class PlanForm(BootstrapMixin, forms.Form):
    """The year and, per agency of the province, its month (empty: not in the plan) and whether on site."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    number = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)

    def __init__(self, *args, agencies, initial_items=None, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        if not with_year:
            del self.fields["year"]
            del self.fields["number"]
        initial_items = initial_items or {}
        self.rows = []
        for a in self.agencies:
            item = initial_items.get(a.pk, {})
            month = forms.TypedChoiceField(label=a.name, choices=MONTHS, required=False, coerce=int,
                                           empty_value=None, initial=item.get("month"))
            on_site = forms.BooleanField(label=_("On site"), required=False, initial=item.get("on_site", False))
            self.fields[f"month_{a.pk}"], self.fields[f"on_site_{a.pk}"] = month, on_site
        for a in self.agencies:
            self.rows.append((a, self[f"month_{a.pk}"], self[f"on_site_{a.pk}"]))

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [{"agency": a, "month": data[f"month_{a.pk}"], "on_site": data[f"on_site_{a.pk}"]}
                for a in self.agencies if data.get(f"month_{a.pk}")]

    def apply_domain_error(self, exc) -> None:
        errors = dict(getattr(exc, "errors", None) or {})
        for message in errors.pop("items", []):
            self.add_error(None, str(message))
        if errors or not getattr(exc, "errors", None):
            super().apply_domain_error(type(exc)(exc.message, errors=errors) if errors else exc)


class PlanApproveForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=60)
    signed_on = forms.DateField(label=_("Signed on"))
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)


def parse_team(text: str) -> list[dict]:
    rows = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split(";")]
        if not parts or not parts[0]:
            continue
        role = (parts[2] if len(parts) > 2 else "").lower()
        role = {"trưởng đoàn": "leader", "leader": "leader", "thư ký": "secretary",
                "secretary": "secretary"}.get(role, "member")
        rows.append({"name": parts[0], "position": parts[1] if len(parts) > 1 else "", "role": role})
    return rows


def team_text(team) -> str:
    roles = {"leader": _("leader"), "member": _("member"), "secretary": _("secretary")}
    return "\n".join(f"{m['name']}; {m.get('position', '')}; {roles.get(m.get('role'), '')}" for m in team or [])


class DecisionForm(BootstrapMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_on = forms.DateField(label=_("Decision date"))
    team = forms.CharField(label=_("Inspection team"), widget=forms.Textarea(attrs={"rows": 5}), help_text=TEAM_HELP,
                           max_length=5000)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["team"] = parse_team(data["team"])
        return data


class ChecklistForm(BootstrapMixin, forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), required=False)
    agency_representative = forms.CharField(label=_("Agency representative"), max_length=200, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 max_length=5000)

    def __init__(self, *args, checklist=None, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        checklist, evidence = checklist or {}, evidence or {}
        self.points = []
        for p in POINTS:
            saved, ev = checklist.get(p.code, {}), evidence.get(p.code, {})
            self.fields[f"result_{p.code}"] = forms.ChoiceField(
                label=p.label, choices=PointResult.choices, required=False, widget=forms.RadioSelect,
                initial=saved.get("result") or ev.get("suggested", ""))
            self.fields[f"note_{p.code}"] = forms.CharField(
                label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                initial=saved.get("note", ""))
            self.points.append((p, ev, self[f"result_{p.code}"], self[f"note_{p.code}"]))

    def results(self) -> dict:
        return {p.code: {"result": self.cleaned_data.get(f"result_{p.code}") or "",
                         "note": self.cleaned_data.get(f"note_{p.code}") or ""} for p in POINTS}

    def apply_domain_error(self, exc) -> None:
        errors = getattr(exc, "errors", None) or {}
        for field, messages in errors.items():
            target = f"note_{field}" if f"note_{field}" in self.fields else (field if field in self.fields else None)
            for message in messages:
                self.add_error(target, str(message))
        if not errors:
            self.add_error(None, str(exc.message))


class MinutesForm(BootstrapMixin, forms.Form):
    minutes_on = forms.DateField(label=_("Minutes date"))
