# syntax=docker/dockerfile:1
#
# The Portcullis container: a static binary on a distroless base, run as a
# non-root user (docs/install.md).
#
#   docker build -t portcullis .
#   docker run --rm -v "$PWD:/src" portcullis scan .
#
# Release builds pass the version, commit and date that
# `portcullis version` prints:
#   docker build --build-arg VERSION=1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t portcullis:1.2.3 .

FROM golang:1.26 AS build
WORKDIR /build
# Modules first: a change to the source does not download them again.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=""
ARG COMMIT=""
ARG DATE=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/portcullis ./cmd/portcullis

# static: no libc, no shell, no package manager; the nonroot tag's
# /etc/passwd names user 65532 (nonroot), which runs the scan.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=""
ARG COMMIT=""
LABEL org.opencontainers.image.title="portcullis" \
      org.opencontainers.image.description="Static policy linter for Terraform and CloudFormation" \
      org.opencontainers.image.source="https://github.com/portcullis-iac/portcullis" \
      org.opencontainers.image.url="https://github.com/portcullis-iac/portcullis" \
      org.opencontainers.image.documentation="https://github.com/portcullis-iac/portcullis/blob/main/docs/install.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
COPY --from=build /out/portcullis /usr/local/bin/portcullis
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["portcullis"]
