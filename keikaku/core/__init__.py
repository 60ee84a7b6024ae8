"""Pure domain code: plan types, fiscal years, pillars, validation. Never imports Django or the CLI."""
