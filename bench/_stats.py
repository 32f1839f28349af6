"""Percentiles for the benches: one definition, so that a p95 in one result means what it means
in another."""


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by linear interpolation between the nearest ranks (numpy's default,
    and statistics.median for p = 50); 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
