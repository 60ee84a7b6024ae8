"""Development tools: code that tests, benchmarks and maintainers run, never the product.

Not part of the installed package (pyproject.toml packages only ``keikaku*``); run from the repository
root, e.g. ``python -m devtools.national`` (the synthetic national dataset for benchmarks) or
``python -m devtools.samples --check`` (the demo sample plans in canonical form). Modules here may import
anything in keikaku; nothing in keikaku imports them (tests/test_architecture.py).
"""
