package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void givesTheSameSchemaOneIdAcrossSubjects() {
    int first = registry.register("a-value", Samples.ORDER_V1);
    int second = registry.register("b-value", Samples.ORDER_V1);

    assertThat(first).isEqualTo(second).isEqualTo(1);
    assertThat(registry.latestVersion("b-value").version()).isEqualTo(1);
  }

  @Test
  void countsVersionsPerSubjectAndIdsGlobally() {
    registry.register("a-value", Samples.ORDER_V1);
    int v2 = registry.register("a-value", Samples.ORDER_V2_WITH_DEFAULT);
    int other = registry.register("b-value", Samples.ORDER_V2_WITH_DEFAULT);

    assertThat(v2).isEqualTo(2).isEqualTo(other);
    assertThat(registry.version("a-value", 2)).isEqualTo(new RegisteredSchema("a-value", 2, 2, Samples.ORDER_V2_WITH_DEFAULT));
    assertThat(registry.latestVersion("b-value")).isEqualTo(new RegisteredSchema("b-value", 2, 1, Samples.ORDER_V2_WITH_DEFAULT));
  }

  @Test
  void reRegisteringAnExistingVersionReturnsItsIdWithoutANewVersion() {
    registry.register("a-value", Samples.ORDER_V1);
    registry.register("a-value", Samples.ORDER_V2_WITH_DEFAULT);

    assertThat(registry.register("a-value", Samples.ORDER_V1)).isEqualTo(1);
    assertThat(registry.latestVersion("a-value").version()).isEqualTo(2);
  }

  @Test
  void ignoresFormattingWhenComparingSchemas() {
    Schema reformatted = new Schema.Parser().parse(Samples.ORDER_V1.toString(true));
    registry.register("a-value", Samples.ORDER_V1);

    assertThat(registry.register("a-value", reformatted)).isEqualTo(1);
    assertThat(registry.lookupId("a-value", reformatted)).isEqualTo(1);
  }

  @Test
  void rejectsABackwardIncompatibleSchemaByDefault() {
    registry.register("a-value", Samples.ORDER_V1);

    assertThat(registry.isCompatible("a-value", Samples.ORDER_V2_REQUIRED_FIELD)).isFalse();
    assertThatThrownBy(() -> registry.register("a-value", Samples.ORDER_V2_REQUIRED_FIELD))
        .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(409);
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e).hasMessageContaining("a-value").hasMessageContaining("amount");
        });
  }

  @Test
  void acceptsAnySchemaUnderCompatibilityNone() {
    registry.register("a-value", Samples.ORDER_V1);
    registry.setCompatibility("a-value", CompatibilityLevel.NONE);

    assertThat(registry.register("a-value", Samples.ORDER_V2_REQUIRED_FIELD)).isEqualTo(2);
    assertThat(registry.compatibility("a-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(registry.compatibility("b-value")).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersion() {
    registry.setGlobalCompatibility(CompatibilityLevel.NONE);
    registry.register("a-value", Samples.ORDER_V2_REQUIRED_FIELD);
    registry.register("a-value", Samples.ORDER_V1);
    Schema withDefaultAmount = new Schema.Parser().parse("""
        {"type": "record", "name": "Order", "namespace": "test",
         "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "string", "default": ""}]}""");

    registry.setCompatibility("a-value", CompatibilityLevel.FORWARD);
    assertThat(registry.isCompatible("a-value", withDefaultAmount)).isTrue();
    registry.setCompatibility("a-value", CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(registry.isCompatible("a-value", withDefaultAmount)).isFalse();
  }

  @Test
  void answersCompatibleForASubjectWithNoVersions() {
    assertThat(registry.isCompatible("new-value", Samples.ORDER_V1)).isTrue();
  }

  @Test
  void reportsMissingSubjectsVersionsAndSchemasWithConfluentCodes() {
    registry.register("a-value", Samples.ORDER_V1);

    assertThatThrownBy(() -> registry.latestVersion("nope")).isInstanceOfSatisfying(SubjectNotFoundException.class,
        e -> assertThat(e.errorCode()).isEqualTo(40401));
    assertThatThrownBy(() -> registry.version("a-value", 2)).isInstanceOfSatisfying(VersionNotFoundException.class,
        e -> assertThat(e.errorCode()).isEqualTo(40402));
    assertThatThrownBy(() -> registry.version("a-value", 0)).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.errorCode()).isEqualTo(42202));
    assertThatThrownBy(() -> registry.schemaById(99)).isInstanceOfSatisfying(SchemaNotFoundException.class,
        e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> registry.lookupId("a-value", Samples.ORDER_V2_WITH_DEFAULT))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> registry.lookupId("nope", Samples.ORDER_V1)).isInstanceOf(SubjectNotFoundException.class);
  }

  @Test
  void aSchemaRegisteredUnderAnotherSubjectIsNotFoundUnderThisOne() {
    registry.register("a-value", Samples.ORDER_V1);
    registry.register("b-value", Samples.ORDER_V2_WITH_DEFAULT);

    assertThatThrownBy(() -> registry.lookupId("b-value", Samples.ORDER_V1)).isInstanceOf(SchemaNotFoundException.class);
  }

  @Test
  void scopesAreSharedByNameAcrossTheJvm() {
    try {
      InMemorySchemaRegistry.scope("shared-by-name").register("a-value", Samples.ORDER_V1);

      assertThat(InMemorySchemaRegistry.scope("shared-by-name")).isSameAs(InMemorySchemaRegistry.scope("shared-by-name"));
      assertThat(InMemorySchemaRegistry.scope("shared-by-name").lookupId("a-value", Samples.ORDER_V1)).isEqualTo(1);
      assertThat(InMemorySchemaRegistry.scope("another-name").subjects()).isEmpty();
    } finally {
      InMemorySchemaRegistry.drop("shared-by-name");
      InMemorySchemaRegistry.drop("another-name");
    }
  }
}
