# syntax=docker/dockerfile:1
# Multi-stage build of the portal: a Rust builder with cargo-leptos, wasm-bindgen, Node (for
# Tailwind and wasm-opt from package.json), then a slim runtime with the server binary and the
# site directory. Versions come from tools.versions, as on developer machines.
# (Not buildable on the development machines, which have no Docker engine.)

ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-bookworm AS builder
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
COPY tools.versions ./
RUN . ./tools.versions \
 && rustup target add wasm32-unknown-unknown \
 && cargo install "cargo-leptos@${CARGO_LEPTOS}" --locked --features no_downloads \
 && cargo install wasm-bindgen-cli --version "${WASM_BINDGEN}" --locked
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN cargo leptos build --release \
 && strip target/release/portal

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app portal
WORKDIR /app
COPY --from=builder /app/target/release/portal /usr/local/bin/portal
COPY --from=builder /app/target/site /app/site
COPY --from=builder /app/Leptos.toml /app/Leptos.toml
ENV LEPTOS_SITE_ROOT=site \
    LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    LEPTOS_ENV=PROD \
    PORTAL__ENVIRONMENT=production \
    PORTAL__SANDBOX__ENABLED=false \
    RUST_LOG=info
USER portal
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["portal"]
CMD ["serve"]
