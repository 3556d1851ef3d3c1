"""Progress-store faults: locks, read-only files, damaged rows and files, foreign databases.

Every case counts the answers before and after (nothing lost, nothing double counted) and every
refusal is one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.quiz import schedule
from studykit.quiz import session as session_module
from studykit.quiz import store as store_module
from studykit.quiz.store import APPLICATION_ID, LOCK_WAIT, AnswerRecord, Store, StoreError, now

LOCKED = "is locked: another studykit (or another program) is writing to it; close it and try again"
FOREIGN = "is not a studykit database"


def make_db(path: Path, answers: int = 2) -> None:
    """A studykit database with ``answers`` answers (one concept each, with a real card)."""
    store = Store(path)
    session = store.start_session("quiz", 1, {})
    for i in range(answers):
        card, due = schedule.review(None, 3, now())
        answer = AnswerRecord(f"losses/t{i}", i, "losses", 1, "1", True, False, False, None, 1.0)
        store.record(session, answer, card, due)
    store.close()


def count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM answers").fetchone()[0])
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stats(capsys: pytest.CaptureFixture[str], db: Path) -> tuple[int, dict | None, str]:  # type: ignore[type-arg]
    code = main(["stats", "--json", "--db", str(db)])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else None, err


def quiz(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stdin: str = "quit\n",
    count: int = 1,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["quiz", "--seed", "3", "-n", str(count), "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, *fragments: str) -> None:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


# --- another program holding the database ----------------------------------------------------


@contextmanager
def held(db: Path, journal: str = "wal") -> Iterator[None]:
    """A second connection holding an open write transaction (``BEGIN EXCLUSIVE``)."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute(f"PRAGMA journal_mode = {journal}")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO sessions(mode, options, started_at) VALUES ('x', '{}', 'now')")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_held_database_stops_a_quiz_within_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    with held(db):
        started = time.monotonic()
        code, _, err = quiz(capsys, monkeypatch, db)
        waited = time.monotonic() - started
    assert code == 2
    one_line(err, f"studykit quiz: cannot start the session: {db} {LOCKED}")
    assert waited < LOCK_WAIT + 2
    assert count(db) == 2


def test_a_held_rollback_journal_stops_stats_within_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    with held(db, journal="delete"):  # readers wait too: stats used to wait for minutes
        started = time.monotonic()
        code, _, err = stats(capsys, db)
        waited = time.monotonic() - started
    assert code == 2
    one_line(err, f"studykit stats: {db} {LOCKED}")
    assert waited < LOCK_WAIT + 2
    code, data, err = stats(capsys, db)
    assert code == 0 and data is not None and data["answers"] == 2


HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.read()
"""


def test_a_database_held_by_another_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        code, _, err = quiz(capsys, monkeypatch, db)
    finally:
        holder.communicate("", timeout=30)
    assert code == 2
    one_line(err, LOCKED)
    assert count(db) == 3
    code, _, err = quiz(capsys, monkeypatch, db)  # released: the next quiz runs
    assert code == 0, err


def test_a_lock_in_the_middle_of_a_quiz_keeps_the_answers_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 1)
    holder: list[sqlite3.Connection] = []
    original = session_module.SessionUI.question

    def question(self, number, *args):  # type: ignore[no-untyped-def]
        original(self, number, *args)
        if number == 2:  # another program starts writing while question 2 is on screen
            holder.append(sqlite3.connect(db, isolation_level=None))
            holder[0].execute("BEGIN EXCLUSIVE")

    monkeypatch.setattr(session_module.SessionUI, "question", question)
    try:
        code, _, err = quiz(capsys, monkeypatch, db, stdin="skip\nskip\n", count=2)
    finally:
        holder[0].close()
    assert code == 2
    one_line(err, f"studykit quiz: cannot save the answer: {db} {LOCKED}")
    assert count(db) == 2  # 1 before + the first answer, saved once; the second was not


# --- read-only files and folders -------------------------------------------------------------


def deny_writing(monkeypatch: pytest.MonkeyPatch, *denied: Path) -> None:
    """Make studykit see ``denied`` as not writable (root ignores file permissions)."""
    real = store_module._can_write
    monkeypatch.setattr(store_module, "_can_write", lambda path: path not in denied and real(path))


def test_a_read_only_file_refuses_quizzes_and_still_shows_stats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    before, files = digest(db), sorted(os.listdir(tmp_path))
    deny_writing(monkeypatch, db)
    code, _, err = quiz(capsys, monkeypatch, db)
    assert code == 2
    one_line(err, f"studykit quiz: {db} is read-only: studykit cannot save answers there")
    code, data, err = stats(capsys, db)
    assert code == 0 and err == ""
    assert data is not None and data["answers"] == 2
    assert digest(db) == before and sorted(os.listdir(tmp_path)) == files  # no -wal, no -shm


def test_a_read_only_folder_refuses_quizzes_and_still_shows_stats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    deny_writing(monkeypatch, tmp_path)
    code, _, err = quiz(capsys, monkeypatch, db)
    assert code == 2
    one_line(err, f"studykit quiz: the folder {tmp_path} is read-only")
    code, data, _ = stats(capsys, db)
    assert code == 0 and data is not None and data["answers"] == 2
    code, _, err = stats(capsys, tmp_path / "none.sqlite3")  # nothing to read, nowhere to write
    assert code == 2
    one_line(err, f"the folder {tmp_path} is read-only")


def unprivileged() -> list[str]:
    """The command prefix that runs as a user file permissions apply to."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores file permissions, and setpriv is missing")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@contextmanager
