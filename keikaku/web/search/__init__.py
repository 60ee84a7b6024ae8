"""Full-text search over the measures of all published plans (index tables; the use case is keikaku.services.search)."""
