"""Splink for the batch work: training the model on the force's own mentions, and rebuilding
every identity at once.

The comparisons built here are the online scorer's comparison levels (matching.COMPARISONS)
written in SQL, level for level and in the same order, so the m and u probabilities Splink
estimates are the ones the online scorer uses. tests/people/test_training.py checks that Splink
puts sample pairs in the same levels as matching.compare.

DuckDB runs it on one machine. At national scale the same settings run on Spark: see
docs/identity.md ("Rebuilding on Spark").
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from childfirst.people import matching as mt

logger = logging.getLogger(__name__)

# Functions whose names differ between the SQL dialects Splink runs on.
DIALECT_SQL = {
    "duckdb": {
        "intersect": "len(list_intersect({l}, {r})) >= {n}",
        "contains": "list_contains({array}, {value})",
        "jaro_winkler": "jaro_winkler_similarity",
        "levenshtein": "levenshtein",
        "text": "CAST({x} AS VARCHAR)",
    },
    "spark": {
        "intersect": "size(array_intersect({l}, {r})) >= {n}",
        "contains": "array_contains({array}, {value})",
        "jaro_winkler": "jaro_winkler",
        "levenshtein": "levenshtein",
        "text": "CAST({x} AS STRING)",
    },
}

SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("incident", pa.string()),
        ("given", pa.string()),
        ("given_first", pa.string()),
        ("given_tokens", pa.list_(pa.string())),
        ("given_keys", pa.list_(pa.string())),
        ("given_block", pa.string()),
        ("surname", pa.string()),
        ("surname_joined", pa.string()),
        ("surname_keys", pa.list_(pa.string())),
        ("surname_sound", pa.string()),
        ("dob_y", pa.int32()),
        ("dob_m", pa.int32()),
        ("dob_d", pa.int32()),
        ("dob_sorted", pa.string()),
        ("sex", pa.string()),
        ("postcode", pa.string()),
        ("postcode_sector", pa.string()),
        ("postcode_district", pa.string()),
        ("address", pa.string()),
        ("address_tokens", pa.list_(pa.string())),
        ("nhs", pa.string()),
        ("pnc", pa.string()),
    ]
)


def _or_none(value):
    return value if value else None


def table_of(records: Iterable[tuple[int, mt.Record, str]]) -> pa.Table:
    """(unique id, record, incident key) -> the columns the SQL levels read."""
    columns = {name: [] for name in SCHEMA.names}
    for uid, r, incident in records:
        g, s, pc = r.given, r.surname, r.postcode
        y, m, d = r.dob
        columns["unique_id"].append(uid)
        columns["incident"].append(incident or None)
        columns["given"].append(g.norm if g else None)
        columns["given_first"].append(g.first if g else None)
        columns["given_tokens"].append(list(g.tokens) if g else None)
        columns["given_keys"].append(sorted(g.keys) if g else None)
        columns["given_block"].append(g.first if g else None)
        columns["surname"].append(s.norm if s else None)
        columns["surname_joined"].append(s.joined if s else None)
        columns["surname_keys"].append(sorted(s.keys) if s else None)
        columns["surname_sound"].append(s.phonetics[0] if s else None)
        columns["dob_y"].append(y)
        columns["dob_m"].append(m)
        columns["dob_d"].append(d)
        columns["dob_sorted"].append(mt._sorted_day_month(r.dob))
        columns["sex"].append(_or_none(r.sex))
        columns["postcode"].append(pc.full if pc else None)
        columns["postcode_sector"].append(pc.sector if pc else None)
        columns["postcode_district"].append(pc.district if pc else None)
        columns["address"].append(_or_none(r.address))
        columns["address_tokens"].append(r.address.split() if r.address else None)
        columns["nhs"].append(_or_none(r.nhs))
        columns["pnc"].append(_or_none(r.pnc))
    return pa.table(columns, schema=SCHEMA)


def level_sql(dialect: str = "duckdb") -> dict[str, list[str]]:
    """SQL conditions of every non-null level, comparison by comparison, in the order of
    matching.COMPARISONS (the null level's condition is separate: see null_sql)."""
    f = DIALECT_SQL[dialect]
    jw = f["jaro_winkler"]

    def intersect(col, n=1):
        return f["intersect"].format(l=f"{col}_l", r=f"{col}_r", n=n)

    swapped = "given_l = surname_r AND surname_l = given_r AND given_l <> surname_l"
    full = "dob_d_l IS NOT NULL AND dob_d_r IS NOT NULL"
    year_text = f["text"]
    year_slip = (
        f"(abs(dob_y_l - dob_y_r) = 1 OR {f['levenshtein']}("
        f"{year_text.format(x='dob_y_l')}, {year_text.format(x='dob_y_r')}) = 1)"
    )
    variant = (
        f"{intersect('given_keys')}"
        f" OR {f['contains'].format(array='given_tokens_r', value='given_first_l')}"
        f" OR {f['contains'].format(array='given_tokens_l', value='given_first_r')}"
    )
    initial = (
        "(length(given_l) = 1 OR length(given_r) = 1) "
        "AND substr(given_l, 1, 1) = substr(given_r, 1, 1)"
    )
    # Swapped with a typing slip (matching.names_swapped_mistyped): the swapped level, but only
    # once the names compared straight fall through every other level, as the scorer asks it.
    mistyped = (
        f"given_l <> surname_l AND {jw}(given_l, surname_r) >= {mt.JW_HIGH} "
        f"AND {jw}(surname_l, given_r) >= {mt.JW_HIGH}"
    )
    given_swapped = (
        f"({swapped}) OR (NOT ({variant}) AND NOT ({initial}) "
        f"AND {jw}(given_l, given_r) < {mt.JW_LOW} AND {mistyped})"
    )
    surname_swapped = (
        f"({swapped}) OR (NOT ({intersect('surname_keys')}) "
        f"AND {jw}(surname_joined_l, surname_joined_r) < {mt.JW_LOW} AND {mistyped})"
    )
    return {
        "given_name": [
            "given_l = given_r",
            given_swapped,
            f"({variant})",
            initial,
            f"{jw}(given_l, given_r) >= {mt.JW_HIGH}",
            f"{jw}(given_l, given_r) >= {mt.JW_LOW}",
        ],
        "surname": [
            "surname_joined_l = surname_joined_r",
            surname_swapped,
            intersect("surname_keys"),
            f"{jw}(surname_joined_l, surname_joined_r) >= {mt.JW_HIGH}",
            f"{jw}(surname_joined_l, surname_joined_r) >= {mt.JW_LOW}",
        ],
        "date_of_birth": [
            f"{full} AND dob_y_l = dob_y_r AND dob_m_l = dob_m_r AND dob_d_l = dob_d_r",
            f"{full} AND dob_y_l = dob_y_r AND dob_d_l = dob_m_r AND dob_m_l = dob_d_r",
            f"{full} AND ((dob_y_l = dob_y_r AND (dob_m_l = dob_m_r OR dob_d_l = dob_d_r)) "
            f"OR (dob_m_l = dob_m_r AND dob_d_l = dob_d_r AND {year_slip}))",
            f"NOT ({full}) AND dob_y_l = dob_y_r "
            "AND (dob_m_l IS NULL OR dob_m_r IS NULL OR dob_m_l = dob_m_r)",
            "dob_y_l = dob_y_r",
        ],
        "sex": ["sex_l = sex_r"],
        "postcode": [
            "postcode_l = postcode_r",
            "postcode_sector_l = postcode_sector_r",
            "postcode_district_l = postcode_district_r",
        ],
        "address": ["address_l = address_r", intersect("address_tokens", 2)],
        "identifiers": ["nhs_l = nhs_r OR pnc_l = pnc_r"],
    }


NULL_SQL = {
    "given_name": "given_l IS NULL OR given_r IS NULL",
    "surname": "surname_l IS NULL OR surname_r IS NULL",
    "date_of_birth": "dob_y_l IS NULL OR dob_y_r IS NULL",
    "sex": "sex_l IS NULL OR sex_r IS NULL",
    "postcode": "(postcode_l IS NULL AND postcode_district_l IS NULL) "
    "OR (postcode_r IS NULL AND postcode_district_r IS NULL)",
    "address": "address_l IS NULL OR address_r IS NULL",
    "identifiers": "(nhs_l IS NULL OR nhs_r IS NULL) AND (pnc_l IS NULL OR pnc_r IS NULL)",
}


def comparisons(dialect: str = "duckdb", params: dict | None = None) -> list:
    """Splink comparisons, one per matching.COMPARISONS entry, levels in the same order; with
    `params`, each level starts from those m and u."""
    from splink import comparison_library as cl

    sql = level_sql(dialect)
    out = []
    for comparison in mt.COMPARISONS:
        levels = [{"sql_condition": NULL_SQL[comparison.key], "label_for_charts": "null",
                   "is_null_level": True}]  # fmt: skip
        for level, condition in zip(comparison.levels[1:-1], sql[comparison.key], strict=True):
            levels.append({"sql_condition": condition, "label_for_charts": level.key})
        levels.append({"sql_condition": "ELSE", "label_for_charts": comparison.levels[-1].key})
        if params is not None:
            for level in levels[1:]:
                found = params["comparisons"][comparison.key][level["label_for_charts"]]
                level["m_probability"] = found["m"]
                level["u_probability"] = found["u"]
        out.append(
            cl.CustomComparison(
                comparison_levels=levels,
                output_column_name=comparison.key,
                comparison_description=comparison.label,
            )
        )
    return out


def blocking_rules():
    """Pairs Splink scores in a rebuild: the SQL form of matching.blocking_keys."""
    from splink import block_on

    return [
        block_on("dob_sorted", "surname_sound"),
        block_on("dob_sorted", "given_block"),
        block_on("dob_y", "surname_sound", "substr(given_first, 1, 1)"),
        block_on("postcode", "surname_sound"),
        block_on("dob_sorted", "postcode_district"),
        block_on("nhs"),
        block_on("pnc"),
    ]


def settings(params: dict | None, dialect: str = "duckdb", *, keep_levels: bool = False):
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(dialect, params),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=(
            params["probability_two_random_records_match"] if params else 1e-6
        ),
        retain_intermediate_calculation_columns=keep_levels,
        retain_matching_columns=keep_levels,
    )


