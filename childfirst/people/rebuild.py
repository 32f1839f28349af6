"""`childfirst identity train` and `childfirst identity rebuild`: the batch side of identity,
with Splink (childfirst.people.training) over every mention in the database."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from childfirst.audit.services import SYSTEM
from childfirst.people import matching as mt
from childfirst.people import resolver, training
from childfirst.people.index import reset_index
from childfirst.people.models import MatchStatus, Mention, Person, ReviewPair, ReviewStatus

LOAD_FIELDS = resolver.MENTION_FIELDS


def mention_table(*, limit: int | None = None):
    """Every mention (or the latest `limit`) as Splink's input table, and the person of each."""
    rows = Mention.objects.order_by("-id" if limit else "id").values_list(*LOAD_FIELDS)
    if limit:
        rows = rows[:limit]
    persons: dict[int, int] = {}
    incidents: dict[int, str] = {}
    records: dict[int, mt.Record] = {}

    def each():
        for values in rows.iterator(chunk_size=20_000):
            row = resolver._row(values)
            incident = f"{values[2]}\x1f{values[3]}"
            persons[row.mention_id] = row.person_id
            incidents[row.mention_id] = incident
            records[row.mention_id] = row.record
            yield row.mention_id, row.record, incident

    table = training.table_of(each())
    return table, persons, incidents, records


def train_model(*, limit: int | None = None, seed: int = 42, max_pairs: float = 5e6,
                activate: bool = True):  # fmt: skip
    """Train on the force's mentions and store the result as a new model version."""
    from childfirst.people.services import store_model

    started = time.perf_counter()
    table, *_ = mention_table(limit=limit)
    if table.num_rows < 2:
        raise ValueError("There are not enough mentions to train on: store some incidents first")
    base = resolver.active_model(fresh=True).params
    trained = training.train(table, base=base, seed=seed, max_pairs=max_pairs)
    trained.summary["seconds"] = round(time.perf_counter() - started, 1)
    return store_model(
        params=trained.params,
        source=f"{table.num_rows:,} mentions",
        summary=trained.summary,
        activate=activate,
    )


@dataclass
class RebuildReport:
    mentions: int = 0
    pairs_scored: int = 0
    merges: list[tuple[int, int]] = field(default_factory=list)  # (survivor, merged)
    review_pairs: int = 0
    # Mentions whose person the batch would not have put them with: each is put to a reviewer
    # (a review pair of the mention and its own person), who may take it away.
    doubted: int = 0
    held_apart: int = 0  # joins refused: one incident, a contradiction or a rejected pair
    seconds: float = 0.0


