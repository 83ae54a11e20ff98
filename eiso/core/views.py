"""Views of the core app: only what belongs to no domain area."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Liveness probe and the benchmark's baseline: plain "ok", no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
