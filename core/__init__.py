"""Shared foundations: settings, errors and coordinate helpers used by every layer."""
