"""childfirst identity train | rebuild | dedupe | models: identity resolution in batch.

  childfirst identity train [--sample N] [--max-pairs N] [--seed N] [--no-activate]
  childfirst identity rebuild [--dry-run]
  childfirst identity dedupe INPUT.csv --id-column COL --map given_name=COL,surname=COL,...
                             [--truth COL] [--threshold P] --out PAIRS.csv
  childfirst identity models [--activate VERSION]

See docs/identity.md.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from childfirst.people import dedupe, matching, rebuild, resolver
from childfirst.people.models import IdentityModel
from childfirst.words import count_of


class Command(BaseCommand):
    help = "Identity resolution in batch: train the model, rebuild identities, dedupe a CSV."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        train = commands.add_parser(
            "train", help="Estimate the model from the force's own mentions with Splink"
        )
        train.add_argument("--sample", type=int, default=None, help="Use the latest N mentions")
        train.add_argument(
            "--max-pairs", type=float, default=5e6, help="Random pairs for the u estimate"
        )
        train.add_argument("--seed", type=int, default=42)
        train.add_argument(
            "--no-activate", action="store_true", help="Store the version without using it"
        )

        build = commands.add_parser(
            "rebuild", help="Re-resolve every mention in one batch with Splink"
        )
        build.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing"
        )

        dd = commands.add_parser(
            "dedupe", help="Deduplicate a CSV of people with the app's matcher"
        )
        dd.add_argument("input", metavar="INPUT.csv")
        dd.add_argument("--id-column", required=True, help="The column that names each row")
        dd.add_argument(
            "--map",
            required=True,
            dest="mapping",
            help="FIELD=COLUMN pairs, comma separated. Fields: " + ", ".join(dedupe.FIELDS),
        )
        dd.add_argument("--truth", default=None, help="A column naming the real entity")
        dd.add_argument("--threshold", type=float, default=0.5)
        dd.add_argument("--out", required=True, metavar="PAIRS.csv")

        models = commands.add_parser("models", help="List model versions, or activate one")
        models.add_argument("--activate", metavar="VERSION", default=None)

    def handle(self, *args, action, **options):
        logging.getLogger("splink").setLevel(logging.ERROR)
        return getattr(self, f"do_{action}")(**options)

    def do_train(self, *, sample, max_pairs, seed, no_activate, **_):
        try:
            row = rebuild.train_model(
                limit=sample, seed=seed, max_pairs=max_pairs, activate=not no_activate
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        state = "now active" if row.is_active else "stored, not active"
        self.stdout.write(
            f"Identity model {row.version} trained on {row.source} ({state}). "
            f"Probability two random records match: "
            f"{row.params['probability_two_random_records_match']:.3g}"
        )

    def do_rebuild(self, *, dry_run, **_):
        with transaction.atomic():
            report = rebuild.rebuild(dry_run=dry_run)
        merge, send = ("Would merge", "Would send") if dry_run else ("Merged", "Sent")
        lines = [
            f"{count_of(report.mentions, 'mention')} and {count_of(report.pairs_scored, 'pair')} "
            f"scored in {report.seconds}s.",
            f"{merge} {count_of(len(report.merges), 'pair')} of persons.",
            f"{send} {count_of(report.review_pairs, 'pair')} to review.",
            f"The safeguards refused {count_of(report.held_apart, 'join')}.",
            f"{send} {count_of(report.doubted, 'mention')} to review that it would not have put "
            "with their person.",
        ]
        self.stdout.write("\n".join(lines))

    def do_dedupe(self, *, input, id_column, mapping, truth, threshold, out, **_):
        try:
            model = resolver.active_model(fresh=True)
        except DatabaseError:
            model = matching.MatchModel.default()  # no database: the shipped model
        try:
            dedupe.run(
                input_path=input,
                id_column=id_column,
                mapping_text=mapping,
                out=out,
                truth_column=truth,
                threshold=threshold,
                model=model,
                stdout=self.stdout,
            )
        except dedupe.DedupeError as error:
            raise CommandError(str(error)) from error

    def do_models(self, *, activate, **_):
        if activate:
            row = IdentityModel.objects.filter(version=activate).first()
            if row is None:
                raise CommandError(f"No identity model version {activate}")
            with transaction.atomic():
                IdentityModel.objects.filter(is_active=True).update(is_active=False)
                IdentityModel.objects.filter(pk=row.pk).update(is_active=True)
            resolver.forget_model()
            self.stdout.write(f"Identity model {activate} is now active")
            return
        rows = list(IdentityModel.objects.all())
        if not rows:
            self.stdout.write("No trained versions: the shipped default model is in use")
        for row in rows:
            mark = "*" if row.is_active else " "
            self.stdout.write(
                f"{mark} {row.version}  {row.trained_at:%Y-%m-%d %H:%M}  {row.source}"
            )
