"""Administrators see term dates and clocks in the admin; clocks there are read-only."""

from django.urls import reverse

from childfirst.accounts.models import Role
from tests.timescales.test_clocks import start


def test_an_administrator_can_list_term_dates_and_read_a_clock(signed_in, hackney):
    client, _ = signed_in(Role.ADMINISTRATOR)
    clock = start()
    response = client.get(reverse("admin:timescales_termdate_changelist"))
    assert response.status_code == 200
    assert "Autumn half term" in response.content.decode()
    page = client.get(reverse("admin:timescales_clock_change", args=[clock.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:timescales_clock_add")).status_code == 403
