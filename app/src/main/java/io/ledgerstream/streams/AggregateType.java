package io.ledgerstream.streams;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One aggregate type as the engine runs it: its names, its binding between Avro and the domain, its records, the
 * command types only the application may send, and the hooks through which it adds what is its own. Generic code
 * iterates a list of these and never names an aggregate; registering a type is building one of these.
 *
 * <p>An event type may change shape in ways Avro's schema resolution cannot follow: each older version then stays in
 * the event union under its own record name, and one {@link Builder#upcaster upcaster} per older version turns it
 * into the next. The events' serdes pass every event they read through {@link #upcast}, so every consumer sees only
 * the newest shape.
 *
 * <p>Its name makes its topics ({@code ledger.<name>.commands}, {@code .internal-commands}, {@code .events},
 * {@code .state}), its store names, the {@code aggregateType} of its results and events, and its directory in the
 * event lake; its plural makes its URLs ({@code /<plural>/{id}/commands}); its tag prefixes its part of an event
 * stream position.
 *
 * @param <AC> the Avro command envelope
 * @param <AE> the Avro event envelope
 * @param <AS> the Avro state snapshot
 */
public final class AggregateType<AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> {

  private static final String NAME = "[a-z][a-z0-9-]*";

  private final String name;
  private final String plural;
  private final String tag;
  private final Class<AC> commandRecord;
  private final Class<AE> eventRecord;
  private final Class<AS> stateRecord;
  private final AggregateBinding<?, ?, ?, AC, AE, AS> binding;
  private final Set<String> workerOnly;
  private final String workerOnlyReason;
  private final Set<String> freeText;
  private final List<AggregateHook> hooks;
  private final UpcasterChain upcasters;
  private final Schema eventSchema;

  private AggregateType(Builder<AC, AE, AS> builder) {
    this.name = builder.name;
    this.plural = builder.plural;
    this.tag = builder.tag;
    this.commandRecord = builder.commandRecord;
    this.eventRecord = builder.eventRecord;
    this.stateRecord = builder.stateRecord;
    this.binding = builder.binding;
    this.workerOnly = Set.copyOf(builder.workerOnly);
    this.workerOnlyReason = builder.workerOnlyReason;
    this.freeText = Set.copyOf(builder.freeText);
    this.hooks = List.copyOf(builder.hooks);
    this.upcasters = new UpcasterChain(schemaOf(eventRecord), builder.upcasters);
    this.eventSchema = readersEventSchema();
  }

  /**
   * Starts a registration.
   *
   * @param name lower case, e.g. {@code order}
   * @param binding maps the records to the domain and back
   */
  public static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> Builder<AC, AE, AS>
      builder(String name, Class<AC> commands, Class<AE> events, Class<AS> state,
              AggregateBinding<?, ?, ?, AC, AE, AS> binding) {
    return new Builder<>(name, commands, events, state, binding);
  }

  public String name() {
    return name;
  }

  /** The collection's name in URLs, e.g. {@code orders}. */
  public String plural() {
    return plural;
  }

  /** A few letters naming the type in event stream positions, e.g. {@code a}; never changed once clients hold one. */
  public String tag() {
    return tag;
  }

  public Class<AC> commandRecord() {
    return commandRecord;
  }

  public Class<AE> eventRecord() {
    return eventRecord;
  }

  public Class<AS> stateRecord() {
    return stateRecord;
  }

  public AggregateBinding<?, ?, ?, AC, AE, AS> binding() {
    return binding;
  }

  public String commandsTopic() {
    return topic("commands");
  }

  /** Where the application sends this type's worker commands; only the application writes it. */
  public String internalCommandsTopic() {
    return topic("internal-commands");
  }

  public String eventsTopic() {
    return topic("events");
  }

  public String stateTopic() {
    return topic("state");
  }

  /** Every command type (payload record name) of the command envelope, in the union's order. */
  public List<String> commandTypes() {
    return Envelope.payloadSchemas(schemaOf(commandRecord)).stream().map(Schema::getName).toList();
  }

  /**
   * Every event type (payload record name) of the event envelope, in the union's order, as readers see them: the
   * older versions an upcaster reads as newer ones are left out.
   */
  public List<String> eventTypes() {
    return Envelope.payloadSchemas(eventSchema()).stream().map(Schema::getName).toList();
  }

  /**
   * The event envelope's schema as readers see it, for documentation: the payload union without the older versions
   * an upcaster reads as newer ones. The envelope written and read on the topic is {@link #eventRecord}'s.
   */
  public Schema eventSchema() {
    return eventSchema;
  }

  private Schema readersEventSchema() {
    Schema envelope = schemaOf(eventRecord);
    if (upcasters.isEmpty()) {
      return envelope;
    }
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : envelope.getFields()) {
      Schema schema = !field.name().equals(Envelope.PAYLOAD) ? field.schema() : Schema.createUnion(
          Envelope.payloadSchemas(envelope).stream().filter(payload -> !upcasters.isOlder(payload.getFullName()))
              .toList());
      fields.add(new Schema.Field(field.name(), schema, field.doc(), field.defaultVal()));
    }
    return Schema.createRecord(envelope.getName(), envelope.getDoc(), envelope.getNamespace(), false, fields);
  }

  /**
   * The event in the newest shape of its event type, through as many upcasters as it takes; the event itself when it
   * already is. Every serde of this type's events reads through it.
   */
  public AE upcast(AE event) {
    if (upcasters.isEmpty() || event == null) {
      return event;
    }
    SpecificRecord payload = Envelope.payload(event);
    SpecificRecord newest = upcasters.upcast(payload, Envelope.eventMetadata(event));
    return newest == payload ? event : Envelope.withPayload(event, newest);
  }

  /**
   * The version of its event type a payload record (by full name) is: 1 unless an upcaster leads to it, one more than
   * the version it is upcast from otherwise; empty for a record that is not in this type's event union.
   */
  public OptionalInt eventVersion(String payloadRecord) {
    return upcasters.version(payloadRecord);
  }

  /** Whether this payload record (by full name) is an older version that reads as a newer one. */
  public boolean isOlderEventVersion(String payloadRecord) {
    return upcasters.isOlder(payloadRecord);
  }

  /** Whether only the application may send this command type: it is refused on the public command topic. */
  public boolean isWorkerOnly(String commandType) {
    return workerOnly.contains(commandType);
  }

  /** Why a worker-only command cannot be sent by a client, and what to send instead. */
  public String workerOnlyReason() {
    return workerOnlyReason;
  }

  /** Whether a command field of this name holds prose (see {@link Builder#freeText}) rather than an id or a code. */
  public boolean isFreeText(String field) {
    return freeText.contains(field);
  }

  /** The hooks of one kind, in the order they were added. */
  public <H extends AggregateHook> List<H> hooks(Class<H> kind) {
    return hooks.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  @Override
  public String toString() {
    return name;
  }

  private String topic(String kind) {
    return "ledger." + name + "." + kind;
  }

  private static Schema schemaOf(Class<? extends SpecificRecord> record) {
    return SpecificData.get().getSchema(record);
  }

  /** The parts of a registration; {@link #build} checks that they fit together. */
  public static final class Builder<AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> {

    private final String name;
    private final Class<AC> commandRecord;
    private final Class<AE> eventRecord;
    private final Class<AS> stateRecord;
    private final AggregateBinding<?, ?, ?, AC, AE, AS> binding;
    private String plural;
    private String tag;
    private final Set<String> workerOnly = new LinkedHashSet<>();
    private String workerOnlyReason;
    private final Set<String> freeText = new LinkedHashSet<>();
    private final List<AggregateHook> hooks = new ArrayList<>();
    private final List<UpcasterChain.Step<?, ?>> upcasters = new ArrayList<>();

    private Builder(String name, Class<AC> commandRecord, Class<AE> eventRecord, Class<AS> stateRecord,
                    AggregateBinding<?, ?, ?, AC, AE, AS> binding) {
      this.name = name;
      this.commandRecord = Objects.requireNonNull(commandRecord, "commands");
      this.eventRecord = Objects.requireNonNull(eventRecord, "events");
      this.stateRecord = Objects.requireNonNull(stateRecord, "state");
      this.binding = Objects.requireNonNull(binding, "binding");
    }

    /** The collection's name in URLs; {@code <name>s} unless given. */
    public Builder<AC, AE, AS> plural(String collection) {
      this.plural = collection;
      return this;
    }

    /** The type's tag in event stream positions: lower-case letters, unique among the types. */
    public Builder<AC, AE, AS> tag(String letters) {
      this.tag = letters;
      return this;
    }

    /**
     * Command types only the application sends (a process manager's commands, say): on the public command topic they
     * are rejected with {@code RESERVED_COMMAND}, over HTTP refused with 403.
     *
     * @param reason why a client cannot send them and what it may send instead, for the 403's detail
     */
    public Builder<AC, AE, AS> workerOnly(String reason, String... commandTypes) {
      this.workerOnlyReason = reason;
      this.workerOnly.addAll(List.of(commandTypes));
      return this;
    }

    /**
     * Command fields (by name, in any command type) that hold prose, such as a payment reference: they may be as long
     * as {@link CommandInput#MAX_TEXT_LENGTH}; every other string of a command is an id or a code and may be as long
     * as {@link CommandInput#MAX_ID_LENGTH}.
     */
    public Builder<AC, AE, AS> freeText(String... fields) {
      this.freeText.addAll(List.of(fields));
      return this;
    }

    public Builder<AC, AE, AS> hook(AggregateHook hook) {
      hooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /**
     * Reads events written as {@code older} as {@code newer}, the next version of their event type: both records stay
     * in the event union (old bytes still resolve by the older one's name), the binding writes only the newest, and
     * a record several versions old goes through each upcaster in turn. One registration per older version.
     */
    public <O extends SpecificRecord, N extends SpecificRecord> Builder<AC, AE, AS> upcaster(
        Class<O> older, Class<N> newer, Upcaster<O, N> upcaster) {
      upcasters.add(new UpcasterChain.Step<>(Objects.requireNonNull(older, "older"),
          Objects.requireNonNull(newer, "newer"), Objects.requireNonNull(upcaster, "upcaster")));
      return this;
    }

    /** The registration; throws {@link IllegalArgumentException} saying what does not fit. */
    public AggregateType<AC, AE, AS> build() {
      if (name == null || !name.matches(NAME)) {
        throw new IllegalArgumentException("an aggregate type's name is lower case letters, digits and '-', got '"
            + name + "'");
      }
      plural = plural != null ? plural : name + "s";
      if (!plural.matches(NAME)) {
        throw new IllegalArgumentException("the plural of " + name + " must match " + NAME + ", got '" + plural + "'");
      }
      if (tag == null || !tag.matches("[a-z]+")) {
        throw new IllegalArgumentException("the tag of " + name + " must be lower-case letters, got '" + tag + "'");
      }
      AggregateType<AC, AE, AS> type = new AggregateType<>(this);
      List<String> commandTypes = type.commandTypes();
      type.eventTypes();
      for (String workerCommand : workerOnly) {
        if (!commandTypes.contains(workerCommand)) {
          throw new IllegalArgumentException(workerCommand + " is not a command type of " + name + " " + commandTypes);
        }
      }
      return type;
    }
  }
}
