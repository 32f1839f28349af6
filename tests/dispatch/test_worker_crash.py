"""A real crash: `childfirst worker` in its own process on its own SQLite file, killed with
SIGKILL in the middle of a batch of webhook deliveries, then run again. Every disclosure is
delivered, each under its own key; none is lost; a repeat only ever carries the same key."""

import os
import sqlite3
import subprocess
import sys
from collections import defaultdict

import pytest

COUNT = 60


@pytest.mark.django_db
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_with_the_same_key(
    tmp_path, receiver
):
    database = tmp_path / "crash.sqlite3"
    env = {
        **os.environ,
        "CHILDFIRST_DATABASE_URL": f"sqlite:///{database}",
        "CHILDFIRST_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "childfirst.settings",
        "CHILDFIRST_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.getcwd(),
        "CHILDFIRST_DELIVERY_LEASE_SECONDS": "1",
    }
    command = [sys.executable, "-m", "childfirst.cli"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
    seeded = subprocess.run(
        [sys.executable, "tests/dispatch/seed_for_crash.py", receiver.url],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert seeded.stdout.strip().splitlines()[-1] == str(COUNT)

    receiver.delay = 0.02
    receiver.watch_for = 15
    worker = subprocess.Popen(
        [*command, "worker", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert receiver.reached.wait(timeout=120), "the worker never started delivering"
    finally:
        worker.kill()
        worker.wait()

    def rows(sql):
        with sqlite3.connect(database) as connection:
            return connection.execute(sql).fetchall()

    delivered_before = rows(
        "select count(*) from dispatch_delivery where channel='webhook' and state='delivered'"
    )[0][0]
    assert delivered_before < COUNT, "the kill came too late to test anything"
    got_before = len(receiver.received)

    # Run again, as often as it takes for the dead worker's leases (a second) to run out: each
    # start takes longer than that. A batch worker delivers what is due, then stops.
    for _ in range(10):
        subprocess.run(
            [*command, "worker", "--batch"],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        if not rows("select count(*) from dispatch_delivery where state='pending'")[0][0]:
            break

    states = rows("select state, count(*) from dispatch_delivery group by state")
    assert dict(states) == {"delivered": COUNT * 2}  # the webhook and the portal of each
    keys = dict(rows("select id, idempotency_key from dispatch_disclosure"))
    assert len(set(keys.values())) == COUNT
    by_key = defaultdict(list)
    for request in receiver.received:
        by_key[request.headers["idempotency-key"]].append(request.json["disclosure_id"])
    normalise = {k.replace("-", ""): k for k in by_key}
    # Every disclosure reached the partner, and only ever under its own key.
    for disclosure_id, key in keys.items():
        sent = by_key[normalise[str(key).replace("-", "")]]
        assert sent and set(sent) == {disclosure_id}
    repeats = len(receiver.received) - COUNT
    assert 0 <= repeats <= got_before - delivered_before + 1
