"""The API does what its OpenAPI document says (issue 12, item 6): schemathesis generates requests (valid and
invalid) for every operation from /api/openapi.json, anonymous and with Alice's token, against the test
characters' data (real ids in about half of them); 0 server errors and 0 answers outside the document
(status codes, content types, headers, bodies). Bounded: 15 examples per operation, ~540 requests, ~20 s."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from keikaku.db.progress import models as gm
from keikaku.web.api import pdca
from tests.people import People, approve_bob_report, make_people

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 15


@pytest.fixture
def people(db) -> People:
    p = make_people()
    approve_bob_report(p, "順調")
    return p


def _real_ids(p: People) -> dict[str, int]:
    """Ids of records that exist, put in place of generated ones in about half the requests, so that
    successful answers and the refusals of real records (403, 409, 400) are checked too."""
    report = gm.ProgressReport.objects.get(measure=p.bob_measure)
    return {
        "organisation_id": p.plan_a.organisation_id,
        "plan_id": p.plan_a.pk,
        "measure_id": p.bob_measure.pk,
        "period_id": p.period_a.pk,
        "report_id": report.pk,
        "fiscal_year": 2025,
    }


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _run(headers: dict[str, str], real: dict[str, int]) -> tuple[int, Counter[int]]:
    """Every operation, EXAMPLES generated requests each (schemathesis' strategies under Hypothesis; its
    pytest plugin is not used); returns how many operations were run and the statuses answered."""
    from keikaku.web.wsgi import application

    with _connection_kept():
        return _run_all(schemathesis.openapi.from_wsgi("/api/openapi.json", application), headers, real)


@contextmanager
def _connection_kept() -> Iterator[None]:
    """Requests go straight to the WSGI application, whose request_finished signal would close the test's
    database connection (and its transaction, on PostgreSQL): as Django's test client does, not meanwhile."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_all(schema, headers: dict[str, str], real: dict[str, int]) -> tuple[int, Counter[int]]:
    n, statuses = 0, Counter[int]()
    for result in schema.get_all_operations():
        operation = result.ok()

        cases = st.one_of(
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
        )

        @given(case=cases, use_real=st.booleans())
        @BOUNDED
        def run(case, use_real: bool) -> None:
            if use_real and case.path_parameters:
                case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
            statuses[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1

        run()
        n += 1
    return n, statuses


def test_api_anonymous(people: People) -> None:
    operations, statuses = _run({}, _real_ids(people))
    print("schemathesis:", operations, "operations", dict(statuses))
    assert operations >= 18 and statuses.total() >= 200
    assert {200, 401, 404, 422} <= set(statuses)  # 401: a write without a token
    assert not any(code >= 500 for code in statuses)


def test_api_with_a_token(people: People) -> None:
    operations, statuses = _run({"Authorization": f"Bearer {people.tokens['alice']}"}, _real_ids(people))
    print("schemathesis:", operations, "operations", dict(statuses))
    assert operations >= 18 and statuses.total() >= 200
    assert {200, 404, 422} <= set(statuses)
    assert not any(code >= 500 for code in statuses)


def test_enums_are_the_models_words() -> None:
    assert set(pdca.PeriodState.__args__) == set(gm.ReportingPeriod.State.values)
    assert set(pdca.ReportState.__args__) == set(gm.ProgressReport.State.values)
    assert set(pdca.DecisionWord.__args__) == set(gm.Decision.values)


def test_every_operation_declares_its_errors(client) -> None:
    doc = client.get("/api/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert "422" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("put", "post", "patch", "delete"):
                assert {"400", "401", "403", "404", "409"} <= codes, (method, path)
            for code in codes - {"200"}:
                assert op["responses"][code]["content"]["application/json"]["schema"], (method, path, code)
    states = doc["components"]["schemas"]["PeriodOut"]["properties"]["state"]
    assert set(states["enum"]) == {"planned", "open", "closed"}
