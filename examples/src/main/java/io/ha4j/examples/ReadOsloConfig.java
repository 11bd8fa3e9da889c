package io.ha4j.examples;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import java.nio.file.Path;

/**
 * Reads an oslo-style configuration file (the one a service like nova already has) and prints what
 * ha4j will use. Passwords never appear: the settings' {@code toString()} masks them.
 *
 * <pre>java -cp … io.ha4j.examples.ReadOsloConfig /etc/nova/nova.conf</pre>
 */
public final class ReadOsloConfig {

  private ReadOsloConfig() {}

  /** Entry point: one argument, the config file. */
  public static void main(String[] args) {
    System.out.println(describe(Path.of(args[0])));
  }

  /** The RabbitMQ hosts and retry schedule, and the Galera nodes, of {@code file}. */
  public static String describe(Path file) {
    HaConfig config = HaConfig.load(file); // ConfigException lists every mistake with file:line
    AmqpSettings amqp = config.amqp();
    StringBuilder b = new StringBuilder();
    b.append("RabbitMQ hosts: ");
    amqp.hosts().forEach(h -> b.append(h.host()).append(':').append(h.port()).append(' '));
    b.append("\nretry: ").append(amqp.retry());
    config
        .galera()
        .ifPresent(
            (GaleraSettings g) -> {
              b.append("\nGalera nodes: ");
              g.nodes().forEach(n -> b.append(n.hostAndPort()).append(' '));
              b.append("\ndatabase user: ").append(g.username());
            });
    return b.toString();
  }
}
