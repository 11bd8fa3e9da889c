package io.ha4j.examples.readme;

import io.ha4j.amqp.HaConnectionFactory;
import io.ha4j.config.HaConfig;
import io.ha4j.oslo.Endpoint;
import io.ha4j.oslo.OsloSettings;
import io.ha4j.oslo.OsloTransport;
import io.ha4j.oslo.Param;
import io.ha4j.oslo.RpcClient;
import io.ha4j.oslo.RpcServer;
import io.ha4j.oslo.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The README's {@code ha-oslo} example: an RPC server and a client of it on one transport, and a
 * notification. The body of {@link #example} is the README's block, word for word ({@code
 * ReadmeExamplesTest} checks it).
 */
public final class ReadmeOslo {

  private ReadmeOslo() {}

  /** Entry point: the config file. */
  public static void main(String[] args) throws Exception {
    System.out.println("add(a=40, b=2) = " + example(Path.of(args[0])));
  }

  /** An endpoint as a Python oslo.messaging service would call it: {@code add(a=…, b=…)}. */
  @Endpoint(namespace = "calc", version = "1.2") // optional; default: no namespace, 1.0
  public static final class Calc {

    /** The sum. */
    public long add(@Param("a") long a, @Param("b") long b) {
      return a + b;
    }
  }

  /** Serves {@link Calc} on topic {@code calc}, calls it and returns what {@code add} answered. */
  public static Object example(Path configFile) throws Exception {
    HaConfig config = HaConfig.load(configFile); // transport_url, control_exchange, …
    HaConnectionFactory factory = HaConnectionFactory.builder().settings(config.amqp()).build();
    try (OsloTransport transport = OsloTransport.create(factory, OsloSettings.from(config))) {
      RpcServer server = transport.rpcServer(Target.topic("calc").withServer("host1"), new Calc());
      server.start(); // Python clients can call it now

      RpcClient calc = transport.rpcClient(Target.topic("calc"));
      Object sum =
          calc.prepare("host1", "calc", "1.2", Duration.ofSeconds(30), null, null)
              .call(Map.of("request_id", "req-1"), "add", Map.of("a", 40, "b", 2));

      transport.notifier("calc.host1").info(Map.of(), "calc.add.end", Map.of("sum", sum));
      server.stop(Duration.ofSeconds(5)); // finishes running requests
      return sum;
    }
  }
}
