"""The GraphQL documents our POS client sends: one per ``sign*`` mutation, ``status`` and ``device``."""

from __future__ import annotations

from sce.fiscal.v2.schema import BY_MUTATION

MESSAGE = "message locations { line column } extensions { category code data { name value } showPos }"
SIGN_RESULT = (
    "posId posFiscalTicketNo posDateTime posSwVersion terminalId deviceId eventOperation "
    "fdmRef { fdmId fdmDateTime eventLabel eventCounter totalCounter } fdmSwVersion digitalSignature "
    "shortSignature verificationUrl vatCalc { label rate taxableAmount vatAmount totalAmount outOfScope } "
    f"bufferCapacityUsed warnings {{ {MESSAGE} }} informations {{ {MESSAGE} }} footer"
)
STATUS = (
    "query Status($language: Language) { status(language: $language) { initialized "
    "device { fdmId fdmSwVersion fdmDateTime bufferCapacityUsed } "
    f"informations {{ {MESSAGE} }} warnings {{ {MESSAGE} }} errors {{ {MESSAGE} }} }} }}"
)
DEVICE = "query Device { device { id } }"


def operation_name(mutation: str) -> str:
    return mutation[0].upper() + mutation[1:]


def sign_document(mutation: str) -> str:
    """``mutation SignX($data: XInput!, $isTraining: Boolean!) { signResult: signX(...) { ... } }``."""
    operation = BY_MUTATION[mutation]
    return (
        f"mutation {operation_name(mutation)}($data: {operation.input_type}!, $isTraining: Boolean!) "
        f"{{ signResult: {mutation}(data: $data, isTraining: $isTraining) {{ {SIGN_RESULT} }} }}"
    )
