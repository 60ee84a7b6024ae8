"""Every parse is bounded: one document is read in a child process under a wall-time limit and an
address-space limit, so that no document — hostile or unlucky — can stall or exhaust the process that
asked (the web server, the job worker, the CLI).

```
parent (Django set up)                       child (no Django: keikaku.ingest.import_document only)
  document_parse(path) ── Pipe ──────────▶   setrlimit(RLIMIT_AS, memory), setrlimit(RLIMIT_CPU, backstop)
  poll(timeout)                               import_document(path) → Plan | Catalogue
    ◀─ ("ok", kind, plan JSON)                ReaderError            → ("error", code, message)
    ◀─ ("error", code, message)               MemoryError            → ("memory", …)
    ◀─ ("bug", exception name, traceback)     anything else          → ("bug", …)
  nothing within the limit → kill the child → ParseTimeout       (時間内に読み取れませんでした)
  child died without an answer (killed by the kernel, aborted by a library out of memory)
                                            → ParseTooLarge      (大きすぎて読み取れません)
```

Only :class:`~keikaku.services.errors.ServiceError` subclasses leave :func:`document_parse`; a reader's own
error keeps its code (``empty``, ``corrupt``, ``not_a_plan`` …). Settings (read when a parse starts, see
docs/settings.md): ``KEIKAKU_IMPORT_TIMEOUT`` (seconds, default 120) and ``KEIKAKU_IMPORT_MEMORY_MB``
(default 1024; 0 = no limit). The address-space limit needs a POSIX system (``resource``); elsewhere only the
time limit applies.

The child is started with the ``forkserver`` context where there is one (POSIX): the fork server imports the
readers and the extractor once, and each parse is a fresh fork of it — a batch import or the job worker pays
the imports once. Elsewhere ``spawn``. This module imports nothing from Django so that the child stays small.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from keikaku.config import configure_logging, env_int
from keikaku.core.plan import Catalogue, Plan
from keikaku.services.errors import ServiceError

log = logging.getLogger(__name__)

TIMEOUT_ENV = "KEIKAKU_IMPORT_TIMEOUT"
MEMORY_ENV = "KEIKAKU_IMPORT_MEMORY_MB"
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 1024
# the modules the fork server imports once: this one and the warm-up (pillar model); for a long-lived
# process (prestart(libraries=True)) also the readers' libraries
PRELOAD = ["keikaku.services.bounded", "keikaku.services.parse_preload"]
PRELOAD_LIBRARIES = "keikaku.services.parse_preload_libraries"
# numerical libraries in the children run one thread each (a fork of a thread pool is not a thread pool,
# and every idle pool thread costs address space under the limit)
CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class ImportFailed(ServiceError):
    """The document could not be read or is not a plan (``code`` says why: the reader's code, or
    ``timeout``, ``too_large``, ``internal`` from the bound around it)."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


class ParseTimeout(ImportFailed):
    """The document was not read within KEIKAKU_IMPORT_TIMEOUT seconds."""


class ParseTooLarge(ImportFailed):
    """Reading the document needed more memory than KEIKAKU_IMPORT_MEMORY_MB."""


@dataclass(frozen=True)
class Limits:
    timeout: float  # seconds of wall time
    memory_mb: int  # address space of the child; 0 = no limit

    @classmethod
    def from_env(cls) -> Limits:
        timeout = env_int(TIMEOUT_ENV, DEFAULT_TIMEOUT)
        memory = env_int(MEMORY_ENV, DEFAULT_MEMORY_MB)
        if timeout <= 0:
            raise SystemExit(f"設定エラー / bad setting: {TIMEOUT_ENV}={timeout} must be > 0")
        if memory < 0:
            raise SystemExit(f"設定エラー / bad setting: {MEMORY_ENV}={memory} must be ≥ 0")
        return cls(float(timeout), memory)


def timeout_message(limits: Limits, name: str) -> str:
    return (
        f"時間内に読み取れませんでした（{name}: 上限 {limits.timeout:g} 秒、{TIMEOUT_ENV}）。"
        "文書が大きすぎるか、読み取れない作りになっています"
        f" / not read within the time limit ({limits.timeout:g} s, {TIMEOUT_ENV})"
    )


def memory_message(limits: Limits, name: str) -> str:
    return (
        f"大きすぎて読み取れません（{name}: 読み取りに必要なメモリが上限 {limits.memory_mb} MB を超えました、"
        f"{MEMORY_ENV}） / too large to read: it needs more memory than the limit "
        f"({limits.memory_mb} MB, {MEMORY_ENV})"
    )


def internal_message(name: str, exc_name: str) -> str:
    return (
        f"読み取りの途中で問題が起きたため、この文書は読み取れません（{name}: {exc_name}）。"
        "何も保存していません / this document could not be read: the reader failed "
        f"({exc_name}); nothing was stored"
    )


# ---- the child ------------------------------------------------------------------------------------


def _child_logging() -> None:
    """The child has no Django settings: its keikaku loggers (the importer's decisions at DEBUG) go to
    standard error at the level KEIKAKU_LOG_LEVEL names, as the parent's do."""
    configure_logging()


def _limit_child(memory_mb: int, timeout: float) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the wall-time limit alone
        return
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # a backstop should the parent die: the kernel stops a child that has used its CPU time (counted from
    # what this process has used already, so the limit is never below what is spent: SIGXCPU at once)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + int(timeout) + 10
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _near_limit(memory_mb: int, margin_mb: int = 64) -> bool:
    """Whether this process's address space has reached within ``margin_mb`` of the limit (Linux: VmPeak)."""
    if not memory_mb:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) >= (memory_mb - margin_mb) * 1024
    except (OSError, ValueError):
        pass
    return False


