"""`childfirst createuser` and `childfirst apiclient`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from childfirst.accounts.models import ApiScope, Role, User
from childfirst.accounts.services import authenticate_api_token
from childfirst.directory.models import AgencyKind
from tests.builders import make_agency

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "a long and unusual passphrase"


def apiclient(*args):
    out, err = StringIO(), StringIO()
    call_command("apiclient", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def token_from(stdout: str) -> str:
    return stdout.rstrip("\n").splitlines()[-1]


def createuser(*args, password=STRONG_PASSWORD):
    out = StringIO()
    call_command(
        "createuser", *args, "--password-stdin", stdin=StringIO(password + "\n"), stdout=out
    )
    return out.getvalue()


# API clients


def test_apiclient_create_prints_only_a_token_that_authenticates_as_an_intake_client():
    stdout, stderr = apiclient("create", "Records system", "--scope", "intake")

    assert stdout.count("\n") == 1
    client = authenticate_api_token(token_from(stdout))
    assert client.name == "Records system"
    assert client.scope == ApiScope.INTAKE
    assert client.agency is None
    assert "will not be shown again" in stderr


def test_apiclient_create_for_a_partner_gives_a_token_for_that_agency():
    agency = make_agency(code="mash-test")

    stdout, _ = apiclient("create", "Case system", "--scope", "partner", "--agency", "mash-test")

    client = authenticate_api_token(token_from(stdout))
    assert client.scope == ApiScope.PARTNER
    assert client.agency == agency


def test_a_partner_client_without_an_agency_is_refused_naming_the_agency_option():
    with pytest.raises(CommandError, match="--agency"):
        apiclient("create", "Case system", "--scope", "partner")


def test_an_intake_client_with_an_agency_is_refused():
    make_agency(code="mash-test")

    with pytest.raises(CommandError, match="Intake clients do not belong to an agency"):
        apiclient("create", "Records system", "--scope", "intake", "--agency", "mash-test")


def test_an_unknown_agency_code_is_refused_by_name():
    with pytest.raises(CommandError, match="no agency with the code nowhere-mash"):
        apiclient("create", "Case system", "--scope", "partner", "--agency", "nowhere-mash")


def test_a_second_client_with_the_same_name_is_refused():
    apiclient("create", "Records system", "--scope", "intake")

    with pytest.raises(CommandError, match="name"):
        apiclient("create", "Records system", "--scope", "intake")


def test_revoking_a_client_stops_its_token_working():
    stdout, _ = apiclient("create", "Records system", "--scope", "intake")
    token = token_from(stdout)

    output, _ = apiclient("revoke", "Records system")

    assert "Revoked" in output
    assert authenticate_api_token(token) is None


def test_revoking_an_unknown_client_says_so():
    with pytest.raises(CommandError, match="no API client called Nobody"):
        apiclient("revoke", "Nobody")


def test_apiclient_list_shows_scope_agency_whether_active_and_last_use():
    make_agency(code="mash-test")
    used, _ = apiclient("create", "Case system", "--scope", "partner", "--agency", "mash-test")
    authenticate_api_token(token_from(used))
    apiclient("create", "Old records system", "--scope", "intake")
    apiclient("revoke", "Old records system")

    output, _ = apiclient("list")

    lines = output.splitlines()
    assert lines[0].split() == ["Name", "Scope", "Agency", "Active", "Last", "used"]
    case_line = next(line for line in lines if line.startswith("Case system"))
    assert "partner" in case_line and "mash-test" in case_line and " yes " in case_line
    assert "never" not in case_line
    old_line = next(line for line in lines if line.startswith("Old records system"))
    assert "intake" in old_line and " no " in old_line and old_line.endswith("never")


# Users


def test_createuser_makes_a_user_with_the_role():
    output = createuser(
        "--email", "Jo.Bloggs@Example.police.uk", "--name", "Jo Bloggs", "--role", "desk_supervisor"
    )

    user = User.objects.get(email="jo.bloggs@example.police.uk")
    assert user.role == Role.DESK_SUPERVISOR
    assert user.check_password(STRONG_PASSWORD)
    assert not user.is_demo
    assert "Created Jo Bloggs" in output


def test_createuser_puts_a_partner_user_in_their_agency():
    agency = make_agency(kind=AgencyKind.SCHOOL, code="school-900001")

    createuser(
        "--email",
        "dsl@example.org",
        "--name",
        "Sam Teacher",
        "--role",
        "partner",
        "--agency",
        "school-900001",
    )

    assert User.objects.get(email="dsl@example.org").agency == agency


def test_createuser_records_a_collar_number():
    createuser(
        "--email",
        "pc@example.police.uk",
        "--name",
        "Pat Constable",
        "--role",
        "frontline_officer",
        "--collar",
        "1234CE",
    )

    assert User.objects.get(email="pc@example.police.uk").collar_number == "1234CE"


def test_createuser_rejects_a_weak_password_naming_the_password():
    with pytest.raises(CommandError, match=r"^password: .*too short"):
        createuser(
            "--email",
            "jo@example.police.uk",
            "--name",
            "Jo Bloggs",
            "--role",
            "auditor",
            password="short",
        )

    assert not User.objects.exists()


def test_createuser_rejects_a_common_password():
    with pytest.raises(CommandError, match=r"^password: .*too common"):
        createuser(
            "--email",
            "jo@example.police.uk",
            "--name",
            "Jo Bloggs",
            "--role",
            "auditor",
            password="password1234",
        )


def test_createuser_refuses_a_partner_without_an_agency_naming_the_agency():
    with pytest.raises(CommandError, match="agency: Select the agency this partner user"):
        createuser("--email", "p@example.org", "--name", "Pat Partner", "--role", "partner")


def test_createuser_refuses_an_agency_for_a_police_user():
    make_agency(code="mash-test")

    with pytest.raises(CommandError, match="agency: Only partner agency users"):
        createuser(
            "--email",
            "pc@example.police.uk",
            "--name",
            "Pat Constable",
            "--role",
            "frontline_officer",
            "--agency",
            "mash-test",
        )


def test_createuser_refuses_an_unknown_agency_code():
    with pytest.raises(CommandError, match="agency: There is no agency with the code nowhere"):
        createuser(
            "--email", "p@example.org", "--name", "Pat", "--role", "partner", "--agency", "nowhere"
        )


def test_createuser_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="role"):
        createuser("--email", "p@example.org", "--name", "Pat", "--role", "chief_constable")


def test_createuser_refuses_an_email_address_already_in_use():
    createuser("--email", "jo@example.police.uk", "--name", "Jo Bloggs", "--role", "auditor")

    with pytest.raises(CommandError, match="email: a user with the email address"):
        createuser("--email", "jo@example.police.uk", "--name", "Jo Other", "--role", "auditor")


def test_createuser_asks_for_the_password_twice_and_refuses_when_they_differ(monkeypatch):
    answers = iter([STRONG_PASSWORD, STRONG_PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    with pytest.raises(CommandError, match="password: The passwords do not match"):
        call_command(
            "createuser", "--email", "jo@example.police.uk", "--name", "Jo", "--role", "auditor"
        )


def test_createuser_accepts_a_password_typed_twice(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": STRONG_PASSWORD)

    call_command(
        "createuser",
        "--email",
        "jo@example.police.uk",
        "--name",
        "Jo Bloggs",
        "--role",
        "auditor",
        stdout=StringIO(),
    )

    assert User.objects.get(email="jo@example.police.uk").role == Role.AUDITOR


def test_createuser_help_lists_the_roles():
    from childfirst.web.management.commands.createuser import Command

    help_text = Command().create_parser("childfirst", "createuser").format_help()

    for role in Role.values:
        assert role in help_text
