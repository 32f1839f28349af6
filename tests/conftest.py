import re
from collections import Counter

import html5lib
import pytest
from django.test import Client

from childfirst.accounts.models import Role
from tests import builders

TITLE = re.compile(r"^(Error: )?\S.* – Child First$")


class CheckedClient(Client):
    """A test client that checks every HTML page it gets: it parses strictly, its title has the
    form '{Error: }{Page} – Child First', and no id appears twice."""

    def request(self, **request):
        response = super().request(**request)
        if response.get("Content-Type", "").startswith("text/html") and response.content:
            check_html(response.content.decode())
        return response


def check_html(html: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(html)
    title = document.find(".//title")
    assert title is not None, "The page has no title"
    text = " ".join((title.text or "").split())
    assert TITLE.match(text), f"Title {text!r} is not of the form 'Page – Child First'"
    ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    repeated = [i for i, n in ids.items() if n > 1]
    assert not repeated, f"Ids used more than once: {repeated}"


@pytest.fixture
def client():
    return CheckedClient()


@pytest.fixture
def user_factory(db):
    return builders.make_user


@pytest.fixture
def signed_in(db):
    """signed_in(role) -> (client, user), fully signed in with both factors."""

    def make(role=Role.DESK_RESEARCHER, **fields):
        user = builders.make_user(role=role, **fields)
        return builders.sign_in(CheckedClient(), user), user

    return make
