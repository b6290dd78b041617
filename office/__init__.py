"""The office: accounts and roles, the shared records (datasets, scenarios, profiles, settings)
and the audit trail, in one SQL store (SQLite in the workspace by default, PostgreSQL by URL).

Modules: :mod:`office.tables` (the schema), :mod:`office.store` (engine, migrations, sessions), :mod:`office.opening` (opening it once),
:mod:`office.roles` (who may do what), :mod:`office.accounts` (users, passwords, lockout),
:mod:`office.audit` (the trail), :mod:`office.records` (shared records and per-person
settings), :mod:`office.legacy` (the workspace of a single-desk install, imported once).
"""
