"""Document import: readers (one per format) → blocks → extractor → plan JSON."""
