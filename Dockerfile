# syntax=docker/dockerfile:1
# One image for the four Tributary services; the command picks the service:
#   docker run tributary node apps/ingest-api/dist/main.js   (the default)
#   docker run tributary node apps/speed-layer/dist/main.js
# Build: docker build -t tributary:dev .
# libs/deploy-checks (src/dockerfile.spec.ts) checks the stages, the user, the command and ports.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile every project, then drop the dev dependencies ----------
# Debian (glibc), not Alpine: chDB's native library (@chdb/lib-linux-*-gnu) needs glibc.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npx nx run-many -t build --skip-nx-cache
# The runtime tree in /out: production node_modules (the @tributary/* workspace links included),
# the root package.json (services read their version from it) and each project's package.json
# and dist/. Libraries resolve through node_modules/@tributary/<name> -> libs/<name>/dist.
RUN npm prune --omit=dev --no-audit --no-fund \
  && mkdir -p /out \
  && cp -a package.json node_modules /out/ \
  && for project in apps/* libs/*; do \
       mkdir -p "/out/${project}" \
       && cp -a "${project}/package.json" "${project}/dist" "/out/${project}/"; \
     done

# ---- runtime: node, production dependencies and compiled output; no sources, no compilers -----
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="tributary" \
      org.opencontainers.image.description="Tributary services: ingest-api, serving-api, speed-layer, batch-layer" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    TRIBUTARY_PROFILE=distributed \
    TRIBUTARY_HOST=0.0.0.0
WORKDIR /app
# Files stay owned by root: the service user can read the code but not change it.
COPY --from=build /out/ /app/
# The base image's unprivileged `node` user (uid 1000). Nothing writes outside /tmp, so
# Kubernetes runs the image with a read-only root file system.
USER node
EXPOSE 3100 3200 3300 3400
# Each service drains on SIGTERM within TRIBUTARY_SHUTDOWN_TIMEOUT (10 s by default).
STOPSIGNAL SIGTERM
CMD ["node", "apps/ingest-api/dist/main.js"]
