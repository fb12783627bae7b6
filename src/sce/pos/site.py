"""The site's identity and settings the POS needs for every event (company, establishment, POS, FDM)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sce.domain.catalogue import Language
from sce.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Who issues the tickets and with which POS; stored as the configuration document ``site/site``."""

    company_name: str
    company_address: str
    vat_no: str
    establishment_no: str
    establishment_name: str
    pos_id: str
    sw_version: str
    language: Language = Language.NL
    timezone: str = "Europe/Brussels"
    copies_enabled: bool = False
    drawer_id: str = "DRAWER-1"

    def __post_init__(self) -> None:
        if self.language is Language.EN:
            raise DomainError("language", "NOT_AN_FDM_LANGUAGE", "the FDM speaks NL, FR or DE")
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError) as exc:
            raise DomainError("timezone", "UNKNOWN_TIMEZONE", self.timezone) from exc

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_dict(self) -> dict[str, Any]:
        value = asdict(self)
        value["language"] = self.language.value
        return value

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> SiteConfig:
        fields = dict(value)
        fields["language"] = Language(fields.get("language", "NL"))
        return cls(**fields)
