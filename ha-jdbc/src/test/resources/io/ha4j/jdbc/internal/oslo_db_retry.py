# Runs the installed oslo.db's own wrap_db_retry with time.sleep and random.uniform patched,
# for every case read from stdin (one JSON object per line), and prints one JSON line per case:
# the sleeps it asked for and how many times it called the function.
import json
import sys
from unittest import mock

from oslo_db import api
from oslo_db import exception

for line in sys.stdin:
    case = json.loads(line)
    randoms = list(case["randoms"])
    sleeps = []
    calls = [0]
    kinds = case["errors"]

    def uniform(a, b):
        return a + (b - a) * randoms.pop(0)

    @api.wrap_db_retry(retry_interval=case["interval"], max_retries=case["max_retries"],
                       inc_retry_interval=case["inc"], max_retry_interval=case["max_interval"],
                       retry_on_disconnect=True, retry_on_deadlock=True)
    def work():
        k = kinds[calls[0] % len(kinds)]
        calls[0] += 1
        if k == "deadlock":
            raise exception.DBDeadlock()
        raise exception.DBConnectionError()

    with mock.patch("time.sleep", sleeps.append), mock.patch("random.uniform", uniform):
        try:
            work()
        except (exception.DBDeadlock, exception.DBConnectionError):
            pass
    print(json.dumps({"sleeps": sleeps, "calls": calls[0]}))
