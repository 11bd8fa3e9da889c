"""Prints, as JSON, the connection attempts kombu's own ensure_connection makes.

Reads one case per line on stdin: HOSTS INTERVAL BACKOFF INTERVAL_MAX MAX_RETRIES|none LIMIT
and prints one JSON object per case, in order:
{"attempts": [[host_index, sleep_seconds_after], ...], "gave_up": bool}
Every attempt fails with ECONNREFUSED; sleeps are recorded instead of slept.
"""
import json
import sys

import kombu
import kombu.utils.functional as functional


class Enough(Exception):
    pass


def run(hosts, interval, backoff, interval_max, max_retries, limit):
    names = ['h%d' % i for i in range(hosts)]
    attempts = []

    def record_sleep(seconds):
        attempts[-1][1] += seconds

    functional.sleep = record_sleep
    conn = kombu.Connection(';'.join('amqp://guest:guest@%s:1//' % n for n in names),
                            failover_strategy='round-robin')

    def refuse():
        if len(attempts) >= limit:
            raise Enough()
        attempts.append([names.index(conn.hostname), 0.0])
        raise ConnectionRefusedError(111, 'Connection refused')

    conn._connection_factory = refuse
    gave_up = False
    try:
        # oslo.messaging passes "rabbit_retry_interval or 1".
        conn._ensure_connection(max_retries=max_retries,
                                interval_start=interval or 1,
                                interval_step=backoff,
                                interval_max=interval_max,
                                reraise_as_library_errors=False)
    except Enough:
        pass
    except ConnectionRefusedError:
        gave_up = True
    return {'attempts': attempts, 'gave_up': gave_up}


for line in sys.stdin:
    if not line.strip():
        continue
    h, i, b, m, r, limit = line.split()
    print(json.dumps(run(int(h), float(i), float(b), float(m),
                         None if r == 'none' else int(r), int(limit))))
