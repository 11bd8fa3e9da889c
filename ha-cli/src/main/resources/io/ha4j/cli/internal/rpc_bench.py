"""Python side of `ha4j bench rpc`: oslo.messaging's own RPC server and client.

Usage: rpc_bench.py CONFIG_FILE server TOPIC
           serve echo(value) on TOPIC; print {"ready": true}; stop at EOF on stdin
       rpc_bench.py CONFIG_FILE load TOPIC CALLERS SECONDS WARMUP
           WARMUP calls, then CALLERS threads sharing one RPCClient call echo(value) for
           SECONDS; print {"calls": N, "errors": E, "elapsed_s": T, "latencies_ms": [...]}
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


class Echo(object):
    def echo(self, ctxt, value):
        return value


def load(transport, topic, callers, seconds, warmup):
    client = oslo_messaging.RPCClient(
        transport, oslo_messaging.Target(topic=topic), timeout=30)
    for _ in range(warmup):
        client.call({}, "echo", value="ping")
    latencies = [[] for _ in range(callers)]
    errors = [0] * callers
    start = time.monotonic()
    end = start + seconds

    def run(i):
        mine = latencies[i]
        while True:
            t = time.monotonic()
            if t >= end:
                return
            try:
                client.call({}, "echo", value="ping")
            except Exception:  # counted and reported
                errors[i] += 1
                continue
            mine.append((time.monotonic() - t) * 1000.0)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    all_ms = [round(x, 3) for xs in latencies for x in xs]
    out({"calls": len(all_ms), "errors": sum(errors), "elapsed_s": elapsed,
         "latencies_ms": all_ms})


def main():
    conf = cfg.CONF
    conf(["--config-file", sys.argv[1]], project="ha4j-bench")
    transport = oslo_messaging.get_rpc_transport(conf)
    mode, topic = sys.argv[2], sys.argv[3]
    if mode == "server":
        server = oslo_messaging.get_rpc_server(
            transport, oslo_messaging.Target(topic=topic, server="bench-python"),
            [Echo()], executor="threading")
        server.start()
        out({"ready": True})
        sys.stdin.read()
        server.stop()
        server.wait()
    elif mode == "load":
        load(transport, topic, int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
    else:
        raise SystemExit("unknown mode " + mode)
    transport.cleanup()


if __name__ == "__main__":
    main()
