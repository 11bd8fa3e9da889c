package io.ha4j.examples.readme;

import io.ha4j.config.AmqpSettings;
import io.ha4j.config.GaleraSettings;
import io.ha4j.config.HaConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The README's configuration example: an oslo config file and directory, the environment and the
 * system properties, in strict mode. The body of {@link #example} is the README's block, word for
 * word ({@code ReadmeExamplesTest} checks it).
 */
public final class ReadmeConfiguration {

  private ReadmeConfiguration() {}

  /** Entry point: the config file and the config directory. */
  public static void main(String[] args) {
    System.out.println(example(Path.of(args[0]), Path.of(args[1])));
  }

  /** Loads the configuration and says how many hosts and nodes it names. */
  public static String example(Path configFile, Path configDir) {
    HaConfig config =
        HaConfig.loader()
            .configFile(configFile) // e.g. /etc/nova/nova.conf; repeatable, a later file wins
            .configDir(configDir) // e.g. /etc/nova/nova.conf.d: *.conf in name order
            .systemEnvironment()
            .systemProperties()
            .strict() // an unknown option is an error, not a WARN line
            .load(); // ConfigException lists every problem, each with file:line
    AmqpSettings amqp = config.amqp(); // hosts, vhost, retry schedule, queues
    Optional<GaleraSettings> db = config.galera(); // nodes, credentials, pools, retry
    return amqp.hosts().size()
        + " RabbitMQ hosts, "
        + db.map(g -> g.nodes().size()).orElse(0)
        + " Galera nodes";
  }
}
