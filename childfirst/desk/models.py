"""Desk: the Public Protection Referrals desk: queue, review, decisions, referrals, approvals."""

from django.db import models  # noqa: F401
