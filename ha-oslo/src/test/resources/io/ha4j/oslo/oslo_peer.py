"""oslo.messaging peer for ha-oslo's interoperability tests.

Usage: oslo_peer.py CONFIG_FILE MODE [ARGS]
  server TOPIC SERVER      RPC server; prints READY, then one CAST line per cast received
  client                   reads one JSON request per line on stdin, prints one JSON result line
  listen TOPIC [POOL]      notification listener; prints READY, then one JSON line per notification
"""
import json
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class CustomError(Exception):
    pass


class Calc(object):
    def __init__(self, name):
        self.name = name

    def add(self, ctxt, a, b):
        return a + b

    def echo(self, ctxt, value):
        return value

    def whoami(self, ctxt):
        return self.name

    def context(self, ctxt):
        return {k: ctxt.get(k) for k in ("user_id", "project_id", "request_id", "roles")}

    def fail(self, ctxt, message):
        raise ValueError(message)

    def fail_custom(self, ctxt, message):
        raise CustomError(message)

    def sleep(self, ctxt, seconds):
        time.sleep(seconds)
        return seconds

    def record(self, ctxt, value):
        out({"cast": value, "server": self.name})


class Admin(object):
    target = oslo_messaging.Target(namespace="admin", version="1.3")

    def reset(self, ctxt):
        return "reset by " + sys.argv[4]


class Recorder(object):
    def _record(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        out({"priority": priority, "ctxt": ctxt, "publisher_id": publisher_id,
             "event_type": event_type, "payload": payload, "metadata": metadata})

    def audit(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("audit", ctxt, publisher_id, event_type, payload, metadata)

    def debug(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("debug", ctxt, publisher_id, event_type, payload, metadata)

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("info", ctxt, publisher_id, event_type, payload, metadata)

    def warn(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("warn", ctxt, publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("error", ctxt, publisher_id, event_type, payload, metadata)

    def critical(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("critical", ctxt, publisher_id, event_type, payload, metadata)

    def sample(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record("sample", ctxt, publisher_id, event_type, payload, metadata)


def describe(e):
    return {"type": type(e).__name__, "module": type(e).__module__,
            "exc_type": getattr(e, "exc_type", None),
            "value": getattr(e, "value", None), "str": str(e)}


def run_request(transport, notifier_transport, req):
    if "notify" in req:
        n = req["notify"]
        notifier = oslo_messaging.Notifier(notifier_transport, publisher_id=n["publisher_id"],
                                           driver="messagingv2",
                                           topics=[n.get("topic", "notifications")])
        getattr(notifier, n["priority"])(req.get("ctxt", {}), n["event_type"], n["payload"])
        return {"ok": None}
    target = oslo_messaging.Target(topic=req["topic"])
    client = oslo_messaging.RPCClient(transport, target, timeout=req.get("timeout", 10))
    kw = {}
    for k in ("server", "namespace", "version"):
        if req.get(k) is not None:
            kw[k] = req[k]
    if req.get("fanout"):
        kw["fanout"] = True
    if kw:
        client = client.prepare(**kw)
    ctxt = req.get("ctxt", {})
    try:
        if req.get("cast"):
            client.cast(ctxt, req["method"], **req.get("args", {}))
            return {"ok": None}
        return {"ok": client.call(ctxt, req["method"], **req.get("args", {}))}
    except Exception as e:  # reported to the test
        return {"error": describe(e)}


def main():
    conf = cfg.CONF  # oslo registers some options (metrics) on the global object only
    conf(["--config-file", sys.argv[1]], project="ha4j-it")
    mode = sys.argv[2]
    if mode == "server":
        transport = oslo_messaging.get_rpc_transport(conf)
        target = oslo_messaging.Target(topic=sys.argv[3], server=sys.argv[4])
        server = oslo_messaging.get_rpc_server(
            transport, target, [Calc(sys.argv[4]), Admin()], executor="threading")
        server.start()
        out({"ready": sys.argv[4]})
        threading.Event().wait()
    elif mode == "listen":
        transport = oslo_messaging.get_notification_transport(conf)
        pool = sys.argv[4] if len(sys.argv) > 4 else None
        listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(topic=sys.argv[3])], [Recorder()],
            executor="threading", pool=pool)
        listener.start()
        out({"ready": "listener"})
        threading.Event().wait()
    elif mode == "client":
        transport = oslo_messaging.get_rpc_transport(conf)
        notifier_transport = oslo_messaging.get_notification_transport(conf)
        out({"ready": "client"})
        for line in sys.stdin:
            if line.strip():
                out(run_request(transport, notifier_transport, json.loads(line)))
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
