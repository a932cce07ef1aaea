"""Commands of the audit chain: verify it, publish its head."""
