"""Fact sheets: read them with their line numbers, validate them, and report located errors."""
