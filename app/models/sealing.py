"""Re-sealing stored secrets under the current key: the middle step of a key rotation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Column, Table, Text, select, type_coerce, update
from sqlmodel import SQLModel

from app.crypto import SecretBoxError
from app.database import Database
from app.models.columns import SealedText

BATCH = 500


def sealed_columns() -> list[tuple[Table, Column[Any]]]:
    """Every ``SealedText`` column of every table (tables with a one-column primary key)."""
    return [
        (table, column)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SealedText)
    ]


@dataclass
class Resealed:
    counts: dict[str, int] = field(default_factory=dict)
    """``table.column`` → values re-sealed."""
    unreadable: dict[str, list[str]] = field(default_factory=dict)
    """``table.column`` → ids of rows whose value no configured key opens (left as they are)."""


async def reseal(db: Database) -> Resealed:
    """Re-seals, with the current key, every value sealed with another. Safe to run while
    servers run (each row is rewritten in one statement, only if it still holds the value
    read) and to run again."""
    box = db.secret_box
    if box is None:
        raise RuntimeError("re-sealing needs the Database's SecretBox")
    report = Resealed()
    for table, column in sealed_columns():
        [key] = table.primary_key.columns
        sealed = cast(SealedText, column.type)
        raw = type_coerce(column, Text)
        name = f"{table.name}.{column.name}"
        done = 0
        after: Any = None
        while True:
            stmt = select(key, raw).where(column.isnot(None)).order_by(key).limit(BATCH)
            if after is not None:
                stmt = stmt.where(key > after)
            async with db.reading() as session:
                rows = (await session.execute(stmt)).all()
            stale: list[tuple[Any, str, str]] = []
            for row_id, value in rows:
                if box.is_current(value):
                    continue
                try:
                    stale.append((row_id, value, sealed.opened(box, value)))
                except SecretBoxError:
                    report.unreadable.setdefault(name, []).append(str(row_id))
            if stale:
                async with db.writing() as session:
                    for row_id, value, plaintext in stale:
                        await session.execute(
                            update(table)
                            .where(key == row_id, raw == value)
                            .values({column.name: plaintext})
                        )
                done += len(stale)
            if len(rows) < BATCH:
                break
            after = rows[-1][0]
        report.counts[name] = done
    return report
