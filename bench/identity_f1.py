"""Pairwise F1 of the app's matcher on synthetic people with known truth.

    .venv/bin/python -m bench.identity_f1 [--persons 50000] [--seed 2026]

Writes a CSV of synthetic person records (childfirst.people.synthetic.write_person_csv: about
two records per person, with London-realistic recording errors, twins, parents and children
who share a name), runs `childfirst identity dedupe` on it exactly as a user would (the same
blocking, scorer, safeguards and thresholds as intake, with the shipped default model), and
writes the pairwise precision, recall and F1 to bench/results/identity_f1.json.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from io import StringIO
from pathlib import Path

MAP = (
    "given_name=given_name,surname=surname,date_of_birth=date_of_birth,sex=sex,"
    "postcode=postcode,address=address,nhs_number=nhs_number,pnc_id=pnc_id"
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    from bench import _identity as common

    common.setup_django()
    from django.core.management import call_command

    from childfirst.people import synthetic

    with tempfile.TemporaryDirectory() as folder:
        people = Path(folder) / "people.csv"
        pairs = Path(folder) / "pairs.csv"
        rows = synthetic.write_person_csv(people, args.persons, seed=args.seed)
        out = StringIO()
        started = time.perf_counter()
        call_command(
            "identity", "dedupe", str(people), "--id-column", "record_id", "--map", MAP,
            "--truth", "entity_id", "--out", str(pairs), stdout=out,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        printed = out.getvalue()
    figures = {}
    for line in printed.splitlines():
        name, _, value = line.partition(": ")
        if name in ("precision", "recall", "f1"):
            figures[name] = float(value)
    result = {
        "sizes": {"persons": args.persons, "records": rows},
        "machine": common.machine(),
        "seed": args.seed,
        "threshold": 0.5,
        "model_version": "default",
        "pairwise": figures,
        "seconds": round(seconds, 1),
        "records_per_second": round(rows / seconds),
        "command_output": printed.strip().splitlines(),
    }
    path = common.write_result("identity_f1", result)
    print(f"{path}: {printed.strip()}")


if __name__ == "__main__":
    main()