def _child(
    conn: Connection, path: str, filename: str, max_bytes: int | None, memory_mb: int, timeout: float
) -> None:
    """Runs in the child: read one document and send one answer."""
    answer: tuple[str, str, str]
    try:
        _limit_child(memory_mb, timeout)
        _child_logging()
        from keikaku.ingest import import_document
        from keikaku.ingest.blocks import ReaderError

        try:
            doc = import_document(Path(path), filename=filename, max_bytes=max_bytes)
            kind = "catalogue" if isinstance(doc, Catalogue) else "plan"
            answer = ("ok", kind, doc.model_dump_json())
            del doc
        except ReaderError as e:
            answer = ("error", e.code, str(e))
    except MemoryError:
        answer = ("memory", "", "")
    except BaseException as e:  # a bug in a reader or a recogniser: one line for the user, details logged
        # a library that fails to allocate may say so with any exception: near the limit, it is the limit
        near = _near_limit(memory_mb)
        answer = ("memory" if near else "bug", type(e).__name__, traceback.format_exc()[-8000:])
    try:
        conn.send(answer)
    except MemoryError:
        conn.send(("memory", "", ""))
    finally:
        conn.close()


# ---- the parent -----------------------------------------------------------------------------------

_context_lock = threading.Lock()
_context: Any = None
_libraries = False


def _mp_context() -> Any:
    """forkserver (POSIX: the fork server preloads the readers once) or spawn; never plain fork, which would
    copy the parent's threads, database connections and Django state into the child."""
    global _context
    with _context_lock:
        if _context is None:
            ctx: Any
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload([*PRELOAD, PRELOAD_LIBRARIES] if _libraries else PRELOAD)
                _start_forkserver()
            else:
                ctx = multiprocessing.get_context("spawn")
            _context = ctx
        return _context


def _start_forkserver() -> None:
    """Start the fork server now, with CHILD_ENV in its environment (the parent's is left as it was)."""
    from multiprocessing import forkserver

    saved = {k: os.environ.get(k) for k in CHILD_ENV}
    for k, v in CHILD_ENV.items():
        os.environ.setdefault(k, v)
    try:
        forkserver.ensure_running()
    finally:
        for k, old in saved.items():
            if old is None:
                os.environ.pop(k, None)


def prestart(*, libraries: bool = False) -> None:
    """Start the parse fork server now: it warms the extractor in its own process while the caller goes on
    (sets up Django); the first parse then finds it ready. ``libraries``: a long-lived caller (the worker, a
    folder import) has the server import every reader's libraries too, once for all its documents.
    Optional: document_parse starts the server when needed (without the libraries)."""
    global _libraries
    with _context_lock:
        _libraries = _libraries or libraries
    _mp_context()


def document_parse(
    path: Path, *, filename: str | None = None, max_bytes: int | None = None, limits: Limits | None = None
) -> Plan | Catalogue:
    """Read and extract one document in a bounded child process. Raises only ImportFailed (and its
    ParseTimeout / ParseTooLarge)."""
    limits = limits or Limits.from_env()
    path = Path(path)
    name = filename or path.name
    ctx = _mp_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(sender, str(path), name, max_bytes, limits.memory_mb, limits.timeout),
        name=f"keikaku-parse {name}",
        daemon=True,
    )
    try:
        proc.start()
    except OSError as e:
        raise ImportFailed(
            f"読み取りを始められませんでした / could not start the reader: {e}", "internal"
        ) from None
    sender.close()
    answer: tuple[str, str, str] | None = None
    exitcode: int | None = None
    try:
        if receiver.poll(limits.timeout):
            try:
                answer = receiver.recv()
            except (EOFError, OSError):
                answer = None  # the child died without an answer
        else:
            _kill(proc)
            raise ParseTimeout(timeout_message(limits, name), "timeout")
    finally:
        receiver.close()
        if proc.is_alive():
            proc.join(2)
            _kill(proc)
        proc.join()
        exitcode = proc.exitcode
        proc.close()
    if answer is None:
        if (
            exitcode is not None and exitcode < 0
        ):  # ended by a signal: the kernel or an allocator out of memory
            raise ParseTooLarge(memory_message(limits, name), "too_large")
        log.info("the reader of %s exited with %s without an answer", name, exitcode)
        raise ImportFailed(internal_message(name, f"exit {exitcode}"), "internal")
    status, code, text = answer
    if status == "ok":
        return Catalogue.model_validate_json(text) if code == "catalogue" else Plan.model_validate_json(text)
    if status == "error":
        raise ImportFailed(text, code)
    if status == "memory":
        raise ParseTooLarge(memory_message(limits, name), "too_large")
    log.info("import of %s failed inside the reader (%s)", name, code)
    log.debug("%s", text)
    raise ImportFailed(internal_message(name, code), "internal")


def _kill(proc: Any) -> None:
    if proc.is_alive():
        try:
            proc.kill() if hasattr(proc, "kill") else os.kill(proc.pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        proc.join(5)


def _main() -> int:  # pragma: no cover - a manual check: python -m keikaku.services.bounded FILE
    doc = document_parse(Path(sys.argv[1]))
    print(doc.model_dump_json()[:200])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main())
