"""Python oslo.messaging peer for RpcCommandsIT.

Usage: rpc_peer.py CONFIG_FILE server TOPIC SERVER   serve Failing; print {"ready": SERVER}; stop at EOF
       rpc_peer.py CONFIG_FILE call TOPIC METHOD KWARGS_JSON   print {"result": ...} or {"error": ...}
"""
import json
import sys

from oslo_config import cfg
import oslo_messaging


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class PeerFailure(Exception):
    pass


class Failing(object):
    def fail(self, ctxt, message):
        raise PeerFailure(message)


def main():
    conf = cfg.CONF
    conf(["--config-file", sys.argv[1]], project="ha4j-cli-it")
    transport = oslo_messaging.get_rpc_transport(conf)
    mode, topic = sys.argv[2], sys.argv[3]
    if mode == "server":
        target = oslo_messaging.Target(topic=topic, server=sys.argv[4])
        server = oslo_messaging.get_rpc_server(
            transport, target, [Failing()], executor="threading")
        server.start()
        out({"ready": sys.argv[4]})
        sys.stdin.read()
        server.stop()
        server.wait()
    elif mode == "call":
        client = oslo_messaging.RPCClient(
            transport, oslo_messaging.Target(topic=topic), timeout=30)
        try:
            out({"result": client.call({}, sys.argv[4], **json.loads(sys.argv[5]))})
        except Exception as e:  # reported to the test
            out({"error": type(e).__name__, "message": str(e)})
    else:
        raise SystemExit("unknown mode " + mode)
    transport.cleanup()


if __name__ == "__main__":
    main()
