# syntax=docker/dockerfile:1
# news2kindle on Heroku's container stack (heroku.yml). ONE image serves the web dyno and runs the
# delivery job: Heroku Scheduler and `heroku run` always use the `web` image.
#   build:  the whole pnpm workspace is the context (the app needs its sibling packages)
#   final:  Node + the built workspace with production dependencies only; calibre only on request
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1
# corepack cannot verify pnpm's signatures here: install the pinned version with npm instead.
RUN npm install -g --allow-scripts=pnpm pnpm@12.4.2
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm exec turbo run build --output-logs=errors-only --filter=@news2kindle/heroku-app... \
 && pnpm prune --prod \
 && rm -rf .turbo node_modules/.cache

FROM node:${NODE_VERSION}-bookworm-slim
# calibre (ebook-convert, ~380 MB) is needed only for azw3/mobi output. Enable it in heroku.yml:
#   build: { config: { WITH_CALIBRE: "true" } }
ARG WITH_CALIBRE=false
RUN if [ "$WITH_CALIBRE" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends calibre \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# Heroku runs containers without root: state, outbox and temporary books live under /tmp
# (with DATABASE_URL the history is in Postgres and survives; /tmp does not).
ENV NODE_ENV=production \
    N2K_DATA_DIR=/tmp/news2kindle \
    N2K_OUTBOX=/tmp/news2kindle/outbox \
    QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox
# Memory (apps/cli README, "Memory"): glibc keeps the image buffers libvips frees unless it has few
# arenas and a fixed mmap threshold; a 1 MB young generation trims Node's heap. Read at process
# start, so they belong here: the web process and every `news2kindle send` start with them, and
# the CLI need not start itself again to get them.
ENV MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    NODE_OPTIONS=--max-semi-space-size=1
WORKDIR /app
COPY --from=build /app /app
# `news2kindle send` for Scheduler and `heroku run`.
RUN ln -s /app/apps/cli/dist/cli.js /usr/local/bin/news2kindle
# Exec form: node is PID 1 and receives SIGTERM itself. No ENTRYPOINT: it would swallow the
# commands Scheduler and `heroku run` pass to this image.
CMD ["node", "apps/heroku/dist/web.js"]
