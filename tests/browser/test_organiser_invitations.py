"""The owner invites a neighbour to organise along; the neighbour accepts from the
link. No name shows before that; axe-core on every page (issue 15, item 7)."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from initiatieven.models import OrganiserInvitation
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.factories import UserFactory
from tests.initiatieven.factories import InitiatiefFactory


def test_an_invitation_shows_no_name_until_the_neighbour_accepts(
    page, bewoner, wijk, settings
):
    settings.SITE_URL = page.base_url
    fatima = UserFactory(
        email="fatima@example.nl", display_name="Fatima El Amrani", wijk=wijk
    )
    initiatief = InitiatiefFactory(
        owner=bewoner, wijk=wijk, title="Moestuin aan de Vaart"
    )

    log_in(page, bewoner)
    go(page, f"/initiatieven/{initiatief.pk}/organisatoren/")
    assert_accessible(page, context="organisers page")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(
        page.get_by_text("Uitnodiging verstuurd. Als de persoon ja zegt")
    ).to_be_visible()
    expect(page.get_by_text("Fatima El Amrani")).to_have_count(0)
    assert_accessible(page, context="organisers page with an open invitation")
    page.context.clear_cookies()

    link = re.search(r"http\S+/initiatieven/uitnodiging/\S+/", mail.outbox[-1].body)
    assert link is not None
    log_in(page, fatima)
    page.goto(link.group(0))
    assert_accessible(page, context="invitation answer page")
    page.get_by_role("button", name="Ja, ik organiseer mee").click()
    page.wait_for_url(re.compile(rf"/initiatieven/{initiatief.pk}/$"))
    expect(page.get_by_text("Fatima El Amrani").first).to_be_visible()
    assert OrganiserInvitation.objects.get().status == "accepted"
