"""REST API (django-ninja): read API for plans and search, PDCA actions with token auth."""