def linker_for(table: pa.Table, params: dict | None = None, *, keep_levels: bool = False):
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    df = db_api.register(table, table_name="mentions")
    return Linker(df, settings(params, keep_levels=keep_levels), log_level=logging.WARNING)


@dataclass
class Trained:
    params: dict
    summary: dict


EM_SESSIONS = (
    # Blocked on these columns, a session estimates m for every comparison but these.
    (("dob_y", "dob_m", "dob_d"), ("date_of_birth",)),
    (("surname_joined", "given"), ("given_name", "surname")),
)


def train(table: pa.Table, *, base: dict, seed: int = 42, max_pairs: float = 5e6) -> Trained:
    """Estimate u by random sampling and m by expectation maximisation (unsupervised), on
    the force's own mentions. Each EM session starts from the sampled u; a level's m is the
    mean of the sessions that estimated it. Thresholds and safeguards are kept from `base`; a
    level Splink could not estimate (never seen in the data) keeps its value from `base`."""
    from splink import block_on

    linker = linker_for(table, base)
    deterministic = [
        block_on("given", "surname_joined", "dob_y", "dob_m", "dob_d"),
        block_on("nhs"),
        block_on("pnc"),
    ]
    try:
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    except ValueError as error:  # no deterministic matches at all in a tiny table
        logger.warning("Keeping the prior: %s", error)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    with_u = _params_from_splink(linker.misc.save_model_to_json(), base, m_too=False)

    estimates: dict[tuple[str, str], list[float]] = {}
    sessions = []
    for fields, blocked in EM_SESSIONS:
        session_linker = linker_for(table, with_u)
        try:
            session = session_linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*fields), estimate_without_term_frequencies=True
            )
        except ValueError as error:
            # Splink refuses an m that EM drove to exactly 0 (a level never seen among the
            # matches of a small table); the other sessions still count.
            logger.warning("EM blocked on %s skipped: %s", fields, error)
            sessions.append({"blocked_on": list(fields), "skipped": str(error)[:200]})
            continue
        iterations = len(getattr(session, "_core_model_settings_history", ()))
        sessions.append({"blocked_on": list(fields), "iterations": iterations})
        found = _params_from_splink(session_linker.misc.save_model_to_json(), with_u)
        for comparison in mt.COMPARISONS:
            if comparison.key in blocked:
                continue
            for level in comparison.levels[1:]:
                m = found["comparisons"][comparison.key][level.key]["m"]
                estimates.setdefault((comparison.key, level.key), []).append(m)
    params = copy.deepcopy(with_u)
    for (comparison, level), values in estimates.items():
        params["comparisons"][comparison][level]["m"] = sum(values) / len(values)
    params["description"] = "Estimated by `childfirst identity train` with Splink."
    mt.validate_params(params)
    return Trained(
        params=params,
        summary={
            "records": table.num_rows,
            "em_sessions": sessions,
            "splink_model": _slim(linker.misc.save_model_to_json()),
        },
    )


