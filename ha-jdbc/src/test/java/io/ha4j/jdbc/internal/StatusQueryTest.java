package io.ha4j.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status query's rows, by name, make the probe the monitor judges a node by. */
class StatusQueryTest {

  @Test
  void everySignalIsReadFromItsRowByName() {
    Map<String, String> v = new HashMap<>();
    v.put("wsrep_local_state", "2");
    v.put("wsrep_local_state_comment", "Donor/Desynced");
    v.put("wsrep_ready", "ON");
    v.put("wsrep_connected", "ON");
    v.put("wsrep_cluster_status", "Primary");
    v.put("wsrep_cluster_state_uuid", "6f3c-uuid");
    v.put("wsrep_cluster_size", "3");
    v.put("wsrep_cluster_conf_id", "18446744073709551615");
    v.put("wsrep_desync", "1");
    v.put("wsrep_reject_queries", "ALL");
    v.put("read_only", "0");
    v.put("wsrep_sst_donor_rejects_queries", "1");
    v.put("wsrep_cluster_name", "ha4j");

    Probe p = StatusQuery.fromSignals(v);

    assertThat(p.answered()).isTrue();
    assertThat(p.localState()).isEqualTo(2);
    assertThat(p.stateComment()).isEqualTo("Donor/Desynced");
    assertThat(p.ready()).isTrue();
    assertThat(p.connected()).isTrue();
    assertThat(p.clusterStatus()).isEqualTo("Primary");
    assertThat(p.clusterUuid()).isEqualTo("6f3c-uuid");
    assertThat(p.clusterSize()).isEqualTo(3);
    assertThat(p.confId()).as("unsigned -1 outside a Primary view").isEqualTo(-1);
    assertThat(p.desync()).isTrue();
    assertThat(p.rejectQueries()).isEqualTo("ALL");
    assertThat(p.readOnly()).isFalse();
    assertThat(p.donorRejectsQueries()).isTrue();
    assertThat(p.clusterName()).isEqualTo("ha4j");
  }

  @Test
  void aMissingRowReadsAsOffEmptyOrZeroNeverAsHealthy() {
    Probe p = StatusQuery.fromSignals(Map.of("wsrep_cluster_status", "Primary"));

    assertThat(p.ready()).isFalse();
    assertThat(p.connected()).isFalse();
    assertThat(p.localState()).isZero();
    assertThat(p.clusterSize()).isZero();
    assertThat(p.stateComment()).isEmpty();
  }

  @Test
  void theQueryReadsGlobalStatusOnceAndNamesEveryVariable() {
    assertThat(StatusQuery.SQL.split("information_schema.GLOBAL_STATUS", -1)).hasSize(2);
    for (String name :
        new String[] {
          "WSREP_LOCAL_STATE'",
          "WSREP_LOCAL_STATE_COMMENT",
          "WSREP_READY",
          "WSREP_CONNECTED",
          "WSREP_CLUSTER_STATUS",
          "WSREP_CLUSTER_STATE_UUID",
          "WSREP_CLUSTER_SIZE",
          "WSREP_CLUSTER_CONF_ID",
          "@@wsrep_desync",
          "@@wsrep_reject_queries",
          "@@read_only",
          "@@wsrep_sst_donor_rejects_queries",
          "@@wsrep_cluster_name"
        }) {
      assertThat(StatusQuery.SQL).contains(name);
    }
  }
}
