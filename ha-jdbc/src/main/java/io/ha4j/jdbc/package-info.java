/**
 * ha4j jdbc module. This package is a placeholder for the module's public API.
 *
 * @since 0.1.0
 */
package io.ha4j.jdbc;
