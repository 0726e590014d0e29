package io.ledgerstream.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.ledgerstream.streams.RecordJson;
import java.io.IOException;
import org.apache.avro.generic.IndexedRecord;

/** The API's one JSON mapper: Avro records as plain objects, times as ISO-8601 strings. */
public final class Json {

  static final String CONTENT_TYPE = "application/json";
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(new SimpleModule("avro-records").addSerializer(IndexedRecord.class, new RecordSerializer()))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {
  }

  public static void respond(Context ctx, int status, Object body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(bytes(body));
  }

  public static void ok(Context ctx, Object body) {
    respond(ctx, 200, body);
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Writes Avro records through {@link RecordJson}, wherever they appear in a response. */
  private static final class RecordSerializer extends StdSerializer<IndexedRecord> {

    RecordSerializer() {
      super(IndexedRecord.class);
    }

    @Override
    public void serialize(IndexedRecord record, JsonGenerator generator, SerializerProvider provider) throws IOException {
      RecordJson.write(record, generator, provider);
    }
  }
}
