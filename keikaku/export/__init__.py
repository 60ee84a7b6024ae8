"""Exports of the plan format: one module per output format."""
