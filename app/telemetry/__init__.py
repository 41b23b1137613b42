"""Telemetry storage: batches written in one statement, and the retention sweep."""
