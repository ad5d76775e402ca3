"""The JSON of a back-up: Django's fixture JSON, with times to the microsecond.

Django's JSON encoder cuts times to milliseconds (ECMA-262), so a restored row would
differ from the original in every timestamp. This serializer writes them whole; the
file is ordinary fixture JSON that `loaddata` reads with Django's own deserializer.
Registered by buurtwijs.backup as the format FORMAT_NAME.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import Deserializer, DjangoJSONEncoder

__all__ = ["Deserializer", "ExactEncoder", "Serializer"]

FORMAT_NAME = "buurtwijs-backup-json"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = ExactEncoder
