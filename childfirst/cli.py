"""The `childfirst` command: Django's management commands plus friendly ones.

childfirst serve            web server and background worker together
childfirst worker           the background worker alone
childfirst demo             demo users, agencies, wards, postcodes and schools
childfirst createuser       a user with a role
childfirst apiclient create NAME --scope intake|partner [--agency CODE]
childfirst import KIND FILE schools, wards, postcodes, local-authorities, term-dates, incidents
childfirst identity ...     train, rebuild and dedupe (docs/identity.md)
childfirst clocks ...       due and check (docs/clocks.md)
childfirst screening run-pending
                            screen the notices bulk imports queued (the worker does it too)
childfirst migrate, check, ... any Django management command
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        argv = argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childfirst.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["childfirst", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
