"""Public portal: organisations, plans, measures."""
