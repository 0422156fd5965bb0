"""Use cases: take primitives and a session, check permissions, write the audit log."""
