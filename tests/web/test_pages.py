import pytest

from childfirst.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_is_sent_to_sign_in_from_home(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=/")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_its_own_home_page(signed_in, role):
    client, user = signed_in(role)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert Role(role).label in page
    from childfirst.accounts.services import ROLE_HOME

    assert ROLE_HOME[Role(role)]["heading"] in page.replace("&#x27;", "'")


def test_accessibility_statement_and_privacy_notice_are_open_to_everyone(client):
    assert client.get("/accessibility").status_code == 200
    assert client.get("/privacy").status_code == 200


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_a_govuk_404(signed_in):
    client, _ = signed_in(Role.DESK_RESEARCHER)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_stale_form_gets_a_plain_explanation_and_changes_nothing(db):
    from django.test import Client

    from childfirst.audit.models import AccessLogEntry

    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in", {"email": "a@example.police.uk", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("role", Role.values)
def test_every_link_in_a_roles_home_page_opens_for_that_role(signed_in, role):
    # A home page offers only what the role can use now: no link to a page it may not open.
    import re

    client, _ = signed_in(role)
    page = client.get("/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    links = set(re.findall(r'href="(/[^"#]*)"', main))
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, f"{role}: {link} answered {response.status_code}"
