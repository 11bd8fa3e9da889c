package io.ha4j.config.internal;

import static io.ha4j.config.internal.OptionRows.b;
import static io.ha4j.config.internal.OptionRows.bool;
import static io.ha4j.config.internal.OptionRows.fsecs;
import static io.ha4j.config.internal.OptionRows.integer;
import static io.ha4j.config.internal.OptionRows.secs;
import static io.ha4j.config.internal.OptionRows.str;
import static io.ha4j.config.internal.OptionRows.text;
import static io.ha4j.config.internal.Options.DATABASE;
import static io.ha4j.config.internal.Options.GALERA;

import io.ha4j.config.DbRetrySettings;
import io.ha4j.config.GaleraSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The database rows of the option table: oslo.db's {@code [database]} options and ha4j's {@code
 * [galera]}. Their defaults come from {@link GaleraSettings} and {@link DbRetrySettings}. {@link
 * Options} indexes these rows with the messaging ones.
 */
final class DatabaseOptions {

  private DatabaseOptions() {}

  /** The rows, in the order of {@code ha4j config} output. */
  static List<OptionSpec> rows() {
    List<OptionSpec> rows = new ArrayList<>();
    // [database], oslo.db
    rows.add(str(DATABASE, "connection", null, true, "mysql+pymysql://user:pass@host[,host]/db"));
    rows.add(
        integer(
            DATABASE,
            "max_pool_size",
            GaleraSettings.DEFAULT_MAX_POOL_SIZE,
            "connections per node pool"));
    rows.add(
        integer(
            DATABASE,
            "max_overflow",
            GaleraSettings.DEFAULT_MAX_OVERFLOW,
            "connections beyond max_pool_size"));
    rows.add(
        b(DATABASE, "pool_timeout", OptionType.INTEGER, null, "seconds to wait for a connection")
            .spec());
    rows.add(
        integer(
            DATABASE,
            "connection_recycle_time",
            secs(GaleraSettings.DEFAULT_CONNECTION_RECYCLE_TIME),
            "max connection age (s)"));
    rows.add(
        b(
                DATABASE,
                "max_retries",
                OptionType.INTEGER,
                (long) GaleraSettings.DEFAULT_MAX_RETRIES,
                "start-up connect attempts; -1 forever")
            .range(-1, null)
            .spec());
    rows.add(
        integer(
            DATABASE,
            "retry_interval",
            secs(GaleraSettings.DEFAULT_RETRY_INTERVAL),
            "seconds between start-up attempts"));
    rows.add(
        str(
            DATABASE,
            "mysql_sql_mode",
            GaleraSettings.DEFAULT_SQL_MODE,
            false,
            "session sql_mode"));
    rows.add(
        b(DATABASE, "mysql_wsrep_sync_wait", OptionType.INTEGER, null, "session wsrep_sync_wait")
            .spec());
    rows.add(
        b(
                DATABASE,
                "db_max_retries",
                OptionType.INTEGER,
                (long) DbRetrySettings.DEFAULT_MAX_RETRIES,
                "unit-of-work retries; -1 forever")
            .range(-1, null)
            .spec());
    rows.add(
        integer(
            DATABASE,
            "db_retry_interval",
            secs(DbRetrySettings.DEFAULT_INTERVAL),
            "first retry sleep (s)"));
    rows.add(
        bool(
                DATABASE,
                "db_inc_retry_interval",
                DbRetrySettings.DEFAULT_INCREMENTAL,
                "double the sleep each retry")
            .spec());
    rows.add(
        integer(
            DATABASE,
            "db_max_retry_interval",
            secs(DbRetrySettings.DEFAULT_MAX_INTERVAL),
            "cap of the retry sleep (s)"));
    rows.add(str(DATABASE, "connection_parameters", "", false, "extra driver parameters a=b&c=d"));
    // [galera]
    rows.add(
        b(GALERA, "nodes", OptionType.LIST, List.of(), "host:port[:priority], in order").spec());
    rows.add(
        b(
                GALERA,
                "check_interval",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_CHECK_INTERVAL),
                "seconds between health checks")
            .spec());
    rows.add(
        b(
                GALERA,
                "check_timeout",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_CHECK_TIMEOUT),
                "seconds a health check may take")
            .spec());
    rows.add(
        integer(
            GALERA,
            "fall_count",
            GaleraSettings.DEFAULT_FALL_COUNT,
            "timeouts before a node is down"));
    rows.add(
        integer(
            GALERA,
            "rise_count",
            GaleraSettings.DEFAULT_RISE_COUNT,
            "healthy checks before a node is up"));
    rows.add(
        b(
                GALERA,
                "failback",
                OptionType.STRING,
                text(GaleraSettings.DEFAULT_FAILBACK.mode()),
                "back to a better node when healthy")
            .choices("immediate", "after_stable", "never")
            .spec());
    rows.add(
        b(
                GALERA,
                "failback_stable_time",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_FAILBACK_STABLE_TIME),
                "after_stable: seconds healthy")
            .spec());
    rows.add(
        b(
                GALERA,
                "drain_timeout",
                OptionType.FLOAT,
                fsecs(GaleraSettings.DEFAULT_DRAIN_TIMEOUT),
                "seconds a planned switch waits")
            .spec());
    rows.add(
        bool(
                GALERA,
                "available_when_donor",
                GaleraSettings.DEFAULT_AVAILABLE_WHEN_DONOR,
                "a donor may serve")
            .spec());
    rows.add(
        bool(
                GALERA,
                "reader_routing",
                GaleraSettings.DEFAULT_READER_ROUTING,
                "spread reads over non-writers")
            .spec());
    rows.add(
        bool(
                GALERA,
                "commit_markers",
                GaleraSettings.DEFAULT_COMMIT_MARKERS,
                "resolve a lost COMMIT answer")
            .spec());
    rows.add(
        str(
            GALERA,
            "commit_marker_table",
            GaleraSettings.DEFAULT_COMMIT_MARKER_TABLE,
            false,
            "table of the commit markers"));
    return rows;
  }
}
