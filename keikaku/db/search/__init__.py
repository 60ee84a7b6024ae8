"""The search index tables (the use case is keikaku.services.search)."""
