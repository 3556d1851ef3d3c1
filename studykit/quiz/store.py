"""Progress in SQLite: every answer, as it is given, and one spaced-repetition card per concept.

- Where: ``--db PATH``, else ``$STUDYKIT_HOME/progress.sqlite3``, else the user data directory
  from platformdirs (``~/.local/share/studykit`` on Linux).
- Safety: WAL journal (two quizzes in two terminals can write at once), a busy timeout, and one
  transaction per answer, so Ctrl-C or a closed terminal never loses an answer already given.
- Schema: versioned with ``PRAGMA user_version`` and upgraded by the ordered ``MIGRATIONS``;
  a database from a newer studykit is refused rather than guessed at.
- A file that is not a readable database is moved aside (``progress.sqlite3.corrupt-<time>``)
  with a message, never overwritten.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["AnswerRecord", "Store", "StoreError", "default_db_path", "now"]

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, answers and cards
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        mode TEXT NOT NULL,
        seed INTEGER,
        options TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        template_id TEXT NOT NULL,
        seed INTEGER NOT NULL,
        topic TEXT NOT NULL,
        difficulty INTEGER NOT NULL,
        given TEXT,
        correct INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        hinted INTEGER NOT NULL,
        misconception TEXT,
        seconds REAL NOT NULL,
        answered_at TEXT NOT NULL
    );
    CREATE INDEX answers_by_template ON answers(template_id);
    CREATE INDEX answers_by_time ON answers(answered_at);
    CREATE TABLE cards (
        template_id TEXT PRIMARY KEY,
        card TEXT NOT NULL,
        due TEXT NOT NULL
    );
    CREATE INDEX cards_by_due ON cards(due);
    """,
)


class StoreError(Exception):
    """A database that cannot be used (one-line message naming the file)."""


def now() -> datetime:
    """The current time in UTC; ``$STUDYKIT_NOW`` (ISO 8601) overrides it, for tests and demos."""
    fixed = os.environ.get("STUDYKIT_NOW")
    if fixed:
        try:
            moment = datetime.fromisoformat(fixed)
        except ValueError:
            raise StoreError(f"STUDYKIT_NOW={fixed!r} is not an ISO 8601 time") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def default_db_path() -> Path:
    """``$STUDYKIT_HOME/progress.sqlite3`` or the platform's user data directory."""
    home = os.environ.get("STUDYKIT_HOME")
    if home:
        return Path(home) / "progress.sqlite3"
    from platformdirs import user_data_path

    return user_data_path("studykit", appauthor=False) / "progress.sqlite3"


@dataclass(frozen=True)
class AnswerRecord:
    """One answered (or skipped) question."""

    template_id: str
    seed: int
    topic: str
    difficulty: int
    given: str | None
    correct: bool
    skipped: bool
    hinted: bool
    misconception: str | None
    seconds: float


class Store:
    """A connection to the progress database."""

    def __init__(self, path: Path, warn: Any = None) -> None:
        self.path = path
        self.warn = warn or (lambda message: None)
        self.connection = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.path.parent}: {error.strerror}") from None
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a database file")
        for _ in range(50):  # another quiz creating the same file at once: wait, never move it
            try:
                connection = self._connect()
                self._migrate(connection)
                return connection
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise StoreError(f"cannot open {self.path}: {error}") from None
                time.sleep(0.1)
            except sqlite3.DatabaseError as error:
                return self._replace_unreadable(error)
        raise StoreError(f"cannot open {self.path}: the database stayed locked")

    def _replace_unreadable(self, error: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Move a file that is not a readable database aside and start a new one."""
        moved = self._move_aside()
        self.warn(f"{self.path} was not a readable database ({error}); moved it to {moved}")
        connection = self._connect()
        self._migrate(connection)
        return connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        check = connection.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            connection.close()
            raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        return connection

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        self.path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        return target

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            connection.close()
            raise StoreError(
                f"{self.path} was written by a newer studykit (schema {version}, "
                f"this one knows {len(MIGRATIONS)}); upgrade studykit or use --db"
            )
        for number in range(version, len(MIGRATIONS)):
            try:
                with _transaction(connection):
                    connection.executescript(
                        "BEGIN IMMEDIATE;"
                        + MIGRATIONS[number]
                        + f"PRAGMA user_version = {number + 1};"
                    )
            except sqlite3.OperationalError:
                # Another quiz opening the same new file ran this step first (ours was rolled
                # back): carry on from its version; anything else is a real error.
                if connection.execute("PRAGMA user_version").fetchone()[0] <= number:
                    raise

    def close(self) -> None:
        """Close the connection (a checkpoint makes the WAL file small again)."""
        self.connection.close()

    def start_session(self, mode: str, seed: int | None, options: dict[str, Any]) -> int:
        """Record the start of a quiz or review session; return its id."""
        with _transaction(self.connection, begin=True):
            cursor = self.connection.execute(
                "INSERT INTO sessions(mode, seed, options, started_at) VALUES (?, ?, ?, ?)",
                (mode, seed, json.dumps(options, sort_keys=True), now().isoformat()),
            )
        return int(cursor.lastrowid or 0)

    def finish_session(self, session_id: int) -> None:
        """Record the end time of a session."""
        with _transaction(self.connection, begin=True):
            self.connection.execute(
                "UPDATE sessions SET finished_at = ? WHERE id = ?", (now().isoformat(), session_id)
            )

    def record(self, session_id: int, answer: AnswerRecord, card: str, due: datetime) -> None:
        """Store one answer and the concept's updated card, atomically."""
        with _transaction(self.connection, begin=True):
            self.connection.execute(
                "INSERT INTO answers(session_id, template_id, seed, topic, difficulty, given, "
                "correct, skipped, hinted, misconception, seconds, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    answer.template_id,
                    answer.seed,
                    answer.topic,
                    answer.difficulty,
                    answer.given,
                    int(answer.correct),
                    int(answer.skipped),
                    int(answer.hinted),
                    answer.misconception,
                    answer.seconds,
                    now().isoformat(),
                ),
            )
            self.connection.execute(
                "INSERT INTO cards(template_id, card, due) VALUES (?, ?, ?) "
                "ON CONFLICT(template_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                (answer.template_id, card, due.isoformat()),
            )

    def card(self, template_id: str) -> str | None:
        """The stored card (JSON) of a concept, if it was ever answered."""
        row = self.connection.execute(
            "SELECT card FROM cards WHERE template_id = ?", (template_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def due(self, until: datetime) -> list[tuple[str, datetime]]:
        """Concepts whose next review is at or before ``until``, soonest first."""
        rows = self.connection.execute(
            "SELECT template_id, due FROM cards WHERE due <= ? ORDER BY due", (until.isoformat(),)
        ).fetchall()
        return [(str(r[0]), datetime.fromisoformat(r[1])) for r in rows]

    def next_due(self) -> datetime | None:
        """When the next review is due, if any card exists."""
        row = self.connection.execute("SELECT MIN(due) FROM cards").fetchone()
        return None if row is None or row[0] is None else datetime.fromisoformat(row[0])

    def answers(self) -> list[dict[str, Any]]:
        """Every stored answer, oldest first."""
        cursor = self.connection.execute("SELECT * FROM answers ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def _transaction(connection: sqlite3.Connection, begin: bool = False) -> Iterator[None]:
    """Commit on success, roll back on any error (including Ctrl-C)."""
    if begin:
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    else:
        if connection.in_transaction:
            connection.execute("COMMIT")
