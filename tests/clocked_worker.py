"""``reelhouse worker`` whose schedule ticker reads the time from a file the test writes
(``REELHOUSE_TEST_CLOCK_FILE``, an ISO 8601 instant), so a test moves every process's clock a
cron tick at a time instead of waiting for real minutes. Everything else runs on real time.

Run as ``python -m tests.clocked_worker``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import app.automations.schedules
from app.cli import main

CLOCK = Path(os.environ["REELHOUSE_TEST_CLOCK_FILE"])


def now() -> datetime:
    return datetime.fromisoformat(CLOCK.read_text().strip())


if __name__ == "__main__":
    setattr(app.automations.schedules, "utcnow", now)  # noqa: B010 (the one clock replaced)
    raise SystemExit(main(["worker"]))
