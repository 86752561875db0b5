# The dashboard as a container: python:3.11-slim, the pinned requirements, a non-root user,
# the production .streamlit/config.toml (no error details for visitors, no uploads, XSRF on).
#   docker build -t caucasus-events . && docker run -p 8501:8501 caucasus-events
# Several replicas behind a proxy with sticky sessions: deploy/compose.yaml. It runs serve.py,
# the app with its static files answered from memory (dashboard/static_cache.py).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

RUN useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Owned by root and only readable by the app user: the server cannot change its code or data.
COPY . .

USER 10001:10001
EXPOSE 8501

# No curl in the slim image: ask Streamlit's health route with Python's urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"]

CMD ["streamlit", "run", "serve.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
