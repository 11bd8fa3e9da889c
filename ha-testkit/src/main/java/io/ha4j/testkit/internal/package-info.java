/** Implementation of the test kit: processes, iptables, slots, JSON. Not an API. */
package io.ha4j.testkit.internal;
