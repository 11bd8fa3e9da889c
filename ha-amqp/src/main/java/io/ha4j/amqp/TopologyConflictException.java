package io.ha4j.amqp;

/**
 * RabbitMQ refused a declaration because the entity exists with other properties (406
 * PRECONDITION_FAILED). Retrying cannot fix this: the message says which entity, which argument,
 * what exists, what was requested and how to fix it.
 *
 * @since 0.1
 */
public class TopologyConflictException extends AmqpOperationException {

  private static final long serialVersionUID = 1L;

  private final String entity;
  private final String argument;
  private final String existing;
  private final String requested;

  /** A conflict on one argument of one entity. */
  public TopologyConflictException(
      String entity, String argument, String existing, String requested, String fix) {
    super(
        entity
            + " already exists with "
            + argument
            + " = "
            + existing
            + ", but "
            + requested
            + " was requested; RabbitMQ never changes an existing entity: "
            + fix);
    this.entity = entity;
    this.argument = argument;
    this.existing = existing;
    this.requested = requested;
  }

  /** The entity, e.g. {@code queue 'q' in vhost '/'}. */
  public String entity() {
    return entity;
  }

  /** The conflicting property or argument, e.g. {@code durable} or {@code x-queue-type}. */
  public String argument() {
    return argument;
  }

  /** The value the broker has. */
  public String existing() {
    return existing;
  }

  /** The value ha4j asked for. */
  public String requested() {
    return requested;
  }
}
