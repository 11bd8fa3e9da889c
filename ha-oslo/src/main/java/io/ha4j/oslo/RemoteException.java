package io.ha4j.oslo;

import io.ha4j.config.HaException;
import java.util.List;
import java.util.Objects;

/**
 * An RPC call failed on the server: carries the failure oslo.messaging sent back, i.e. the remote
 * exception's class name, its module (Python module or Java package), its message and the remote
 * traceback lines. The message of this exception holds class and message, not the traceback.
 *
 * @since 0.1
 */
public class RemoteException extends HaException {

  private static final long serialVersionUID = 1L;

  private final String excType;
  private final String module;
  private final String remoteMessage;
  private final List<String> traceback;

  /** A remote failure. */
  public RemoteException(
      String excType, String module, String remoteMessage, List<String> traceback) {
    super("Remote error: " + excType + " " + remoteMessage);
    this.excType = Objects.requireNonNullElse(excType, "");
    this.module = Objects.requireNonNullElse(module, "");
    this.remoteMessage = Objects.requireNonNullElse(remoteMessage, "");
    this.traceback = List.copyOf(traceback);
  }

  /** The remote exception's class name, e.g. {@code ValueError} (oslo's {@code exc_type}). */
  public String excType() {
    return excType;
  }

  /** The remote exception's module, e.g. {@code builtins}, or a Java package. */
  public String module() {
    return module;
  }

  /** The remote exception's message. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The remote traceback, one entry per line as the server sent it. */
  public List<String> traceback() {
    return traceback;
  }
}
