"""Forms of the announcement and edition pages; the services check and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.formfields import DateField
from eiso.organizations.forms import BootstrapMixin, FilterForm
from eiso.rollout.choices import AnnouncementStatus


class AnnouncementForm(BootstrapMixin, forms.Form):
    processes = forms.CharField(
        label=_("Internal processes covered"), required=False, max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the agency's own processes in the QMS besides the TTHC (e.g. incoming documents)."))
    review_held_on = DateField(label=_("Last management review"), required=False,
                               help_text=_("The date of the last management review meeting."))


class IssueForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60,
                             help_text=_("Number and symbol, e.g. 15/QĐ-SNV."))
    signed_on = DateField(label=_("Signed on"), initial=timezone.localdate)


class PostingForm(BootstrapMixin, forms.Form):
    posted_where = forms.CharField(label=_("Posted at"), max_length=300,
                                   initial=_("The office's notice board and the agency's website"))
    posted_on = DateField(label=_("Posted on"), initial=timezone.localdate)


class NoticeForm(BootstrapMixin, forms.Form):
    notice_number = forms.CharField(label=_("Notice number"), max_length=60,
                                    help_text=_("The letter to the Department of Science and Technology."))
    notice_date = DateField(label=_("Notice date"), initial=timezone.localdate)


class StatusFilterForm(FilterForm):
    due = forms.ChoiceField(label=_("Renewal"), required=False,
                            choices=[("", _("All")), ("1", _("Renewal due")), ("0", _("Up to date"))])


class AnnouncementFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *AnnouncementStatus.choices])


class _Person(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.get_username()


class TransitionForm(BootstrapMixin, forms.Form):
    to_edition = forms.ModelChoiceField(label=_("To edition"), queryset=None, empty_label=None)
    started_on = DateField(label=_("Started on"), initial=timezone.localdate)
    deadline = DateField(label=_("Deadline"))
    owner = _Person(label=_("Owner of the tasks"), queryset=None, required=False,
                    help_text=_("You, when nobody is chosen; each task's owner can be changed later."))

    def __init__(self, *args, editions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_edition"].queryset = editions
        self.fields["owner"].queryset = people


class TaskForm(BootstrapMixin, forms.Form):
    owner = _Person(label=_("Owner"), queryset=None, required=False)
    due_on = DateField(label=_("Due date"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class CompleteForm(BootstrapMixin, forms.Form):
    completed_on = DateField(label=_("Follows the new edition from"), initial=timezone.localdate)
