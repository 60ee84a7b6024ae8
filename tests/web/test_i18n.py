"""English everywhere: one complete project catalogue (keikaku/locale/en), compiled and current, that
covers every {% translate %} string of every template; key pages asked for in English (Accept-Language
or the language cookie) show English headings and no Japanese UI words in the header and navigation.
Data (plan titles, organisations) stays as written."""

from __future__ import annotations

import ast
import gettext
import html as htmllib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.people import People, make_people

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "keikaku" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file (blocks separated by blank lines): msgid, msgid_plural, msgstr by plural
    form, flags; the header and obsolete (#~) entries left out."""
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        key: tuple[str, int] | None = None
        obsolete = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                obsolete = True
            elif line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif m := re.match(r'(msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line):
                word, text = m.group(1), ast.literal_eval(m.group(3))
                if word == "msgstr":
                    key = ("msgstr", int(m.group(2) or 0))
                    entry["msgstr"][key[1]] = text
                else:
                    key = (word, 0)
                    entry[word] = text
            else:
                assert line.startswith('"') and key is not None, f"unexpected line in {path}: {line!r}"
                text = ast.literal_eval(line)
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += text
                else:
                    entry[key[0]] += text
        if entry["msgid"] and not obsolete:
            entries.append(entry)
    return entries


def test_locale_paths_name_the_project_catalogue() -> None:
    assert [Path(p).resolve() for p in settings.LOCALE_PATHS] == [LOCALE.resolve()]
    # one catalogue: no app keeps its own
    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "keikaku").rglob("django.po")) == [
        "keikaku/locale/en/LC_MESSAGES/django.po"
    ]


def test_catalogue_is_complete_and_compiled() -> None:
    entries = parse_po(PO)
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    plural = [e for e in entries if e["msgid_plural"]]
    assert plural and all(sorted(e["msgstr"]) == [0, 1] for e in plural)
    # English, not Japanese left in a translation (fiscal-year words in examples excepted)
    still_japanese = [
        e["msgid"] for e in entries if JAPANESE.search(e["msgstr"][0]) and "実施" not in e["msgstr"][0]
    ]
    assert still_japanese == []
    # placeholders survive translation
    for e in entries:
        want = sorted(re.findall(r"%\(\w+\)s", e["msgid"]))
        for s in e["msgstr"].values():
            assert sorted(re.findall(r"%\(\w+\)s", s)) == want, e["msgid"]
    # the committed .mo is the compiled .po (a fresh machine has no gettext to compile it)
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for e in entries:
        if e["msgid_plural"]:
            assert mo.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0], e["msgid"]
            assert mo.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr"][1], e["msgid"]
        else:
            assert mo.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")


def test_every_template_string_is_in_the_catalogue() -> None:
    known = {e["msgid"] for e in parse_po(PO)}
    templates = sorted((ROOT / "keikaku" / "web").rglob("templates/**/*.html"))
    assert len(templates) > 20
    missing = {}
    for t in templates:
        for a, b in TAG.findall(t.read_text(encoding="utf-8")):
            if (a or b) not in known:
                missing.setdefault(t.relative_to(ROOT).as_posix(), []).append(a or b)
    assert missing == {}, "run makemessages -l en, translate, compilemessages"


def _header(html: str) -> str:
    """The site header (brand, navigation, language switcher) without the language names themselves."""
    m = re.search(r"<header.*?</header>", html, re.S)
    assert m
    return re.sub(r'<a [^>]*\blang="[^"]+"[^>]*>.*?</a>', "", m.group(0))


def _h1(html: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert m
    return htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


@pytest.fixture
def people(db) -> People:
    return make_people()


@pytest.mark.django_db
def test_public_pages_in_english(people: People) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    plan = people.plan_a
    pages = {
        "/": "Plans",
        f"/plans/{plan.pk}/": None,
        "/search/": "Search measures",
        "/accounts/login/": "Log in",
        "/plans/999999/": "Page not found",
    }
    for url, heading in pages.items():
        r = client.get(url)
        html = r.content.decode()
        assert r.status_code == (404 if "999999" in url else 200), url
        assert '<html lang="en">' in html, url
        header = _header(html)
        assert "Skip to main content" in html and ">Plans</a>" in header, url
        assert not JAPANESE.search(header), (url, JAPANESE.findall(header))
        if heading:
            assert _h1(html) == heading, url


@pytest.mark.django_db
def test_manage_pages_in_english_by_cookie(people: People) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.dana)
    plan, period = people.plan_a, people.period_a
    pages = {
        "/manage/": "Progress management",
        f"/manage/plans/{plan.pk}/": f"Progress: {plan.title}",
        f"/plans/{plan.pk}/progress/": "Progress dashboard",
        f"/manage/periods/{period.pk}/workbooks/": "Report progress in Excel",
        f"/manage/periods/{period.pk}/measures/{people.bob_measure.pk}/report/": "Progress report",
        f"/manage/measures/{people.bob_measure.pk}/history/": "Change history",
        f"/manage/organisations/{plan.organisation_id}/departments/": None,
        "/accounts/profile/": "dana",
    }
    for url, heading in pages.items():
        r = client.get(url)
        html = r.content.decode()
        assert r.status_code == 200, url
        assert '<html lang="en">' in html, url
        header = _header(html)
        if "dashboard" not in url and "workbooks" not in url:  # these two show the portal's header
            assert ">Progress management</a>" in header, url
        assert not JAPANESE.search(header), (url, JAPANESE.findall(header))
        if heading:
            assert _h1(html) == heading, url
    # form labels, choices and table headings come from the catalogue too
    edit = client.get(f"/manage/periods/{period.pk}/").content.decode()
    assert "Due date (YYYY-MM-DD)" in edit and ">Open</option>" in edit and "Reporting period" in edit
    assert _h1(edit) == "Reporting period FY2025"  # fiscal years in English: FY2025, not 令和7年度
    plan_page = client.get(f"/manage/plans/{plan.pk}/").content.decode()
    assert "Reports by measure" in plan_page and "Add a reporting period" in plan_page
    assert "Whole fiscal year" in plan_page
    profile = client.get("/accounts/profile/").content.decode()
    assert "Administrator (CIO / promotion office)" in profile and "Token name (purpose)" in profile
    # and Japanese stays the default
    ja = Client()
    ja.force_login(people.dana)
    assert _h1(ja.get("/manage/").content.decode()) == "進行管理"
    assert _h1(ja.get(f"/manage/periods/{period.pk}/").content.decode()) == "報告期間 令和7年度 (2025)"
