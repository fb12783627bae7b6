"""Employee INSZ/BIS numbers, VAT number, establishment unit number and POS production number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.domain.errors import DomainError
from sce.domain.identifiers import (
    ONLINE_KIOSK,
    TECHNICIAN,
    EmployeeIdKind,
    employee_id_kind,
    validate_customer_vat_number,
    validate_employee_id,
    validate_establishment_number,
    validate_pos_production_number,
    validate_vat_number,
)
from sce.domain.staff import Employee, online_user, technician
from sce.fiscal.v2.identifiers import check_est_no


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("03021412348", EmployeeIdKind.INSZ),  # born 2003
        ("85.07.30-033.28", EmployeeIdKind.INSZ),
        ("85473001238", EmployeeIdKind.BIS),
        ("00000000097", EmployeeIdKind.TECHNICIAN),
        ("00000000029", EmployeeIdKind.ONLINE_KIOSK),
    ],
)
def test_valid_employee_numbers(value: str, kind: EmployeeIdKind) -> None:
    assert employee_id_kind(value) is kind
    assert len(validate_employee_id(value)) == 11


def test_special_numbers_are_the_reserved_ones() -> None:
    assert (TECHNICIAN, ONLINE_KIOSK) == ("00000000097", "00000000029")


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("85073003329", "INVALID_CHECKSUM"),
        ("12345678901", "INVALID_CHECKSUM"),
        ("8507300336", "INVALID_LENGTH"),
        ("850730033281", "INVALID_LENGTH"),
        ("8507300336A", "INVALID_FORMAT"),
        ("85133003370", "INVALID_COMPONENT"),  # month 13: neither INSZ nor BIS
        ("00000000098", "INVALID_CHECKSUM"),
    ],
)
def test_invalid_employee_numbers_name_field_and_rule(value: str, rule: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_employee_id(value)
    assert caught.value.field == "employee_id"
    assert caught.value.rule == rule


def test_vat_number() -> None:
    assert validate_vat_number("BE 0403.019.261") == "BE0403019261"
    assert validate_vat_number("0403019261") == "BE0403019261"
    with pytest.raises(DomainError) as caught:
        validate_vat_number("BE0403019262")
    assert (caught.value.field, caught.value.rule) == ("vat_number", "INVALID_CHECKSUM")
    with pytest.raises(DomainError) as length:
        validate_vat_number("BE04030192")
    assert length.value.rule == "INVALID_LENGTH"


@pytest.mark.parametrize(
    ("value", "compact"),
    [
        ("BE 0403.019.261", "BE0403019261"),
        ("0403019261", "BE0403019261"),
        ("NL 0044.95.445B01", "NL004495445B01"),
        ("DE 136 695 976", "DE136695976"),
        ("FR 40 303 265 045", "FR40303265045"),
        ("EL094259216", "EL094259216"),
        ("XI925901618", "XI925901618"),
        ("CHE-123.456.788", "CHE123456788"),
        ("NO 123456789 MVA", "NO123456789MVA"),
    ],
)
def test_customer_vat_numbers_of_belgium_the_eu_and_beyond(value: str, compact: str) -> None:
    assert validate_customer_vat_number(value) == compact


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("BE0403019262", "INVALID_CHECKSUM"),
        ("NL004495446B01", "INVALID_CHECKSUM"),
        ("DE136695977", "INVALID_CHECKSUM"),
        ("FR4030326504", "INVALID_LENGTH"),
        ("12", "INVALID_LENGTH"),
        ("C", "INVALID_FORMAT"),
        ("CH€123", "INVALID_FORMAT"),
    ],
)
def test_a_wrong_customer_vat_number_names_the_field_and_the_rule(value: str, rule: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_customer_vat_number(value, "customer.vat_no")
    assert (caught.value.field, caught.value.rule) == ("customer.vat_no", rule)


def test_establishment_number() -> None:
    assert validate_establishment_number("2.000.000.141") == "2000000141"
    for value, rule in [
        ("2000000142", "INVALID_CHECKSUM"),
        ("1000000141", "INVALID_FORMAT"),
        ("20000001", "INVALID_LENGTH"),
        ("20000001XX", "INVALID_FORMAT"),
    ]:
        with pytest.raises(DomainError) as caught:
            validate_establishment_number(value)
        assert (caught.value.field, caught.value.rule) == ("establishment_number", rule)


@given(st.integers(min_value=2_000_000_000, max_value=8_999_999_999).map(str))
def test_establishment_number_agrees_with_the_fdm_check(value: str) -> None:
    try:
        validate_establishment_number(value)
        ours = None
    except DomainError as error:
        ours = error.rule
    assert ours == check_est_no(value)


@given(st.integers(min_value=20_000_000, max_value=89_999_999))
def test_every_head_has_one_valid_establishment_number(head: int) -> None:
    number = f"{head:08d}{97 - head % 97:02d}"
    assert validate_establishment_number(number) == number


def test_pos_production_number() -> None:
    assert validate_pos_production_number("CABC123XYZ0001") == "CABC123XYZ0001"
    assert validate_pos_production_number("BEFR010015SN00", legacy=True) == "BEFR010015SN00"
    for value, rule in [
        ("CABC123XYZ000", "INVALID_LENGTH"),
        ("BEFR010015SN00", "INVALID_FORMAT"),
        ("CAB1123XYZ0001", "INVALID_FORMAT"),
        ("Cabc123XYZ0001", "INVALID_FORMAT"),
    ]:
        with pytest.raises(DomainError) as caught:
            validate_pos_production_number(value)
        assert (caught.value.field, caught.value.rule) == ("pos_production_number", rule)
    with pytest.raises(DomainError) as legacy:
        validate_pos_production_number("befr010015sn00", legacy=True)
    assert legacy.value.rule == "INVALID_FORMAT"


def test_employee_has_an_alias_and_never_shows_the_insz() -> None:
    maria = Employee("85.07.30-033.28", " Maria ")
    assert (maria.employee_id, maria.alias) == ("85073003328", "Maria")
    with pytest.raises(DomainError) as caught:
        Employee("85073003328", "85073003328")
    assert (caught.value.field, caught.value.rule) == ("alias", "INSZ_NOT_ALLOWED")
    with pytest.raises(DomainError) as empty:
        Employee("85073003328", "  ")
    assert empty.value.rule == "REQUIRED"
    with pytest.raises(DomainError) as bad:
        Employee("85073003329", "Maria")
    assert (bad.value.field, bad.value.rule) == ("employee_id", "INVALID_CHECKSUM")
    assert technician().employee_id == TECHNICIAN
    assert online_user().employee_id == ONLINE_KIOSK
