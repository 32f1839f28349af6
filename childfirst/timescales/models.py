"""Timescales: working days, school days, clocks, breaches and escalation."""

from django.db import models  # noqa: F401
