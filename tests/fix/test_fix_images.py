"""SG210: location metadata in local images, found and stripped (copy or in place)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from storyguard import lint
from storyguard.config import Config
from storyguard.engine import Linter
from storyguard.fixer import FixOptions, fix_file
from storyguard.images import location_metadata, resolve_local_image

GPS_IFD = 0x8825


@pytest.fixture(scope="module")
def linter(registry):
    return Linter(Config(model_enabled=False, select=("SG210",)), registry)


def gps_of(path):
    with Image.open(path) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def test_geotagged_image_is_a_finding_with_a_safe_fix(geotagged, linter):
    report = linter.lint_bytes(str(geotagged), geotagged.read_bytes())
    [finding] = report.findings
    assert finding.rule == "SG210" and "GPS position" in finding.message
    assert finding.fix.applicability == "safe"
    assert finding.fix.files[0].output.endswith("lily.stripped.jpg")
    [edit] = finding.fix.edits
    assert (edit.start, edit.end, edit.replacement) == (report.text.index(".jpg"),) * 2 + (".stripped",)


def test_fix_writes_a_stripped_copy_and_points_the_page_at_it(geotagged, linter):
    original = (geotagged.parent / "img" / "lily.jpg").read_bytes()
    result = fix_file(linter, str(geotagged), FixOptions())
    assert result.error is None
    copy = geotagged.parent / "img" / "lily.stripped.jpg"
    assert gps_of(copy) == {} and location_metadata(copy) is None
    with Image.open(copy) as image:
        assert image.size == (8, 8)
    assert (geotagged.parent / "img" / "lily.jpg").read_bytes() == original  # the original is kept
    assert "](img/lily.stripped.jpg)" in geotagged.read_text("utf-8")
    assert fix_file(linter, str(geotagged), FixOptions()).applied == []


def test_in_place_strips_the_original_and_keeps_the_reference(geotagged, linter):
    result = fix_file(linter, str(geotagged), FixOptions(in_place_images=True))
    assert result.error is None and result.applied
    assert gps_of(geotagged.parent / "img" / "lily.jpg") == {}
    assert "](img/lily.jpg)" in geotagged.read_text("utf-8")
    assert not (geotagged.parent / "img" / "lily.stripped.jpg").exists()


def test_diff_writes_no_image(geotagged, linter):
    result = fix_file(linter, str(geotagged), FixOptions(dry_run=True))
    assert result.files_written and not (geotagged.parent / "img" / "lily.stripped.jpg").exists()
    assert gps_of(geotagged.parent / "img" / "lily.jpg")


def test_posted_text_never_reads_the_servers_disk(geotagged):
    report = lint(content=geotagged.read_text("utf-8"), format="markdown", filename=str(geotagged),
                  config=Config(model_enabled=False, select=("SG210",)))
    assert report.files[0].findings == []


def test_references_outside_the_project_or_remote_are_ignored(geotagged, tmp_path):
    root = geotagged.parent
    assert resolve_local_image("img/lily.jpg", str(geotagged), root) is not None
    assert resolve_local_image("/img/lily.jpg", str(geotagged), root) is not None
    assert resolve_local_image("img/lily.jpg?v=2#top", str(geotagged), root) is not None
    assert resolve_local_image("https://example.org/img/lily.jpg", str(geotagged), root) is None
    assert resolve_local_image("../../etc/lily.jpg", str(geotagged), root / "img") is None
    assert resolve_local_image("img/missing.jpg", str(geotagged), root) is None


def test_unreadable_image_is_a_notice_not_a_crash(geotagged, linter):
    (geotagged.parent / "img" / "lily.jpg").write_bytes(b"\xff\xd8 truncated jpeg")
    report = linter.lint_bytes(str(geotagged), geotagged.read_bytes())
    assert [f.severity for f in report.findings] == ["info"]
    assert "cannot read image metadata" in report.findings[0].message


def test_cli_fix_reports_the_copy(geotagged, cli):
    result = cli("fix", "--no-model", "page.md")
    assert result.returncode == 0, result.stderr
    assert "lily.stripped.jpg without location metadata" in result.stdout
    report = json.loads(cli("check", "--no-model", "--format", "json", "--select", "SG210", ".").stdout)
    assert all(not file["findings"] for file in report["files"])
