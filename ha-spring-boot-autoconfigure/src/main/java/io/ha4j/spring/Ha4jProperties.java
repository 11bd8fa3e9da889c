package io.ha4j.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ha4j.*} properties. The oslo options themselves are maps keyed by oslo's option names
 * ({@code ha4j.amqp.rabbit-retry-interval=2}, {@code ha4j.database.connection=…}, {@code
 * ha4j.galera.nodes=…}; dashes, dots and underscores are the same): they override the same options
 * of the files in {@link #getConfigFiles()} and {@link #getConfigDir()}. With no file and no
 * directory, {@code spring.rabbitmq.*} and {@code spring.datasource.*} are read instead. Mutable
 * JavaBean, bound by Spring Boot; not thread-safe.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = "ha4j")
public class Ha4jProperties {

  /** Whether ha4j's auto-configuration is applied at all. */
  private boolean enabled = true;

  /**
   * Whether an unknown option in ha4j's sections (a typo) stops start-up instead of being logged
   * ([ha4j] strict); true by default in Spring applications.
   */
  private boolean strict = true;

  /** oslo-style config files, read in order, a later one winning (as --config-file). */
  private List<String> configFiles = new ArrayList<>();

  /** An oslo-style config directory: its *.conf files in name order, after the config files. */
  private String configDir;

  /**
   * RabbitMQ options of [DEFAULT], [oslo_messaging_rabbit] and [ha4j_amqp] by oslo name, e.g.
   * transport-url, rabbit-retry-interval, rabbit-quorum-queue, heartbeat-timeout-threshold.
   */
  private Map<String, String> amqp = new LinkedHashMap<>();

  /** oslo.db [database] options by name, e.g. connection, max-pool-size, db-max-retries. */
  private Map<String, String> database = new LinkedHashMap<>();

  /** [galera] options by name, e.g. nodes, check-interval, failback. */
  private Map<String, String> galera = new LinkedHashMap<>();

  private final Rabbit rabbit = new Rabbit();

  private final Datasource datasource = new Datasource();

  /** Whether ha4j's auto-configuration is applied at all; default true. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets {@link #isEnabled()}. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether an unknown option stops start-up ([ha4j] strict); default true. */
  public boolean isStrict() {
    return strict;
  }

  /** Sets {@link #isStrict()}. */
  public void setStrict(boolean strict) {
    this.strict = strict;
  }

  /** oslo-style config files, read in order, a later one winning. */
  public List<String> getConfigFiles() {
    return configFiles;
  }

  /** Sets {@link #getConfigFiles()}. */
  public void setConfigFiles(List<String> configFiles) {
    this.configFiles = configFiles;
  }

  /** An oslo-style config directory, or null. */
  public String getConfigDir() {
    return configDir;
  }

  /** Sets {@link #getConfigDir()}. */
  public void setConfigDir(String configDir) {
    this.configDir = configDir;
  }

  /** RabbitMQ options by oslo name. */
  public Map<String, String> getAmqp() {
    return amqp;
  }

  /** Sets {@link #getAmqp()}. */
  public void setAmqp(Map<String, String> amqp) {
    this.amqp = amqp;
  }

  /** [database] options by oslo name. */
  public Map<String, String> getDatabase() {
    return database;
  }

  /** Sets {@link #getDatabase()}. */
  public void setDatabase(Map<String, String> database) {
    this.database = database;
  }

  /** [galera] options by name. */
  public Map<String, String> getGalera() {
    return galera;
  }

  /** Sets {@link #getGalera()}. */
  public void setGalera(Map<String, String> galera) {
    this.galera = galera;
  }

  /** How Spring AMQP is steered. */
  public Rabbit getRabbit() {
    return rabbit;
  }

  /** How the DataSource is provided. */
  public Datasource getDatasource() {
    return datasource;
  }

  /**
   * {@code ha4j.rabbit.*}: how Spring AMQP's connection factory, containers and queues are steered.
   *
   * @since 0.1
   */
  public static class Rabbit {

    /** Whether Spring AMQP's ConnectionFactory connects through ha4j. */
    private boolean enabled = true;

    /**
     * Whether Queue beans get oslo's declaration options (durable, quorum, x-ha-policy, x-expires)
     * where they set none of their own.
     */
    private boolean osloQueueArguments = true;

    /** Whether listener containers recover on the connect schedule (rabbit_retry_* options). */
    private boolean listenerBackOff = true;

    /** Name of the Spring AMQP connection (management UI, metrics tag "connection"). */
    private String connectionName = "spring";

    /** Whether Spring AMQP's ConnectionFactory connects through ha4j; default true. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Whether Queue beans get oslo's declaration options; default true. */
    public boolean isOsloQueueArguments() {
      return osloQueueArguments;
    }

    /** Sets {@link #isOsloQueueArguments()}. */
    public void setOsloQueueArguments(boolean osloQueueArguments) {
      this.osloQueueArguments = osloQueueArguments;
    }

    /** Whether listener containers recover on the connect schedule; default true. */
    public boolean isListenerBackOff() {
      return listenerBackOff;
    }

    /** Sets {@link #isListenerBackOff()}. */
    public void setListenerBackOff(boolean listenerBackOff) {
      this.listenerBackOff = listenerBackOff;
    }

    /** Name of the Spring AMQP connection; default "spring". */
    public String getConnectionName() {
      return connectionName;
    }

    /** Sets {@link #getConnectionName()}. */
    public void setConnectionName(String connectionName) {
      this.connectionName = connectionName;
    }
  }

  /**
   * {@code ha4j.datasource.*}: the Galera DataSource.
   *
   * @since 0.1
   */
  public static class Datasource {

    /** Whether GaleraDataSource replaces Boot's DataSource when a database is configured. */
    private boolean enabled = true;

    /** Name of the data source in threads, pools, logs and metrics. */
    private String name = "galera";

    /** Whether units of work are also re-run after a 1205 lock wait timeout. */
    private boolean retryLockWaitTimeout = false;

    /** Whether GaleraDataSource replaces Boot's DataSource; default true. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Name of the data source; default "galera". */
    public String getName() {
      return name;
    }

    /** Sets {@link #getName()}. */
    public void setName(String name) {
      this.name = name;
    }

    /** Whether units of work are re-run after a lock wait timeout; default false. */
    public boolean isRetryLockWaitTimeout() {
      return retryLockWaitTimeout;
    }

    /** Sets {@link #isRetryLockWaitTimeout()}. */
    public void setRetryLockWaitTimeout(boolean retryLockWaitTimeout) {
      this.retryLockWaitTimeout = retryLockWaitTimeout;
    }
  }
}
