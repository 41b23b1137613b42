"""Checking documents against caller-written schemas in a child process, with a deadline.

A schema is code of a sort: a backtracking ``pattern`` (``^(a+)+$``) or ``anyOf`` nested over
``$ref`` can make one check take minutes, and in the server process that would hold the event
loop (the regex engine never yields) for every request. So registered schemas run in a
worker process; one that overruns ``REELHOUSE_MANIFEST_CHECK_SECONDS`` is killed with its
process and the manifest is recorded with a ``SCHEMA_ERROR`` saying so. Built-in schemas are
ours and run in-process.

One pool per process, started on first use (``spawn``: the child imports only the checker).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.manifests.checking import Problem, Report, validate

logger = logging.getLogger("reelhouse.manifests")


class SchemaSandbox:
    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        """Stop a pool whose worker is stuck: ``shutdown`` alone would wait for it."""
        if self._pool is pool:
            self._pool = None
        # The standard library has no public way to kill a busy worker before Python 3.14.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False)

    async def validate(
        self, document: Any, schema: dict[str, Any], *, cache_key: tuple[str, int], seconds: float
    ) -> Report:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            future = loop.run_in_executor(pool, _validate_in_child, document, schema, cache_key)
            try:
                return await asyncio.wait_for(future, seconds)
            except TimeoutError:
                logger.warning("manifest check against schema %s overran %ss", cache_key, seconds)
                self._kill(pool)
                return Report(
                    (
                        Problem(
                            "",
                            "SCHEMA_ERROR",
                            f"Checking the document against its schema took longer than "
                            f"{seconds:g} s and was stopped; simplify the schema (patterns "
                            "that backtrack, deeply nested anyOf/oneOf) and register it as a "
                            "new version.",
                        ),
                    ),
                    1,
                )
            except BrokenProcessPool:
                # Another check's overrun killed the pool this one was queued on.
                self._kill(pool)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._pool is not None:
            self._kill(self._pool)


def _validate_in_child(document: Any, schema: dict[str, Any], cache_key: tuple[str, int]) -> Report:
    return validate(document, schema, cache_key=cache_key)


SANDBOX = SchemaSandbox()
"""This process's sandbox."""
