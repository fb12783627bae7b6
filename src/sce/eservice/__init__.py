"""Registration e-service: KBO stand-in, producer/distributor/operator flows, support desk (issue 7).

Public API: :func:`create_app` (the web application), :data:`router` (mountable under ``/eservice``),
:func:`check_pairing` (the POS start-up check of its FDM) and :class:`EserviceSettings`.
"""

from sce.eservice.app import EserviceSettings, create_app
from sce.eservice.pairing import PairingCheck, PairingRecord, check_pairing

__all__ = ["EserviceSettings", "PairingCheck", "PairingRecord", "check_pairing", "create_app"]
