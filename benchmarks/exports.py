"""How long a teacher waits for an export of a whole class: 500 students × 20 questions.

Usage::

    python -m benchmarks.exports [--students 500] [--questions 20] [--formats moodle gift ...]
                                 [--json benchmarks/results/exports.json]

The 20 questions are the first templates of the bank in study order, each with ``--students``
variants (10,000 variants at the defaults). Reported per phase:

- **solve**: `studykit.exports.items.collect` (draw, solve with the reference implementations,
  render the Markdown texts), the work every format shares;
- **write**, per format: the format's ``write`` on those items, and its ratio to **solve**
  (measured in the same process, so the ratio holds on a slower or busier machine).

The issue's target is "seconds" for the whole export; the verdict is solve + write under 60 s
per format. A worksheet is written without its PDF here (printing 500 versions with Chromium
measures Chromium).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from studykit.exports.commands import FORMATS, writer
from studykit.exports.items import Selection, collect, select
from studykit.exports.output import ExportSettings
from studykit.questions.commands import default_questions_dir
from studykit.questions.template import load_bank

TARGET_S = 60.0


def run(students: int, questions: int, formats: list[str]) -> dict[str, object]:
    """Time solving and writing; the report as JSON data."""
    bank = load_bank(default_questions_dir())
    ids = tuple(t.id for t in select(bank, Selection())[:questions])
    collect(bank, Selection(ids=ids[:1]), 1, 0)  # torch imported, caches warm
    start = time.perf_counter()
    items = collect(bank, Selection(ids=ids), students, 0)
    solve_s = time.perf_counter() - start
    report: dict[str, object] = {
        "variants": len(items),
        "solve_s": round(solve_s, 2),
        "variants_per_s": round(len(items) / solve_s),
        "formats": {},
    }
    settings = ExportSettings(title="benchmark", variants=students, pdf=False)
    with tempfile.TemporaryDirectory() as folder:
        for name in formats:
            write = writer(name)
            out = Path(folder) / f"export.{name}"
            start = time.perf_counter()
            write(items, out, settings)
            write_s = time.perf_counter() - start
            size = sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())
            for p in Path(folder).iterdir():
                p.unlink()
            report["formats"][name] = {  # type: ignore[index]
                "write_s": round(write_s, 2),
                "write_over_solve": round(write_s / solve_s, 3),
                "total_s": round(solve_s + write_s, 2),
                "bytes": size,
                "verdict": "ok" if solve_s + write_s <= TARGET_S else "MISS",
            }
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    parser.add_argument("--json", type=Path, default=None, help="also save the report here")
    args = parser.parse_args(argv)
    report = run(args.students, args.questions, args.formats)
    print(f"{report['variants']} variants solved in {report['solve_s']} s "
          f"({report['variants_per_s']} variants/s)")  # fmt: skip
    for name, row in report["formats"].items():  # type: ignore[attr-defined]
        print(f"  {name:<10} write {row['write_s']:>6} s ({row['write_over_solve']}× solve), "
              f"total {row['total_s']} s, {row['bytes']:,} bytes: {row['verdict']}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    failed = any(row["verdict"] != "ok" for row in report["formats"].values())  # type: ignore[attr-defined]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
