"""signalen.models: one module per concern, every name importable from here as before."""

from .answers import (
    PublicatieStatus,
    ThemaInitiatief,
    ThemaPublicatie,
    ThemaTrekker,
    ThemaVoortgang,
)
from .escalations import (
    Escalatie,
    EscalatieGebeurtenis,
    EscalatieStatus,
)
from .goals import (
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    WijkDoel,
)
from .signals import (
    HOUSEHOLDS_MAX,
    SIGNAAL_TEXT_MAX_LENGTH,
    AuditAction,
    AuditEntry,
    Signaal,
    SignaalFeit,
)
from .taxonomy import (
    Bron,
    Categorie,
    Doelgroep,
    TaxonomyEntry,
)
from .terecht import InformeleHulpTelling
from .themes import (
    RollupPending,
    RollupRun,
    SignaalTelling,
    ThemaActie,
    ThemaBlokTelling,
    ThemaGebeurtenis,
    ThemaGepubliceerd,
    ThemaLid,
    ThemaStatus,
    ThemaTrend,
    ThemaZichtbaarheid,
    WijkThema,
)
from .vectors import SignaalVector

__all__ = [
    "HOUSEHOLDS_MAX",
    "SIGNAAL_TEXT_MAX_LENGTH",
    "AuditAction",
    "AuditEntry",
    "Bron",
    "Categorie",
    "DoelReactie",
    "DoelRichting",
    "DoelVoortgang",
    "Doelgroep",
    "Escalatie",
    "EscalatieGebeurtenis",
    "EscalatieStatus",
    "InformeleHulpTelling",
    "PublicatieStatus",
    "RollupPending",
    "RollupRun",
    "Signaal",
    "SignaalFeit",
    "SignaalTelling",
    "SignaalVector",
    "TaxonomyEntry",
    "ThemaActie",
    "ThemaBlokTelling",
    "ThemaGebeurtenis",
    "ThemaGepubliceerd",
    "ThemaInitiatief",
    "ThemaLid",
    "ThemaPublicatie",
    "ThemaStatus",
    "ThemaTrekker",
    "ThemaTrend",
    "ThemaVoortgang",
    "ThemaZichtbaarheid",
    "WijkDoel",
    "WijkThema",
]
