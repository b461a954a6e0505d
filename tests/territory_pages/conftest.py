"""Helpers for the page tests: log a persona in and read tables of a rendered page."""

import pytest
from django.test import Client
from lxml import html as lxml_html

from opora.accounts.models import User


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def page_tree(response) -> lxml_html.HtmlElement:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def rows_by(response, attribute: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Cell texts of every row carrying `attribute` (e.g. data-school), keyed by its value."""
    tree = page_tree(response)
    return {
        row.get(attribute): [_text(cell) for cell in row.xpath("./td|./th")]
        for row in tree.xpath(f"//tr[@{attribute}]")
    }


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The visible text of a page with whitespace (also no-break spaces) collapsed."""
    return _text(page_tree(response)).replace("\xa0", " ")


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """`login(user)` logs the client in as `user` and returns the client."""

    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login
