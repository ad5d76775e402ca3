def test_home_page_answers_in_dutch(client, wijk):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl"' in response.content.decode()
    assert "Purmerend" in response.content.decode()


def test_wijk_page_shows_the_wijk(client, wijk):
    response = client.get(f"/wijk/{wijk.code}/")
    assert response.status_code == 200
    assert wijk.name in response.content.decode()


def test_unknown_wijk_is_404(client, db):
    assert client.get("/wijk/WK999999/").status_code == 404


def test_the_site_is_dutch_even_for_an_english_browser(client, wijk):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.content.decode()


def test_the_language_switch_makes_the_site_english(client, wijk):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )
    assert '<html lang="en"' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_dutch(client, wijk, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="nl"' in client.get("/").content.decode()
