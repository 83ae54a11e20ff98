"""``eiso db_worker``: django-tasks-db's worker, announcing itself with a heartbeat.

The same worker and options as django-tasks-db's; while it runs, its ``TaskWorker`` row tells the
pages that queued work will be picked up, and when it starts it marks failed the tasks that dead
workers left running (``eiso.core.workers``).
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from eiso.core import workers


class Command(db_worker.Command):
    help = "Run the background task worker (database queue), with a heartbeat the pages read."

    def handle(self, *args, **options):
        if options.get("reload") and not options.get("batch") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)  # the reloader's parent: the child does the work
        with workers.heartbeat(options["worker_id"]):
            return super().handle(*args, **options)
