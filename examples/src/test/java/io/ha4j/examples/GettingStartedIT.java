package io.ha4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ha4j.testkit.GaleraCluster;
import io.ha4j.testkit.GaleraCluster.GaleraNode;
import io.ha4j.testkit.LocalClusters;
import io.ha4j.testkit.RabbitCluster;
import io.ha4j.testkit.TestKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does: a separate Maven project that imports {@code io.ha4j:ha-bom} and depends on
 * ha-config, ha-amqp, ha-jdbc and slf4j-simple is built against this build's own artifacts (laid
 * out by hand in a private local repository under {@code target/}; everything else comes read-only
 * from the usual local repository), then its main class runs against the test-kit clusters while
 * the broker of its connection and then the Galera writer are killed -9. Nothing is lost, and its
 * log holds one line per failover and no stack trace.
 */
@ExtendWith(LocalClusters.class)
class GettingStartedIT {

  private static final int MESSAGES = 1000;
  private static final int UNITS = 200;
  private static final List<String> MODULES = List.of("ha-config", "ha-amqp", "ha-jdbc");

  @TempDir Path dir;

  private final Path root = Path.of(System.getProperty("ha4j.root", "..")).toAbsolutePath();
  private final String version = System.getProperty("ha4j.version");

  @Test
  void aSeparateProjectOnTheBomLosesNothingWhenItsBrokerAndTheWriterAreKilled(
      RabbitCluster rabbit, GaleraCluster galera) throws Exception {
    assertThat(version).as("system property ha4j.version").isNotBlank();
    Path repo = layOutRepository(Path.of("target", "getting-started-repo").toAbsolutePath());
    Path project = writeProject();
    String classpath = build(project, repo);

    Path conf = dir.resolve("service.conf");
    Files.writeString(
        conf,
        TestKit.osloConfig(rabbit, galera)
            + "\n[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n"
            + "\n[ha4j_amqp]\nhost_order = configured\n");
    Process app =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + classpath,
                "com.example.GettingStarted",
                conf.toString(),
                Integer.toString(MESSAGES),
                Integer.toString(UNITS))
            .redirectErrorStream(true)
            .start();
    List<String> log = new CopyOnWriteArrayList<>();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = pump(app.getInputStream(), log, lines);
    try (OutputStream stdin = app.getOutputStream()) {
      // 1. the broker of its connection: node 1, the first configured host
      String publishing = await(lines, "publishing: ", Duration.ofMinutes(3), log);
      String broker = publishing.substring(publishing.lastIndexOf(' ') + 1);
      String node1 = rabbit.node(1).address() + ":" + rabbit.node(1).port();
      assertThat(broker).as("the app's broker").isEqualTo(node1);
      rabbit.node(1).kill();
      stdin.write('\n');
      stdin.flush();

      // 2. the Galera writer, as the app names it
      String writing = await(lines, "writing: ", Duration.ofMinutes(3), log);
      String writer = writing.substring(writing.lastIndexOf(' ') + 1);
      GaleraNode writerNode =
          galera.nodes().stream()
              .filter(n -> (n.address() + ":" + n.port()).equals(writer))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Galera node is " + writing));
      writerNode.kill();
      stdin.write('\n');
      stdin.flush();

      await(lines, "done", Duration.ofMinutes(4), log);
      assertThat(app.waitFor(1, TimeUnit.MINUTES)).isTrue();
      reader.join(10_000);
      String all = String.join("\n", log);
      System.out.println("getting-started log:\n" + all);
      assertThat(app.exitValue()).as(all).isZero();

      assertThat(log).as(all).contains("consumed: " + MESSAGES + " distinct messages");
      assertThat(log).as(all).anyMatch(l -> l.startsWith("written: " + UNITS + " rows, writer "));
      GaleraNode survivor = galera.nodes().stream().filter(n -> n != writerNode).findFirst().get();
      assertThat(survivor.sql("SELECT COUNT(*) FROM " + galera.database() + ".getting_started"))
          .containsExactly(Integer.toString(UNITS));

      assertThat(log)
          .as("no stack trace in:\n" + all)
          .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
      assertThat(log).as(all).noneMatch(l -> l.contains(" ERROR "));
      // after each kill, ha4j names the dead node in exactly one line: the failover's
      List<String> amqpFailover = ha4jLinesNaming(log, publishing, broker);
      List<String> writerFailover = ha4jLinesNaming(log, writing, writer);
      System.out.println("failover lines:\n" + amqpFailover + "\n" + writerFailover);
      assertThat(amqpFailover).as(all).hasSize(1);
      assertThat(amqpFailover.get(0)).contains(" lost " + broker + " (", "recovered on");
      assertThat(writerFailover).as(all).hasSize(1);
      assertThat(writerFailover.get(0))
          .contains("writer " + writer + " -> ")
          .doesNotContain("-> none");
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The parent and BOM poms and the three modules' jars and poms of this build, in a Maven local
   * repository's layout.
   */
  private Path layOutRepository(Path repo) throws IOException {
    install(repo, "ha4j-parent", root.resolve("pom.xml"), null);
    install(repo, "ha-bom", root.resolve("ha-bom/pom.xml"), null);
    for (String module : MODULES) {
      Path jar = root.resolve(module + "/target/" + module + "-" + version + ".jar");
      assertThat(jar).as("packaged earlier in this build").isRegularFile();
      install(repo, module, root.resolve(module + "/pom.xml"), jar);
    }
    return repo;
  }

  private void install(Path repo, String artifactId, Path pom, Path jar) throws IOException {
    Path d = repo.resolve("io/ha4j/" + artifactId + "/" + version);
    Files.createDirectories(d);
    String base = artifactId + "-" + version;
    Files.copy(pom, d.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, d.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The user's project: a pom and one main class, from {@code getting-started/} in resources. */
  private Path writeProject() throws IOException {
    Path project = dir.resolve("getting-started");
    Path main = project.resolve("src/main/java/com/example");
    Files.createDirectories(main);
    Files.writeString(
        project.resolve("pom.xml"),
        resource("pom.xml")
            .replace("@HA4J_VERSION@", version)
            .replace("@SLF4J_VERSION@", System.getProperty("slf4j.version")));
    Files.writeString(
        main.resolve("GettingStarted.java"),
        resource("src/main/java/com/example/GettingStarted.java"));
    return project;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GettingStartedIT.class.getResourceAsStream("/getting-started/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Compiles the project offline with the project's Maven wrapper; returns its runtime class path.
   * ha4j's artifacts come from {@code repo}; the rest (third-party jars, Maven plugins) read-only
   * from the local repository this build uses, as a tail.
   */
  private String build(Path project, Path repo) throws Exception {
    Path cpFile = project.resolve("classpath.txt");
    Path buildLog = dir.resolve("build.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "-o",
                "-q",
                "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + System.getProperty("maven.repo.local.tail"),
                "compile",
                "dependency:build-classpath",
                "-Dmdep.outputFile=" + cpFile,
                "-Dmdep.includeScope=runtime")
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(buildLog.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Process mvn = pb.start();
    try {
      boolean finished = mvn.waitFor(5, TimeUnit.MINUTES);
      String out = Files.readString(buildLog);
      assertThat(finished).as("build finished:\n" + out).isTrue();
      assertThat(mvn.exitValue()).as("build:\n" + out).isZero();
    } finally {
      mvn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(project.resolve("target/classes/com/example/GettingStarted.class")).isRegularFile();
    String classpath = Files.readString(cpFile).strip();
    List<String> ha4j = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (entry.contains("/io/ha4j/")) {
        ha4j.add(entry);
      }
    }
    // this build's jars, not older ones from the tail
    assertThat(ha4j).hasSize(MODULES.size()).allMatch(e -> e.startsWith(repo.toString()));
    assertThat(classpath)
        .contains("slf4j-simple", "amqp-client", "HikariCP", "mariadb-java-client");
    return classpath;
  }

  /** ha4j's log lines after {@code from} that name {@code node}. */
  private static List<String> ha4jLinesNaming(List<String> log, String from, String node) {
    return log.subList(log.indexOf(from) + 1, log.size()).stream()
        .filter(l -> l.contains(" io.ha4j.") && l.contains(node))
        .toList();
  }

  private static Thread pump(InputStream in, List<String> log, BlockingQueue<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  log.add(line);
                  lines.add(line);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "getting-started-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The first line starting with {@code prefix}, waiting up to {@code timeout}. */
  private static String await(
      BlockingQueue<String> lines, String prefix, Duration timeout, List<String> log)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        fail(
            "no line '" + prefix + "…' within " + timeout + "; output:\n" + String.join("\n", log));
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }
}
