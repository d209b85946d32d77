# syntax=docker/dockerfile:1
# wirefeed's container image.
#   docker build -t wirefeed:0.1.0 .
# The build stage installs exactly what a developer's `make deps` installs; the
# runtime stage installs only tools/packages/debian-runtime.txt (the same list
# `make deps` reads), so the two cannot drift apart. tests/deploy/dockerfile_test.py
# checks that every shared library the binary loads comes from that list.

FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends make ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# WIREFEED_SIMD=OFF: the image must run on any x86-64 node, not only AVX2 ones
# (simdjson still picks its fastest kernel at run time).
RUN make deps \
    && cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DWIREFEED_SIMD=OFF -DWIREFEED_BUILD_TESTS=OFF -DWIREFEED_BUILD_BENCH=OFF \
    && cmake --build /build --target wirefeed -j"$(nproc)" \
    && strip /build/worker/app/wirefeed \
    && /build/worker/app/wirefeed version

FROM debian:12-slim AS runtime
COPY tools/packages/debian-runtime.txt /tmp/debian-runtime.txt
RUN apt-get update \
    && grep -v '^\s*#' /tmp/debian-runtime.txt | awk 'NF {print $1}' \
       | xargs apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/debian-runtime.txt \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin wirefeed
COPY --from=build /build/worker/app/wirefeed /usr/local/bin/wirefeed
COPY data/ /usr/share/wirefeed/data/
# Nothing is written outside /tmp (mount an emptyDir there): the root
# filesystem can be read-only.
USER 10001:10001
WORKDIR /tmp
EXPOSE 9100
ENTRYPOINT ["wirefeed"]
CMD ["run", "--config", "/etc/wirefeed/config.yaml"]
