package io.ha4j.oslo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The keyword argument an endpoint method parameter is bound to, when the class is compiled without
 * {@code -parameters} or the Java name differs.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {

  /** The keyword argument's name. */
  String value();
}
