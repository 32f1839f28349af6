"""Serve the web app and run the background worker together, until interrupted."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Child First and its background worker together"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CHILDFIRST_BIND", "127.0.0.1:8000"))
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only")

    def handle(self, *args, bind, web_workers, no_worker, **options):
        children = []
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "childfirst.settings"
            ),
        }
        if not no_worker:
            children.append(
                subprocess.Popen([sys.executable, "-m", "childfirst.cli", "worker"], env=env)
            )
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "childfirst.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(web_workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            env=env,
        )
        children.append(web)
        address = bind if bind.startswith("http") else f"http://{bind}"
        self.stdout.write(self.style.SUCCESS(f"Child First is running at {address}"))
        if not settings.PRODUCTION:
            self.stdout.write("Demo sign-in details: run `.venv/bin/childfirst demo --show-users`")
        self.stdout.write("Press Ctrl+C to stop.")

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = web.wait()
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        return None if code in (0, -signal.SIGTERM, -signal.SIGINT) else sys.exit(code)
