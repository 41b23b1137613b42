import pytest

# Shared fixture modules imported by test modules: rewrite their asserts like the tests' own.
pytest.register_assert_rewrite("tests.events_fixtures")
