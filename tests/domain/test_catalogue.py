"""Catalogue: departments, multilingual products, modifiers and the reserved WORK IN / WORK OUT products."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sce.domain.catalogue import RESERVED, WORK_IN, WORK_OUT, Catalogue, Language, Names, Product, Unit
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.vat import ProductVat, VatLetter
from tests.domain.support import BURGER, COLA, catalogue, table


def test_names_fall_back_in_language_order() -> None:
    assert COLA.names.get(Language.FR) == "Coca"
    assert COLA.names.get(Language.DE) == "Cola"
    assert Names({Language.EN: "Burger"}).get(Language.NL) == "Burger"
    with pytest.raises(DomainError) as caught:
        Names({Language.NL: "  "})
    assert (caught.value.field, caught.value.rule) == ("names", "REQUIRED")


def test_reserved_work_products_are_zero_priced_letter_d() -> None:
    for product in (WORK_IN, WORK_OUT):
        assert product.price == Money(0)
        assert product.vat == ProductVat.single(VatLetter.D)
        assert product.reserved and not product.manually_sellable
    assert WORK_IN.names.get(Language.FR) == "WORK IN"
    assert set(Catalogue().products) == set(RESERVED)


def test_reserved_products_cannot_be_sold_manually_or_edited() -> None:
    shop = catalogue()
    with pytest.raises(DomainError) as sold:
        shop.for_sale("WORK_IN")
    assert (sold.value.field, sold.value.rule) == ("product_id", "RESERVED_PRODUCT")
    with pytest.raises(DomainError) as edited:
        shop.change("WORK_OUT", price=Money(100))
    assert edited.value.rule == "RESERVED_PRODUCT"
    with pytest.raises(DomainError) as replaced:
        shop.add_product(Product("WORK_IN", Names.of("x"), "FOOD", Money(0), ProductVat.single(VatLetter.D)))
    assert replaced.value.rule == "RESERVED"
    with pytest.raises(DomainError) as on_order:
        table(1).add(WORK_IN)
    assert on_order.value.rule == "RESERVED_PRODUCT"
    assert shop.product("WORK_IN") is WORK_IN


def test_add_product_checks_department_modifiers_and_duplicates() -> None:
    shop = catalogue()
    with pytest.raises(DomainError) as dup:
        shop.add_product(COLA)
    assert (dup.value.field, dup.value.rule) == ("product.id", "DUPLICATE")
    with pytest.raises(DomainError) as dep:
        shop.add_product(Product("TEA", Names.of("Thee"), "BAR", Money(280), ProductVat.single(VatLetter.A)))
    assert (dep.value.field, dep.value.rule) == ("product.department_id", "UNKNOWN_DEPARTMENT")
    with pytest.raises(DomainError) as mod:
        shop.add_product(
            Product(
                "TEA",
                Names.of("Thee"),
                "DRINKS",
                Money(280),
                ProductVat.single(VatLetter.A),
                modifier_ids=("X",),
            )
        )
    assert mod.value.rule == "UNKNOWN_MODIFIER"
    with pytest.raises(DomainError) as reserved_flag:
        shop.add_product(
            Product(
                "TEA", Names.of("Thee"), "DRINKS", Money(0), ProductVat.single(VatLetter.D), reserved=True
            )
        )
    assert reserved_flag.value.rule == "RESERVED"
    with pytest.raises(DomainError) as unknown:
        shop.product("NOPE")
    assert unknown.value.rule == "UNKNOWN_PRODUCT"


def test_product_rules() -> None:
    with pytest.raises(DomainError) as price:
        Product("P", Names.of("p"), "FOOD", Money(-1), ProductVat.single(VatLetter.A))
    assert (price.value.field, price.value.rule) == ("product.price", "NEGATIVE_PRICE")
    with pytest.raises(DomainError) as ident:
        Product(" P", Names.of("p"), "FOOD", Money(1), ProductVat.single(VatLetter.A))
    assert (ident.value.field, ident.value.rule) == ("product.id", "INVALID_ID")


def test_price_change_does_not_alter_lines_already_entered() -> None:
    shop = catalogue()
    order = table(3)
    (line,) = order.add(shop.for_sale("COLA"), Decimal(2))
    changed = shop.change("COLA", price=Money(350), vat=ProductVat.single(VatLetter.B))
    assert (changed.price, changed.vat.eat_in) == (Money(350), VatLetter.B)
    assert shop.product("COLA") == changed
    assert order.line(1) == line
    assert (line.unit_price, line.vat, line.total) == (Money(320), VatLetter.A, Money(640))


def test_weight_products_keep_their_unit() -> None:
    brie = catalogue().for_sale("BRIE")
    assert brie.unit is Unit.KILOGRAM
    assert BURGER.unit is Unit.PIECE
