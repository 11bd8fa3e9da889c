package io.ha4j.cli;

import static io.ha4j.cli.ConfigCommandTest.ha4j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ha4j.cli.ConfigCommandTest.Run;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.TestKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha4j rpc} and {@code ha4j notify} on the test-kit RabbitMQ cluster: {@code rpc serve} runs
 * as its own JVM (stopped with SIGTERM), the other commands in-process; Python oslo.messaging
 * (Debian's python3-oslo.messaging, /usr/bin/python3) calls and serves on the same topics.
 */
@ExtendWith(LocalClusters.class)
class RpcCommandsIT {

  private static final long WAIT_S = 60;

  @TempDir Path dir;

  private final List<Child> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Child c : children) {
      c.kill();
    }
  }

  private Path config(RabbitCluster rabbit, String exchange) throws IOException {
    Path f = dir.resolve(exchange + ".conf");
    Files.writeString(
        f,
        TestKit.osloConfig(rabbit, null)
            + "control_exchange = "
            + exchange
            + "\nrpc_response_timeout = 20\n");
    return f;
  }

  private static Run cli(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(2, config.toString());
    all.add(2, "--config-file");
    return ha4j(all.toArray(String[]::new));
  }

  @Test
  void callCastFailTimeoutAndNotificationsAgainstRpcServe(RabbitCluster rabbit) throws Exception {
    Path conf = config(rabbit, "cli_it");
    Child serve =
        start(
            "ha4j-serve",
            javaCommand(
                "rpc",
                "serve",
                "--config-file",
                conf.toString(),
                "--topic",
                "calc",
                "--server",
                "s1"));
    String ready = serve.await(l -> l.contains("\"event\":\"ready\""));
    assertThat(ready)
        .matches("\\{\"event\":\"ready\",\"host\":\"[0-9.]+:\\d+\",.*\"server\":\"s1\"}");

    Run add = cli(conf, "rpc", "call", "--topic", "calc", "add", "{\"a\":40,\"b\":2}");
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out()).isEqualTo("{\"result\":42}\n");
    assertThat(serve.await(l -> l.contains("\"event\":\"request\"")))
        .isEqualTo("{\"event\":\"request\",\"method\":\"add\",\"a\":40,\"b\":2}");

    Run who =
        cli(conf, "rpc", "call", "--topic", "calc", "--server", "s1", "--timeout", "20", "whoami");
    assertThat(who.out()).isEqualTo("{\"result\":\"s1\"}\n");

    Run fail = cli(conf, "rpc", "call", "--topic", "calc", "fail", "{\"message\":\"no way\"}");
    assertThat(fail.code()).isEqualTo(1);
    assertThat(fail.out())
        .startsWith("{\"error\":\"remote\",\"exc_type\":\"TestFailure\",")
        .contains("\"message\":\"no way\"")
        .endsWith("}\n");

    Run cast = cli(conf, "rpc", "call", "--topic", "calc", "--cast", "echo", "{\"value\":\"c1\"}");
    assertThat(cast.code()).isZero();
    assertThat(cast.out()).isEqualTo("{\"sent\":true}\n");
    serve.await(l -> l.equals("{\"event\":\"request\",\"method\":\"echo\",\"value\":\"c1\"}"));

    Run fanout =
        cli(conf, "rpc", "call", "--topic", "calc", "--fanout", "echo", "{\"value\":\"f1\"}");
    assertThat(fanout.out()).isEqualTo("{\"sent\":true}\n");
    serve.await(l -> l.equals("{\"event\":\"request\",\"method\":\"echo\",\"value\":\"f1\"}"));

    Run timeout = cli(conf, "rpc", "call", "--topic", "nobody", "--timeout", "1", "echo");
    assertThat(timeout.code()).isEqualTo(1);
    assertThat(timeout.out()).isEqualTo("{\"error\":\"timeout\"}\n");

    Run send =
        cli(
            conf,
            "notify",
            "send",
            "--topic",
            "cli_events",
            "--priority",
            "warn",
            "--event-type",
            "thing.done",
            "--publisher-id",
            "cli.it",
            "--payload",
            "{\"n\":7,\"s\":\"é\"}");
    assertThat(send.out()).isEqualTo("{\"sent\":true}\n");
    Run listen =
        cli(conf, "notify", "listen", "--topic", "cli_events", "--count", "1", "--timeout", "30");
    assertThat(listen.code()).as(listen.err()).isZero();
    assertThat(listen.out().lines())
        .singleElement()
        .asString()
        .startsWith(
            "{\"priority\":\"WARN\",\"event_type\":\"thing.done\",\"publisher_id\":\"cli.it\","
                + "\"payload\":{\"n\":7,\"s\":\"é\"},\"ctxt\":{")
        .containsPattern("\"metadata\":\\{\"message_id\":\"[0-9a-f-]{36}\",\"timestamp\":\"");
    Run none =
        cli(conf, "notify", "listen", "--topic", "cli_events", "--count", "1", "--timeout", "1");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.out()).isEmpty();

    serve.process.toHandle().destroy(); // SIGTERM, keeping the output stream open
    assertThat(serve.await(l -> l.contains("\"event\":\"stopped\"")))
        .isEqualTo("{\"event\":\"stopped\",\"finished\":true}");
    assertThat(serve.process.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.process.exitValue()).isEqualTo(128 + 15); // ended by SIGTERM
    assertThat(serve.ended.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.lines).isEmpty(); // nothing after the last line
  }

  @Test
  void pythonClientCallsRpcServeAndRpcCallGetsPythonsExceptionClass(RabbitCluster rabbit)
      throws Exception {
    Path conf = config(rabbit, "cli_py");
    Child serve =
        start(
            "ha4j-serve-py",
            javaCommand("rpc", "serve", "--config-file", conf.toString(), "--topic", "calc"));
    serve.await(l -> l.contains("\"event\":\"ready\""));
    Child pyClient = start("py-call", python(conf, "call", "calc", "add", "{\"a\": 40, \"b\": 2}"));
    assertThat(pyClient.await(l -> true)).isEqualTo("{\"result\": 42}");

    Child pyServer = start("py-server", python(conf, "server", "pycalc", "py1"));
    pyServer.await(l -> l.contains("ready"));
    Run fail = cli(conf, "rpc", "call", "--topic", "pycalc", "fail", "{\"message\":\"from py\"}");
    assertThat(fail.code()).isEqualTo(1);
    assertThat(fail.out())
        .startsWith("{\"error\":\"remote\",\"exc_type\":\"PeerFailure\",")
        .contains("\"message\":\"from py\"");
  }

  @Test
  void rpcServeReportsTheFailoverAndAnswersAgainAfterItsBrokerIsKilled(RabbitCluster rabbit)
      throws Exception {
    Path conf = config(rabbit, "cli_kill");
    Child serve =
        start(
            "ha4j-serve-kill",
            javaCommand(
                "rpc",
                "serve",
                "--config-file",
                conf.toString(),
                "--topic",
                "kill",
                "--server",
                "k1"));
    String ready = serve.await(l -> l.contains("\"event\":\"ready\""));
    String host = ready.replaceAll(".*\"host\":\"([^\"]+)\".*", "$1");
    RabbitCluster.RabbitNode node =
        rabbit.nodes().stream().filter(n -> n.hostAndPort().equals(host)).findFirst().orElseThrow();

    node.kill();

    assertThat(serve.await(l -> l.contains("\"event\":\"connection_lost\"")))
        .startsWith("{\"event\":\"connection_lost\",\"host\":\"" + host + "\"");
    String recovered = serve.await(l -> l.contains("\"event\":\"recovered\""));
    assertThat(recovered)
        .matches("\\{\"event\":\"recovered\",\"host\":\"[0-9.]+:\\d+\",.*")
        .doesNotContain("\"host\":\"" + host + "\"");
    Run who =
        cli(conf, "rpc", "call", "--topic", "kill", "--server", "k1", "--timeout", "20", "whoami");
    assertThat(who.out()).isEqualTo("{\"result\":\"k1\"}\n");
  }

  // ------------------------------------------------------------------ child processes

  private static List<String> javaCommand(String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), "io.ha4j.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private List<String> python(Path conf, String... args) throws IOException {
    Path script = dir.resolve("rpc_peer.py");
    if (!Files.exists(script)) {
      try (InputStream in = RpcCommandsIT.class.getResourceAsStream("rpc_peer.py")) {
        Files.copy(in, script);
      }
    }
    List<String> cmd =
        new ArrayList<>(List.of("/usr/bin/python3", script.toString(), conf.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Child start(String name, List<String> command) throws IOException {
    Path err = dir.resolve(name + ".stderr");
    Process p =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    Child c = new Child(name, p, err);
    children.add(c);
    return c;
  }

  /** A child process whose stdout lines are collected; killed after the test. */
  private static final class Child {
    final String name;
    final Process process;
    final Path stderr;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final CountDownLatch ended = new CountDownLatch(1);

    Child(String name, Process process, Path stderr) {
      this.name = name;
      this.process = process;
      this.stderr = stderr;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // the process ended
                } finally {
                  ended.countDown();
                }
              },
              "child-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line matching {@code p} (earlier lines are dropped); fails after a minute. */
    String await(Predicate<String> p) throws InterruptedException, IOException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      while (System.nanoTime() < end) {
        String l = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (l != null && p.test(l)) {
          return l;
        }
      }
      throw new AssertionError(
          name
              + ": no matching line within "
              + WAIT_S
              + " s; stderr:\n"
              + Files.readString(stderr));
    }

    void kill() throws InterruptedException {
      try {
        process.getOutputStream().close(); // a Python server stops at end of input
      } catch (IOException e) {
        // gone already
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }
  }
}
