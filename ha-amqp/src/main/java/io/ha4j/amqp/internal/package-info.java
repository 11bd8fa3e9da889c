/** Implementation of {@code io.ha4j.amqp}; not an API, may change in any release. */
package io.ha4j.amqp.internal;
