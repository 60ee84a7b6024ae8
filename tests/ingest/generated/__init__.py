"""A generator of fictional municipal plans (many layouts, many formats), each with the plan it states
by construction, and a scorer: the importer's generalisation harness.

- grammar.py: a seeded grammar of choices → :class:`GenPlan` (content and writing style);
- render.py: GenPlan → a document (txt, md, html, docx, pdf, xlsx);
- expected.py: GenPlan → the expected plan JSON (canonical scoring form);
- score.py: expected vs extracted plan → measure F1, pillars, KPI F1 / target, department F1, schedule.

Every town, measure and figure here is invented. scripts/bench_generalise.py runs the held-out seeds.
"""