def rebuild(*, dry_run: bool = False, stdout=None) -> RebuildReport:
    """Re-resolve every mention in one batch: Splink scores all blocked pairs (predict), each
    pair goes through the online scorer's weights and safeguards, Splink clusters the links
    at or above the link threshold, and persons that belong together are merged (as the
    system, each merge logged and undoable). A join is refused when it would put two mentions
    of one incident together, when any two of their mentions contradict each other (different
    given names, dates of birth or sex), or when a reviewer has rejected the pair. Pairs
    between the thresholds become review pairs. A rebuild never splits a person by itself:
    wrongly parting records is put right by people. Where Splink's clusters put a person's
    mentions apart and the online scorer agrees they are not a link, each stray mention goes to
    the review queue against its own person; a reviewer who rejects it moves it to a new
    person. Records matched on an identifier or by a reviewer are never doubted."""
    from childfirst.people.services import merge_persons

    started = time.perf_counter()
    report = RebuildReport()
    model = resolver.active_model(fresh=True)
    table, person_of, incident_of, records = mention_table()
    report.mentions = table.num_rows
    if table.num_rows < 2:
        return report

    links: list[tuple[int, int, float]] = []
    doubtful: list[tuple[int, int, float, tuple]] = []
    for left, right, levels in training.predict_pairs(table, model.params, threshold=0.5):
        report.pairs_scored += 1
        if incident_of[left] == incident_of[right]:
            continue
        exact = levels[mt.POS_I] == mt.I_EXACT
        probability = 1.0 if exact else model.probability_from_levels(levels)
        if probability >= model.link_threshold:
            links.append((left, right, probability))
        elif probability >= model.review_threshold:
            doubtful.append((left, right, probability, levels))

    clusters = training.cluster(table, links, threshold=model.link_threshold)
    members: dict[int, list[int]] = defaultdict(list)
    for mention_id, cluster_id in clusters.items():
        members[cluster_id].append(mention_id)

    rejected = set(
        ReviewPair.objects.filter(status=ReviewStatus.REJECTED).values_list(
            "mention_id", "person_id"
        )
    )
    edges_of: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for left, right, probability in links:
        if person_of[left] != person_of[right]:
            edges_of[clusters[left]].append((probability, person_of[left], person_of[right]))

    group_of: dict[int, int] = {}  # person -> the person it now joins
    mentions_of: dict[int, list[int]] = defaultdict(list)
    for mention_id, person_id in person_of.items():
        mentions_of[person_id].append(mention_id)

    def root(person):
        while group_of.get(person, person) != person:
            person = group_of[person]
        return person

    def compatible(one: int, two: int) -> bool:
        ones, twos = mentions_of[one], mentions_of[two]
        if {incident_of[m] for m in ones} & {incident_of[m] for m in twos}:
            return False
        for a in ones:
            if (a, two) in rejected:
                return False
            for b in twos:
                if (b, one) in rejected or model.contradicts(mt.compare(records[a], records[b])):
                    return False
        return True

    planned: list[tuple[int, int]] = []
    for cluster_id in members:
        for _, one, two in sorted(edges_of.get(cluster_id, ()), reverse=True):
            one, two = root(one), root(two)
            if one == two:
                continue
            if not compatible(one, two):
                report.held_apart += 1
                continue
            survivor, merged = (one, two) if one < two else (two, one)
            group_of[merged] = survivor
            mentions_of[survivor].extend(mentions_of.pop(merged))
            planned.append((survivor, merged))
    report.merges = planned

    pairs = []
    seen = set(ReviewPair.objects.values_list("mention_id", "person_id"))
    for left, right, probability, levels in doubtful:
        a, b = root(person_of[left]), root(person_of[right])
        if a == b or (left, b) in seen:
            continue
        seen.add((left, b))
        pairs.append((left, b, probability, levels))
    doubted = _doubted_mentions(model, clusters, person_of, records, planned, seen)
    report.doubted = len(doubted)
    pairs += doubted
    report.review_pairs = len(pairs)

    if not dry_run:
        persons = Person.objects.in_bulk({p for pair in planned for p in pair})
        for survivor, merged in planned:
            merge_persons(
                survivor=persons[survivor],
                merged=persons[merged],
                by=SYSTEM,
                reason="Identity rebuild: Splink linked their mentions",
            )
        ReviewPair.objects.bulk_create(
            [
                ReviewPair(
                    mention_id=mention_id,
                    person_id=person_id,
                    probability=probability,
                    explanation=model.explain_levels(levels).as_dict(),
                    model_version=model.version,
                )
                for mention_id, person_id, probability, levels in pairs
            ]
        )
        reset_index()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _doubted_mentions(model, clusters, person_of, records, planned, seen) -> list[tuple]:
    """(mention, person, probability, levels) for each mention that Splink's clusters put apart
    from the rest of its person, the group with most mentions being the person's core."""
    merged_away = {merged for _, merged in planned}
    mentions_of: dict[int, list[int]] = defaultdict(list)
    for mention_id, person_id in person_of.items():
        if person_id not in merged_away:
            mentions_of[person_id].append(mention_id)
    several = {person: ids for person, ids in mentions_of.items() if len(ids) > 1}
    if not several:
        return []
    trusted = set(
        Mention.objects.filter(
            person_id__in=list(several),
            match_status__in=[MatchStatus.EXACT_IDENTIFIER, MatchStatus.MANUAL],
        ).values_list("id", flat=True)
    )
    doubted = []
    for person_id, ids in several.items():
        groups: dict[int, list[int]] = defaultdict(list)
        for mention_id in sorted(ids):
            groups[clusters.get(mention_id, -mention_id)].append(mention_id)
        if len(groups) < 2:
            continue
        core = max(groups.values(), key=lambda group: (len(group), -group[0]))
        for group in groups.values():
            if group is core:
                continue
            for mention_id in group:
                if mention_id in trusted or (mention_id, person_id) in seen:
                    continue
                best = max(
                    (mt.compare(records[mention_id], records[other]) for other in core),
                    key=model.probability_from_levels,
                )
                probability = model.probability_from_levels(best)
                if probability >= model.link_threshold:
                    continue
                seen.add((mention_id, person_id))
                doubted.append((mention_id, person_id, probability, best))
    return doubted
