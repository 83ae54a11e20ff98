import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from eiso.core.uploads import upload_temp_clean  # noqa: E402 - needs the settings loaded above
from eiso.core.warmup import load_and_freeze  # noqa: E402

upload_temp_clean()  # spooled uploads a killed worker left behind
load_and_freeze()  # what every request reads, loaded now and kept out of the collector's full passes
