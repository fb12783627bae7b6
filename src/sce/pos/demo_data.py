"""A demo restaurant: company, establishment, menu in NL/FR/DE/EN, tables and staff (valid INSZ numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sce.domain.catalogue import Department, Language, Modifier, Names, Product, Unit
from sce.domain.money import Money
from sce.domain.staff import Employee
from sce.domain.vat import ProductVat, VatLetter
from sce.pos.site import SiteConfig

if TYPE_CHECKING:
    from sce.pos.service import Pos

SITE = SiteConfig(
    company_name="Brasserie De Vaart BV",
    company_address="Kaai 12, 9000 Gent",
    vat_no="BE0477472701",
    establishment_no="2000000042",
    establishment_name="De Vaart",
    pos_id="CSCE0010000001",
    sw_version="1.0.0",
)

#: (INSZ, alias, role)
STAFF = (
    ("85073003328", "Anna", "manager"),
    ("93051822361", "Bram", "waiter"),
    ("90020199704", "Chloé", "waiter"),
)
TABLES = tuple(str(number) for number in range(1, 13))


def _names(nl: str, fr: str, de: str, en: str) -> Names:
    return Names({Language.NL: nl, Language.FR: fr, Language.DE: de, Language.EN: en})


DEPARTMENTS = (
    Department("DRINKS", _names("Dranken", "Boissons", "Getränke", "Drinks")),
    Department("STARTERS", _names("Voorgerechten", "Entrées", "Vorspeisen", "Starters")),
    Department("MAINS", _names("Hoofdgerechten", "Plats", "Hauptgerichte", "Mains")),
    Department("DESSERTS", _names("Desserts", "Desserts", "Nachspeisen", "Desserts")),
)
MODIFIERS = (
    Modifier(
        "EXTRA_CHEESE", _names("Extra kaas", "Supplément fromage", "Extra Käse", "Extra cheese"), Money(150)
    ),
    Modifier("NO_ONION", _names("Zonder ajuin", "Sans oignon", "Ohne Zwiebel", "No onion")),
    Modifier("RARE", _names("Saignant", "Saignant", "Blutig", "Rare")),
)
_FOOD = ProductVat(VatLetter.B, VatLetter.C)
_DRINK = ProductVat.single(VatLetter.A)
_SOFT = ProductVat(VatLetter.A, VatLetter.C)
PRODUCTS = (
    Product("COLA", _names("Cola", "Cola", "Cola", "Cola"), "DRINKS", Money(320), _SOFT),
    Product(
        "WATER", _names("Spa plat", "Spa plate", "Stilles Wasser", "Still water"), "DRINKS", Money(300), _SOFT
    ),
    Product("BEER", _names("Pils", "Pils", "Pils", "Lager"), "DRINKS", Money(350), _DRINK),
    Product(
        "WINE_L",
        _names("Huiswijn", "Vin maison", "Hauswein", "House wine"),
        "DRINKS",
        Money(2400),
        _DRINK,
        Unit.LITRE,
    ),
    Product(
        "SOUP",
        _names("Dagsoep", "Potage du jour", "Tagessuppe", "Soup of the day"),
        "STARTERS",
        Money(650),
        _FOOD,
    ),
    Product(
        "CROQ",
        _names("Kaaskroketten", "Croquettes au fromage", "Käsekroketten", "Cheese croquettes"),
        "STARTERS",
        Money(1400),
        _FOOD,
    ),
    Product(
        "STEAK",
        _names("Steak frieten", "Steak frites", "Steak mit Pommes", "Steak and fries"),
        "MAINS",
        Money(2650),
        _FOOD,
        modifier_ids=("RARE", "NO_ONION"),
    ),
    Product(
        "BURGER",
        _names("Burger van de chef", "Burger du chef", "Burger des Küchenchefs", "Chef's burger"),
        "MAINS",
        Money(1950),
        _FOOD,
        modifier_ids=("EXTRA_CHEESE", "NO_ONION"),
    ),
    Product(
        "STOOF",
        _names("Stoofvlees", "Carbonnades", "Rindsschmorbraten", "Flemish stew"),
        "MAINS",
        Money(2200),
        _FOOD,
    ),
    Product(
        "SCAMPI", _names("Scampi's", "Scampis", "Scampi", "Scampi"), "MAINS", Money(2450), _FOOD, Unit.PIECE
    ),
    Product(
        "MOUSSE",
        _names("Chocolademousse", "Mousse au chocolat", "Mousse au Chocolat", "Chocolate mousse"),
        "DESSERTS",
        Money(800),
        _FOOD,
    ),
    Product(
        "DAME",
        _names("Dame blanche", "Dame blanche", "Dame Blanche", "Dame blanche"),
        "DESSERTS",
        Money(900),
        _FOOD,
    ),
    Product(
        "CHEESE_KG",
        _names("Kaas per kilo", "Fromage au kilo", "Käse per Kilo", "Cheese by the kilo"),
        "DESSERTS",
        Money(3200),
        _FOOD,
        Unit.KILOGRAM,
    ),
)


def seed(pos: Pos, site: SiteConfig = SITE) -> None:
    """Configure ``pos`` with the demo restaurant."""
    pos.configure_site(site)
    for department in DEPARTMENTS:
        pos.add_department(department)
    for modifier in MODIFIERS:
        pos.add_modifier(modifier)
    for product in PRODUCTS:
        pos.add_product(product)
    for insz, alias, role in STAFF:
        pos.add_employee(Employee(insz, alias), role)


QUANTITY_ONE = Decimal(1)
