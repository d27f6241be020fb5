# syntax=docker/dockerfile:1
# rcs-callback-router: build with Maven, run on a Java 17 JRE as a non-root user.
#   docker build -t rcs-callback-router .
#   docker compose up        (router + Artemis + PostgreSQL + a WireMock CRM, see docker-compose.yml)
# The base images are build arguments whose defaults are the official images; where Docker Hub cannot be reached,
# point them at local ones (docs/containers.md; .ci/containers.sh builds them from Debian's packages):
#   podman build --format docker --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=... -t rcs-callback-router .
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# dependencies first: a source change does not download the world again
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q -DskipTests package

FROM ${RUNTIME_IMAGE}
# curl for the HEALTHCHECK only
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 rcs && useradd --system --uid 10001 --gid rcs --home-dir /app rcs
WORKDIR /app
COPY --from=build /src/target/lib/ lib/
COPY --from=build /src/target/rcs-callback-router.jar rcs-callback-router.jar
# defaults shipped in the image; mount your own over /app/routes and /app/config
COPY routes/ routes/
COPY config/ config/
COPY samples/ samples/
RUN mkdir -p /app/data && chown -R rcs:rcs /app/data
USER rcs

# In a container the server listens on all interfaces, so RCS_AUTH_MODE must be header, basic or bearer (the
# router refuses to start with "none" on a public address). Route reload is a flag here (RCS_ROUTES_RELOAD=true to
# watch the mounted routes folder). The heap follows the container's memory limit. MALLOC_ARENA_MAX=2: glibc's
# malloc arenas (one per busy thread, up to 16 here) held 223 MiB and grew the RSS by 100 MiB over 23 minutes of load;
# with 2 the RSS stayed flat (bench/RESULTS.md, section 4c).
ENV MALLOC_ARENA_MAX=2 \
    RCS_HTTP_HOST=0.0.0.0 \
    RCS_MANAGEMENT_HOST=0.0.0.0 \
    RCS_ROUTES_DIR=/app/routes \
    RCS_DATA_DIR=/app/data \
    RCS_KEYWORDS_FILE=/app/config/keywords.yaml \
    RCS_CRM_MAPPING_FILE=/app/config/crm-mapping.json \
    RCS_ROUTES_RELOAD=false \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC"
EXPOSE 8080 9876
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9876/observe/health/ready || exit 1
ENTRYPOINT ["java", "-jar", "/app/rcs-callback-router.jar"]
