"""The ``keikaku`` command: thin over the use cases. Every command is documented in docs/cli.md.

Exit codes: 0 ok; 1 warnings with --strict (validate) or partial failure (import DIR); 2 invalid input;
3 not found; 4 permission denied; 5 conflict.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

EXIT_OK, EXIT_WARN, EXIT_INVALID = 0, 1, 2
# modules that add subcommands with register(subparsers): PDCA reminders, Excel round-trip,
# backup/restore/unlock, API tokens, the portal as static files
EXTENSIONS = (
    "keikaku.cli_pdca",
    "keikaku.cli_excel",
    "keikaku.cli_ops",
    "keikaku.cli_tokens",
    "keikaku.cli_draft",
    "keikaku.cli_plan_xlsx",
    "keikaku.cli_site",
)


def _now() -> datetime:
    from keikaku.cli_clock import now  # the CLI's one clock

    return now()


def _err(msg: str) -> None:
    print(f"keikaku: {msg}", file=sys.stderr)


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None after reporting why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as e:
        _err(f"{path}: {e.strerror}")
        return None


def _django() -> None:
    from keikaku.web.bootstrap import migrate

    migrate()


def cmd_validate(args: argparse.Namespace) -> int:
    """Schema and consistency problems (path: message), then what the guide asks for that the plan lacks,
    one line per finding: ``[security-chapter] 総論9: 「…」の章がありません``. Exit 2 on either."""
    from keikaku.core.compliance import Finding, check_plan
    from keikaku.core.plan import Catalogue, Plan
    from keikaku.core.validation import Problem, has_errors, validate_text

    lang = args.lang
    path = Path(args.file)
    findings: list[Finding] = []
    if not path.exists() and args.file.isdigit():  # a stored plan's id
        _django()
        from keikaku.services.catalogues import compliance_check
        from keikaku.services.plans import plan_get

        cat_id = int(args.catalogue) if args.catalogue and args.catalogue.isdigit() else None
        findings = compliance_check(plan_get(int(args.file)), catalogue_id=cat_id)
        problems: list[Problem] = []
        label = f"plan {args.file}"
    else:
        raw = _read(path)
        if raw is None:
            return EXIT_INVALID
        doc, problems = validate_text(raw)
        label = str(path)
        for p in problems:
            print(f"{path}: {p.severity}: {p.path or '(document)'}: {p.text(lang)}")
        if isinstance(doc, Plan):
            catalogue = None
            if args.catalogue:
                cat_raw = _read(Path(args.catalogue))
                cat_doc = validate_text(cat_raw)[0] if cat_raw is not None else None
                if not isinstance(cat_doc, Catalogue):
                    _err(f"{args.catalogue}: 手引（カタログ）の JSON ではありません / not a catalogue JSON")
                    return EXIT_INVALID
                catalogue = cat_doc
            findings = check_plan(doc, catalogue=catalogue)
    for f in findings:
        print(f.line(lang))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    if lang == "en":
        summary = f"{errors} error(s), {warnings} warning(s), {len(findings)} problem(s) against the guide"
    else:
        summary = f"誤り {errors} 件、注意 {warnings} 件、手引に照らした不足 {len(findings)} 件"
    print(f"{label}: {summary}", file=sys.stderr)
    if has_errors(problems) or findings:
        return EXIT_INVALID
    if warnings and args.strict:
        return EXIT_WARN
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from keikaku.core.plan import Catalogue
    from keikaku.core.validation import has_errors, validate_text

    path = Path(args.file)
    raw = _read(path)
    if raw is None:
        return EXIT_INVALID
    doc, problems = validate_text(raw)
    if doc is None or has_errors(problems):
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        _err("nothing stored / 保存しませんでした")
        return EXIT_INVALID
    _django()
    from keikaku.services.plans import catalogue_save, plan_save

    if isinstance(doc, Catalogue):
        cat = catalogue_save(doc, now=_now())
        print(f"catalogue {cat.pk}: {doc.title}")
        return EXIT_OK
    row = plan_save(doc, now=_now(), status="draft" if args.draft else "published")
    print(row.pk)
    print(f"plan {row.pk}: {doc.title} ({len(doc.measures)} measures)", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    if args.to == "xlsx":
        from keikaku.cli_plan_xlsx import export_xlsx

        return export_xlsx(args)
    if args.to in ("docx", "pdf"):
        from keikaku.services.plan_document import OPERATOR, plan_document, plan_document_render

        document = plan_document(OPERATOR, args.plan, today=_now().date())
        target = Path(args.output or f"plan-{args.plan}.{args.to}")
        target.write_bytes(plan_document_render(document, args.to))
        print(target)
        return EXIT_OK
    from keikaku.services.plans import dump_document, plan_export

    doc = plan_export(args.plan)
    text = dump_document(doc)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    _django()
    from keikaku.core.fiscal import display
    from keikaku.services.plans import plan_list

    rows = plan_list(prefecture=args.prefecture)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        period = (
            f"{display(r.period_start)}–{display(r.period_end)}" if (r.period_start or r.period_end) else ""
        )
        print(
            f"{r.id}\t{r.prefecture}{r.organisation}\t{r.title}\t{period}\t{r.measures} measures\t{r.status}"
        )
    if not rows:
        print("(no plans)", file=sys.stderr)
    return EXIT_OK


def _import_one(path: Path, args: argparse.Namespace) -> int:
    from keikaku.services.errors import InvalidDocument
    from keikaku.services.imports import ImportFailed, document_read, plan_import
    from keikaku.services.plans import dump_document

    try:
        if args.to == "json":
            doc = document_read(path)
            _warn_reader(path, doc)
            sys.stdout.write(dump_document(doc))
            return EXIT_OK
        result = plan_import(
            path,
            now=_now(),
            store=not args.dry_run,
            status="published" if args.publish else "draft",
            force=args.force,
        )
    except ImportFailed as e:
        _err(f"{path}: {e}")
        return EXIT_INVALID
    except InvalidDocument as e:
        for p in e.problems:
            _err(f"{path}: {p}")
        _err("nothing stored / 保存しませんでした")
        return EXIT_INVALID
    _warn_reader(path, result.document)
    for line in result.summary_lines():
        print(line)
    if result.stored_id is not None:
        state = "published" if args.publish or result.kind == "catalogue" else "draft"
        print(f"  stored as {result.kind} {result.stored_id} ({state})")
    if args.verbose:
        for p in result.problems:
            print(f"  {p}")
    return EXIT_OK


def _warn_reader(path: Path, doc: object) -> None:
    """What the reader could not read as written (no text layer, dropped headers, a table it skipped)."""
    source = getattr(doc, "source", None)
    for w in (source.warnings if source is not None else None) or []:
        _err(f"{path}: 注意 / warning: {w}")


def cmd_import(args: argparse.Namespace) -> int:
    target = Path(args.path)
    from keikaku.services.bounded import prestart

    prestart(libraries=target.is_dir())  # the parse fork server warms the extractor while Django starts
    if args.to is None:
        _django()
    else:
        from keikaku.web.bootstrap import setup

        setup()
    if not target.is_dir():
        return _import_one(target, args)
    if args.to == "json":
        _err("--to json takes one file, not a folder")
        return EXIT_INVALID
    from tqdm import tqdm

    files = sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
    failed = 0
    for p in tqdm(files, desc="import", unit="file", file=sys.stderr, disable=not files):
        if _import_one(p, args) != EXIT_OK:
            failed += 1
    print(f"{len(files) - failed} imported, {failed} failed", file=sys.stderr)
    return EXIT_WARN if failed else EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    _django()
    from keikaku.services.plans import plan_get, plan_publish

    plan = plan_get(args.plan)
    row = plan_publish(None, plan, revision=plan.revision, now=_now(), publish=not args.withdraw)
    print(f"plan {row.pk}: {row.status}")
    return EXIT_OK


def _serve_with_worker(args: argparse.Namespace) -> None:
    """The portal, with the import-job worker beside it as a child process (`keikaku worker`) unless
    --no-worker (a deployment that runs `keikaku worker` on its own)."""
    from keikaku.web.server import serve

    worker = None if args.no_worker else _worker_start()
    try:
        serve(host=args.host, port=args.port, threads=args.threads, workers=args.workers)
    finally:
        if worker is not None:
            _worker_stop(worker)


def _worker_start() -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "keikaku.cli", "worker", "--parent-pid", str(os.getpid())]
    print("keikaku: 取り込みのワーカーを起動しました / import worker started", file=sys.stderr, flush=True)
    return subprocess.Popen(cmd)


def _worker_stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # the worker finishes the document it is reading (bounded by the time limit)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    _serve_with_worker(args)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    """Run the background jobs (web imports) until stopped (Ctrl+C / SIGTERM), or until the queue is empty
    with --batch; with --parent-pid, also when that process has gone (the worker `serve` starts)."""
    _django()
    import signal
    import threading
    import time

    from keikaku.services.bounded import prestart
    from keikaku.services.jobs import worker_make

    prestart(libraries=True)  # the parse fork server imports the readers once, for every job
    worker = worker_make(batch=args.batch, interval=args.interval)
    if args.parent_pid:

        def watch_parent() -> None:
            while os.getppid() == args.parent_pid:
                time.sleep(1)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch_parent, name="keikaku-parent-watch", daemon=True).start()
    if not args.batch:
        print(
            "keikaku: ワーカー待機中 / worker waiting for jobs (Ctrl+C で停止)", file=sys.stderr, flush=True
        )
    worker.configure_signals()
    try:
        worker.run()
    except SystemExit as e:  # the worker's signal handler ends the process this way
        return int(e.code or 0)
    finally:
        worker.reset_signals()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from keikaku.services.demo import demo_load, demo_people

    now = _now()
    loaded = demo_load(now=now) + demo_people(now=now)
    for line in loaded:
        print(line)
    if args.no_serve:
        return EXIT_OK
    _serve_with_worker(args)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from keikaku.web.bootstrap import migrate

    migrate(verbosity=1)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="keikaku",
        description="自治体のデジタル・データ活用計画を扱う / plan data for Japanese local governments",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=fn)
        return p

    p = add(
        "validate",
        cmd_validate,
        "計画を手引に照らして検査する / check a plan against the schema and the guide",
    )
    p.add_argument("file", help="a plan JSON file, or the id of a stored plan")
    p.add_argument("--strict", action="store_true", help="consistency warnings also fail (exit 1)")
    p.add_argument("--lang", choices=["ja", "en"], default="ja", help="language of the messages (default ja)")
    p.add_argument(
        "--catalogue",
        help="the guide's catalogue (a catalogue JSON file, or a stored catalogue's id) for the 総論7 rules",
    )
    p = add("load", cmd_load, "計画 JSON を保存する / store a plan JSON file")
    p.add_argument("file")
    p.add_argument("--draft", action="store_true", help="store as draft (not public)")
    p = add("export", cmd_export, "保存した計画を書き出す / export a stored plan")
    p.add_argument("plan", type=int, help="plan id (see `keikaku list`)")
    p.add_argument(
        "--to",
        choices=["json", "xlsx", "docx", "pdf"],
        default="json",
        help="json: the plan JSON; xlsx: a workbook to edit (`keikaku update`); docx / pdf: the plan document (計画書)",
    )
    p.add_argument(
        "-o",
        "--output",
        help="write to this file (json: instead of stdout; xlsx/docx/pdf: default a name printed at the end)",
    )
    p = add("list", cmd_list, "保存した計画の一覧 / list stored plans")
    p.add_argument("--prefecture")
    p.add_argument("--json", action="store_true")
    p = add("publish", cmd_publish, "計画を公開する（--withdraw で下書きに戻す） / publish a plan")
    p.add_argument("plan", type=int, help="plan id (see `keikaku list`)")
    p.add_argument("--withdraw", action="store_true", help="make it a draft again (not public)")
    p = add("import", cmd_import, "計画文書 (txt/md/html/docx/pdf) を取り込む / import plan documents")
    p.add_argument("path", help="a file, or a folder to import every file in it")
    p.add_argument("--to", choices=["json"], help="print the plan JSON instead of storing it")
    p.add_argument("--dry-run", action="store_true", help="read and check, store nothing")
    p.add_argument("--publish", action="store_true", help="publish at once (default: a draft, not public)")
    p.add_argument("--draft", action="store_true", help=argparse.SUPPRESS)  # the default since --publish
    p.add_argument(
        "--force",
        action="store_true",
        help="store a document already stored for its organisation as a new version",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    for name, fn, help_ in (
        ("serve", cmd_serve, "ウェブポータルを起動する / run the web portal"),
        ("demo", cmd_demo, "見本データでデモを起動する / load sample data and run the portal"),
    ):
        p = add(name, fn, help_)
        p.add_argument("--host", default=os.environ.get("KEIKAKU_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("KEIKAKU_PORT", "8000")))
        p.add_argument("--threads", type=int, default=8)
        p.add_argument(
            "--workers",
            type=int,
            default=1,
            help="worker processes: 1 = waitress (default), N > 1 = gunicorn with N workers (POSIX only)",
        )
        if name == "demo":
            p.add_argument("--no-serve", action="store_true", help="load the sample data and stop")
        p.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the import-job worker (run `keikaku worker` separately)",
        )
    p = add("worker", cmd_worker, "取り込みなどの処理を順に実行する / run background jobs (web imports)")
    p.add_argument("--batch", action="store_true", help="run the queued jobs, then stop")
    p.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks at the queue (default 1)"
    )
    p.add_argument(
        "--parent-pid", type=int, help=argparse.SUPPRESS
    )  # `serve` starts it: stop with that process
    add("migrate", cmd_migrate, "データベースを作成・更新する / create or update the database")
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        module.register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    from keikaku.config import configure_logging

    configure_logging()  # keikaku's loggers at KEIKAKU_LOG_LEVEL (Django's LOGGING says the same once it starts)
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # turn domain errors into messages and exit codes, never a traceback
        from keikaku.services.errors import ServiceError

        if isinstance(e, ServiceError):
            _err(str(e))
            return e.exit_code
        if os.environ.get("KEIKAKU_DEBUG"):
            raise
        _err(f"internal error / 内部エラー: {type(e).__name__}: {e} (set KEIKAKU_DEBUG=1 for details)")
        return 70


if __name__ == "__main__":
    sys.exit(main())
