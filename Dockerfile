# Lookout: one image, one binary; the command picks the role (receive, work store, topology, ...).

# Hummingbird 2.28 needs Swift tools 6.2 or later.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librabbitmq-dev libmongoc-dev libcurl4-openssl-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole package (tests included): SwiftPM refuses a manifest whose target folders are missing.
COPY . .
# Static Swift runtime: the runtime image then needs only the C libraries below.
RUN swift build -c release --static-swift-stdlib --product lookout \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/lookout" /out/lookout

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librabbitmq4 libmongoc-1.0-0 libcurl4 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Non-root; its home is the working directory, so relative paths (e.g. a spool) are writable.
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/lookout lookout
COPY --from=build /out/lookout /usr/local/bin/lookout
USER lookout
WORKDIR /var/lib/lookout
EXPOSE 8080
ENTRYPOINT ["lookout"]
CMD ["--help"]
