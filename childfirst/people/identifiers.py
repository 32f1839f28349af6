"""Exact identifiers: NHS numbers (with their modulus 11 check digit) and PNC IDs."""

import re

PNC_RE = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")
_NHS_SEPARATORS = re.compile(r"[\s-]")
_SPACES = re.compile(r"\s")


def clean_nhs_number(value: str) -> str:
    """Digits only: '943 476 5919' -> '9434765919'."""
    return _NHS_SEPARATORS.sub("", value) if value else ""


def valid_nhs_number(value: str) -> bool:
    """True when the ten digits pass the NHS modulus 11 check."""
    digits = clean_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def clean_pnc_id(value: str) -> str:
    """The Police National Computer ID in its usual form, '2019/0012345A'; '' if not one."""
    if not value:
        return ""
    text = _SPACES.sub("", value.upper())
    match = PNC_RE.match(text)
    if not match:
        return ""
    year, number, letter = match.groups()
    return f"{year}/{int(number):07d}{letter}"
