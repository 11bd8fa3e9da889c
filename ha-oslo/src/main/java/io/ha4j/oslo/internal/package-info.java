/** Implementation of ha-oslo; not an API, may change without notice. */
package io.ha4j.oslo.internal;
