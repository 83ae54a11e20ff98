import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from eiso.core.asgi import get_application  # noqa: E402 - after the settings module is chosen

application = get_application()  # Django's ASGI handler with the request-size ceiling while reading