def unprivileged_home(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A database with 2 answers in a folder, and the prefix that runs commands as its owner."""
    prefix = unprivileged()
    base = Path(tempfile.mkdtemp(prefix="studykit-ro-")) if prefix else tmp_path
    folder = base / "home"
    folder.mkdir()
    db = folder / "progress.sqlite3"
    make_db(db, 2)
    if prefix:  # a folder and a file the unprivileged user owns
        base.chmod(0o755)
        os.chown(folder, 65534, 65534)
        os.chown(db, 65534, 65534)
    try:
        yield db, prefix
    finally:
        folder.chmod(0o755)
        if prefix:
            shutil.rmtree(base)


def run_as(prefix: list[str], db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*prefix, sys.executable, "-m", "studykit", *args, "--db", str(db)]
    return subprocess.run(command, capture_output=True, text=True, input="quit\n", timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_real_read_only_file(tmp_path: Path) -> None:
    with unprivileged_home(tmp_path) as (db, prefix):
        db.chmod(0o444)
        assert json.loads(run_as(prefix, db, "stats", "--json").stdout)["answers"] == 2
        refused = run_as(prefix, db, "quiz", "-n", "1")
        assert refused.returncode == 2
        one_line(refused.stderr, f"{db} is read-only")
        assert os.listdir(db.parent) == ["progress.sqlite3"]  # no -shm left to trip a quiz
        db.chmod(0o644)
        assert run_as(prefix, db, "quiz", "-n", "1").returncode == 0  # writable again: it works
        assert count(db) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_real_read_only_folder(tmp_path: Path) -> None:
    with unprivileged_home(tmp_path) as (db, prefix):
        db.parent.chmod(0o555)
        assert json.loads(run_as(prefix, db, "stats", "--json").stdout)["answers"] == 2
        refused = run_as(prefix, db, "quiz", "-n", "1")
        assert refused.returncode == 2
        one_line(refused.stderr, f"the folder {db.parent} is read-only")
        assert count(db) == 2


# --- damaged rows, a dropped table -----------------------------------------------------------


def test_damaged_rows_are_skipped_with_one_warning_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 3)
    connection = sqlite3.connect(db)
    insert = (
        "INSERT INTO answers(session_id, template_id, seed, topic, difficulty, correct, "
        "skipped, hinted, seconds, answered_at) VALUES (1, 'x', 1, 'losses', 1, ?, 0, 0, 1, ?)"
    )
    connection.execute(insert, ("yes", now().isoformat()))  # a text in `correct`
    connection.execute(insert, (1, "garbage"))  # an answered_at that is no time
    connection.execute("INSERT INTO cards VALUES ('y', '{}', 'never')")
    connection.commit()
    connection.close()
    code, data, err = stats(capsys, db)
    assert code == 0 and data is not None
    assert data["answers"] == 3 and data["right"] == 3
    lines = err.splitlines()
    assert len(lines) == 2 and "Traceback" not in err
    assert (
        lines[0] == f"warning: {db}: skipped 2 damaged answer row(s) (ids 4, 5); the rest are used"
    )
    assert "skipped 1 damaged review card row(s)" in lines[1]
    store = Store(db)  # a new answer still counts once
    make_answer = AnswerRecord("losses/t9", 1, "losses", 1, "1", False, False, False, None, 1.0)
    card, due = schedule.review(None, 1, now())
    store.record(store.start_session("quiz", 1, {}), make_answer, card, due)
    store.close()
    code, data, _ = stats(capsys, db)
    assert data is not None and data["answers"] == 4 and data["right"] == 3


def test_a_damaged_card_is_started_anew_and_the_answer_saved(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 1)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE cards SET card = '{not json'")
    connection.commit()
    connection.close()
    warnings: list[str] = []
    store = Store(db)
    answer = AnswerRecord("losses/t0", 5, "losses", 1, "1", True, False, False, None, 1.0)
    session_module._save(store, store.start_session("quiz", 1, {}), answer, warnings.append)
    assert warnings == [f"{db}: the review card of losses/t0 was damaged; started anew"]
    assert len(store.answers()) == 2
    assert json.loads(store.card("losses/t0") or "")  # a sound card again
    store.close()


@pytest.mark.parametrize("table", ["answers", "cards"])
def test_a_dropped_table_is_named_and_the_file_left_alone(
    table: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    connection = sqlite3.connect(db)
    connection.execute(f"DROP TABLE {table}")
    connection.commit()
    connection.close()
    before = digest(db)
    code, _, err = stats(capsys, db)
    assert code == 2
    one_line(err, f"studykit stats: {db} is damaged: its table {table} is missing")
    code, _, err = quiz(capsys, monkeypatch, db)
    assert code == 2
    one_line(err, f"its table {table} is missing")
    assert digest(db) == before


# --- a corrupt file, moved aside -------------------------------------------------------------


def test_a_database_moved_aside_is_named_until_renamed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    code, data, err = stats(capsys, db)
    assert code == 0 and data is not None
    (moved,) = tmp_path.glob("progress.sqlite3.corrupt-*")
    assert moved.read_bytes() == b"this is not sqlite" * 100
    assert data["answers"] == 0 and data["moved_aside"] == [str(moved)]
    one_line(err, f"moved it to {moved}", "rename or delete that file to stop this warning")
    for _ in range(2):  # every later stats and quiz says where the old file went
        code, data, err = stats(capsys, db)
        assert code == 0 and data is not None and data["moved_aside"] == [str(moved)]
        one_line(err, f"was moved to {moved}", "rename or delete that file")
    code, _, err = quiz(capsys, monkeypatch, db)
    assert code == 0
    one_line(err, f"was moved to {moved}")
    moved.rename(tmp_path / "old-progress.sqlite3")  # acknowledged
    code, data, err = stats(capsys, db)
    assert code == 0 and err == "" and data is not None and data["moved_aside"] == []


def test_a_moved_aside_file_named_even_after_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "progress.sqlite3"
    db.write_bytes(b"\0" * 4096 + b"junk")
    messages: list[str] = []
    Store(db, warn=messages.append).close()
    make_db(db, 2)
    code, data, err = stats(capsys, db)
    assert code == 0 and data is not None
    assert data["answers"] == 2 and len(data["moved_aside"]) == 1
    assert "was moved to" in err


# --- files that are not studykit's -----------------------------------------------------------


def _tables(db: Path) -> None:
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO users(name) VALUES ('ada')")
    connection.commit()
    connection.close()


def _application_id(db: Path) -> None:
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA application_id = 42")
    connection.execute("CREATE TABLE answers(x)")
    connection.commit()
    connection.close()


def _versioned(db: Path) -> None:
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE notes(body TEXT)")
    connection.execute("CREATE TABLE answers(x)")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("build", [_tables, _application_id, _versioned])
def test_another_programs_database_is_refused_untouched(
    build,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "other.db"
    build(db)
    before, files = digest(db), sorted(os.listdir(tmp_path))
    code, _, err = stats(capsys, db)
    assert code == 2
    one_line(err, f"studykit stats: {db} {FOREIGN}", "studykit leaves it untouched")
    code, _, err = quiz(capsys, monkeypatch, db)
    assert code == 2
    one_line(err, FOREIGN)
    with pytest.raises(StoreError, match=FOREIGN):
        Store(db)
    assert digest(db) == before and sorted(os.listdir(tmp_path)) == files


def test_another_programs_wal_database_in_use_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "other.db"
    owner = sqlite3.connect(db, isolation_level=None)
    owner.execute("PRAGMA journal_mode = WAL")
    owner.execute("PRAGMA wal_autocheckpoint = 0")
    owner.execute("CREATE TABLE users(name TEXT)")
    owner.execute("INSERT INTO users VALUES ('ada')")  # lives in other.db-wal for now
    try:
        before, wal = digest(db), digest(tmp_path / "other.db-wal")
        code, _, err = stats(capsys, db)
        assert code == 2
        one_line(err, FOREIGN)
        assert digest(db) == before and digest(tmp_path / "other.db-wal") == wal
    finally:
        owner.close()


def test_a_studykit_database_from_before_the_application_id_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "progress.sqlite3"
    make_db(db, 2)
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.execute("PRAGMA application_id = 0")  # as studykit wrote it before the id
    connection.commit()
    connection.close()
    code, data, err = stats(capsys, db)
    assert code == 0 and err == "" and data is not None and data["answers"] == 2
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()


def test_an_empty_file_becomes_a_studykit_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "progress.sqlite3"
    db.touch()
    code, data, err = stats(capsys, db)
    assert code == 0 and err == "" and data is not None and data["answers"] == 0
    assert count(db) == 0


def test_a_database_created_by_another_quiz_between_two_reads_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another quiz creates the tables while this one checks the new file's identity.

    The identity is three reads (id, version, tables); between two of them the other quiz
    commits its first schema. Read apart, they showed tables without the id and the file was
    refused as another program's (a race CI met with two quizzes starting at once).
    """
    db = tmp_path / "progress.sqlite3"
    blank = sqlite3.connect(db, isolation_level=None)
    blank.execute("PRAGMA journal_mode = WAL")  # as the other quiz leaves it before migrating
    blank.close()
    connect = sqlite3.connect
    interleaved: list[str] = []

    class Interleaved(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            if "sqlite_master" in sql and not interleaved:
                interleaved.append(sql)
                Store(db).close()  # the other quiz, in full, before the table read
            return super().execute(sql, *args)

    def connect_interleaved(*args: object, **kwargs: object) -> sqlite3.Connection:
        if interleaved:
            return connect(*args, **kwargs)  # type: ignore[arg-type]
        return connect(*args, factory=Interleaved, **kwargs)  # type: ignore[arg-type,misc]

    monkeypatch.setattr(sqlite3, "connect", connect_interleaved)
    store = Store(db)
    assert interleaved  # the other quiz did run between the reads
    session = store.start_session("quiz", 1, {})
    assert session >= 1
    store.close()
    monkeypatch.undo()
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    connection.close()
