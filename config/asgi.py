import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from eiso.core.asgi import get_application  # noqa: E402 - after the settings module is chosen

application = get_application()  # Django's ASGI handler with the request-size ceiling while reading

from eiso.core.warmup import load_and_freeze  # noqa: E402 - needs the settings loaded above

load_and_freeze()  # what every request reads, loaded now and kept out of the collector's full passes
