/** Internals of ha-jdbc: node probes, the health predicate, writer choice, connection proxies. */
package io.ha4j.jdbc.internal;
