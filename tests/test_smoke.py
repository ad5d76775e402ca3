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
