# syntax=docker/dockerfile:1
# The Ordo image: the worker (default command) and the exchange simulator; docker-compose.yml runs
# both from it. No build step: TypeScript runs through tsx's require hook, as `make worker` and
# `make sim` do. Only the workflow bundle is made at build time, so each worker starts in a second
# instead of bundling for several (ORDO_WORKFLOW_BUNDLE, src/workers/workflow-bundle.ts).
#
# Base images: Node 20.20.2 (package.json engines >= 20) on Debian bookworm, pinned by tag and
# digest. The digests were taken from public references, not checked against Docker Hub from here:
# re-check with `docker buildx imagetools inspect node:20.20.2-bookworm-slim` (use the index digest,
# the top one, so every platform builds) or override: --build-arg NODE_RUNTIME_IMAGE=...
ARG NODE_BUILD_IMAGE=node:20.20.2-bookworm@sha256:8f693eaa7e0a8e71560c9a82b55fd54c2ae920a2ba5d2cde28bac7d1c01c9ba5
ARG NODE_RUNTIME_IMAGE=node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# Dependencies on the full image: it has python3, make and g++ in case a native module
# (better-sqlite3) has no prebuilt binary for the platform and must compile.
FROM ${NODE_BUILD_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM deps AS bundle
COPY . .
RUN node --require tsx/cjs -e "require('./src/workers/workflow-bundle').writeWorkflowBundle('dist/workflow-bundle.js').catch((err) => { console.error(err); process.exit(1); })"

FROM ${NODE_RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production \
    ORDO_DATA_DIR=/var/lib/ordo \
    ORDO_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
RUN mkdir -p /var/lib/ordo && chown node:node /var/lib/ordo
USER node
# SIGTERM drains the worker (Temporal's shutdown) and stops the simulator cleanly.
STOPSIGNAL SIGTERM
CMD ["node", "--require", "tsx/cjs", "src/workers/main.ts"]
