"""The emulated FDM 2.0: validates an event, keeps the counters, signs, stores durably, buffers for upload.

One :class:`Fdm` per state directory. It is independent of HTTP: the GraphQL resolvers call
:meth:`Fdm.sign`, :meth:`Fdm.status` and :meth:`Fdm.device`; refusals are raised as
:class:`~sce.fiscal.v2.schema.FdmRefusalError` with the spec's codes, texts in the request's language.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from graphql import GraphQLInputObjectType

from sce.fiscal.v2 import messages
from sce.fiscal.v2.buffer import DEFAULT_CAPACITY, UploadBuffer, Uploader
from sce.fiscal.v2.faults import Faults
from sce.fiscal.v2.schema import SCHEMA, FdmRefusalError, Operation
from sce.fiscal.v2.signing import Signer, canonical_json, canonical_message, short_signature, verification_url
from sce.fiscal.v2.store import EventStore, SignedEvent
from sce.fiscal.v2.validation import InputRuleError, amount, financials_total, validate
from sce.fiscal.v2.vat import DEFAULT_RATES, vat_calc

LABELS = ("N", "P", "F", "S", "I", "R", "C", "T")
SW_VERSION = "SCE-FDM-EMU 2.0.0"
DEFAULT_FDM_ID = "FOD01000001"
DEFAULT_VERIFY_BASE = "http://127.0.0.1:8420/verify"
_SOCIAL = frozenset({"WORK_IN", "WORK_OUT"})


@dataclass(slots=True)
class FdmConfig:
    """What the emulator is started with (CLI options); first-boot data from the FPS comes on top."""

    state: Path
    fdm_id: str = DEFAULT_FDM_ID
    fps_url: str | None = None
    verification_base_url: str | None = None
    allow_pos: list[str] = field(default_factory=list)
    buffer_capacity: int = DEFAULT_CAPACITY
    training_label_social: str = "T"
    strict_financials: bool = False
    vat_no: str | None = None
    est_no: str | None = None


def sign_result(
    data: dict[str, Any],
    event_operation: str,
    fdm_ref: dict[str, Any],
    signature: str,
    *,
    training: bool,
    verification_base: str,
    rates: Any = DEFAULT_RATES,
    buffer_used: float,
    warnings: list[Any],
    informations: list[Any],
    footer: list[str],
    software: str = SW_VERSION,
) -> dict[str, Any]:
    """The SignResult of one signed event: the request's POS fields, ``fdmRef`` and signature; on a sale
    the VAT per label, and outside training the short signature and verification URL."""
    is_sale = event_operation == "SALE"
    short = url = ""
    if is_sale and not training:
        short = short_signature(signature)
        url = verification_url(verification_base, fdm_ref, short)
    return {
        "posId": data["posId"],
        "posFiscalTicketNo": data["posFiscalTicketNo"],
        "posDateTime": data["posDateTime"],
        "posSwVersion": data["posSwVersion"],
        "terminalId": data.get("terminalId") or "",
        "deviceId": data["deviceId"],
        "eventOperation": event_operation,
        "fdmRef": fdm_ref,
        "fdmSwVersion": software,
        "digitalSignature": signature,
        "shortSignature": short,
        "verificationUrl": url,
        "vatCalc": [v.as_graphql() for v in vat_calc(data["transaction"], rates)] if is_sale else None,
        "bufferCapacityUsed": buffer_used,
        "warnings": warnings,
        "informations": informations,
        "footer": footer,
    }


def fdm_now() -> str:
    """The FDM clock in UTC with milliseconds: ``YYYY-MM-DDTHH:MM:SS.sssZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def duplicate_key(operation: Operation, data: dict[str, Any], training: bool) -> str:
    """(posId, terminalId, posFiscalTicketNo, eventOperation, isTraining)."""
    key = [data["posId"], data.get("terminalId") or "", data["posFiscalTicketNo"], operation.event_operation]
    return canonical_json([*key, training])


