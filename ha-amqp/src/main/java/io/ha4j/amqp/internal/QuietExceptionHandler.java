package io.ha4j.amqp.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.impl.StrictExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amqp-client's {@link com.rabbitmq.client.ExceptionHandler} for the connections ha4j makes. The
 * default one logs a WARN with a stack trace for every I/O failure of the connection's reader
 * thread ("An unexpected connection driver error occurred", a missed heartbeat, a reset): ha4j sees
 * the same loss through its shutdown listener, recovers, and logs one line for the whole failover,
 * so those go to DEBUG here. What ha4j does not handle itself (an exception thrown by a consumer, a
 * return, confirm or blocked listener) keeps {@link StrictExceptionHandler}'s behaviour (the
 * channel is closed, ha4j's recovery reopens it) and is logged at WARN, naming the connection.
 */
final class QuietExceptionHandler extends StrictExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(QuietExceptionHandler.class);

  private final String resource;

  /**
   * @param resource the connection, e.g. {@code AMQP connection 'orders'}
   */
  QuietExceptionHandler(String resource) {
    this.resource = resource;
  }

  @Override
  public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
    // The connection is gone; ha4j's shutdown listener starts the recovery and reports it.
    LOG.debug("{}: connection driver error (ha4j recovers): {}", resource, exception.toString());
  }

  @Override
  public void handleConsumerException(
      Channel channel,
      Throwable exception,
      Consumer consumer,
      String consumerTag,
      String methodName) {
    if (Failures.isConnectionLoss(exception)) {
      LOG.debug(
          "{}: consumer {} failed in {} as the connection went: {}",
          resource,
          consumerTag,
          methodName,
          exception.toString());
      return;
    }
    super.handleConsumerException(channel, exception, consumer, consumerTag, methodName);
  }

  @Override
  protected void log(String message, Throwable e) {
    if (Failures.isConnectionLoss(e)) {
      LOG.debug("{}: {} (ha4j recovers): {}", resource, message, e.toString());
    } else {
      LOG.warn("{}: {}", resource, message, e);
    }
  }
}
