"""The 33 London local authorities, from data/london_local_authorities.csv."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "london_local_authorities.csv"


def london_local_authority_rows() -> list[dict]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_london_local_authorities(model) -> int:
    """Create or update the rows; `model` is LocalAuthority (or its historical migration model)."""
    rows = london_local_authority_rows()
    for row in rows:
        model.objects.update_or_create(
            gss_code=row["gss_code"],
            defaults={
                "name": row["name"],
                "dfe_code": row["dfe_code"],
                "region": row["region"],
                "police_force": row["police_force"],
            },
        )
    return len(rows)
