"""Online identity lookup against a million existing persons.

    .venv/bin/python -m bench.identity_lookup [--persons 1000000] [--lookups 10000]

Builds N synthetic persons (childfirst.people.synthetic: London households with twins, juniors
and recording errors, and the true entity of every record), one stored record each, bulk
inserted into a fresh SQLite database with their blocking keys. Then it loads the in-process
index through the app's own loader (resolver.load_index, timed, with the memory it takes) and
runs the app's lookup path (resolver.lookup: catch-up query, blocking, scoring, the check of
the chosen candidate against the database) for noisy re-mentions of stored persons and for
people never seen, one mention per call, as intake of a single incident would.

Writes bench/results/identity_lookup.json: sizes, machine, median/p95/p99 milliseconds, index
build time and memory, and accuracy on the synthetic truth (pairwise precision, recall and F1
of the links made, and how often the first decision was right).
"""

from __future__ import annotations

import argparse
import gc
import random
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--unseen-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    from bench import _identity as common

    url = common.setup_django()
    path = url.removeprefix("sqlite:///")

    from childfirst.people import synthetic
    from childfirst.people.index import get_index
    from childfirst.people.resolver import active_model, load_index, lookup

    # Population: every entity's first record is stored; a later record of some is a query.
    started = time.perf_counter()
    first: dict[str, dict] = {}
    later: dict[str, dict] = {}
    target = int(args.persons * (1 + args.unseen_share))
    for row in synthetic.person_records(target, seed=args.seed, mentions_per_person=2.0):
        entity = row["entity_id"]
        if entity not in first:
            first[entity] = row
        elif entity not in later:
            later[entity] = row
    entities = list(first)
    rng = random.Random(args.seed)
    rng.shuffle(entities)
    stored_entities = entities[: args.persons]
    unseen_entities = entities[args.persons :]
    generate_seconds = time.perf_counter() - started

    loaded = common.bulk_load_sqlite(path, [first[e] for e in sorted(stored_entities)])
    person_of = loaded["person_of"]

    queries = []
    n_unseen = int(args.lookups * args.unseen_share)
    seen_pool = [e for e in stored_entities if e in later]
    for entity in rng.sample(seen_pool, args.lookups - n_unseen):
        queries.append((entity, later[entity]))
    for entity in rng.sample(unseen_entities, min(n_unseen, len(unseen_entities))):
        queries.append((entity, first[entity]))
    rng.shuffle(queries)

    # The index, loaded by the app's loader.
    gc.collect()
    rss_before = common.rss_mib()
    started = time.perf_counter()
    index = load_index(get_index())
    index_seconds = time.perf_counter() - started
    gc.collect()
    rss_after = common.rss_mib()
    model = active_model(fresh=True)

    # Lookups: one mention per call, as intake of one incident does.
    times = []
    right = linked_right = linked_wrong = should_link = linked = new_right = 0
    statuses: dict[str, int] = {}
    for number, (entity, row) in enumerate(queries):
        mention = common.mention_from_row(row, source_system="QUERY", source_reference=f"Q{number}")
        t0 = time.perf_counter()
        items, _, _ = lookup([mention], model=model)
        times.append((time.perf_counter() - t0) * 1000)
        item = items[0]
        statuses[item.status] = statuses.get(item.status, 0) + 1
        truth = person_of.get(entity)
        if truth is not None:
            should_link += 1
        if item.person_id is not None:
            linked += 1
            if item.person_id == truth:
                linked_right += 1
                right += 1
            else:
                linked_wrong += 1
        elif truth is None:
            new_right += 1
            right += 1

    precision = linked_right / linked if linked else 1.0
    recall = linked_right / should_link if should_link else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "sizes": {
            "persons": args.persons,
            "stored_records": len(stored_entities),
            "blocking_keys": loaded["blocking_keys"],
            "lookups": len(queries),
            "lookups_of_stored_persons": should_link,
            "lookups_of_unseen_persons": len(queries) - should_link,
        },
        "machine": common.machine(),
        "database": "SQLite (fresh file)",
        "lookup_ms": {
            "median": round(common.percentile(times, 50), 3),
            "p95": round(common.percentile(times, 95), 3),
            "p99": round(common.percentile(times, 99), 3),
            "max": round(max(times), 3),
            "mean": round(sum(times) / len(times), 3),
        },
        "index": {
            "build_seconds": round(index_seconds, 1),
            "records": len(index),
            "keys": index.key_count(),
            "rss_delta_mib": round(rss_after - rss_before, 1),
            "estimated_mib": round(index.memory_bytes() / 2**20, 1),
            "process_rss_mib": round(rss_after, 1),
        },
        "accuracy": {
            "pairwise_precision": round(precision, 5),
            "pairwise_recall": round(recall, 5),
            "pairwise_f1": round(f1, 5),
            "first_time_right": round(right / len(queries), 5),
            "linked_to_the_wrong_person": linked_wrong,
            "unseen_correctly_new": new_right,
            "statuses": statuses,
        },
        "setup_seconds": {
            "generate": round(generate_seconds, 1),
            "insert": round(loaded["insert_seconds"], 1),
        },
        "model_version": model.version,
        "notes": (
            "Lookup = childfirst.people.resolver.lookup for one mention: the catch-up query, "
            "blocking in the in-process index, Fellegi-Sunter scoring with safeguards, and the "
            "check of the decided candidate against the database. Writing the mention (one "
            "INSERT per row) is intake's cost, measured in bench/identity_bulk.py."
        ),
    }
    out = common.write_result("identity_lookup", result)
    print(f"{out}: median {result['lookup_ms']['median']} ms, p99 {result['lookup_ms']['p99']} "
          f"ms, F1 {result['accuracy']['pairwise_f1']}, first time right "
          f"{result['accuracy']['first_time_right']}, index {result['index']['rss_delta_mib']} "
          f"MiB in {result['index']['build_seconds']} s")  # fmt: skip


if __name__ == "__main__":
    main()
