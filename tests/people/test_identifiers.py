"""Exact identifiers as other systems write them: NHS numbers and PNC IDs."""

from childfirst.people.identifiers import clean_nhs_number, clean_pnc_id, valid_nhs_number


def test_an_nhs_number_keeps_its_digits_whatever_separates_them():
    assert clean_nhs_number("943 476 5919") == "9434765919"
    assert clean_nhs_number("943-476-5919") == "9434765919"
    assert clean_nhs_number(" 943\t476 5919\n") == "9434765919"
    assert clean_nhs_number("") == "" and clean_nhs_number(None) == ""


def test_an_nhs_number_must_pass_its_modulus_11_check():
    assert valid_nhs_number("943 476 5919")
    assert not valid_nhs_number("943 476 5918")  # one digit wrong
    assert not valid_nhs_number("94347659")  # too short
    assert not valid_nhs_number("") and not valid_nhs_number(None)


def test_a_pnc_id_is_written_the_usual_way_or_not_at_all():
    assert clean_pnc_id(" 19/12345a ") == "19/0012345A"
    assert clean_pnc_id("2019 / 0012345 A") == "2019/0012345A"
    assert clean_pnc_id("not a pnc id") == ""
    assert clean_pnc_id("") == "" and clean_pnc_id(None) == ""