def _clean(value, fallback):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return fallback
    if math.isnan(value) or value <= 0:
        return fallback
    return min(value, 1.0)


def _params_from_splink(model: dict, base: dict, *, m_too: bool = True) -> dict:
    params = copy.deepcopy(base)
    params["probability_two_random_records_match"] = _clean(
        model.get("probability_two_random_records_match"),
        base["probability_two_random_records_match"],
    )
    by_name = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in mt.COMPARISONS:
        trained = by_name[comparison.key]["comparison_levels"]
        non_null = [level for level in trained if not level.get("is_null_level")]
        for level, found in zip(comparison.levels[1:], non_null, strict=True):
            old = base["comparisons"][comparison.key][level.key]
            params["comparisons"][comparison.key][level.key] = {
                "m": _clean(found.get("m_probability"), old["m"]) if m_too else old["m"],
                "u": _clean(found.get("u_probability"), old["u"]),
            }
    return params


def _slim(model: dict) -> dict:
    """The Splink settings without anything bulky, for the record."""
    return {
        "probability_two_random_records_match": model.get("probability_two_random_records_match"),
        "comparisons": [
            {
                "output_column_name": c["output_column_name"],
                "levels": [
                    {
                        k: level.get(k)
                        for k in ("label_for_charts", "m_probability", "u_probability")
                    }  # fmt: skip
                    for level in c["comparison_levels"]
                ],
            }
            for c in model["comparisons"]
        ],
    }


