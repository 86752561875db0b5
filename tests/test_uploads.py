"""A user's own file: read in memory, refused rows reported, never raising, drawn as its own layer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.ingest.common import FORMATS
from geo.map.others import cells_layer, others_layer
from geo.uploads import MAX_UPLOAD_MB, read_upload
from tests.conftest import ROOT

ACLED = ROOT / "tests" / "fixtures" / "ingest" / "acled_2022.csv"


def test_an_acled_export_gives_events_and_the_refused_rows():
    events, rejects = read_upload("acled_2022.csv", ACLED.read_bytes(), "acled")
    assert events and all(e["dataset"] == "upload" for e in events)
    assert {e["source_id"] for e in events} >= {"ARM1001"}
    for r in rejects:  # the fixture's broken rows, each named like the curated loader's
        assert r.file == "acled_2022.csv" and r.row and r.reason


def test_a_file_over_the_cap_is_refused_with_a_reason():
    events, rejects = read_upload("big.csv", b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1), "acled")
    assert events == [] and "larger than 2 MB" in rejects[0].reason


def test_a_path_in_the_name_is_not_echoed():
    _, rejects = read_upload("../../etc/passwd", b"nonsense", "acled")
    assert all(r.file == "passwd" for r in rejects)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_any_bytes_give_rows_or_reports_never_an_exception(data, fmt):
    events, rejects = read_upload("upload.csv", data, fmt)
    assert isinstance(events, list) and isinstance(rejects, list)


def test_uploaded_events_are_squares_marked_as_not_curated_and_escaped():
    events, _ = read_upload("acled_2022.csv", ACLED.read_bytes(), "acled")
    events[0] = events[0] | {"title": "<script>alert(1)</script>", "link": "javascript:alert(1)"}
    layer = others_layer("upload", "your upload", events, origin="Uploaded by you")
    rec = layer["events"][0]
    assert rec["style"]["shape"] == "square" and rec["tooltip"].startswith("Uploaded by you")
    assert "Uploaded by you — not curated" in rec["popup"]
    assert "<script>" not in rec["popup"] and "javascript:" not in rec["popup"]
    ringed = [r for r in layer["events"] if r["ring_km"] > 0]
    assert all(r["ring_km"] in (25.0, 100.0) for r in ringed)  # ACLED geo_precision 2 and 3: rings, not pins


def test_cells_carry_counts():
    layer = cells_layer("imported", "ACLED", [{"lat": 40.0, "lon": 45.0, "count": 12}], "12 events shown as 1 cell")
    assert layer["cells"] == [{"lat": 40.0, "lon": 45.0, "count": 12}] and layer["kind"] == "cells"
