# Reelhouse API. Build: docker build -t reelhouse .
# Run (embedded SQLite in the /data volume):  docker run -p 8000:8000 -v reelhouse:/data reelhouse
# Production: set REELHOUSE_DATABASE_URL (PostgreSQL) and REELHOUSE_REDIS_URL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /srv/reelhouse

# ffprobe (Debian's ffmpeg) reads the width, height, duration, codec and fps of uploads.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, pinned and hash-checked, so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN pip install --no-deps --no-build-isolation . \
    && useradd --system --uid 10001 --no-create-home reelhouse \
    && mkdir -p /data/objects && chown -R reelhouse /data

USER reelhouse
ENV REELHOUSE_HOST=0.0.0.0 \
    REELHOUSE_PORT=8000 \
    REELHOUSE_ENVIRONMENT=production \
    REELHOUSE_DATABASE_URL=sqlite+aiosqlite:////data/reelhouse.db \
    REELHOUSE_STORAGE_LOCAL_ROOT=/data/objects
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('REELHOUSE_PORT', '8000'), timeout=2)"

# exec: uvicorn receives SIGTERM directly and drains connections on `docker stop`.
CMD ["sh", "-c", "reelhouse migrate && exec reelhouse serve --host 0.0.0.0"]
