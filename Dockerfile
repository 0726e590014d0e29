# Builds the app and runs it against an external Kafka and schema registry (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY schemas schemas
COPY app app
COPY topology-tests topology-tests
COPY bench bench
RUN mvn -B -q package -DskipTests -pl app -am

FROM eclipse-temurin:17-jre
# jemalloc: the lowest resident set after a restore of a million accounts in BENCHMARKS.md's runs (not built
# here: no Docker engine on this project's machines)
RUN apt-get update && apt-get install -y --no-install-recommends curl libjemalloc2 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
WORKDIR /opt/ledgerstream
COPY --from=build /src/app/target/ledgerstream.jar .
COPY --from=build /src/app/target/lib lib
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/ledgerstream/ledgerstream.jar"]
CMD ["serve"]
