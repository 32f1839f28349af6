"""Child First: the software behind a police force's Children's Strategy."""
