"""Loading and validation: the curated data loads clean, broken input is reported, never raised."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.check import main as check_main
from geo.load import Reject, load_dataset
from geo.text import find_quote
from tests.conftest import ROOT


def test_curated_data_loads_with_zero_rejects(data):
    assert [str(r) for r in data.rejects] == []
    assert len(data.events) > 50
    assert len(data.sources) == 5


def test_every_quote_is_verbatim_in_its_article(data):
    for row in data.citations.itertuples():
        assert find_quote(row.quote, data.texts[row.source_id]) == row.quote, row.event_id


def test_every_event_has_a_citation_and_known_references(data):
    cited = set(data.citations["event_id"])
    assert set(data.events.index) == cited
    for ev in data.events.itertuples():
        assert set(ev.actor_ids) <= set(data.actors.index), ev.event_id
        assert set(ev.place_ids) <= set(data.places.index), ev.event_id


def test_events_frame_is_typed_and_placed(data):
    ev = data.events
    assert ev.crs.to_epsg() == 4326
    assert str(ev["date_start"].dtype).startswith("datetime64")
    assert (ev["period_end"] >= ev["date_start"]).all()
    placed = ev[ev["place_id"].notna()]
    assert placed.geometry.notna().all() and (placed.geometry.geom_type == "Point").all()
    # a year-precision event covers its whole year
    treaty = ev.loc["friendship-treaty-1997"]
    assert (treaty["date_start"].date().isoformat(), treaty["period_end"].date().isoformat()) == (
        "1997-01-01",
        "1997-12-31",
    )


def test_shared_events_have_several_citations(data):
    counts = data.citations.groupby("event_id")["source_id"].nunique()
    assert counts["second-karabakh-war-2020"] == 3
    assert counts["iran-opposes-zangezur-corridor-2021"] == 2
    assert counts["euma-established-2023-01-23"] == 3
    # Jafarli's "controlled by the Russian FSB" does not report the 10 November 2020 agreement
    assert counts["trilateral-statement-2020-11-10"] == 1


def test_check_command_exits_zero_on_curated_data(capsys):
    assert check_main([]) == 0
    assert "0 rejected" in capsys.readouterr().out


# --- broken input: each case breaks one thing in a copy of data/ ------------------------


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _drop_column(path: Path, column: str) -> None:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = [c for c in rows[0] if c != column]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _place_geometry(path: Path, place_id: str, geom_type: str, coords) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["place_id"] == place_id:
            feature["geometry"] = {"type": geom_type, "coordinates": coords}
    path.write_text(json.dumps(doc), encoding="utf-8")


def _place_property(path: Path, place_id: str, key: str, value) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["place_id"] == place_id:
            feature["properties"][key] = value
    path.write_text(json.dumps(doc), encoding="utf-8")


BROKEN = {
    "missing column": (
        lambda d: _drop_column(d / "events.csv", "status"),
        ("events.csv", None, None, "missing required column 'status'"),
    ),
    "unknown actor": (
        lambda d: _rewrite(d / "events.csv", "russia;azerbaijan;armenia;pashinyan", "russia;nobody;armenia;pashinyan"),
        ("events.csv", 3, "actor_ids", "unknown actor 'nobody'"),
    ),
    "bad date": (
        lambda d: _rewrite(d / "events.csv", "2022-09-13,,day", "2022-09-31,,day"),
        ("events.csv", None, "date_start", "not a real date"),
    ),
    "date not in YYYY-MM-DD form": (
        lambda d: _rewrite(d / "events.csv", "2022-09-13,,day", "13/09/2022,,day"),
        ("events.csv", None, "date_start", "not a date in YYYY-MM-DD form"),
    ),
    "month precision not on the 1st": (
        lambda d: _rewrite(d / "events.csv", "2021-06-01,,month", "2021-06-15,,month"),
        ("events.csv", None, "date_start", "must be the 1st of the month"),
    ),
    "date_end before date_start": (
        lambda d: _rewrite(d / "events.csv", "2020-09-01,2020-11-01,month", "2020-09-01,2019-11-01,month"),
        ("events.csv", 2, "date_end", "is before date_start"),
    ),
    "unknown event type": (
        lambda d: _rewrite(d / "events.csv", ",clash,", ",skirmish,"),
        ("events.csv", None, "event_type", "'skirmish' is not an event type"),
    ),
    "unknown status": (
        lambda d: _rewrite(d / "events.csv", ",reported,", ",rumour,"),
        ("events.csv", None, "status", "Input should be 'reported', 'claimed' or 'disputed'"),
    ),
    "duplicate id": (
        lambda d: _rewrite(d / "actors.csv", "gafarova,Sahiba Gafarova", "aliyev,Sahiba Gafarova"),
        ("actors.csv", None, "actor_id", "duplicate id 'aliyev' (first used on row"),
    ),
    "latitude without longitude": (
        lambda d: _place_geometry(d / "places.geojson", "goris", "Point", [39.50]),
        ("places.geojson", None, "geometry", "latitude without longitude"),
    ),
    "coordinates outside the region": (
        lambda d: _place_geometry(d / "places.geojson", "goris", "Point", [2.35, 48.85]),
        ("places.geojson", None, "geometry", "fall outside the region"),
    ),
    "self-intersecting polygon": (
        lambda d: _place_geometry(
            d / "places.geojson", "euma-area", "Polygon", [[[45, 40], [46, 41], [46, 40], [45, 41], [45, 40]]]
        ),
        ("places.geojson", None, "geometry", "invalid geometry: Self-intersection"),
    ),
    "quote not in the article": (
        lambda d: _rewrite(d / "citations.csv", "Lavrov stated.", "Lavrov never stated."),
        ("citations.csv", None, "quote", "not found verbatim"),
    ),
    "malformed GeoJSON": (
        lambda d: (d / "places.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8"),
        ("places.geojson", None, None, "malformed GeoJSON"),
    ),
    "empty file": (
        lambda d: (d / "actors.csv").write_text("", encoding="utf-8"),
        ("actors.csv", None, None, "file is empty"),
    ),
    "wrong encoding": (
        lambda d: (d / "sources.csv").write_bytes(
            (d / "sources.csv").read_text(encoding="utf-8").encode("cp1252", "replace")
        ),
        ("sources.csv", None, None, "not valid UTF-8"),
    ),
    "missing file": (
        lambda d: (d / "citations.csv").unlink(),
        ("citations.csv", None, None, "file not found"),
    ),
    "missing article text": (
        lambda d: _rewrite(d / "sources.csv", "data/sources/jafarli-2023", "data/sources/missing-jafarli-2023"),
        ("sources.csv", 5, "text_path", "file not found"),
    ),
    "date before 1900": (
        lambda d: _rewrite(d / "events.csv", "2022-09-13,,day", "1000-09-13,,day"),
        ("events.csv", None, "date_start", "'1000-09-13' is implausible: dates must fall between 1900 and"),
    ),
    "date after next year": (
        lambda d: _rewrite(d / "events.csv", "2022-09-13,,day", "9999-09-13,,day"),
        ("events.csv", None, "date_start", "'9999-09-13' is implausible"),
    ),
    "NUL byte in a title": (
        lambda d: _rewrite(
            d / "events.csv", "Russia-Azerbaijan-Armenia agreement", "Russia-Azerbaijan-Armenia\x00 agreement"
        ),
        ("events.csv", 3, "title", "contains a control character (U+0000) at position 26"),
    ),
    "C1 control in a quote": (
        lambda d: _rewrite(d / "citations.csv", "Lavrov stated.", "Lavrov\x85 stated."),
        ("citations.csv", None, "quote", "contains a control character (U+0085)"),
    ),
    "bidirectional override in a summary": (
        lambda d: _rewrite(d / "events.csv", "The 10 November 2020 agreement", "The 10 \u202eNovember 2020 agreement"),
        ("events.csv", 3, "summary", "contains a bidirectional override character (U+202E)"),
    ),
    "bidirectional isolate in an actor name": (
        lambda d: _rewrite(d / "actors.csv", "gafarova,Sahiba Gafarova", "gafarova,Sahiba \u2066Gafarova"),
        ("actors.csv", None, "name", "bidirectional override character (U+2066)"),
    ),
    "huge field": (
        lambda d: _rewrite(d / "events.csv", "Azerbaijan-Armenia agreement of", "Azerbaijan " + "x" * 200_000 + " of"),
        ("events.csv", 3, "title", "characters long; a field holds at most 10,000"),
    ),
    "control character in a place name": (
        lambda d: _place_property(d / "places.geojson", "goris", "name", "Go\x1bris"),
        ("places.geojson", None, "name", "contains a control character (U+001B)"),
    ),
    "text_path leaving the data folder": (
        lambda d: _rewrite(d / "sources.csv", "data/sources/jafarli-2023", "../../../../../../../../etc/passwd#"),
        ("sources.csv", 5, "text_path", "leads outside the data folder"),
    ),
    "text_path climbing out after data/": (
        lambda d: _rewrite(d / "sources.csv", "data/sources/jafarli-2023", "data/../../sources/jafarli-2023"),
        ("sources.csv", 5, "text_path", "leads outside the data folder"),
    ),
    "absolute text_path": (
        lambda d: _rewrite(d / "sources.csv", "data/sources/jafarli-2023-armenia-russia-crisis.txt", "/etc/passwd"),
        ("sources.csv", 5, "text_path", "'/etc/passwd' is an absolute path"),
    ),
    "Windows absolute text_path": (
        lambda d: _rewrite(d / "sources.csv", "data/sources/jafarli-2023-armenia-russia-crisis.txt", "C:\\x.txt"),
        ("sources.csv", 5, "text_path", "is an absolute path"),
    ),
    "text_path through a symlink that leaves the folder": (
        lambda d: (
            (d / "sources" / "jafarli-2023-armenia-russia-crisis.txt").unlink()
            or (d / "sources" / "jafarli-2023-armenia-russia-crisis.txt").symlink_to("/etc/hostname")
        ),
        ("sources.csv", 5, "text_path", "leads outside the data folder"),
    ),
    "deeply nested GeoJSON": (
        lambda d: (d / "places.geojson").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
        ("places.geojson", None, None, "nested too deeply to read"),
    ),
    "GeoJSON number too long to read": (
        lambda d: (d / "places.geojson").write_text('{"features": [1' + "0" * 5000 + "]}", encoding="utf-8"),
        ("places.geojson", None, None, "malformed GeoJSON"),
    ),
    "NUL bytes in a CSV": (
        lambda d: (d / "actors.csv").write_bytes(b"\x00" * 64 + (d / "actors.csv").read_bytes()),
        ("actors.csv", None, None, "missing required column 'actor_id'"),
    ),
    "UTF-16 file": (
        lambda d: (d / "actors.csv").write_bytes((d / "actors.csv").read_text(encoding="utf-8").encode("utf-16")),
        ("actors.csv", None, None, "not valid UTF-8"),
    ),
    "a folder where a file should be": (
        lambda d: (d / "events.csv").unlink() or (d / "events.csv").mkdir(),
        ("events.csv", None, None, "file not found"),
    ),
}


def _matches(reject: Reject, expected: tuple) -> bool:
    file, row, fld, reason = expected
    return (
        reject.file == file and (row is None or reject.row == row) and reject.field == fld and reason in reject.reason
    )


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_input_is_reported_not_raised(case, data_copy):
    breaker, expected = BROKEN[case]
    breaker(data_copy)
    data = load_dataset(data_copy)  # must not raise
    assert any(_matches(r, expected) for r in data.rejects), [str(r) for r in data.rejects]
    # every line names its file and says why
    assert all(r.file and r.reason for r in data.rejects)


def test_a_bad_row_does_not_stop_the_rest(data_copy, data):
    _rewrite(data_copy / "events.csv", "russia;azerbaijan;armenia;pashinyan", "russia;nobody;armenia;pashinyan")
    broken = load_dataset(data_copy)
    assert "trilateral-statement-2020-11-10" not in broken.events.index
    assert len(broken.events) == len(data.events) - 1
    # its citations are reported too, not silently dropped
    dropped = [r for r in broken.rejects if r.file == "citations.csv"]
    assert {r.reason for r in dropped} == {"unknown or rejected event 'trilateral-statement-2020-11-10'"}
    assert len(dropped) == int((data.citations["event_id"] == "trilateral-statement-2020-11-10").sum())


def test_rejected_rows_leave_other_files_loading(data_copy, data):
    (data_copy / "places.geojson").write_text("{", encoding="utf-8")
    broken = load_dataset(data_copy)
    assert len(broken.sources) == 5 and len(broken.actors) == len(data.actors)
    # events that need a place are rejected with a reason each, events without places still load
    unplaced = {e for e, ids in data.events["place_ids"].items() if not ids}
    assert set(broken.events.index) == unplaced


def test_check_command_exits_non_zero_and_names_the_row(data_copy, capsys):
    _rewrite(data_copy / "events.csv", ",clash,", ",skirmish,")
    assert check_main([str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "events.csv row" in out and "event_type" in out and "skirmish" in out


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


#: Ways a curated file can be broken: random bytes, and the hostile shapes random bytes rarely hit.
_MALFORMED = st.one_of(
    st.binary(max_size=600),
    st.integers(min_value=1_000, max_value=200_000).map(_deep),
    st.integers(min_value=1_000, max_value=200_000).map(lambda n: b'{"features": [' + _deep(n) + b"]}"),
    st.binary(max_size=200).map(lambda b: b"\x00" + b + b"\x00"),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.text(alphabet="éüßščř€", min_size=1, max_size=50).map(lambda t: t.encode("cp1250")),
    st.integers(min_value=20_000, max_value=300_000).map(lambda n: b"a,b\n" + b"x" * n + b",1\n"),
    st.just(b""),
)
_TARGETS = [
    "events.csv",
    "places.geojson",
    "sources.csv",
    "actors.csv",
    "citations.csv",
    "sources/caliber-2025-iran-troops-armenia.txt",
]


@settings(max_examples=40, deadline=None)
@given(junk=st.dictionaries(st.sampled_from(_TARGETS), _MALFORMED, min_size=1, max_size=3))
def test_any_bytes_in_any_file_never_raise(junk):
    import tempfile

    from geo.load import DATA_DIR

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy"
        shutil.copytree(DATA_DIR, copy)
        for name, content in junk.items():
            (copy / name).write_bytes(content)
        loaded = load_dataset(copy)  # must not raise
    assert loaded.rejects, "every broken file is reported"
    known = {"events.csv", "places.geojson", "sources.csv", "actors.csv", "citations.csv"}
    assert all(r.file in known and r.reason for r in loaded.rejects), [str(r) for r in loaded.rejects]
    assert tmp not in " ".join(r.reason for r in loaded.rejects)  # no server paths in reasons
    if "actors.csv" not in junk:  # an untouched file still loads
        assert len(loaded.actors) > 50


@pytest.mark.parametrize("depth", [3, 300, 900, 5_000])
def test_a_deeply_nested_geometry_is_a_rejected_place(data_copy, depth):
    path = data_copy / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["place_id"] == "goris":
            feature["geometry"] = {"type": "Polygon", "coordinates": "DEEP"}
    deep = "[" * depth + "45, 40" + "]" * depth  # written by hand: json.dumps cannot nest this deep
    path.write_text(json.dumps(doc).replace('"DEEP"', deep), encoding="utf-8")
    loaded = load_dataset(path.parent)  # must not raise
    assert "goris" not in loaded.places.index
    assert any(r.file == "places.geojson" for r in loaded.rejects)


@pytest.mark.parametrize("setup", ["missing", "empty", "a file"])
def test_a_missing_or_empty_data_folder_is_reported_for_every_file(tmp_path, setup):
    folder = tmp_path / "copy"
    if setup == "empty":
        folder.mkdir()
    elif setup == "a file":
        folder.write_text("not a folder", encoding="utf-8")
    loaded = load_dataset(folder)
    assert loaded.events.empty and loaded.sources.empty and loaded.places.empty
    files = {r.file for r in loaded.rejects if "file not found" in r.reason}
    assert files == {"events.csv", "places.geojson", "sources.csv", "actors.csv", "citations.csv"}
    assert str(tmp_path) not in " ".join(r.reason for r in loaded.rejects)  # no server paths in reasons


# --- the data folder under any name -------------------------------------------------------


def test_a_copy_of_the_data_folder_loads_under_any_name(tmp_path, data):
    from geo.load import DATA_DIR

    copy = tmp_path / "mycopy"
    shutil.copytree(DATA_DIR, copy)
    loaded = load_dataset(copy)
    assert [str(r) for r in loaded.rejects] == []
    assert len(loaded.events) == len(data.events) and len(loaded.sources) == 5


def test_text_paths_resolve_inside_the_data_folder(tmp_path):
    from geo.load import text_file

    folder = tmp_path / "mycopy"
    (folder / "sources").mkdir(parents=True)
    inside = (folder / "sources" / "a.txt").resolve()
    assert text_file(folder, "sources/a.txt") == (inside, None)
    assert text_file(folder, "data/sources/a.txt") == (inside, None)  # the curated form
    for outside in ["../a.txt", "sources/../../a.txt", "data/../../etc/passwd", "/etc/passwd", "C:\\a.txt"]:
        path, reason = text_file(folder, outside)
        assert path is None and reason and outside.replace("\\\\", "\\") in reason, outside


def test_a_source_text_outside_the_folder_is_never_read(data_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The exact words of a private file that must never show as a quote.", encoding="utf-8")
    _rewrite(data_copy / "sources.csv", "data/sources/jafarli-2023-armenia-russia-crisis.txt", str(secret))
    loaded = load_dataset(data_copy)
    assert "jafarli-2023-armenia-russia-crisis" not in loaded.texts
    assert all("private file" not in t for t in loaded.texts.values())


# --- geo.check checks the folder the app would use ----------------------------------------


def test_check_reads_the_app_folder_from_the_environment(data_copy, monkeypatch, capsys):
    _rewrite(data_copy / "events.csv", ",clash,", ",skirmish,")
    monkeypatch.setenv("CAUCASUS_DATA_DIR", str(data_copy))
    assert check_main([]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"checking {data_copy}" and "skirmish" in out


def test_check_prints_the_folder_it_checked(capsys, monkeypatch):
    from geo.load import DATA_DIR

    monkeypatch.delenv("CAUCASUS_DATA_DIR", raising=False)
    assert check_main([]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"checking {DATA_DIR}"


def test_check_summarises_sourcing_and_place_roles(capsys, data):
    from geo.corroboration import corroboration

    assert check_main([]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    badges = corroboration(data)["badge"].value_counts()
    roles = data.events["place_role"].value_counts()
    assert last == (
        f"{len(data.events)} events: {badges['single source']} single-source, {badges['one side only']} one side only, "
        f"{badges['across sides']} corroborated across sides; places: {roles['happened']} where it happened, "
        f"{roles['assumed']} assumed, {roles['concerns']} what it concerns"
    )
    assert badges["single source"] > 80 and roles["concerns"] > 20  # the curated data, as audited


def test_check_does_not_crash_on_deep_nesting_or_a_missing_folder(data_copy, tmp_path):
    import subprocess
    import sys

    (data_copy / "places.geojson").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for folder in (data_copy, tmp_path / "nowhere"):
        run = subprocess.run(
            [sys.executable, "-m", "geo.check", str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120
        )
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert run.stdout.startswith(f"checking {folder}\n") and "rejected" in run.stdout


# --- the banner's summary of rejects ------------------------------------------------------


def test_reject_summary_names_file_row_field_and_reason_then_counts_the_rest():
    from geo.report import reject_summary

    rejects = [
        Reject("events.csv", 3, "actor_ids", "unknown actor 'nobody'"),
        Reject("places.geojson", None, None, "malformed GeoJSON: Expecting value at line 1 column 2 — nothing loaded"),
        Reject("sources.csv", 2, "text_path", "outside the data folder"),
        *[Reject("citations.csv", n, "event_id", "unknown or rejected event 'x'") for n in range(2, 106)],
    ]
    lines = reject_summary(rejects)
    assert lines == [
        "events.csv row 3, actor_ids: unknown actor 'nobody'",
        "places.geojson: malformed GeoJSON: Expecting value at line 1 column 2 — nothing loaded",
        "sources.csv row 2, text_path: outside the data folder",
        "and 104 more",
    ]
    assert reject_summary(rejects[:2], limit=3) == lines[:2]
    assert reject_summary([]) == []


def test_reject_summary_cuts_long_reasons_and_drops_control_characters():
    from geo.report import reject_summary

    (line,) = reject_summary([Reject("events.csv", 7, "title", "x\x00\u202ey" + "z" * 10_000)], max_chars=120)
    assert len(line) == 120 and line.endswith("…")
    assert line.startswith("events.csv row 7, title: xyzzz")


def test_text_checks_allow_tab_and_newline_and_reject_a_lone_carriage_return():
    from geo.schema import check_text

    assert check_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert check_text(["Goris", "Գորիս"]) == ["Goris", "Գորիս"]
    with pytest.raises(ValueError, match="U\\+000D"):
        check_text("a\rb")
    with pytest.raises(ValueError, match="U\\+2069"):
        check_text(["ok", "x\u2069"])


# --- status rules and place roles: each case breaks one rule in a copy of data/ ----------


def _edit_row(path: Path, key: str, value: str, **changes: str) -> None:
    """Change cells of the row whose ``key`` column is ``value`` (every matching row)."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any(r[key] == value for r in rows), f"fixture setup: no {key}={value!r} in {path.name}"
    for r in rows:
        if r[key] == value:
            r.update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


