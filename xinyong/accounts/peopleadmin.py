"""Back-office pages for units, people (officers), roles and API tokens (issue 14)."""
