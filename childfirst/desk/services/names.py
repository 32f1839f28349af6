"""How the desk names a person: as recorded, or in words that say the name was not recorded.
Never an internal placeholder such as "Person 732" (people.Person.__str__)."""

UNNAMED_CHILD = "a child whose name was not recorded"
UNNAMED_PERSON = "a person whose name was not recorded"


def name_of(person, *, child: bool = True) -> str:
    """The person's (or a mention's) given name and surname, or "a child whose name was not
    recorded" ("a person ..." for someone not known to be a child). A plain string (a desk
    item's copy of the child's name) is taken as the name itself. Lower case first: a page
    starting a sentence with it uses capfirst."""
    if person is None:
        name = ""
    elif isinstance(person, str):
        name = person.strip()
    else:
        name = f"{person.given_name or ''} {person.surname or ''}".strip()
    return name or (UNNAMED_CHILD if child else UNNAMED_PERSON)
