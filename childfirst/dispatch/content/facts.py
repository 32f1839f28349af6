"""What is known about a referral, gathered once and split into sections, each tagged with the
category of information it is (directory.InformationCategory), so what an agency gets can be
filtered by its sharing agreement.

A section is {"id", "title", "category", "fields": [{"id", "label", "value", "text"}]}: `value`
for machines (ISO dates, booleans), `text` for people ("3 September 2016")."""

from datetime import date, datetime

from django.utils import timezone

from childfirst.dates import london_date, london_datetime
from childfirst.directory.models import InformationCategory as Cat
from childfirst.incidents.models import Involvement, Role
from childfirst.incidents.questionnaires import definition
from childfirst.people.services import age_on, current_person

# Roles that say a person was accused of or arrested for an offence: their records are the
# criminal history of an adult (never for a school).
OFFENDING_ROLES = (Role.SUSPECT, Role.ARRESTED_PERSON)


def field(id_, label, value, text=None):
    if text is None:
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        elif value is None:
            text = "Not known"
        else:
            text = str(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return {"id": id_, "label": label, "value": value, "text": text}


def section(id_, title, category, fields):
    return {"id": id_, "title": title, "category": category, "fields": fields}


def _name(obj) -> str:
    return f"{obj.given_name} {obj.surname}".strip() or "Name not known"


class Facts:
    """Everything a referral can share, read in a few queries."""

    def __init__(self, referral):
        self.referral = referral
        self.notice = referral.notice
        self.incident = self.notice.incident
        self.child = current_person(self.notice.person)
        self.involvements = list(
            Involvement.objects.filter(incident=self.incident)
            .select_related("mention__person", "school")
            .order_by("pk")
        )

    # Sections -------------------------------------------------------------------------------

    def child_section(self, *, with_address=True):
        child, notice = self.child, self.notice
        fields = [
            field("name", "Name", _name(child)),
            field(
                "date_of_birth",
                "Date of birth",
                child.date_of_birth,
                london_date(child.date_of_birth) or "Not known",
            ),
            field("age_at_incident", "Age at the incident", notice.age_at_incident),
        ]
        if with_address:
            fields += [
                field("address", "Address", child.address or None),
                field("postcode", "Postcode", child.postcode or None),
            ]
        return section("child", "The child", Cat.CHILD_IDENTITY, fields)

    def incident_section(self, *, with_narrative=True, brief=""):
        incident = self.incident
        borough = incident.local_authority.name if incident.local_authority_id else None
        fields = [
            field("police_reference", "Police reference", incident.reference),
            field("kind", "What it was", incident.kind, incident.get_kind_display()),
            field(
                "occurred_at",
                "Date and time",
                incident.occurred_at,
                london_datetime(incident.occurred_at),
            ),
            field("place", "Where", incident.location_address or None),
            field("borough", "Borough", borough),
        ]
        if with_narrative:
            fields.append(field("what_happened", "What happened", incident.narrative or None))
        if brief:
            fields.append(field("what_happened", "What happened, in brief", brief))
        fields.append(
            field(
                "officer",
                "Officer",
                " ".join(x for x in [incident.officer_name, incident.officer_collar_number] if x)
                or None,
            )
        )
        return section("incident", "What happened", Cat.INCIDENT_SUMMARY, fields)

    def child_part_section(self):
        notice, involvement = self.notice, self.notice.involvement
        where = involvement.where_during_incident if involvement else ""
        present = notice.is_present
        return section(
            "child_part",
            "The child's part",
            Cat.INCIDENT_SUMMARY,
            [
                field("role", "Role", notice.role, notice.get_role_display()),
                field("present", "Was the child present", present),
                field("where", "Where the child was", where or None),
            ],
        )

    def voice_section(self):
        involvement = self.notice.involvement
        voice = involvement.voice if involvement else ""
        return section(
            "child_voice",
            "The child's voice",
            Cat.CHILD_VOICE,
            [
                field(
                    "voice", "What the child said or showed", voice or None, voice or "Not recorded"
                )
            ],
        )

    def referral_section(self):
        referral = self.referral
        fields = [
            field("decision", "Decision", referral.decision, referral.get_decision_display()),
            field("text", "Referral", referral.text or None),
            field("decided_by", "Decided by", referral.decided_by.full_name),
            field(
                "decided_at", "Decided", referral.decided_at, london_datetime(referral.decided_at)
            ),
        ]
        if referral.approved_by_id:
            fields.append(field("approved_by", "Approved by", referral.approved_by.full_name))
        return section("referral", "The police referral", Cat.INCIDENT_SUMMARY, fields)

    def risk_section(self, *, respondent=None):
        screening = self.referral.screening
        fields = [
            field("grade", "Risk grade", screening.grade, screening.get_grade_display()),
        ]
        for number, rule in enumerate(screening.rules_fired or [], 1):
            reason = rule.get("reason") if isinstance(rule, dict) else str(rule)
            if reason:
                fields.append(field(f"reason_{number}", "Why", reason))
        for questionnaire in self.incident.questionnaires.order_by("pk"):
            if respondent is not None and questionnaire.respondent_id not in (None, respondent.pk):
                continue
            known = definition(questionnaire.kind)
            name = known.name if known else questionnaire.kind
            prefix = questionnaire.kind
            if questionnaire.answers:
                score = questionnaire.score
                text = f"{score} “yes” answer{'' if score == 1 else 's'}"
                if known and known.high_risk_from:
                    text += f" ({known.high_risk_from} or more is high risk)"
            else:  # nobody answered: no score, rather than a score of 0
                score, text = None, "Not answered"
            fields.append(field(f"{prefix}_score", f"{name}: score", score, text))
            if questionnaire.officer_grade:
                fields.append(
                    field(
                        f"{prefix}_officer_grade",
                        f"{name}: officer's grade",
                        questionnaire.officer_grade,
                    )
                )
            for question in known.questions if known else ():
                given = questionnaire.answers.get(question.id)
                if given is not None:
                    answer = {"yes": "Yes", "no": "No", "not_known": "Not known"}.get(given, given)
                    fields.append(field(f"{prefix}_{question.id}", question.text, given, answer))
        return section("risk", "Risk assessment", Cat.RISK_ASSESSMENT, fields)

    def household_section(self, *, children_only=False, with_child=False):
        fields = []
        for involvement in self.involvements:
            person = involvement.mention.person
            is_the_child = person.pk == self.child.pk or person.merged_into_id == self.child.pk
            if is_the_child and not with_child:
                continue
            if children_only and not involvement.is_child:
                continue
            age = involvement.age_at_incident
            text = f"{_name(involvement.mention)}, {involvement.get_role_display().lower()}"
            if age is not None:
                text += f", {age}"
            fields.append(
                field(
                    f"person_{involvement.ref}",
                    "Child" if involvement.is_child else "Adult",
                    {"name": _name(involvement.mention), "role": involvement.role, "age": age},
                    text,
                )
            )
        return section("household", "People in the incident and household", Cat.HOUSEHOLD, fields)

    def adults_offending(self):
        """Adults in this incident as suspects or arrested, each with their other, earlier
        records as a suspect or arrested (the history behind this incident, not this incident
        itself, which the referral already describes), newest first."""
        adults = [i for i in self.involvements if not i.is_child and i.role in OFFENDING_ROLES]
        person_ids = {i.mention.person_id for i in adults}
        records = {}
        for other in (
            Involvement.objects.filter(
                mention__person_id__in=person_ids,
                role__in=OFFENDING_ROLES,
                incident__occurred_at__lt=self.incident.occurred_at,
            )
            .exclude(incident_id=self.incident.pk)
            .select_related("incident", "mention")
            .order_by("-incident__occurred_at")
        ):
            records.setdefault(other.mention.person_id, []).append(other)
        return [(i, records.get(i.mention.person_id, [])) for i in adults]

    def adult_history_section(self):
        fields = []
        for adult, records in self.adults_offending():
            for number, record in enumerate(records, 1):
                incident = record.incident
                fields.append(
                    field(
                        f"{adult.ref}_{number}",
                        _name(adult.mention),
                        {
                            "kind": incident.kind,
                            "occurred_at": incident.occurred_at.isoformat(),
                            "role": record.role,
                            "reference": incident.reference,
                        },
                        f"{incident.get_kind_display()}, "
                        f"{london_date(incident.occurred_at)}"
                        f" ({record.get_role_display().lower()})",
                    )
                )
        return section(
            "adult_history", "Adults' criminal history", Cat.ADULT_CRIMINAL_HISTORY, fields
        )

    def police_history_section(self):
        from childfirst.incidents.models import Notice

        fields = []
        for number, earlier in enumerate(
            Notice.objects.filter(person_id=self.child.pk)
            .exclude(pk=self.notice.pk)
            .select_related("incident")
            .order_by("-incident__occurred_at")[:50],
            1,
        ):
            incident = earlier.incident
            fields.append(
                field(
                    f"notice_{number}",
                    london_date(incident.occurred_at),
                    {
                        "kind": incident.kind,
                        "role": earlier.role,
                        "occurred_at": incident.occurred_at.isoformat(),
                    },
                    f"{incident.get_kind_display()} ({earlier.get_role_display().lower()})",
                )
            )
        return section("police_history", "The child's police history", Cat.POLICE_HISTORY, fields)

    def exploitation_section(self):
        from childfirst.incidents.models import Indicator

        labels = dict(Indicator.choices)
        codes = list(
            dict.fromkeys(
                [*(self.incident.indicators or []), *(self.referral.screening.indicators or [])]
            )
        )
        fields = [
            field(
                f"indicator_{code}",
                "Sign",
                code,
                labels.get(code, str(code).replace("_", " ").capitalize()),
            )
            for code in codes
        ]
        return section("exploitation", "Exploitation indicators", Cat.EXPLOITATION, fields)

    def adult_victim(self):
        """The adult the MARAC referral is about: the DASH respondent, else the adult victim."""
        for questionnaire in self.incident.questionnaires.order_by("pk"):
            if questionnaire.respondent_id:
                found = next(
                    (i for i in self.involvements if i.pk == questionnaire.respondent_id), None
                )
                if found and not found.is_child:
                    return found
        return next(
            (i for i in self.involvements if not i.is_child and i.role == Role.VICTIM), None
        )

    def adult_victim_section(self, victim):
        mention = victim.mention if victim else None
        born = mention.date_of_birth if mention else None
        age = None
        if born:
            age = age_on(date_of_birth=born, on=timezone.localdate(self.incident.occurred_at))
        fields = [
            field("name", "Name", _name(mention) if mention else None),
            field("date_of_birth", "Date of birth", born, london_date(born) or "Not known"),
            field("age", "Age at the incident", age),
            field("address", "Address", (mention.address if mention else "") or None),
        ]
        return section("adult_victim", "The adult victim", Cat.HOUSEHOLD, fields)

    def suspect_section(self):
        fields = [
            field(f"suspect_{i.ref}", "Name", _name(i.mention), _name(i.mention))
            for i in self.involvements
            if not i.is_child and i.role in OFFENDING_ROLES
        ]
        return section("suspect", "The person suspected", Cat.HOUSEHOLD, fields)
