"""``eiso clean_uploads``: remove spooled uploads left behind by killed web workers (run by cron,
e.g. hourly; the web server also does it when it starts)."""

from django.core.management.base import BaseCommand

from eiso.core.uploads import upload_temp_clean


class Command(BaseCommand):
    help = "Remove temporary upload files older than EISO_UPLOAD_TEMP_MAX_AGE seconds (left by killed workers)."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=None, help="seconds (default: the setting)")

    def handle(self, *args, max_age=None, **options):
        removed = upload_temp_clean(max_age=max_age)
        self.stdout.write(f"{removed} temporary upload file(s) removed.")
