"""PDCA: reporting periods, progress reports, evaluations, roll-ups, Excel round-trip, reports."""
