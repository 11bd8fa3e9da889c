package io.ha4j.oslo;

import io.ha4j.oslo.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Python oslo.messaging process running {@code oslo_peer.py} (Debian's python3-oslo.messaging,
 * run with /usr/bin/python3): one JSON object per output line; always destroyed by {@link
 * #close()}.
 */
final class PythonPeer implements AutoCloseable {

  static final String PYTHON = "/usr/bin/python3";
  static final Duration WAIT = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final Path stderr;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private PythonPeer(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
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
              }
            },
            "python-peer-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code oslo_peer.py CONFIG MODE ARGS} and waits for its ready line. */
  static PythonPeer start(Path dir, Path config, String mode, String... args) {
    try {
      Path script = dir.resolve("oslo_peer.py");
      if (!Files.exists(script)) {
        try (InputStream in = PythonPeer.class.getResourceAsStream("oslo_peer.py")) {
          Files.copy(in, script);
        }
      }
      List<String> cmd =
          new ArrayList<>(List.of(PYTHON, script.toString(), config.toString(), mode));
      cmd.addAll(List.of(args));
      String name = mode + "-" + String.join("-", args);
      Path err = Files.createTempFile(dir, name, ".stderr");
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      PythonPeer peer = new PythonPeer(name, p, err);
      try {
        Map<String, Object> ready = peer.next(WAIT);
        if (!ready.containsKey("ready")) {
          throw new AssertionError(name + ": expected a ready line, got " + ready);
        }
      } catch (RuntimeException | AssertionError e) {
        peer.close();
        throw e;
      }
      return peer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next output line as JSON. */
  Map<String, Object> next(Duration timeout) {
    String l;
    try {
      l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (l == null) {
      throw new AssertionError(
          name
              + ": no output within "
              + timeout
              + (process.isAlive() ? "" : " (exited)")
              + "; stderr:\n"
              + stderrTail());
    }
    return Json.readMap(l);
  }

  /** Sends one request line (client mode) and returns its result line. */
  Map<String, Object> request(Map<String, Object> request) {
    try {
      stdin.write(Json.write(request) + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + stderrTail(), e);
    }
    return next(WAIT);
  }

  String stderrTail() {
    try {
      List<String> all = Files.readAllLines(stderr);
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
