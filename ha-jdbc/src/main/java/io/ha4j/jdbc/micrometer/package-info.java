/**
 * Micrometer metrics for ha-jdbc: a {@link io.ha4j.jdbc.GaleraListener} that counts writer changes,
 * node state changes and unit-of-work retries, and times writer switches. Needs {@code
 * io.micrometer:micrometer-core} on the class path (an optional dependency of ha-jdbc).
 */
package io.ha4j.jdbc.micrometer;
