"""The page "Việc của tôi": everything waiting for the signed-in person, and their digest setting."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core import freshness
from eiso.core.pages import next_url
from eiso.inbox import selectors, services


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(label=gettext_lazy("E-mail me a daily digest of my tasks"), required=False)


@login_required
def inbox(request):
    computed_at, sections = selectors.inbox_for_user_cached(request.user)
    total = sum(s.count for s in sections)
    return render(request, "inbox/inbox.html", {
        **freshness.fragment(request, computed_at, selectors.inbox_agencies(request.user)),
        "sections": sections, "total": total, "inbox_count": total,  # the header's count, read here already
        "digest_form": DigestForm(initial={"daily_digest": services.digest_wanted(request.user)}),
        "has_email": bool(request.user.email),
    })


@login_required
@require_POST
def inbox_settings(request):
    form = DigestForm(request.POST)
    form.is_valid()
    wanted = bool(form.cleaned_data.get("daily_digest"))
    services.inbox_settings_update(actor=request.user, daily_digest=wanted)
    messages.success(request, _("You will receive a daily digest of your tasks by e-mail.") if wanted
                     else _("You will no longer receive the daily digest."))
    return redirect(next_url(request, reverse("inbox:inbox")))