RULES = {
    "'(claim)' in a reported event's title": (
        lambda d: _edit_row(
            d / "events.csv", "event_id", "khankendi-parade-2023-11-08", title="Parade in Khankendi (claim)"
        ),
        ("events.csv", "title", "says '(claim)' but status is 'reported'"),
    ),
    "a claimed event whose title does not say so": (
        lambda d: _edit_row(d / "events.csv", "event_id", "iran-offers-syunik-base-2021", title="Iran offers a base"),
        ("events.csv", "title", "status is 'claimed', so the title must say '(claim)'"),
    ),
    "a placed event without a place role": (
        lambda d: _edit_row(d / "events.csv", "event_id", "khankendi-parade-2023-11-08", place_role=""),
        ("events.csv", "place_role", "required when the event has places"),
    ),
    "a place role without places": (
        lambda d: _edit_row(d / "events.csv", "event_id", "october-7-war-2023-10-07", place_role="happened"),
        ("events.csv", "place_role", "must be empty when the event has no places"),
    ),
    "an unknown place role": (
        lambda d: _edit_row(d / "events.csv", "event_id", "khankendi-parade-2023-11-08", place_role="nearby"),
        ("events.csv", "place_role", "'nearby' is not a place role"),
    ),
    "'concerns' without notes": (
        lambda d: _edit_row(d / "events.csv", "event_id", "araghchi-unacceptable-2024-09-05", notes=""),
        ("events.csv", "place_role", "'concerns' needs notes"),
    ),
    "'assumed' without notes": (
        lambda d: _edit_row(d / "events.csv", "event_id", "pezeshkian-criticises-look-east-2024", notes=""),
        ("events.csv", "place_role", "'assumed' needs notes"),
    ),
    "a claimant on a reported event": (
        lambda d: _edit_row(d / "citations.csv", "event_id", "khankendi-parade-2023-11-08", claimant="aliyev"),
        ("citations.csv", "claimant", "marks a claim, but event 'khankendi-parade-2023-11-08' is reported"),
    ),
    "a claim from several articles with no claimant": (
        lambda d: _edit_row(
            d / "events.csv", "event_id", "second-karabakh-war-2020", status="claimed", title="The war (claim)"
        ),
        ("events.csv", "status", "claimed, but 3 articles report 'second-karabakh-war-2020'"),
    ),
    "a side outside the vocabulary": (
        lambda d: _edit_row(d / "sources.csv", "source_id", "caliber-2025-iran-troops-armenia", side="pro-baku"),
        ("sources.csv", "side", "Input should be 'azerbaijani'"),
    ),
}


