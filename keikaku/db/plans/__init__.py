"""Plans: organisations, plans and everything the plan JSON format holds."""
