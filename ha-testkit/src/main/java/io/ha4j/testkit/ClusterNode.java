package io.ha4j.testkit;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One server process of a local cluster, with the faults that can be injected into it. All faults
 * act on this node's own process or address only. Methods are safe to call from any thread but are
 * not meant to race each other on the same node.
 *
 * @since 0.1.0
 */
public interface ClusterNode {

  /** Position of the node in its cluster, from 1. */
  int index();

  /** The node's own loopback address (127.0.x.y); every port of the node is bound to it. */
  String address();

  /** The client port: AMQP for RabbitMQ, MySQL protocol for Galera. */
  int port();

  /** {@code address:port}. */
  default String hostAndPort() {
    return address() + ":" + port();
  }

  /** The server process id (beam.smp or mariadbd), if it runs. */
  OptionalLong serverPid();

  /** Whether the server process exists (it may be paused). */
  boolean isRunning();

  /** Whether any thread of the server process is stopped by SIGSTOP. */
  boolean isPaused();

  /** Whether the node's address is cut off by this cluster's iptables rules. */
  boolean isIsolated();

  /**
   * SIGKILL of the server process; returns once all its threads have exited, so its ports refuse.
   */
  void kill();

  /** SIGSTOP of the server process; returns once every one of its threads is stopped. */
  void pause();

  /** SIGCONT of the server process; returns once none of its threads is stopped any more. */
  void resume();

  /** Graceful shutdown; returns when the process is gone. */
  void stop();

  /**
   * Starts the node again with its data (Galera: from the recovered position, so it rejoins by IST)
   * and waits until the server itself is ready.
   */
  void start();

  /** Drops all traffic from and to the node's address on {@code lo}. Needs root. */
  void isolate();

  /** Removes the rules {@link #isolate()} added. */
  void heal();

  /** The main server log file. */
  Path logFile();

  /** The last lines of the server log, for error messages. */
  String logTail(int lines);
}
