/** Implementation of the {@code ha4j} command; not an API. */
package io.ha4j.cli.internal;
