"""The shared kernel has no tables of its own: see scoping.ScopedModel and audit.AuditFields."""
