"""The drill pages of the site: one per topic, in English and Korean, safe from their files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studykit.drills.commands import default_drills_dir
from studykit.drills.spec import load_drill, scan_drills, shown_forbidden
from studykit.site.drillpages import write_drill_pages
from tests.site_build import BuiltSite

DRILLS, _ = scan_drills(default_drills_dir())
SOFTMAX = default_drills_dir() / "activations" / "softmax.yaml"


def test_a_page_per_topic_and_language_with_every_drill(tmp_path: Path) -> None:
    written = write_drill_pages(DRILLS, tmp_path)
    topics = {d.topic for d in DRILLS}
    assert {p.name for p in written} == (
        {f"{t}.md" for t in topics} | {f"{t}.ko.md" for t in topics} | {"index.md", "index.ko.md"}
    )
    for drill in DRILLS:
        english = (tmp_path / f"{drill.topic}.md").read_text(encoding="utf-8")
        korean = (tmp_path / f"{drill.topic}.ko.md").read_text(encoding="utf-8")
        assert f"{{#{drill.id}}}" in english and f"{{#{drill.id}}}" in korean
        assert f"studykit drill check {drill.id} --watch" in english
        assert "What the check runs" in english and "검사하는 것" in korean
        for name in shown_forbidden(drill):
            assert f"`{name}`" in english


def test_hostile_drill_text_stays_text(tmp_path: Path) -> None:
    text = SOFTMAX.read_text(encoding="utf-8")
    text = text.replace(
        "  en: Softmax, numerically stable",
        '  en: "<script>alert(1)</script> [x](javascript:alert(1))"',
    ).replace("Softmax turns a vector", "<img src=x onerror=alert(1)> ``` Softmax turns a vector")
    text = text.replace(r"m = \max_j x_j'", r"m = \max_j x_j </div><script>x()</script>'")
    folder = tmp_path / "in" / "activations"
    folder.mkdir(parents=True)
    (folder / "softmax.yaml").write_text(text, encoding="utf-8")
    page = write_drill_pages([load_drill(folder / "softmax.yaml")], tmp_path / "out")[0]
    markdown = page.read_text(encoding="utf-8")
    fences = re.findall(r"^(`{3,})python\n.*?^\1$", markdown, flags=re.S | re.M)
    assert fences == ["````"]  # longer than the ``` in the text: the stub stays one block
    markdown = re.sub(r"^(`{3,}).*?^\1$", "", markdown, flags=re.S | re.M)  # code: shown as is
    assert "<script>" not in markdown and "<img" not in markdown
    assert "](javascript" not in markdown
    assert "&lt;/div&gt;&lt;script&gt;" in markdown  # the formula, escaped inside its element


@pytest.mark.xdist_group("site")
def test_the_built_site_has_the_drill_pages_and_links_them(built_site: BuiltSite) -> None:
    page = built_site.path / "drills" / "activations" / "index.html"
    text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
    assert "def softmax(x: torch.Tensor, dim: int)" in text  # the stub, highlighted
    korean = (built_site.path / "ko" / "drills" / "activations" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "드릴: 활성화 함수" in korean
    note = (built_site.path / "notes" / "activations" / "index.html").read_text(encoding="utf-8")
    assert "../../drills/activations/" in note
    index = (built_site.path / "drills" / "index.html").read_text(encoding="utf-8")
    assert "studykit drill start ID" in index
    assert index.count("<tr>") == 1 + len({d.topic for d in DRILLS})  # one row per topic
