"""People, roles per organisation and permissions."""
