"""Template tags for the collective loop sections on the team's theme page.

The theme page (signalen/themes/views.py) is another view's; its "Wat is er al in de
wijk?" sections get their data through this tag, so that view stays as it is.
"""

from __future__ import annotations

from typing import Any

from django import template

from signalen.answers import queries as answer_queries
from signalen.models import WijkThema

register = template.Library()


@register.simple_tag(takes_context=True)
def theme_answer_panel(context: dict[str, Any], thema: WijkThema) -> dict[str, Any]:
    """Suggestions, linked initiatives and public-text facts for the theme page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return answer_queries.theme_answer_panel(user, thema)  # type: ignore[arg-type]


@register.simple_tag
def theme_publish_form(thema: WijkThema) -> Any:
    """The public-text form, filled with what the theme has now."""
    from signalen.answers.views import PublishForm

    return PublishForm(
        initial={
            "public_title": thema.public_title,
            "public_text": thema.public_text,
            "is_call": thema.is_call,
        }
    )


@register.simple_tag
def theme_publication_pending(thema: WijkThema) -> Any:
    """The proposed public text that waits for a colleague's approval, if any."""
    from signalen.answers.publication import publication_pending

    return publication_pending(thema)
