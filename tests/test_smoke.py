import pytest
from django.test import Client


@pytest.mark.django_db
def test_login_page_is_in_russian(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Вход в систему «Опора»" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
