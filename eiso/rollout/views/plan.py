"""Pages of the rollout plan."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from eiso.rollout import selectors


@login_required
def rollout_list(request):
    user = request.user
    return render(request, "rollout/rollout_list.html", {
        "rollouts": selectors.rollouts_for_user(user),
    })


urlpatterns = [
    path("rollouts/", rollout_list, name="rollout-list"),
]
