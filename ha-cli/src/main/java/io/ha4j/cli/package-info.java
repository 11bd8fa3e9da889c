/**
 * The {@code ha4j} command: {@link io.ha4j.cli.Main} runs {@code config}, {@code check}, {@code
 * amqp connect|publish|consume}, {@code db check|load}, {@code demo} and {@code bench amqp|db};
 * {@code ha4j --help} and {@code ha4j <command> --help} describe them.
 *
 * @since 0.1.0
 */
package io.ha4j.cli;
