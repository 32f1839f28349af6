"""Run in its own process against a file database: a referral to 60 agencies with webhooks,
sent (so deliver_disclosures is queued in the database task queue). argv: receiver URL."""

import sys

import django

django.setup()

from childfirst.accounts.models import Role  # noqa: E402
from childfirst.desk.models import ReferralRecipient  # noqa: E402
from childfirst.directory.models import Agency, AgencyKind  # noqa: E402
from childfirst.dispatch import services  # noqa: E402
from tests.builders import make_user  # noqa: E402
from tests.dispatch import builders as b  # noqa: E402

url = sys.argv[1]
agencies = b.setting()
Agency.objects.filter(pk=agencies["mash"].pk).update(notify_email="")
referral = b.referral(agencies, names=("mash",))
mash_agreement = referral.recipients.get().agreement
for n in range(59):
    agency = Agency.objects.create(
        code=f"hackney-csc-{n}",
        name=f"Hackney team {n}",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        webhook_url=url,
        webhook_secret=b.SECRET,
    )
    ReferralRecipient.objects.create(referral=referral, agency=agency, agreement=mash_agreement)
Agency.objects.filter(pk=agencies["mash"].pk).update(webhook_url=url, webhook_secret=b.SECRET)
referral = services.referral_for_sending(referral.pk)
sent = services.send_referral(referral=referral, by=make_user(role=Role.DESK_RESEARCHER))
print(len(sent))
