package io.ha4j.cli.internal;

import java.io.PrintStream;
import java.util.Map;

/** Where a command writes (results on {@code out}, progress and problems on {@code err}). */
record Io(PrintStream out, PrintStream err, Map<String, String> env) {}
