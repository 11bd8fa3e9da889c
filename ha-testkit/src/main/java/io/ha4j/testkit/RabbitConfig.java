package io.ha4j.testkit;

import io.ha4j.testkit.RabbitCluster.RabbitNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what the nodes of a RabbitMQ cluster read at boot, and the environment they and {@code
 * rabbitmqctl} run with: the shared Erlang cookie in a private {@code HOME}, the inetrc that
 * resolves {@code rnode<i>} to each node's own address, empty advanced config, plugins and env
 * files, each node's {@code rabbitmq.conf}, and the {@code RABBITMQ_*} variables that point a node
 * at all of them. Kept apart from {@link RabbitCluster} so that every file name and variable the
 * broker is configured through is in one place.
 */
final class RabbitConfig {

  private RabbitConfig() {}

  /** Writes the configuration of the cluster and of each node, then the cluster's properties. */
  static void create(RabbitCluster cluster) {
    Path s = cluster.stateDir;
    try {
      Files.createDirectories(home(cluster));
      byte[] cookie = new byte[20];
      new SecureRandom().nextBytes(cookie);
      Path cookieFile = home(cluster).resolve(".erlang.cookie");
      Files.writeString(cookieFile, HexFormat.of().formatHex(cookie).toUpperCase());
      Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
      StringBuilder inetrc = new StringBuilder();
      for (RabbitNode n : cluster.nodes) {
        inetrc
            .append("{host, {")
            .append(n.address.replace('.', ','))
            .append("}, [\"")
            .append(n.hostName())
            .append("\"]}.\n");
      }
      inetrc.append("{lookup, [file, native]}.\n");
      Files.writeString(s.resolve("inetrc"), inetrc);
      Files.writeString(s.resolve("advanced.config"), "[].\n");
      Files.writeString(s.resolve("enabled_plugins"), "[].\n");
      Files.writeString(s.resolve("rabbitmq-env.conf"), "");
      for (RabbitNode n : cluster.nodes) {
        writeNodeConfig(n);
      }
    } catch (IOException e) {
      throw new ClusterException(
          "cannot write the configuration of " + cluster + ": " + e.getMessage(), e);
    }
    cluster.saveProperties();
  }

  private static void writeNodeConfig(RabbitNode node) throws IOException {
    Files.createDirectories(node.dir.resolve("mnesia"));
    Files.createDirectories(node.dir.resolve("log"));
    StringBuilder conf = new StringBuilder();
    conf.append("listeners.tcp.1 = ").append(node.hostAndPort()).append('\n');
    conf.append("net_ticktime = 10\n");
    conf.append("cluster_partition_handling = pause_minority\n");
    conf.append("loopback_users = none\n");
    conf.append("cluster_formation.peer_discovery_backend = classic_config\n");
    for (RabbitNode n : node.rabbit.nodes) {
      conf.append("cluster_formation.classic_config.nodes.")
          .append(n.index)
          .append(" = ")
          .append(n.nodeName())
          .append('\n');
    }
    Files.writeString(node.dir.resolve("rabbitmq.conf"), conf);
  }

  private static Path home(RabbitCluster cluster) {
    return cluster.stateDir.resolve("home");
  }

  /** The cookie, epmd port and name resolution shared by every Erlang process of the cluster. */
  static Map<String, String> erlangEnvironment(RabbitCluster cluster) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home(cluster).toString());
    env.put("ERL_EPMD_PORT", Integer.toString(cluster.epmdPort()));
    env.put("ERL_INETRC", cluster.stateDir.resolve("inetrc").toString());
    // No Erlang process of ours may start an epmd of its own (rabbitmqctl, the server's
    // epmd-starter, a node restarted after our epmd died): a daemonised epmd outlives the
    // cluster, holds the slot's port and breaks the next cluster on that slot.
    env.put("ERL_FLAGS", "-start_epmd false");
    // An Erlang tool that cannot reach our epmd (rabbitmqctl during a teardown) writes a crash
    // dump into its working directory; keep it with the cluster's files.
    env.put("ERL_CRASH_DUMP", cluster.stateDir.resolve("erl_crash.dump").toString());
    return env;
  }

  /** The environment {@code rabbitmq-server} of {@code node} runs with. */
  static Map<String, String> nodeEnvironment(RabbitNode node) {
    Map<String, String> env = erlangEnvironment(node.rabbit);
    Path s = node.rabbit.stateDir;
    Path dir = node.dir;
    env.put("RABBITMQ_NODENAME", node.nodeName());
    env.put("RABBITMQ_NODE_IP_ADDRESS", node.address);
    env.put("RABBITMQ_NODE_PORT", Integer.toString(node.port()));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(node.distPort()));
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", s.resolve("advanced.config").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", s.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", s.resolve("rabbitmq-env.conf").toString());
    env.put("RABBITMQ_PID_FILE", dir.resolve("beam.pid").toString());
    String ip = "{" + node.address.replace('.', ',') + "}";
    // Bind distribution to the node's own address in both directions, so that cutting the
    // address with iptables is a real partition.
    env.put(
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
        "-kernel inet_dist_use_interface "
            + ip
            + " -kernel inet_dist_connect_options [{ip,"
            + ip
            + "}]");
    return env;
  }
}
