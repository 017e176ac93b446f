"""Back-office pages for registrations with documents, subject accounts, agents (powers of attorney) and
OpenID Connect identities (issue 14)."""