class Fdm:
    """The FDM's behaviour over its durable state."""

    def __init__(self, config: FdmConfig, faults: Faults | None = None) -> None:
        config.state.mkdir(parents=True, exist_ok=True)
        self.config = config
        self.faults = faults or Faults()
        self.lock = threading.Lock()
        self.clock: Callable[[], str] = fdm_now
        self.store = EventStore(config.state / "fdm.sqlite3")
        self.signer = Signer.load_or_create(config.state)
        self.counters, self.total = self.store.counters()
        self.buffer = UploadBuffer(config.buffer_capacity, self.store.pending_count())
        boot = self.store.setting("first_boot") or {}
        self.footer: list[str] = list(boot.get("footer", []))
        self.notices: list[str] = list(boot.get("notices", []))
        self.rates: dict[str, Decimal] = {
            label: Decimal(str(rate)) for label, rate in (boot.get("vatRates") or DEFAULT_RATES).items()
        }
        self.allow_list: list[str] = list(config.allow_pos) or list(boot.get("posAllowList", []))
        self.registered_vat_no = config.vat_no or self.store.setting("vat_no")
        self.registered_est_no = config.est_no or self.store.setting("est_no")
        base = config.verification_base_url or (
            f"{config.fps_url.rstrip('/')}/verify" if config.fps_url else DEFAULT_VERIFY_BASE
        )
        self.verification_base = base
        self.uploader = Uploader(
            self.store,
            self.buffer,
            self.lock,
            config.fdm_id,
            self.signer.public_pem(),
            config.fps_url,
            lambda: self.faults.fps_down,
            self._first_boot,
        )

    # ---- lifecycle

    def start(self) -> None:
        self.uploader.start()

    def close(self) -> None:
        self.uploader.stop()
        with self.lock:
            self.store.close()

    def _first_boot(self, boot: dict[str, Any]) -> None:
        with self.lock:
            self.store.set_setting("first_boot", boot)
            self.footer = [str(line) for line in boot.get("footer", [])]
            self.notices = [str(line) for line in boot.get("notices", [])]
            if boot.get("vatRates"):
                self.rates = {label: Decimal(str(rate)) for label, rate in boot["vatRates"].items()}
            if not self.config.allow_pos and boot.get("posAllowList"):
                self.allow_list = [str(pos) for pos in boot["posAllowList"]]
            if not self.registered_vat_no and boot.get("vatNo"):
                self.registered_vat_no = str(boot["vatNo"])
            if not self.registered_est_no and boot.get("estNo"):
                self.registered_est_no = str(boot["estNo"])

    # ---- refusals and warnings

    def _refuse(
        self, code: str, language: str, *, detail: str = "", data: tuple[tuple[str, str], ...] = ()
    ) -> FdmRefusalError:
        text, extensions = messages.error_message(
            code, language, self.config.fdm_id, detail=detail, data=data
        )
        return FdmRefusalError(text, extensions)

    def _state_errors(self, language: str, pos_id: str = "") -> FdmRefusalError | None:
        if self.faults.error_code:
            data = (("injected", "true"),)
            return self._refuse(self.faults.error_code, language, detail=pos_id or "-", data=data)
        if self.faults.not_operational:
            return self._refuse("FDM_NOT_OPERATIONAL", language)
        if self.faults.locked:
            return self._refuse("FDM_LOCKED", language)
        return None

    def _warnings(self, language: str, data: dict[str, Any] | None) -> list[dict[str, Any]]:
        fdm = self.config.fdm_id
        codes: list[tuple[str, str]] = []
        if self.faults.certificate == "expiring":
            codes.append(("CLIENT_CERT_NEAR_EXPIRATION", ""))
        elif self.faults.certificate == "expired":
            codes.append(("CLIENT_CERT_EXPIRED", ""))
        if self.config.fps_url and not self.uploader.first_boot_done and self.buffer.upload_failing:
            codes.append(("INITIALIZATION_FAILED", ""))
        if (self.faults.fps_down or self.buffer.upload_failing) and self.buffer.pending > 0:
            codes.append(("TRANSACTION_UPLOAD_FAILED", ""))
        if self.buffer.near_full():
            codes.append(("BUFFER_NEAR_FULL", f"{self.buffer.used_percent():.2f}"))
        if data is not None:
            if self.registered_vat_no and data["vatNo"] != self.registered_vat_no:
                codes.append(("UPDATE_POS_VATNO", data["vatNo"]))
            if self.registered_est_no and data["estNo"] != self.registered_est_no:
                codes.append(("UPDATE_POS_ESTNO", data["estNo"]))
        codes.extend((code, "") for code in self.faults.warning_codes)
        return [messages.warning(code, language, fdm, detail=detail) for code, detail in codes]

    # ---- checks that need the FDM's state

    def _check_references(self, data: dict[str, Any], input_name: str, language: str) -> None:
        references: list[tuple[str, dict[str, Any]]] = []
        if data.get("fdmRef") is not None:
            references.append((f"{input_name}.fdmRef", data["fdmRef"]))
        for index, ref in enumerate(data.get("fdmRefs") or ()):
            references.append((f"{input_name}.fdmRefs[{index}]", ref))
        for path, ref in references:
            stored = self.store.fdm_ref(ref["totalCounter"])
            if stored is None or stored != dict(ref):
                raise self._invalid(path, "UNKNOWN_REFERENCE", language)

    def _invalid(self, field_path: str, rule: str, language: str) -> FdmRefusalError:
        return self._refuse("INVALID_REQUEST", language, data=(("field", field_path), ("rule", rule)))

    # ---- the operations

    def sign(
        self, operation: Operation, data: dict[str, Any], training: bool, header_language: str
    ) -> dict[str, Any]:
        language = str(data.get("language") or header_language)
        refusal = self._state_errors(language, str(data.get("posId") or ""))
        if refusal:
            raise refusal
        input_type = SCHEMA.type_map[operation.input_type]
        assert isinstance(input_type, GraphQLInputObjectType)
        try:
            validate(data, input_type)
        except InputRuleError as broken:
            raise self._invalid(broken.field, broken.rule, language) from None
        if self.allow_list and data["posId"] not in self.allow_list:
            raise self._refuse(
                "UNKNOWN_POS", language, detail=data["posId"], data=(("posId", data["posId"]),)
            )
        if (
            self.config.strict_financials
            and operation.event_operation == "SALE"
            and financials_total(data["financials"]) != amount(data["transaction"]["transactionTotal"])
        ):
            raise self._invalid(f"{operation.input_type}.financials", "TOTAL_MISMATCH", language)
        with self.lock:
            self._check_references(data, operation.input_type, language)
            return self._sign_locked(operation, data, training, language)

    def _sign_locked(
        self, operation: Operation, data: dict[str, Any], training: bool, language: str
    ) -> dict[str, Any]:
        key = duplicate_key(operation, data, training)
        data_json = canonical_json(data)
        previous = self.store.find_duplicate(key)
        if previous is not None:
            stored_data, stored_result = previous
            if stored_data != data_json:
                raise self._refuse("DUPLICATE_REQUEST", language, data=(("key", key),))
            result = dict(json.loads(stored_result))
            warning = messages.warning("DUPLICATE_REQUEST", language, self.config.fdm_id)
            result["warnings"] = [*(result.get("warnings") or []), warning]
            return result
        if self.buffer.full():
            raise self._refuse("BUFFER_FULL", language)
        if not self.registered_vat_no:
            self.registered_vat_no = data["vatNo"]
            self.store.set_setting("vat_no", data["vatNo"])
        if not self.registered_est_no:
            self.registered_est_no = data["estNo"]
            self.store.set_setting("est_no", data["estNo"])
        label = operation.label
        if training:
            social = operation.event_operation in _SOCIAL and self.config.training_label_social == "S"
            label = "S" if social else "T"
        event_counter = self.counters.get(label, 0) + 1
        total = self.total + 1
        fdm_ref = {
            "fdmId": self.config.fdm_id,
            "fdmDateTime": self.clock(),
            "eventLabel": label,
            "eventCounter": event_counter,
            "totalCounter": total,
        }
        message = canonical_message(data, operation.event_operation, fdm_ref)
        signature = self.signer.sign(message)
        is_sale = operation.event_operation == "SALE"
        self.buffer.pending += 1
        try:
            result = sign_result(
                data,
                operation.event_operation,
                fdm_ref,
                signature,
                training=training,
                verification_base=self.verification_base,
                rates=self.rates,
                buffer_used=self.buffer.used_percent(),
                warnings=self._warnings(language, data),
                informations=[messages.information(text) for text in self.notices],
                footer=list(self.footer) if is_sale else [],
            )
            self.store.append(
                SignedEvent(
                    total,
                    label,
                    event_counter,
                    operation.event_operation,
                    training,
                    key,
                    data_json,
                    canonical_json(fdm_ref),
                    message.decode("utf-8"),
                    signature,
                    json.dumps(result, ensure_ascii=False),
                )
            )
        except BaseException:
            self.buffer.pending -= 1
            raise
        self.counters[label] = event_counter
        self.total = total
        self.uploader.wake()
        return result

    def status(self, language: str) -> dict[str, Any]:
        lang = messages.language_of(language)
        errors: list[dict[str, Any]] = []
        refusal = self._state_errors(lang)
        if refusal is None and self.buffer.full():
            refusal = self._refuse("BUFFER_FULL", lang)
        if refusal is not None:
            errors.append({"message": refusal.message, "locations": None, "extensions": refusal.extensions})
        return {
            "initialized": self._initialized(),
            "device": {
                "fdmId": self.config.fdm_id,
                "fdmSwVersion": SW_VERSION,
                "fdmDateTime": fdm_now(),
                "bufferCapacityUsed": self.buffer.used_percent(),
            },
            "informations": [messages.information(text) for text in self.notices],
            "warnings": self._warnings(lang, None),
            "errors": errors,
        }

    def _initialized(self) -> bool:
        """Operational, and first boot done when there is an FPS to boot from."""
        booted = self.config.fps_url is None or self.uploader.first_boot_done
        return booted and not self.faults.not_operational

    def device(self) -> dict[str, Any]:
        return {"id": self.config.fdm_id}

    def apply_faults(self, changes: dict[str, Any]) -> None:
        """Change fault settings at run time (Python API and the emulator's admin endpoint)."""
        with self.lock:
            self.faults.update(changes)
            self.buffer.simulated_fill = self.faults.buffer_fill

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "fdmId": self.config.fdm_id,
                "counters": {label: self.counters.get(label, 0) for label in LABELS},
                "totalCounter": self.total,
                "pending": self.buffer.pending,
                "bufferCapacityUsed": self.buffer.used_percent(),
                "uploadFailing": self.buffer.upload_failing,
                "firstBootDone": self.uploader.first_boot_done,
                "faults": self.faults.as_dict(),
                "publicKeyPem": self.signer.public_pem(),
            }
