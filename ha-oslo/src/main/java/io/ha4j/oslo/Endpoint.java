package io.ha4j.oslo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Namespace and version of an RPC endpoint class (oslo's {@code target} attribute of an endpoint).
 * Without it an endpoint has no namespace and version {@code 1.0}.
 *
 * <p>Every public instance method of an endpoint (except those of {@code Object}) can be called.
 * Parameters are bound by name from the message's {@code args}: compile with {@code -parameters} or
 * name them with {@link Param}. A parameter of type {@link RequestContext} receives the context.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Endpoint {

  /** The namespace; empty for none. */
  String namespace() default "";

  /** The version {@code X.Y} this endpoint implements. */
  String version() default "1.0";
}
