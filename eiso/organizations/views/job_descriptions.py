"""Pages of the job descriptions (bảng mô tả công việc) of units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.pages import form_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.core.text import is_id
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.organizations.forms import JobDescriptionFilterForm, JobDescriptionForm

JOB_TABS = [("info", gettext_lazy("Overview")), ("history", gettext_lazy("History"))]


@login_required
def jobdescription_list(request):
    filters = JobDescriptionFilterForm(request.GET or None, user=request.user)
    jobs = selectors.job_descriptions_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "organizations/jobdescription_list.html",
        {
            "filters": filters,
            **paged(request, jobs),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_jobdescription", request.user.agency),
        },
    )


@login_required
def jobdescription_detail(request, pk):
    job = selectors.job_description_get_for_user(request.user, pk)
    tab = tab_of(request, JOB_TABS)
    context = {
        "job": job,
        "tab": tab,
        "tabs": JOB_TABS,
        "can_edit": request.user.has_perm("organizations.change_jobdescription", job),
    }
    if tab == "history":
        context.update(paged(request, history_for(job)))
    return render(request, "organizations/jobdescription_detail.html", context)


@login_required
def jobdescription_create(request):
    agencies = agencies_for(request, "organizations.add_jobdescription")
    if not agencies.exists():
        raise Forbidden()
    units = selectors.units_for_user(request.user, active="1").filter(agency__in=agencies)
    initial = initial_agency(request, agencies)
    if is_id(request.GET.get("unit", "")):
        initial["unit"] = int(request.GET["unit"])
    form = JobDescriptionForm(request.POST or None, agencies=agencies, units=units, initial=initial)
    if request.method == "POST":

        def create():
            data = dict(form.cleaned_data)
            return services.job_description_create(actor=request.user, agency=data.pop("agency"), **data)

        ok, job = run(form, create)
        if ok:
            messages.success(request, _("The job description %(code)s was created.") % {"code": job.code})
            return redirect("organizations:jobdescription-detail", job.pk)
    return form_page(
        request, form, title=_("New job description"), cancel_url=reverse("organizations:jobdescription-list")
    )


@login_required
def jobdescription_update(request, pk):
    job = selectors.job_description_get_for_user(request.user, pk)
    require(request, "organizations.change_jobdescription", job)
    units = selectors.units_for_user(request.user, agency=str(job.agency_id))
    form = JobDescriptionForm(request.POST or None, agencies=None, units=units, instance=job)
    if request.method == "POST":
        ok, _job = run(
            form, lambda: services.job_description_update(actor=request.user, job=job, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:jobdescription-detail", job.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": job},
        cancel_url=reverse("organizations:jobdescription-detail", args=[job.pk]),
    )


urlpatterns = [
    path("job-descriptions/", jobdescription_list, name="jobdescription-list"),
    path("job-descriptions/new/", jobdescription_create, name="jobdescription-create"),
    path("job-descriptions/<int:pk>/", jobdescription_detail, name="jobdescription-detail"),
    path("job-descriptions/<int:pk>/edit/", jobdescription_update, name="jobdescription-update"),
]
