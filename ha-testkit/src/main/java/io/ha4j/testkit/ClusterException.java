package io.ha4j.testkit;

/**
 * A local cluster could not be started, did not reach the expected state in time, or a fault could
 * not be injected. The message names the cluster, the node and, where there is one, the tail of the
 * node's server log.
 *
 * @since 0.1.0
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public ClusterException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
