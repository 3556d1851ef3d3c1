"""Progress in SQLite: every answer, as it is given, and one spaced-repetition card per concept.

- Where: ``--db PATH``, else ``$STUDYKIT_HOME/progress.sqlite3``, else the user data directory
  from platformdirs (``~/.local/share/studykit`` on Linux).
- Safety: WAL journal (two quizzes in two terminals can write at once), a short busy timeout
  (``LOCK_WAIT`` seconds, then a one-line error: another program is writing to the file), and
  one transaction per answer, so Ctrl-C or a closed terminal never loses an answer already given.
- Schema: versioned with ``PRAGMA user_version`` and upgraded by the ordered ``MIGRATIONS``;
  a database from a newer studykit is refused rather than guessed at.
- Ownership: a studykit database carries ``PRAGMA application_id = APPLICATION_ID``. Any other
  SQLite file (another application id, or tables that are not studykit's) is refused untouched:
  it is only ever opened read-only to look. Databases from before the id are recognised by their
  tables, accepted and stamped.
- Read-only files and folders: a command that writes is refused with one line; a command that
  only reads (``stats``) opens the database read-only.
- Damage: a file that is not a readable database is moved aside
  (``progress.sqlite3.corrupt-<time>``), never overwritten, and every later open names it (a
  warning) until the student renames or deletes it. A missing table is refused with its name;
  damaged rows are skipped with one warning.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "APPLICATION_ID",
    "DRILL_CARD",
    "LOCK_WAIT",
    "AnswerRecord",
    "DrillEvent",
    "Store",
    "StoreError",
    "default_db_path",
    "now",
]

APPLICATION_ID = 0x7374646B  # "stdk": ``PRAGMA application_id`` of every studykit database
TABLES = frozenset({"sessions", "answers", "cards", "drill_events"})
# The tables each schema version has (a database is checked against its own version's).
TABLES_BY_VERSION = {1: frozenset({"sessions", "answers", "cards"}), 2: TABLES}
LOCK_WAIT = 2.0  # seconds to wait for another program's write before giving up
_FLAGS = ("correct", "skipped", "hinted")  # answer columns that must hold 0 or 1
_MOVED_SUFFIX = re.compile(r"\.corrupt-\d{8}T\d{6}(-\d+)?")

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
    # 2: code drills: every start and check (their cards share ``cards``, as ``drill:<id>``)
    """
    CREATE TABLE drill_events (
        id INTEGER PRIMARY KEY,
        drill_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        event TEXT NOT NULL,
        status TEXT,
        misconception TEXT,
        cases_run INTEGER NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE INDEX drill_events_by_drill ON drill_events(drill_id);
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
    """A connection to the progress database.

    Args:
        path: The database file (created, with its folder, when missing).
        warn: Called with each one-line warning (a database moved aside, damaged rows skipped).
        read_only_ok: The command only reads: open a file or folder studykit cannot write
            read-only instead of refusing it.

    Raises:
        StoreError: The database cannot be used (locked, read-only, not studykit's, missing a
            table, from a newer studykit), with a one-line message naming the file.
    """

    def __init__(
        self,
        path: Path,
        warn: Callable[[str], None] | None = None,
        read_only_ok: bool = False,
    ) -> None:
        self.path = path
        self.warn = warn or (lambda message: None)
        self.read_only_ok = read_only_ok
        self.read_only = False
        self._warned: set[str] = set()
        self._just_moved: Path | None = None
        self.connection = self._open()
        self.connection.execute(f"PRAGMA busy_timeout = {int(LOCK_WAIT * 1000)}")
        self._report_moved_aside()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self._check_location()
        deadline = time.monotonic() + LOCK_WAIT
        while True:  # another quiz creating the same file at once: wait, never move it
            try:
                return self._open_once(max(deadline - time.monotonic(), 0.05))
            except sqlite3.OperationalError as error:
                if not _is_locked(error):
                    raise StoreError(f"cannot open {self.path}: {error}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(self._locked()) from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as error:
                self._move_unreadable(error)  # then open a new database in its place

    def _check_location(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {self.path.parent}: {error.strerror}") from None
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a database file")

    def _open_once(self, timeout: float) -> sqlite3.Connection:
        if not self._writable():
            return self._open_read_only(timeout)
        if self._side("-wal").exists():  # its WAL may hold content: look without writing first
            probe = self._connect_uri("mode=ro", timeout)
            with _closing_on_error(probe):
                self._check_identity(probe)
            probe.close()
        # Reading through a read-write connection changes no byte of the file, so the identity
        # is checked (under SQLite's locks) before anything is written.
        connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        with _closing_on_error(connection):
            self._check_identity(connection)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA foreign_keys = ON")
            _check_integrity(connection)
            self._migrate(connection)
        return connection

    def _open_read_only(self, timeout: float) -> sqlite3.Connection:
        """Open a file studykit cannot write for reading (``stats``), or refuse it.

        It is opened ``immutable``: SQLite then creates no ``-shm`` or ``-wal`` file beside it
        (a ``-shm`` file left read-only would break writing later, once the file is writable).
        """
        if not self.read_only_ok or not self.path.exists():
            raise StoreError(self._read_only())
        connection = self._connect_uri("immutable=1", timeout)
        with _closing_on_error(connection):
            self._check_identity(connection)
            _check_integrity(connection)
        wal = self._side("-wal")
        if wal.exists() and wal.stat().st_size > 0:
            self._warn_once(
                f"{wal} may hold recent answers that cannot be read while {self.path} is "
                "read-only; make it writable to count them"
            )
        self.read_only = True
        return connection

    def _writable(self) -> bool:
        """Whether studykit can write the file, its folder and the files SQLite keeps beside it."""
        files = [self.path, self._side("-wal"), self._side("-shm")]
        return _can_write(self.path.parent) and all(
            _can_write(file) for file in files if file.exists()
        )

    def _side(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def _connect_uri(self, query: str, timeout: float) -> sqlite3.Connection:
        uri = f"{self.path.resolve().as_uri()}?{query}"
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)

    def _check_identity(self, connection: sqlite3.Connection) -> None:
        """Refuse a file that is not a studykit database, or that studykit cannot use.

        The id, version and tables are read in one read transaction, so from one snapshot:
        read apart, another quiz creating the same new file between two reads would show its
        tables without its id, and the file would be refused as another program's.
        """
        with _snapshot(connection):
            app = int(connection.execute("PRAGMA application_id").fetchone()[0])
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            ).fetchall()
        problem = _identity_problem(self.path, app, version, {str(r[0]) for r in rows})
        if problem is not None:
            raise StoreError(problem)

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(_newer(self.path, version))
        for number in range(version, len(MIGRATIONS)):
            try:
                with _transaction(connection):
                    connection.executescript(
                        "BEGIN IMMEDIATE;"
                        + MIGRATIONS[number]
                        + f"PRAGMA user_version = {number + 1};"
                        + f"PRAGMA application_id = {APPLICATION_ID};"
                    )
            except sqlite3.OperationalError:
                # Another quiz opening the same new file ran this step first (ours was rolled
                # back): carry on from its version; anything else is a real error.
                if connection.execute("PRAGMA user_version").fetchone()[0] <= number:
                    raise
        if connection.execute("PRAGMA application_id").fetchone()[0] == 0:
            with suppress(sqlite3.OperationalError):  # a database from before the id: stamp it
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    # --- damaged files -----------------------------------------------------------------------

    def _move_unreadable(self, error: sqlite3.DatabaseError) -> None:
        """Move a file that is not a readable database aside (once), saying where it went."""
        if self._just_moved is not None:
            raise StoreError(f"cannot open {self.path}: {error}")
        if not self._writable():
            raise StoreError(
                f"{self.path} is not a readable database ({error}) and studykit cannot move it "
                "aside (read-only); rename it yourself or choose another file with --db"
            )
        self._just_moved = self._move_aside()
        self.warn(
            f"{self.path} was not a readable database ({error}); moved it to "
            f"{self._just_moved} and started a new one; rename or delete that file to stop "
            "this warning"
        )

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        try:
            self.path.rename(target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(target.with_name(target.name + suffix))
        except OSError as error:
            raise StoreError(f"cannot move {self.path} aside: {error.strerror}") from None
        return target

    def moved_aside(self) -> list[Path]:
        """Earlier files at this path that were not readable and were moved aside."""
        pattern = glob.escape(str(self.path)) + ".corrupt-*"
        name = self.path.name
        return sorted(
            Path(found)
            for found in glob.glob(pattern)
            if _MOVED_SUFFIX.fullmatch(Path(found).name.removeprefix(name))
        )

    def _report_moved_aside(self) -> None:
        for moved in self.moved_aside():
            if moved != self._just_moved:
                self.warn(
                    f"{self.path} was not readable once and was moved to {moved} (kept as it "
                    "was; nothing in it is counted here); rename or delete that file to stop "
                    "this warning"
                )

    # --- messages ----------------------------------------------------------------------------

    def _locked(self) -> str:
        return (
            f"{self.path} is locked: another studykit (or another program) is writing to it; "
            "close it and try again"
        )

    def _read_only(self) -> str:
        files = [self.path, self._side("-wal"), self._side("-shm")]
        locked = [file for file in files if file.exists() and not _can_write(file)]
        where = f"{locked[0]} is" if locked else f"the folder {self.path.parent} is"
        return (
            f"{where} read-only: studykit cannot save answers there; make it writable or "
            "choose another file with --db"
        )

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn a SQLite error into a one-line ``StoreError`` naming the file."""
        try:
            yield
        except sqlite3.Error as error:
            if _is_locked(error):
                reason = self._locked()
            elif "readonly" in str(error):
                reason = self._read_only()
            else:
                reason = f"{self.path}: {error}"
            raise StoreError(f"cannot {doing}: {reason}") from None

    def _warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warn(message)

    def _skipped(self, what: str, ids: list[Any]) -> None:
        if ids:
            shown = ", ".join(str(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
            self._warn_once(
                f"{self.path}: skipped {len(ids)} damaged {what} row(s) (ids {shown}); "
                "the rest are used"
            )

    # --- reading and writing -----------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (a checkpoint makes the WAL file small again)."""
        self.connection.close()

    def start_session(self, mode: str, seed: int | None, options: dict[str, Any]) -> int:
        """Record the start of a quiz or review session; return its id."""
        with self._guard("start the session"), _transaction(self.connection, begin=True):
            cursor = self.connection.execute(
                "INSERT INTO sessions(mode, seed, options, started_at) VALUES (?, ?, ?, ?)",
                (mode, seed, json.dumps(options, sort_keys=True), now().isoformat()),
            )
        return int(cursor.lastrowid or 0)

    def finish_session(self, session_id: int) -> None:
        """Record the end time of a session."""
        with self._guard("finish the session"), _transaction(self.connection, begin=True):
            self.connection.execute(
                "UPDATE sessions SET finished_at = ? WHERE id = ?", (now().isoformat(), session_id)
            )

    def record(self, session_id: int, answer: AnswerRecord, card: str, due: datetime) -> None:
        """Store one answer and the concept's updated card, atomically."""
        with self._guard("save the answer"), _transaction(self.connection, begin=True):
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
        with self._guard("read the review schedule"):
            row = self.connection.execute(
                "SELECT card FROM cards WHERE template_id = ?", (template_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def _cards(self) -> list[tuple[str, datetime]]:
        """Every card's concept and due time, in stored order; damaged rows skipped."""
        with self._guard("read the review schedule"):
            rows = self.connection.execute("SELECT rowid, template_id, due FROM cards").fetchall()
        cards, damaged = [], []
        for rowid, template_id, due in rows:
            when = _parse_time(due)
            if isinstance(template_id, str) and when is not None:
                cards.append((template_id, when))
            else:
                damaged.append(rowid)
        self._skipped("review card", damaged)
        return cards

    def due(self, until: datetime) -> list[tuple[str, datetime]]:
        """Concepts whose next review is at or before ``until``, soonest first."""
        return sorted((card for card in self._cards() if card[1] <= until), key=lambda c: c[1])

    def next_due(self) -> datetime | None:
        """When the next review is due, if any card exists."""
        return min((when for _, when in self._cards()), default=None)

    def answers(self) -> list[dict[str, Any]]:
        """Every stored answer, oldest first; damaged rows are skipped with one warning."""
        with self._guard("read the answers"):
            cursor = self.connection.execute("SELECT * FROM answers ORDER BY id")
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        self._skipped("answer", [row.get("id") for row in rows if not _sound_answer(row)])
        return [row for row in rows if _sound_answer(row)]

    def record_drill(self, event: DrillEvent, card: tuple[str, datetime] | None = None) -> None:
        """Store one drill event (a start or a check) and, when rated, the drill's new card."""
        with self._guard("save the drill result"), _transaction(self.connection, begin=True):
            self.connection.execute(
                "INSERT INTO drill_events(drill_id, topic, event, status, misconception, "
                "cases_run, seconds, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.drill_id,
                    event.topic,
                    event.event,
                    event.status,
                    event.misconception,
                    event.cases_run,
                    event.seconds,
                    now().isoformat(),
                ),
            )
            if card is not None:
                self.connection.execute(
                    "INSERT INTO cards(template_id, card, due) VALUES (?, ?, ?) ON CONFLICT"
                    "(template_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                    (DRILL_CARD + event.drill_id, card[0], card[1].isoformat()),
                )

    def drill_events(self, drill_id: str | None = None) -> list[dict[str, Any]]:
        """Drill events, oldest first (of one drill, or all); rows with bad types are skipped."""
        query = "SELECT * FROM drill_events"
        values: tuple[Any, ...] = ()
        if drill_id is not None:
            query, values = query + " WHERE drill_id = ?", (drill_id,)
        with self._guard("read the drill results"):
            cursor = self.connection.execute(query + " ORDER BY id", values)
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        sound = [
            r for r in rows if isinstance(r.get("drill_id"), str) and r.get("event") in _EVENTS
        ]
        self._skipped("drill event", [r.get("id") for r in rows if r not in sound])
        return sound


DRILL_CARD = "drill:"  # the prefix of a drill's card in ``cards``
_EVENTS = ("start", "check")


@dataclass(frozen=True)
class DrillEvent:
    """A drill started (a fresh stub written) or checked."""

    drill_id: str
    topic: str
    event: str  # start, check
    status: str | None = None  # pass, fail, not-started, cannot-run, forbidden, timeout, ...
    misconception: str | None = None
    cases_run: int = 0
    seconds: float = 0.0


def _can_write(path: Path) -> bool:
    """Whether this process may write ``path`` (a file, or a folder to create files in)."""
    return os.access(path, os.W_OK)


def _is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _check_integrity(connection: sqlite3.Connection) -> None:
    check = connection.execute("PRAGMA quick_check").fetchone()
    if check is None or check[0] != "ok":
        raise sqlite3.DatabaseError(f"integrity check failed: {check}")


def _identity_problem(path: Path, app: int, version: int, tables: set[str]) -> str | None:
    """Why the SQLite file at ``path`` cannot be used as studykit's database, if it cannot."""
    before_the_id = app == 0 and version >= 1 and bool(tables) and tables <= TABLES
    blank = app == 0 and version == 0 and not tables
    if app != APPLICATION_ID and not before_the_id and not blank:
        if app != 0:
            what = f"application id {app:#x}"
        elif tables:
            names = sorted(tables)
            what = "tables " + ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
        else:
            what = f"user_version {version}"
        return (
            f"{path} is not a studykit database ({what}); studykit leaves it untouched: "
            "choose another file with --db"
        )
    if version > len(MIGRATIONS):
        return _newer(path, version)
    needed = TABLES_BY_VERSION.get(version, TABLES) if version >= 1 else frozenset()
    missing = sorted(needed - tables)
    if missing:
        return (
            f"{path} is damaged: its table {', '.join(missing)} is missing; rename the file to "
            "start a new database (the rest stays in it) or choose another file with --db"
        )
    return None


def _newer(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer studykit (schema {version}, this one knows "
        f"{len(MIGRATIONS)}); upgrade studykit or use --db"
    )


def _parse_time(text: object) -> datetime | None:
    """An ISO 8601 time (UTC when it names no zone), or ``None`` for anything else."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sound_answer(row: dict[str, Any]) -> bool:
    """Whether a stored answer row has the types ``stats`` relies on."""
    flags = all(type(row.get(k)) is int and row[k] in (0, 1) for k in _FLAGS)
    texts = all(isinstance(row.get(k), str) for k in ("template_id", "topic"))
    return flags and texts and _parse_time(row.get("answered_at")) is not None


@contextmanager
def _closing_on_error(connection: sqlite3.Connection) -> Iterator[None]:
    try:
        yield
    except BaseException:
        connection.close()
        raise


@contextmanager
def _snapshot(connection: sqlite3.Connection) -> Iterator[None]:
    """Read in one read transaction (one snapshot of the file), then end it."""
    connection.execute("BEGIN")
    try:
        yield
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


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