def gamma_to_level(comparison: mt.Comparison, gamma: int) -> int:
    """Splink numbers a comparison's levels from the last (0) up, null as -1; ours count from
    the null level (0) down the list."""
    if gamma < 0:
        return mt.NULL
    return len(comparison.levels) - 1 - gamma


def predict_pairs(table: pa.Table, params: dict, *, threshold: float):
    """Score every blocked pair with Splink, then put each pair through the online scorer's
    weights and safeguards (from Splink's comparison levels). Yields (id_l, id_r, levels)."""
    linker = linker_for(table, params, keep_levels=True)
    low = max(1e-9, min(threshold, 0.5) / 1000)
    predictions = linker.inference.predict(threshold_match_probability=low)
    gammas = [f"gamma_{c.key}" for c in mt.COMPARISONS]
    columns = predictions.as_pyarrow_table().select(["unique_id_l", "unique_id_r", *gammas])
    for row in zip(*(columns.column(i).to_pylist() for i in range(columns.num_columns)),
                   strict=True):  # fmt: skip
        levels = tuple(gamma_to_level(c, g) for c, g in zip(mt.COMPARISONS, row[2:], strict=True))
        yield row[0], row[1], levels


def cluster(table: pa.Table, edges: list[tuple[int, int, float]], *, threshold: float):
    """Splink's connected components over the edges at or above the threshold: id -> cluster."""
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    db_api = DuckDBAPI()
    nodes = db_api.register(pa.table({"unique_id": table.column("unique_id")}))
    edge_table = pa.table(
        {
            "unique_id_l": [e[0] for e in edges],
            "unique_id_r": [e[1] for e in edges],
            "match_probability": [e[2] for e in edges],
        },
        schema=pa.schema(
            [("unique_id_l", pa.int64()), ("unique_id_r", pa.int64()),
             ("match_probability", pa.float64())]
        ),
    )  # fmt: skip
    edge_df = db_api.register(edge_table)
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes, edge_df, db_api, "unique_id", threshold_match_probability=threshold
    )
    table = clustered.as_pyarrow_table().select(["unique_id", "cluster_id"])
    return dict(zip(table.column(0).to_pylist(), table.column(1).to_pylist(), strict=True))
