package io.ha4j.config.internal;

/**
 * One assignment as a source wrote it, before it is matched to an option. Sources are read
 * completely before any value is resolved, because interpolation in a file may refer to an option
 * set further down or in a later file.
 *
 * @param section the section ({@code DEFAULT} in upper case whichever way it was written)
 * @param key the option name as written
 * @param text the value as written
 * @param location where it was written ({@code file:line}, {@code env:NAME}, ...)
 * @param rank precedence of the source, one of the {@code Resolver.*_RANK} constants
 * @param fromFile whether it comes from a file (only those are interpolated, and only there are
 *     unknown sections someone else's)
 */
record RawAssignment(
    String section, String key, String text, String location, int rank, boolean fromFile) {}
