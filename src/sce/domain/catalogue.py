"""The catalogue: departments, products with names in four languages, modifiers and the reserved products.

Prices include VAT; each product carries its VAT letter when eaten in and when taken away. A change of
price or VAT letter gives a new product value and never alters a line already entered (MB art. 44); the
catalogue change itself is configuration data the journal logs. WORK IN / WORK OUT are reserved: price 0,
letter D, never sold manually, never edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

from sce.domain.errors import DomainError
from sce.domain.money import ZERO, Money
from sce.domain.vat import ProductVat, VatLetter


class Language(StrEnum):
    NL = "NL"
    FR = "FR"
    DE = "DE"
    EN = "EN"


class Unit(StrEnum):
    """How a product is counted: per piece, by weight or by volume."""

    PIECE = "unit"
    KILOGRAM = "kg"
    LITRE = "l"


@dataclass(frozen=True, slots=True)
class Names:
    """A name per language; at least one, the others fall back to NL, FR, DE, EN in that order."""

    values: Mapping[Language, str]

    def __post_init__(self) -> None:
        cleaned = {Language(lang): text.strip() for lang, text in self.values.items() if text.strip()}
        if not cleaned:
            raise DomainError("names", "REQUIRED", "a name in at least one of NL, FR, DE, EN")
        object.__setattr__(self, "values", MappingProxyType(cleaned))

    @classmethod
    def of(cls, text: str, language: Language = Language.NL) -> Names:
        return cls({language: text})

    def get(self, language: Language) -> str:
        if language in self.values:
            return self.values[language]
        return next(self.values[lang] for lang in Language if lang in self.values)


def _check_id(value: str, field: str) -> None:
    if not value.strip() or value != value.strip():
        raise DomainError(field, "INVALID_ID", f"{value!r}: non-empty, no surrounding spaces")


@dataclass(frozen=True, slots=True)
class Department:
    """A main group of products (drinks, food...); Z reports show the turnover per department."""

    id: str
    names: Names

    def __post_init__(self) -> None:
        _check_id(self.id, "department.id")


@dataclass(frozen=True, slots=True)
class Modifier:
    """An option of a product (``extra cheese``); a priced modifier becomes its own order line."""

    id: str
    names: Names
    price: Money = ZERO

    def __post_init__(self) -> None:
        _check_id(self.id, "modifier.id")
        if self.price.cents < 0:
            raise DomainError("modifier.price", "NEGATIVE_PRICE", "discounts are order lines, not modifiers")


@dataclass(frozen=True, slots=True)
class Product:
    """A product or service for sale; ``price`` is per unit (piece, kg or litre) including VAT."""

    id: str
    names: Names
    department_id: str
    price: Money
    vat: ProductVat
    unit: Unit = Unit.PIECE
    modifier_ids: tuple[str, ...] = ()
    reserved: bool = False

    def __post_init__(self) -> None:
        _check_id(self.id, "product.id")
        _check_id(self.department_id, "product.department_id")
        if self.price.cents < 0:
            raise DomainError("product.price", "NEGATIVE_PRICE", "a price is at least 0.00")

    @property
    def manually_sellable(self) -> bool:
        return not self.reserved


WORK_DEPARTMENT = Department("WORK", Names.of("WORK"))
WORK_IN = Product(
    "WORK_IN", Names.of("WORK IN"), WORK_DEPARTMENT.id, ZERO, ProductVat.single(VatLetter.D), reserved=True
)
WORK_OUT = Product(
    "WORK_OUT", Names.of("WORK OUT"), WORK_DEPARTMENT.id, ZERO, ProductVat.single(VatLetter.D), reserved=True
)
RESERVED: Mapping[str, Product] = MappingProxyType({WORK_IN.id: WORK_IN, WORK_OUT.id: WORK_OUT})


@dataclass(slots=True)
class Catalogue:
    """Departments, modifiers and products of one establishment, always holding the reserved products."""

    departments: dict[str, Department] = field(default_factory=dict)
    modifiers: dict[str, Modifier] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.departments.setdefault(WORK_DEPARTMENT.id, WORK_DEPARTMENT)
        self.products.update(RESERVED)

    def add_department(self, department: Department) -> None:
        if department.id in self.departments:
            raise DomainError("department.id", "DUPLICATE", department.id)
        self.departments[department.id] = department

    def add_modifier(self, modifier: Modifier) -> None:
        if modifier.id in self.modifiers:
            raise DomainError("modifier.id", "DUPLICATE", modifier.id)
        self.modifiers[modifier.id] = modifier

    def add_product(self, product: Product) -> None:
        if product.id in self.products:
            rule = "RESERVED" if product.id in RESERVED else "DUPLICATE"
            raise DomainError("product.id", rule, product.id)
        if product.reserved:
            raise DomainError("product.reserved", "RESERVED", "only WORK IN / WORK OUT are reserved")
        if product.department_id not in self.departments:
            raise DomainError("product.department_id", "UNKNOWN_DEPARTMENT", product.department_id)
        for modifier_id in product.modifier_ids:
            if modifier_id not in self.modifiers:
                raise DomainError("product.modifier_ids", "UNKNOWN_MODIFIER", modifier_id)
        self.products[product.id] = product

    def product(self, product_id: str) -> Product:
        try:
            return self.products[product_id]
        except KeyError:
            raise DomainError("product_id", "UNKNOWN_PRODUCT", product_id) from None

    def for_sale(self, product_id: str) -> Product:
        """A product a user may put on an order by hand (never WORK IN / WORK OUT)."""
        product = self.product(product_id)
        if not product.manually_sellable:
            raise DomainError("product_id", "RESERVED_PRODUCT", f"{product_id} cannot be sold manually")
        return product

    def change(
        self,
        product_id: str,
        *,
        price: Money | None = None,
        vat: ProductVat | None = None,
        names: Names | None = None,
    ) -> Product:
        """Replace a product's price, VAT letters or names; returns the new product value."""
        current = self.product(product_id)
        if current.reserved:
            raise DomainError("product_id", "RESERVED_PRODUCT", f"{product_id} cannot be edited")
        changed = replace(
            current,
            price=current.price if price is None else price,
            vat=current.vat if vat is None else vat,
            names=current.names if names is None else names,
        )
        self.products[product_id] = changed
        return changed

    def modifier(self, modifier_id: str) -> Modifier:
        try:
            return self.modifiers[modifier_id]
        except KeyError:
            raise DomainError("modifier_id", "UNKNOWN_MODIFIER", modifier_id) from None
