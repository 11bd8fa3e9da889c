package io.ha4j.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Machine-wide allocation of address and port blocks. Slot {@code s} of a kind owns the addresses
 * {@code 127.0.s.x} of that kind and the ports {@code 20000 + 100 s …+99}. A slot is claimed by
 * creating its file atomically; the file names the cluster's state directory and, for clusters
 * owned by a JVM (tests, the demo), that JVM's process, so that a later run can tell a crashed
 * owner's leftovers from a cluster someone left running on purpose.
 */
public final class Slots {

  /** Number of slots per kind. */
  public static final int COUNT = 90;

  private static final Path ROOT =
      Path.of(System.getProperty("ha4j.testkit.slots", "/tmp/ha4j-testkit/slots"));

  private Slots() {}

  /** What a slot file records. */
  public record Claim(String kind, int slot, Path stateDir, Optional<Procs.ProcId> owner) {}

  /** First port of a slot's block. */
  public static int basePort(int slot) {
    return 20000 + 100 * slot;
  }

  /**
   * Claims a free slot. Before claiming, slots whose owner JVM died are handed to {@code reaper}
   * (which kills that cluster's processes and rules) and freed.
   */
  public static int claim(
      String kind,
      Path stateDir,
      Optional<Procs.ProcId> owner,
      java.util.function.Consumer<Claim> reaper) {
    try {
      Files.createDirectories(ROOT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + ROOT + ": " + e.getMessage(), e);
    }
    reapStale(kind, reaper);
    for (int s = 0; s < COUNT; s++) {
      Path f = file(kind, s);
      try {
        Files.writeString(
            f,
            render(stateDir, owner),
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW);
        return s;
      } catch (FileAlreadyExistsException taken) {
        // try the next one
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + f + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException(
        "all "
            + COUNT
            + " "
            + kind
            + " slots in "
            + ROOT
            + " are taken; run scripts/cluster "
            + kind
            + " down for clusters left running");
  }

  /** Frees a slot (only if it still names this state directory). */
  public static void release(String kind, int slot, Path stateDir) {
    read(kind, slot)
        .filter(c -> c.stateDir().equals(stateDir.toAbsolutePath()))
        .ifPresent(
            c -> {
              try {
                Files.deleteIfExists(file(kind, slot));
              } catch (IOException e) {
                throw new IllegalStateException("cannot remove " + file(kind, slot), e);
              }
            });
  }

  /** Frees the slots of dead owners (after reaping) and of clusters whose state is gone. */
  public static void reapStale(String kind, java.util.function.Consumer<Claim> reaper) {
    for (int s = 0; s < COUNT; s++) {
      Optional<Claim> c = read(kind, s);
      if (c.isEmpty()) {
        continue;
      }
      Claim claim = c.get();
      boolean ownerDead = claim.owner().isPresent() && !claim.owner().get().alive();
      boolean stateGone = !Files.isDirectory(claim.stateDir());
      if (ownerDead || stateGone) {
        reaper.accept(claim);
        try {
          Files.deleteIfExists(file(kind, s));
        } catch (IOException e) {
          throw new IllegalStateException("cannot remove " + file(kind, s), e);
        }
      }
    }
  }

  private static Optional<Claim> read(String kind, int slot) {
    Path f = file(kind, slot);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(f)) {
      p.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    String owner = p.getProperty("owner", "");
    return Optional.of(
        new Claim(
            kind,
            slot,
            Path.of(p.getProperty("state", "/nonexistent")),
            owner.isBlank() ? Optional.empty() : Optional.of(Procs.ProcId.parse(owner))));
  }

  private static String render(Path stateDir, Optional<Procs.ProcId> owner) {
    return "state="
        + stateDir.toAbsolutePath()
        + "\nowner="
        + owner.map(Object::toString).orElse("")
        + "\n";
  }

  private static Path file(String kind, int slot) {
    return ROOT.resolve(kind + "-" + slot);
  }
}
