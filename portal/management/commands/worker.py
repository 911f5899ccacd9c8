"""manage.py worker: django-tasks-db's db_worker, plus a heartbeat and the recovery of abandoned tasks.

Run it (deploy/portal-worker.service) wherever TASKS_BACKEND=database; it takes db_worker's options.
"""

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from portal.worker import Heartbeat, beat, forget_dead_on_this_host, requeue_abandoned


class Command(DbWorkerCommand):
    help = "Chạy tiến trình nền: thực hiện các tác vụ đã xếp hàng (nhắc nộp báo cáo...), có nhịp tim."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        forget_dead_on_this_host()
        beat(worker_id)
        # Tasks left running by a worker that died are queued again before this one starts.
        requeue_abandoned()
        connection.close()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
