"""Background import jobs: a web upload is read by a worker, not by the request that brought it.

```
/manage/import/ POST ─ import_submit: upload_receive (file + uploader under DATA_DIR/uploads/<token>/)
                        └ import_read.enqueue(token) → a row of django_tasks_db (the database backend)
worker (keikaku worker; started by keikaku serve / demo) ─ import_read(token)
                        └ upload_read: the bounded child (time and memory limits) → plan.json or the reason
/manage/import/jobs/<token>/ ─ import_job_get: queued (n ahead) → reading (seconds, limit) → ready (the review)
                                              or failed (one clear line)
```

The job's state comes from the task row (queued, running with its start time, finished with the task's
return value); the plan read waits in the upload's folder for the review (keikaku.services.imports). Only the
uploader sees a job (NotFound for anyone else). A job whose worker was stopped in the middle (its row still
"running" long after the time limit) is reported as interrupted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django_tasks import task
from django_tasks.base import TaskResultStatus

from keikaku.core.plan import Plan
from keikaku.services import imports, logs
from keikaku.services.bounded import Limits, timeout_message
from keikaku.services.errors import InvalidDocument, NotFound, ServiceError

log = logger = logging.getLogger(__name__)

QUEUED, READING, READY, FAILED = "queued", "reading", "ready", "failed"
# a job still "running" this long after the parse's time limit lost its worker (stopped, killed)
STALE_AFTER = timedelta(seconds=60)


@task()
def import_read(token: str) -> dict[str, Any]:
    """The job (run by the worker): read the upload in the bounded child. A domain error is the job's
    answer ({"ok": false, "code", "message", "problems"}), never an exception: the task itself fails only
    on a bug, which the job page reports as one line."""
    try:
        plan = imports.upload_read(token)
    except InvalidDocument as e:
        errors = [str(p) for p in e.problems if p.severity == "error"]
        return {"ok": False, "code": "invalid", "message": str(e), "problems": errors[:50]}
    except ServiceError as e:
        return {"ok": False, "code": getattr(e, "code", "unreadable"), "message": str(e), "problems": []}
    return {"ok": True, "measures": len(plan.measures)}


@dataclass
class ImportJob:
    """What the uploader sees of a job."""

    token: str
    filename: str
    created: str  # ISO time of the upload
    state: str  # queued / reading / ready / failed
    ahead: int = 0  # queued: jobs before this one
    elapsed: int = 0  # reading: seconds since the worker took it
    limit: int = 0  # the parse's time limit (KEIKAKU_IMPORT_TIMEOUT)
    message: str = ""  # failed: why, in one line
    problems: list[str] = field(default_factory=list)
    plan_title: str = ""

    @property
    def finished(self) -> bool:
        return self.state in (READY, FAILED)


def import_submit(actor: Any, filename: str, chunks: Iterable[bytes], *, now: datetime) -> ImportJob:
    """Receive an upload (imports.upload_receive checks the uploader, the format and the size) and queue
    the job that reads it. Returns at once."""

    def start(token: str) -> str:
        return str(import_read.enqueue(token).id)

    imports._require_importer(actor)  # (upload_receive checks again)
    _finished_jobs_prune(now=now)
    token = imports.upload_receive(actor, filename, chunks, now=now, start=start)
    _done = import_job_get(actor, token, now=now)
    logger.info("import_submit: %s -> %s (by %s)", logs.ref(filename), logs.ref(_done), logs.by(actor))
    return _done


def _finished_jobs_prune(*, now: datetime) -> None:
    """Forget finished import jobs older than their uploads (imports.UPLOAD_TTL), as uploads_prune does."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(
        task_path=import_read.module_path, finished_at__lt=now - imports.UPLOAD_TTL
    ).delete()


def _result(task_id: str) -> Any | None:
    try:
        return import_read.get_result(task_id)
    except Exception:  # the row was pruned, or the id is not one
        return None


def _queued_ahead(result: Any) -> int:
    from django_tasks_db.models import DBTaskResult

    enqueued = getattr(result, "enqueued_at", None)
    if enqueued is None:
        return 0
    return DBTaskResult.objects.ready().filter(enqueued_at__lt=enqueued).count()


def import_job_get(actor: Any, token: str, *, now: datetime) -> ImportJob:
    """``actor``'s own job by its token (NotFound for anyone else's, a forged or an expired token)."""
    meta = imports.import_owned(actor, token)
    job = ImportJob(
        token, meta["filename"], meta.get("created", ""), QUEUED, limit=int(Limits.from_env().timeout)
    )
    result = _result(meta["task"]) if meta.get("task") else None
    if result is None:
        job.state, job.message = (
            FAILED,
            "取り込みの記録が見つかりません。もう一度取り込んでください / the job is gone",
        )
        return job
    status = result.status
    if status == TaskResultStatus.READY:
        job.ahead = _queued_ahead(result)
    elif status == TaskResultStatus.RUNNING:
        job.state = READING
        started = result.started_at or now
        job.elapsed = max(0, int((now - started).total_seconds()))
        if now - started > timedelta(seconds=job.limit) + STALE_AFTER:
            job.state = FAILED
            job.message = (
                "読み取りが途中で止まりました（処理していたワーカーが停止しました）。もう一度取り込んでください"
                " / the worker stopped while reading; upload the document again"
            )
    elif status == TaskResultStatus.SUCCESSFUL:
        answer = result.return_value or {}
        if answer.get("ok"):
            job.state = READY
        else:
            job.state = FAILED
            job.message = answer.get("message") or timeout_message(Limits.from_env(), job.filename)
            job.problems = list(answer.get("problems") or [])
    else:  # FAILED: a bug in the job itself (logged by the worker)
        job.state = FAILED
        job.message = (
            "読み取りの途中で問題が起きたため、この文書は読み取れませんでした。何も保存していません"
            " / the import job failed; nothing was stored"
        )
    return job


def import_jobs_list(actor: Any, *, now: datetime) -> list[ImportJob]:
    """``actor``'s uploads not yet stored or discarded (newest first), each with its job's state."""
    root = imports.uploads_dir()
    jobs: list[ImportJob] = []
    if not root.is_dir():
        return jobs
    for folder in root.iterdir():
        try:
            jobs.append(import_job_get(actor, folder.name, now=now))
        except (NotFound, OSError, ValueError, KeyError):
            continue
    return sorted(jobs, key=lambda j: j.created, reverse=True)


def import_job_plan(actor: Any, token: str) -> Plan:
    """The plan a finished job read (for a summary line)."""
    return imports.import_get(actor, token).plan


# ---- the worker -----------------------------------------------------------------------------------


def worker_make(*, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> Any:
    """django_tasks_db's worker on the default backend and queue (``run()`` loops until ``running`` is
    cleared; ``batch`` stops when the queue is empty)."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"keikaku-{get_random_string(20)}",
        excluded_queue_names=[],
    )


def worker_thread(*, interval: float = 1.0) -> tuple[threading.Thread, Any]:
    """A worker running in a thread of this process (tests, and embedders that want no second process):
    returns (thread, worker); stop with ``worker.running = False`` then ``thread.join()``."""
    worker = worker_make(interval=interval)
    thread = threading.Thread(target=worker.run, name="keikaku-worker", daemon=True)
    thread.start()
    return thread, worker
