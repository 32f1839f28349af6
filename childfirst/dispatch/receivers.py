"""Receivers of lower apps' signals.

desk.signals.referral_completed is deliberately NOT connected to sending: a referral is sent
by a person on the check-and-send page after reading what each agency will get (issue 5: "the
desk previews each before sending"). A completed referral with a decision to refer or share
and no disclosures yet is "ready to send" (dispatch.services.why_not_sendable and the desk's
link to /dispatch/referrals/<id>/send), which needs no record of its own.
"""
