"""The permission rules the other apps build on, one test per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import Role
from accounts.permissions import (
    can_read_gemeente,
    can_work_in_wijk,
    role_required,
    wijken_of_user,
)
from tests.factories import TeamFactory, WijkFactory


@role_required(Role.PROFESSIONAL, Role.AMBTENAAR)
def staff_view(request):
    return HttpResponse("ok")


def call(user):
    request = RequestFactory().get("/iets/")
    request.user = user
    return staff_view(request)


def test_role_required_sends_anonymous_users_to_login(db):
    response = call(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/iets/"


@pytest.mark.parametrize("role_fixture", ["bewoner", "beheerder"])
def test_role_required_refuses_other_roles(request, role_fixture):
    with pytest.raises(PermissionDenied):
        call(request.getfixturevalue(role_fixture))


@pytest.mark.parametrize("role_fixture", ["professional", "ambtenaar"])
def test_role_required_lets_the_right_roles_in(request, role_fixture):
    assert call(request.getfixturevalue(role_fixture)).status_code == 200


def test_a_professional_works_in_the_wijken_of_their_teams(
    professional, wijk, other_wijk
):
    assert list(wijken_of_user(professional)) == [wijk]
    assert can_work_in_wijk(professional, wijk)
    assert not can_work_in_wijk(professional, other_wijk)


def test_a_professional_of_another_team_does_not_work_in_our_wijk(
    outsider_professional, wijk
):
    assert not can_work_in_wijk(outsider_professional, wijk)


def test_two_teams_give_the_union_of_their_wijken_once(
    professional, team, gemeente, wijk
):
    extra = WijkFactory(code="WK043955", gemeente=gemeente)
    TeamFactory(
        name="Tweede team", gemeente=gemeente, wijken=[wijk, extra]
    ).members.add(professional)
    assert sorted(w.code for w in wijken_of_user(professional)) == [
        wijk.code,
        extra.code,
    ]


def test_an_inactive_wijk_drops_out_of_a_team(professional, wijk):
    wijk.is_active = False
    wijk.save()
    assert not can_work_in_wijk(professional, wijk)


@pytest.mark.parametrize("role_fixture", ["bewoner", "ambtenaar", "beheerder"])
def test_other_roles_work_in_no_wijk(request, role_fixture, wijk):
    user = request.getfixturevalue(role_fixture)
    assert not wijken_of_user(user).exists()
    assert not can_work_in_wijk(user, wijk)


def test_an_officer_reads_only_their_own_gemeente(
    ambtenaar, gemeente, outsider_gemeente
):
    assert can_read_gemeente(ambtenaar, gemeente)
    assert not can_read_gemeente(ambtenaar, outsider_gemeente)


@pytest.mark.parametrize("role_fixture", ["bewoner", "professional", "beheerder"])
def test_other_roles_read_no_gemeente_dashboard(request, role_fixture, gemeente):
    assert not can_read_gemeente(request.getfixturevalue(role_fixture), gemeente)


def test_an_officer_without_a_gemeente_reads_none(ambtenaar, gemeente):
    ambtenaar.gemeente = None
    ambtenaar.save()
    assert not can_read_gemeente(ambtenaar, gemeente)
    assert ambtenaar.role == Role.AMBTENAAR
