"""Products, departments, modifiers and employees as JSON documents of the configuration tables."""

from __future__ import annotations

from typing import Any

from sce.domain.catalogue import Catalogue, Department, Language, Modifier, Names, Product, Unit
from sce.domain.money import Money
from sce.domain.staff import Employee
from sce.domain.vat import ProductVat, VatLetter


def names_to_dict(names: Names) -> dict[str, str]:
    return {language.value: text for language, text in names.values.items()}


def names_from_dict(value: dict[str, str]) -> Names:
    return Names({Language(language): text for language, text in value.items()})


def department_to_dict(department: Department) -> dict[str, Any]:
    return {"id": department.id, "names": names_to_dict(department.names)}


def modifier_to_dict(modifier: Modifier) -> dict[str, Any]:
    return {"id": modifier.id, "names": names_to_dict(modifier.names), "price": modifier.price.cents}


def product_to_dict(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "names": names_to_dict(product.names),
        "department_id": product.department_id,
        "price": product.price.cents,
        "vat_eat_in": product.vat.eat_in.value,
        "vat_take_away": product.vat.take_away.value,
        "unit": product.unit.value,
        "modifier_ids": list(product.modifier_ids),
    }


def product_from_dict(value: dict[str, Any]) -> Product:
    return Product(
        id=str(value["id"]),
        names=names_from_dict(value["names"]),
        department_id=str(value["department_id"]),
        price=Money(int(value["price"])),
        vat=ProductVat(VatLetter(value["vat_eat_in"]), VatLetter(value["vat_take_away"])),
        unit=Unit(value.get("unit", "unit")),
        modifier_ids=tuple(value.get("modifier_ids", ())),
    )


def employee_to_dict(employee: Employee, role: str = "waiter") -> dict[str, Any]:
    return {"employee_id": employee.employee_id, "alias": employee.alias, "name": employee.name, "role": role}


def employee_from_dict(value: dict[str, Any]) -> Employee:
    return Employee(str(value["employee_id"]), str(value["alias"]), str(value.get("name", "")))


def catalogue_from(
    departments: dict[str, dict[str, Any]],
    modifiers: dict[str, dict[str, Any]],
    products: dict[str, dict[str, Any]],
) -> Catalogue:
    catalogue = Catalogue()
    for value in departments.values():
        catalogue.add_department(Department(str(value["id"]), names_from_dict(value["names"])))
    for value in modifiers.values():
        catalogue.add_modifier(
            Modifier(str(value["id"]), names_from_dict(value["names"]), Money(int(value.get("price", 0))))
        )
    for value in products.values():
        catalogue.add_product(product_from_dict(value))
    return catalogue
