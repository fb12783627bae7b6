"""A small restaurant catalogue shared by the domain tests."""

from __future__ import annotations

from sce.domain.catalogue import Catalogue, Department, Language, Modifier, Names, Product, Unit
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType, Order
from sce.domain.vat import ProductVat, VatLetter

DRINKS = Department("DRINKS", Names({Language.NL: "Dranken", Language.FR: "Boissons"}))
FOOD = Department("FOOD", Names({Language.NL: "Keuken", Language.EN: "Kitchen"}))
CHEESE = Modifier("CHEESE", Names.of("Extra kaas"), Money(150))
NO_ONION = Modifier("NO_ONION", Names.of("Zonder ui"))
COLA = Product(
    "COLA",
    Names({Language.NL: "Cola", Language.FR: "Coca"}),
    "DRINKS",
    Money(320),
    ProductVat.single(VatLetter.A),
)
BURGER = Product(
    "BURGER",
    Names(
        {Language.NL: "Hamburger", Language.FR: "Hamburger", Language.DE: "Hamburger", Language.EN: "Burger"}
    ),
    "FOOD",
    Money(1650),
    ProductVat(VatLetter.B, VatLetter.C),
    modifier_ids=("CHEESE", "NO_ONION"),
)
CHEESE_BY_WEIGHT = Product(
    "BRIE", Names.of("Brie"), "FOOD", Money(2490), ProductVat.single(VatLetter.C), Unit.KILOGRAM
)
BRIE_PRICE = Money(2490)


def catalogue() -> Catalogue:
    result = Catalogue()
    for department in (DRINKS, FOOD):
        result.add_department(department)
    for modifier in (CHEESE, NO_ONION):
        result.add_modifier(modifier)
    for product in (COLA, BURGER, CHEESE_BY_WEIGHT):
        result.add_product(product)
    return result


def table(number: int, order_id: str | None = None) -> Order:
    return Order(order_id or f"order-{number}", CostCentre(CostCentreType.TABLE, str(number)))
