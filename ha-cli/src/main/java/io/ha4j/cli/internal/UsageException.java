package io.ha4j.cli.internal;

/** Bad command-line input: exit code 2 with one line naming the problem and the --help to read. */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A usage error. */
  public UsageException(String message) {
    super(message);
  }
}
