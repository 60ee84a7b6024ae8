#!/usr/bin/env python3
"""Set-up and run in one command, on a fresh machine with Python 3.11 and pip.

    python3 dev.py demo    # install into .venv, create the database, load the sample plans, serve :8000
    python3 dev.py test    # install into .venv (with test tools), run ruff, mypy and the whole test suite

The test run repeats every database test on PostgreSQL when KEIKAKU_TEST_DATABASE_URL is set.
Browser tests use Debian's chromium and axe-core from npm, the office-layout tests LibreOffice (soffice)
and poppler; where they are missing and this is a Debian machine run as root, they are installed
(apt-get / npm), so no test skips there for a missing tool; elsewhere those tests skip with a reason.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    rc = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and rc != 0:
        sys.exit(rc)
    return rc


def ensure_venv(extras: str) -> None:
    if sys.version_info[:2] != (3, 11):
        print(f"keikaku needs Python 3.11 (this is {sys.version.split()[0]})", file=sys.stderr)
        sys.exit(2)
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "-q", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


# Debian packages the tests use, each with the file that shows it is there: Chromium (browser tests),
# LibreOffice Writer (office documents converted to PDF/HTML as municipalities publish them), poppler
# (pdftoppm/pdftotext) and the Japanese font the PDF exports embed.
DEBIAN_TOOLS = [
    ("chromium", "/usr/bin/chromium"),
    ("libreoffice-writer-nogui", "/usr/bin/soffice"),
    ("poppler-utils", "/usr/bin/pdftoppm"),
]


def missing_debian_packages() -> list[str]:
    missing = [pkg for pkg, path in DEBIAN_TOOLS if not Path(path).exists()]
    if not list(Path("/usr/share/fonts").rglob("ipaex*.ttf")):
        missing.append("fonts-ipaexfont")
    return missing


def can_apt_install() -> bool:
    return bool(shutil.which("apt-get")) and hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_browser_tools() -> None:
    """The Debian packages of DEBIAN_TOOLS and the font, and axe-core (npm), only where missing."""
    missing = missing_debian_packages()
    if missing and can_apt_install():
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run("apt-get", "install", "-y", "-q", *missing, env=env, check=False) != 0:
            run("apt-get", "update", "-q", env=env, check=False)
            run("apt-get", "install", "-y", "-q", *missing, env=env, check=False)
    tools = ROOT / "tests" / "browser" / "js"
    if (
        (tools / "package.json").exists()
        and not (tools / "node_modules" / "axe-core").exists()
        and shutil.which("npm")
    ):
        run("npm", "ci", "--no-audit", "--no-fund", "--prefix", tools, check=False)


def cmd_demo() -> None:
    ensure_venv("")
    os.execv(str(BIN / "keikaku"), [str(BIN / "keikaku"), "demo", *sys.argv[2:]])


def cmd_test() -> None:
    ensure_venv("test")
    ensure_browser_tools()
    run(BIN / "ruff", "check", "keikaku", "devtools", "tests", "dev.py", "scripts")
    run(BIN / "ruff", "format", "--check", "keikaku", "devtools", "tests", "dev.py", "scripts")
    run(BIN / "mypy", "keikaku")  # the whole package, 0 errors
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KEIKAKU_DATA_DIR"] = str(ROOT / "var" / "test")
    print("== tests on SQLite ==", flush=True)
    run(PY, "-m", "pytest", "-n", "2", *sys.argv[2:], env=env)
    pg = os.environ.get("KEIKAKU_TEST_DATABASE_URL")
    if pg:
        print(f"== database tests on PostgreSQL ({pg}) ==", flush=True)
        run(PY, "-m", "pytest", "-n", "2", "-m", "database", *sys.argv[2:], env=dict(env, DATABASE_URL=pg))
    else:
        print("(KEIKAKU_TEST_DATABASE_URL not set: database tests ran on SQLite only)", flush=True)


def main() -> None:
    cmds = {"demo": cmd_demo, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__)
        sys.exit(2)
    cmds[sys.argv[1]]()


if __name__ == "__main__":
    main()
