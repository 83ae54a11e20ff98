"""Views of the core app: only what belongs to no domain area."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from eiso.core import jobs
from eiso.core.choices import RUNNING_STATUSES
from eiso.core.selectors import importjob_get_for_user
from eiso.core.tasks import import_job_enqueue


@never_cache
@require_safe
def healthz(request):
    """Liveness probe and the benchmark's baseline: plain "ok", no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# --- import jobs (eiso.core.jobs): the page that follows an uploaded import ------------------------


@login_required
def importjob_detail(request, pk):
    job = importjob_get_for_user(request.user, pk)
    jobs.import_jobs_mark_interrupted([job])
    kind = jobs.job_kind(job.kind)
    running = job.status in RUNNING_STATUSES
    context = {"job": job, "kind": kind, "running": running, "no_worker": jobs.waiting_for_worker(job),
               "percent": jobs.job_percent(job),
               "can_import": request.user.has_perm(kind.permission, job.agency),
               "done_url": kind.done_url(job), "upload_url": kind.upload_url(job)}
    template = "core/importjob_detail.html"
    if request.htmx and request.htmx.target == "import-progress":
        template += "#progress"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
@require_POST
def importjob_retry(request, pk):
    job = importjob_get_for_user(request.user, pk)
    job = jobs.import_job_retry(job=job, actor=request.user)
    transaction.on_commit(partial(import_job_enqueue, job))
    messages.success(request, _("%(name)s was queued again.") % {"name": job.original_name})
    return redirect("core:importjob-detail", job.pk)
