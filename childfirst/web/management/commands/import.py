"""`childfirst import KIND FILE`: import reference data, or incidents, from a file.

Each Child First app may offer importers: its `importers.py` has IMPORTERS, a mapping from a
kind of file ("schools") to a function called as `importer(path=..., progress=...)` that
returns an ImportReport and raises ImportFileError when the file cannot be imported at all.
This command finds them across the installed apps, so a new kind needs no change here.
"""

import importlib
import sys
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule
from tqdm import tqdm

from childfirst import bulk
from childfirst.directory.importers import ImportFileError, Progress

# Smaller files import in a moment, so they get no progress bar.
PROGRESS_BAR_FROM_BYTES = 1_000_000


def available_importers() -> dict:
    """Every kind of file the Child First apps can import, mapped to its importer."""
    found: dict = {}
    where: dict = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("childfirst."):
            continue
        if not module_has_submodule(config.module, "importers"):
            continue
        module = importlib.import_module(f"{config.name}.importers")
        for kind, importer in getattr(module, "IMPORTERS", {}).items():
            if kind in found:
                raise CommandError(
                    f'Both {where[kind]} and {module.__name__} import "{kind}"; rename one.'
                )
            found[kind] = importer
            where[kind] = module.__name__
    return dict(sorted(found.items()))


class Command(BaseCommand):
    help = "Import a file of incidents, or of reference data like the national list of schools"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            metavar="KIND",
            help=f"What the file holds: {', '.join(available_importers())}",
        )
        parser.add_argument(
            "file",
            metavar="FILE",
            type=Path,
            help="The file to import: CSV, or JSON Lines (one incident a line) for incidents",
        )
        parser.add_argument("--quiet", action="store_true", help="Show no progress bar")

    def handle(self, *args, kind, file, quiet, **options):
        bulk.tune_gc_for_batches()
        importers = available_importers()
        importer = importers.get(kind)
        if importer is None:
            raise CommandError(
                f'Child First cannot import "{kind}". Choose one of: {", ".join(importers)}.'
            )
        bar = None
        if not quiet and file.is_file() and file.stat().st_size >= PROGRESS_BAR_FROM_BYTES:
            bar = tqdm(
                total=file.stat().st_size,
                desc=f"Importing {kind}",
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                # Not self.stderr: Django's wrapper ends every write with a new line.
                file=options.get("stderr") or sys.stderr,
            )
        try:
            report = importer(path=file, progress=self._progress(bar))
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        finally:
            if bar is not None:
                bar.close()
        for line in report.summary():
            self.stdout.write(line)

    @staticmethod
    def _progress(bar):
        if bar is None:
            return None

        def show(progress: Progress):
            bar.update(progress.bytes_read - bar.n)
            bar.set_postfix_str(f"{progress.rows:,} rows", refresh=False)

        return show
