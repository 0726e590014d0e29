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
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/ledgerstream
COPY --from=build /src/app/target/ledgerstream.jar .
COPY --from=build /src/app/target/lib lib
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/ledgerstream/ledgerstream.jar"]
CMD ["serve"]
