# syntax=docker/dockerfile:1
# One recipe for both service images; pick the service with a build argument:
#   docker build --build-arg SERVICE=ingest-service     -t growthos/ingest-service .
#   docker build --build-arg SERVICE=management-service -t growthos/management-service .
# docker-compose.yml builds both. Not built in this repository's CI (no Docker there): see
# docs/deployment.md.
ARG SERVICE=ingest-service

FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
# The whole tree (less what .dockerignore drops): Maven needs every module's pom to load the
# reactor, even when it builds only one service and the modules it depends on.
COPY . .
# The cache mount keeps ~/.m2 between builds, so only changed dependencies are downloaded.
# Tests and the format check ran in CI; the image only packages.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl "${SERVICE}" -am -DskipTests -Dspotless.check.skip=true package \
 && cp "${SERVICE}"/target/"${SERVICE}"-*.jar /app.jar \
 && cp shared-model/target/shared-model-*.jar /service-jvm.jar

FROM eclipse-temurin:17-jre
ARG SERVICE
# wget for the health check (the JRE image has no HTTP client); a system user to run as.
RUN apt-get update \
 && apt-get install -y --no-install-recommends wget \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system growthos \
 && useradd --system --gid growthos --no-create-home --home-dir /nonexistent growthos
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
# The service's JVM options, the ones ./growthos and bench/run use (ServiceJvm, the one place of
# them; docs/local-stack.md "Start time and memory"): a 256 MB heap, the serial collector, Spring
# AOT, bounded metaspace, code cache and inlining, exit on OOM so the orchestrator restarts us.
# Written by this image's own java, which decides the options it has.
COPY --from=build /service-jvm.jar /tmp/service-jvm.jar
RUN java -cp /tmp/service-jvm.jar io.growthos.model.runtime.ServiceJvm "${SERVICE}" > /app/jvm.options \
 && rm /tmp/service-jvm.jar
# glibc: two malloc arenas, not one of 64 MB per thread that allocates (ServiceJvm.ENVIRONMENT).
ENV MALLOC_ARENA_MAX=2
USER growthos
# ingest-service listens on 8081 (GROWTHOS_INGEST_PORT), management-service on 8082.
EXPOSE 8081 8082
# GROWTHOS_SERVICE_JAVA_OPTS replaces the options, as it does for ./growthos (e.g. a bigger heap).
ENTRYPOINT ["/bin/sh", "-c", "exec java ${GROWTHOS_SERVICE_JAVA_OPTS:-@/app/jvm.options} -jar /app/app.jar"]
