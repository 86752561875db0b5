"""geo.ingest: each format loads its good rows and refuses the broken ones as the curated loader
does (file, row, field, reason); re-imports are idempotent; newer exports replace; precisions map
to spans and rings, never to false precision; no input makes it raise."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.ingest import ingest_file
from geo.ingest.__main__ import main
from geo.ingest.common import row_hash
from geo.ingest.readers import GDELT_COLUMNS
from geo.ingest.store import partition_path
from geo.load import Reject

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ACLED = FIXTURES / "acled_2022.csv"
ACLED_UPDATE = FIXTURES / "acled_2022_update.csv"
UCDP = FIXTURES / "ucdp_ged.csv"
GDELT = FIXTURES / "gdelt_20220915.export.CSV"
TIMEMAP = FIXTURES / "timemap_events.json"


def _rows(store: Path, dataset: str) -> dict[str, dict]:
    table = pq.read_table(partition_path(store, dataset))
    return {r["source_id"]: r for r in table.to_pylist()}


def _where(rejects: list[Reject]) -> set[tuple[int | None, str | None]]:
    return {(r.row, r.field) for r in rejects}


def test_gdelt_has_the_61_columns_of_the_codebook():
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[0] == "GLOBALEVENTID" and GDELT_COLUMNS[-1] == "SOURCEURL"
    assert GDELT_COLUMNS.index("ActionGeo_Type") == 51 and GDELT_COLUMNS.index("DATEADDED") == 59


def test_acled_loads_good_rows_and_reports_the_broken_ones(tmp_path):
    result = ingest_file(ACLED, "acled", tmp_path)
    assert result.read == 3 and result.merge.added == 3
    assert [str(r) for r in result.rejects] == [
        "acled_2022.csv row 5: latitude: must be between -90 and 90 (got '91.5')",
        "acled_2022.csv row 6: event_date: not a date (YYYY-MM-DD) (got '2022-13-01')",
        "acled_2022.csv row 7: time_precision: not one of 1, 2, 3 (got '4')",
        "acled_2022.csv row 8: event_id_cnty: required but empty",
        "acled_2022.csv row 9: event_id_cnty: duplicate id 'ARM1001' (first used on row 2)",
        "acled_2022.csv row 10: fatalities: must be a count of 0 or more (got '-2')",
    ]
    assert all(isinstance(r, Reject) for r in result.rejects)
    rows = _rows(tmp_path, "acled")
    assert set(rows) == {"ARM1001", "AZE2001", "ARM1002"}
    clash = rows["ARM1001"]
    assert clash["dataset"] == "acled" and clash["fatalities"] == 3 and clash["file"] == "acled_2022.csv"
    assert clash["actors"] == ["Military Forces of Azerbaijan (2003-)", "Military Forces of Armenia (2018-)"]
    assert clash["source_text"].startswith("On 13 September 2022") and clash["source_name"] == "Armenpress; Trend"
    assert clash["link"] is None  # ACLED gives sources by name, no links
    protest = rows["AZE2001"]
    assert protest["actors"] == ["Protesters (Azerbaijan)", "Eco-activists (Azerbaijan)", "Civilians (Azerbaijan)"]
    assert rows["ARM1002"]["fatalities"] is None  # not given is not zero


def test_acled_precision_maps_to_spans_and_rings(tmp_path):
    ingest_file(ACLED, "acled", tmp_path)
    rows = _rows(tmp_path, "acled")
    day, week, month = rows["ARM1001"], rows["AZE2001"], rows["ARM1002"]
    assert (day["date_start"], day["date_end"], day["date_precision"]) == (
        dt.date(2022, 9, 13),
        dt.date(2022, 9, 13),
        "day",
    )
    assert day["date_precision_code"] == 1 and day["geo_precision_code"] == 1 and day["ring_km"] == 0
    # a week: the coded day ± 6 days, drawn as the curated month class (never a day pin)
    assert (week["date_start"], week["date_end"]) == (dt.date(2022, 9, 14), dt.date(2022, 9, 26))
    assert week["date_precision"] == "month" and week["date_precision_code"] == 2
    assert week["ring_km"] == 25 and week["geo_precision_code"] == 2
    # a month ("15 October 2022", the older export's date form): the whole month, a 100 km ring
    assert (month["date_start"], month["date_end"]) == (dt.date(2022, 10, 1), dt.date(2022, 10, 31))
    assert month["date_precision"] == "month" and month["date_precision_code"] == 3 and month["ring_km"] == 100
    assert '"interaction": "11"' in month["raw"] and '"disorder_type": "Political violence"' in month["raw"]


def test_ucdp_keeps_its_date_and_place_precision(tmp_path):
    result = ingest_file(UCDP, "ucdp", tmp_path)
    assert [str(r) for r in result.rejects] == [
        "ucdp_ged.csv row 4: date_end: 2022-09-13 is before date_start 2022-09-20",
        "ucdp_ged.csv row 5: where_prec: not one of 1, 2, 3, 4, 5, 6, 7 (got '9')",
        "ucdp_ged.csv row 6: longitude: not a number (got 'abc')",
    ]
    rows = _rows(tmp_path, "ucdp")
    exact, province, war = rows["412345"], rows["412346"], rows["412350"]
    assert exact["date_precision"] == "day" and exact["ring_km"] == 0 and exact["fatalities"] == 49
    assert exact["date_start"] == exact["date_end"] == dt.date(2022, 9, 13)
    assert exact["actors"] == ["Government of Armenia", "Government of Azerbaijan"]
    assert exact["event_type"] == "state-based conflict"
    assert exact["link"] == "https://www.reuters.com/world/armenia-azerbaijan-2022-09-13/"
    assert "Armenia says 49 soldiers killed" in exact["source_text"]
    assert province["date_precision"] == "month" and province["date_precision_code"] == 4
    assert (province["date_start"], province["date_end"]) == (dt.date(2022, 9, 1), dt.date(2022, 9, 30))
    assert province["ring_km"] == 150 and province["geo_precision_code"] == 4
    assert war["date_precision"] == "year" and war["ring_km"] == 300 and war["link"] is None


def test_gdelt_rows_by_line_number(tmp_path):
    result = ingest_file(GDELT, "gdelt", tmp_path)
    assert [str(r) for r in result.rejects] == [
        "gdelt_20220915.export.CSV row 3: has 60 tab-separated columns; GDELT 2.0 events have 61",
        "gdelt_20220915.export.CSV row 4: ActionGeo_Lat: required but empty",
        "gdelt_20220915.export.CSV row 5: SQLDATE: not a date (YYYYMMDD) (got '20221350')",
        "gdelt_20220915.export.CSV row 8: ActionGeo_Type: not one of 1, 2, 3, 4, 5 (got '9')",
    ]
    rows = _rows(tmp_path, "gdelt")
    city, country, unsafe = rows["1056789012"], rows["1056789013"], rows["1056789017"]
    assert city["ring_km"] == 10 and city["geo_precision_code"] == 4 and city["event_type"] == "Fight"
    assert city["link"] == "https://www.example.org/news/armenia-azerbaijan-clash"
    assert city["actors"] == ["AZERBAIJAN", "ARMENIA"] and city["date_start"] == dt.date(2022, 9, 13)
    assert city["updated"] == int(dt.datetime(2022, 9, 13, 15, 15, tzinfo=dt.UTC).timestamp())
    assert country["ring_km"] == 300 and country["event_type"] == "Disapprove"
    assert unsafe["link"] is None  # javascript: is never a link


def test_timemap_events_with_their_sources(tmp_path):
    result = ingest_file(TIMEMAP, "timemap", tmp_path)
    assert [str(r) for r in result.rejects] == [
        "timemap_events.json row 3: latitude: required but empty",
        "timemap_events.json row 4: date: not a date (YYYY-MM-DD) (got 'yesterday')",
        "timemap_events.json row 5: an event must be a JSON object, got str",
    ]
    rows = _rows(tmp_path, "timemap")
    first, second, unsafe = rows["ARM-TM-001"], rows["ARM-TM-002"], rows["ARM-TM-005"]
    assert first["date_start"] == dt.date(2022, 9, 13) and first["lat"] == pytest.approx(39.8408)
    assert first["link"] == "https://www.example.org/video/1"  # the first http(s) source; ftp: is dropped
    assert first["source_name"] == "Video of shelling, Jermuk; Statement of the MoD"
    assert first["event_type"] == "Shelling" and first["sub_event_type"] == "Border; Civilian harm"
    assert second["link"] == "https://t.me/example/123" and second["event_type"] == "Damage"
    assert unsafe["link"] is None


def test_reimport_is_idempotent(tmp_path):
    first = ingest_file(ACLED, "acled", tmp_path)
    path = partition_path(tmp_path, "acled")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    again = ingest_file(ACLED, "acled", tmp_path)
    assert (again.merge.added, again.merge.updated, again.merge.unchanged) == (0, 0, first.read)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    # the same content under another file name is the same content
    renamed = tmp_path / "renamed.csv"
    shutil.copy(ACLED, renamed)
    assert ingest_file(renamed, "acled", tmp_path).merge.changed is False
    assert path.read_bytes() == before[0]
    assert len((tmp_path / "acled" / "imports.jsonl").read_text().splitlines()) == 1


def test_newer_export_replaces_what_it_updates(tmp_path):
    ingest_file(ACLED, "acled", tmp_path)
    result = ingest_file(ACLED_UPDATE, "acled", tmp_path)
    m = result.merge
    assert (m.added, m.updated, m.unchanged, m.kept_newer) == (1, 1, 1, 1)
    rows = _rows(tmp_path, "acled")
    assert set(rows) == {"ARM1001", "AZE2001", "ARM1002", "ARM1007"}
    assert rows["ARM1001"]["fatalities"] == 4 and rows["ARM1001"]["file"] == "acled_2022_update.csv"
    # the update file's copy of AZE2001 carries an older timestamp: the stored (newer) row stays
    assert rows["AZE2001"]["updated"] == 1663800000 and len(rows["AZE2001"]["actors"]) == 3
    assert rows["ARM1002"]["file"] == "acled_2022.csv"  # unchanged rows are not rewritten
    # and importing the older export again does not undo the update
    assert ingest_file(ACLED, "acled", tmp_path).merge.updated == 0
    assert _rows(tmp_path, "acled")["ARM1001"]["fatalities"] == 4


def test_missing_required_column_refuses_the_file(tmp_path):
    bad = tmp_path / "acled_no_lat.csv"
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    i = header.index("latitude")
    bad.write_text("\n".join(",".join(f for j, f in enumerate(line.split(",")) if j != i) for line in lines[:4]))
    result = ingest_file(bad, "acled", tmp_path / "store")
    assert [str(r) for r in result.rejects] == [
        "acled_no_lat.csv: missing required column 'latitude' — none of its 3 rows loaded"
    ]
    assert not (tmp_path / "store" / "acled").exists()


def test_bad_utf8_is_reported_on_its_row_and_field(tmp_path):
    raw = ACLED.read_bytes().replace(b"Jermuk", b"Jerm\xffk", 1)
    path = tmp_path / "latin.csv"
    path.write_bytes(raw)
    result = ingest_file(path, "acled", tmp_path / "store")
    assert Reject("latin.csv", 2, "location", "not valid UTF-8 (byte 0xff); save the file as UTF-8") in result.rejects


def test_zip_and_missing_file_and_unknown_format(tmp_path):
    archive = tmp_path / "gdelt.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(GDELT, GDELT.name)
    assert ingest_file(archive, "gdelt", tmp_path / "s").read == 3
    missing = ingest_file(tmp_path / "nope.csv", "acled", tmp_path / "s")
    assert [str(r) for r in missing.rejects] == ["nope.csv: file not found — nothing loaded"]
    assert ingest_file(ACLED, "sheets", tmp_path / "s").rejects[0].reason.startswith("unknown format 'sheets'")


def test_row_hash_ignores_where_the_row_came_from():
    a = {"source_id": "x", "title": "t", "file": "a.csv", "row": 2}
    assert row_hash(a) == row_hash({**a, "file": "b.csv", "row": 9})
    assert row_hash(a) != row_hash({**a, "title": "u"})


def test_command_line_prints_rejects_and_summary(tmp_path, capsys):
    code = main([str(ACLED), "--format", "acled", "--store", str(tmp_path), "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    assert "acled_2022.csv row 5: latitude: must be between -90 and 90 (got '91.5')" in out
    assert "3 acled events read; 3 added, 0 updated, 0 unchanged" in out
    assert main([str(UCDP), "--format", "ucdp", "--store", str(tmp_path), "--quiet"]) == 1
    assert main([str(tmp_path / "none.csv"), "--format", "ucdp", "--store", str(tmp_path), "--quiet"]) == 2


def test_python_dash_m_and_the_store_env(tmp_path):
    env = {**os.environ, "CAUCASUS_STORE_DIR": str(tmp_path / "env-store")}
    cmd = [sys.executable, "-m", "geo.ingest", str(TIMEMAP), "--format", "timemap"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 1, proc.stderr
    assert "timemap_events.json row 3: latitude: required but empty" in proc.stdout
    assert partition_path(tmp_path / "env-store", "timemap").is_file()


@pytest.mark.parametrize("fmt", ["acled", "ucdp", "gdelt", "timemap"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_never_raises_on_random_bytes(tmp_path, fmt, data):
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(data)
    result = ingest_file(path, fmt, tmp_path / "store")
    assert all(isinstance(r, Reject) and r.file == path.name for r in result.rejects)


@pytest.mark.parametrize("fmt,fixture", [("acled", ACLED), ("ucdp", UCDP), ("gdelt", GDELT), ("timemap", TIMEMAP)])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=10_000), junk=st.binary(max_size=40))
def test_never_raises_on_damaged_exports(tmp_path, fmt, fixture, cut, junk):
    raw = fixture.read_bytes()
    at = cut % (len(raw) + 1)
    path = tmp_path / fixture.name
    path.write_bytes(raw[:at] + junk + raw[at + len(junk) :])
    result = ingest_file(path, fmt, tmp_path / "store")
    assert all(isinstance(r, Reject) for r in result.rejects)
