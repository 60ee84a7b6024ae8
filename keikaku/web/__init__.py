"""Django project: settings only from environment variables (docs/settings.md)."""