@pytest.mark.parametrize("case", list(RULES))
def test_broken_rules_are_reported_with_file_row_field_and_reason(case, data_copy):
    breaker, (file, fld, reason) = RULES[case]
    breaker(data_copy)
    data = load_dataset(data_copy)
    hits = [r for r in data.rejects if r.file == file and r.field == fld and reason in r.reason]
    assert hits and all(r.row is not None for r in hits), [str(r) for r in data.rejects]


def test_a_rejected_claim_takes_its_citations_with_it(data_copy, data):
    _edit_row(data_copy / "events.csv", "event_id", "second-karabakh-war-2020", status="claimed", title="War (claim)")
    broken = load_dataset(data_copy)
    assert "second-karabakh-war-2020" not in broken.events.index
    assert "second-karabakh-war-2020" not in set(broken.citations["event_id"])
    cascaded = [r for r in broken.rejects if r.file == "citations.csv"]
    assert len(cascaded) == 3 and all("second-karabakh-war-2020" in r.reason for r in cascaded)
    assert len(broken.events) == len(data.events) - 1


def test_frames_expose_place_role_and_side(data):
    assert "place_role" in data.events.columns and "side" in data.sources.columns
    assert data.events.loc["khankendi-parade-2023-11-08", "place_role"] == "happened"
    assert data.events.loc["october-7-war-2023-10-07", "place_role"] == ""
