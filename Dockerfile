# reviewbot's GitHub App as a container: `reviewbot serve` (the webhook intake and,
# in the embedded mode, its job threads). compose.yaml runs the scaled-out mode.
#
#   docker build -t reviewbot .
#   docker run -p 8000:8000 -v reviewbot-data:/var/lib/reviewbot \
#     -e GITHUB_APP_ID=12345 -e GITHUB_APP_PRIVATE_KEY_PATH=/run/secrets/github_app_private_key \
#     -e GITHUB_WEBHOOK_SECRET_FILE=/run/secrets/github_webhook_secret \
#     -v "$PWD/secrets:/run/secrets:ro" reviewbot
#
# No secret is ever part of the image: they come from files mounted at run time
# (the *_FILE variables) or from the environment.

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- build: a virtual environment with reviewbot and the server extra ---------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY reviewbot ./reviewbot
COPY prompts ./prompts
RUN python -m venv /opt/reviewbot \
    && /opt/reviewbot/bin/pip install ".[server,languages]"

# --- run: the slim base, the environment, an unprivileged user -----------------
FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="reviewbot" \
      org.opencontainers.image.description="A code-review GitHub App that teaches: every comment carries its first-principle why." \
      org.opencontainers.image.licenses="MIT"
RUN groupadd --system --gid 10001 reviewbot \
    && useradd --system --uid 10001 --gid reviewbot --home-dir /var/lib/reviewbot --create-home --shell /usr/sbin/nologin reviewbot
COPY --from=build /opt/reviewbot /opt/reviewbot
ENV PATH=/opt/reviewbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REVIEWBOT_DATA_DIR=/var/lib/reviewbot
USER 10001:10001
WORKDIR /var/lib/reviewbot
VOLUME ["/var/lib/reviewbot"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["reviewbot", "serve"]
CMD ["--host", "0.0.0.0", "--port", "8000"]
