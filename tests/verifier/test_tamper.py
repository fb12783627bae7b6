"""The tamper corpus: every edit of a simulated month is caught, naming the record that was touched."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sce.verifier import Finding, run, verify_export
from tests.verifier.tampering import edit, find_seq, forge_derived, read_lines, rechain, write_lines

Copy = Callable[[Path], Path]


def findings(root: Path) -> list[Finding]:
    summary = verify_export(root, jobs=1)
    assert not summary.ok
    return summary.first


def named(found: list[Finding], seq: int, check: str | None = None, file: str = "events.jsonl") -> bool:
    return any(f.seq == seq and f.file == file and (check is None or f.check == check) for f in found)


def is_sale(record: dict[str, Any], nth_line: int = 0) -> bool:
    event = record.get("event") or {}
    return record["type"] == "event" and event.get("kind") == "SALE" and not event.get("training")


def test_untouched_month_passes(v1_export: Path) -> None:
    summary = verify_export(v1_export, jobs=1)
    assert summary.ok, [f.text() for f in summary.first]
    assert summary.events > 700 and summary.z_reports == 60 and summary.signatures > 500
    assert summary.config_records == 9


def test_untouched_sce2_days_pass(v2_export: Path) -> None:
    summary = verify_export(v2_export, jobs=1)
    assert summary.ok, [f.text() for f in summary.first]
    assert summary.signatures == summary.events  # SCE 2.0 signs every event, reports included


def test_parallel_workers_give_the_same_verdict(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 40)
    edit(root, seq, lambda r: r["event"].update(total="999.00"), reseal=False)
    one = verify_export(root, jobs=1)
    two = verify_export(root, jobs=2)
    assert [f.text() for f in one.first] == [f.text() for f in two.first]
    assert named(two.first, seq, "hash")


def test_report_figures_add_up_across_blocks(
    v1_export: Path, copy_of: Copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers count the figures of their own blocks; a period spread over many blocks still adds up, and
    a changed sale is still found in the Z report that follows it."""
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 30)
    edit(root, seq, lambda r: r["event"]["lines"][0].update(line_total="0.00", neg_reason="X"), reseal=True)
    whole = verify_export(root, jobs=0)
    monkeypatch.setattr(run, "BLOCK", 6 << 10)  # a few records per block
    in_process = verify_export(root, jobs=0)
    two = verify_export(root, jobs=2)
    assert [f.text() for f in whole.first] == [f.text() for f in in_process.first]
    assert [f.text() for f in whole.first] == [f.text() for f in two.first]
    assert any(f.check == "report" and f.seq is not None and f.seq > seq for f in two.first)
    assert verify_export(v1_export, jobs=2).ok


def test_delete_a_record(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 20)
    write_lines(root, [line for line in read_lines(root) if json.loads(line)["seq"] != seq])
    found = findings(root)
    assert named(found, seq + 1, "chain")
    assert any(
        f.check == "numbering" and f.field == "event.ticket_number" and f.seq == seq + 1 for f in found
    )


def test_delete_a_record_and_reseal(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 20)
    write_lines(root, [line for line in read_lines(root) if json.loads(line)["seq"] != seq])
    rechain(root)
    found = findings(root)
    # the ticket numbers and the FDM counters both jump at the record after the deleted one
    assert any(f.check == "numbering" and f.field == "event.ticket_number" and f.seq == seq for f in found)
    assert any(f.check == "counters" and "total_counter" in f.field for f in found)


def test_swap_two_records(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 30)
    lines = read_lines(root)
    index = next(i for i, line in enumerate(lines) if json.loads(line)["seq"] == seq)
    lines[index], lines[index + 1] = lines[index + 1], lines[index]
    write_lines(root, lines)
    found = findings(root)
    assert named(found, seq + 1, "chain") and named(found, seq, "chain")


def test_change_an_amount(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 10)

    def richer(record: dict[str, Any]) -> None:
        line = record["event"]["lines"][0]
        line["unit_price"] = str(Decimal(line["unit_price"]) + 1)
        line["line_total"] = str(Decimal(line["line_total"]) + Decimal(line["quantity"]))
        record["event"]["total"] = str(Decimal(record["event"]["total"]) + Decimal(line["quantity"]))

    edit(root, seq, richer, reseal=False)
    assert named(findings(root), seq, "hash")


def test_change_an_amount_and_reseal_the_chain(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 10)

    def smaller(record: dict[str, Any]) -> None:
        record["event"]["lines"] = record["event"]["lines"][:1]
        record["event"]["total"] = record["event"]["lines"][0]["line_total"]

    edit(root, seq, smaller, reseal=True)
    found = findings(root)
    assert not any(f.check in ("hash", "chain", "manifest") for f in found)
    assert any(f.seq == seq and f.check == "signature" and f.field.startswith("event.") for f in found)
    assert any(f.check == "report" for f in found)  # the Z report of that day no longer adds up


def test_change_a_vat_letter(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: is_sale(r) and r["event"]["lines"][0]["vat"] == "B", 5)
    edit(root, seq, lambda r: r["event"]["lines"][0].update(vat="C"), reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.check == "signature" for f in found)


def test_change_a_vat_letter_sce2(v2_export: Path, copy_of: Copy) -> None:
    root = copy_of(v2_export)
    seq = find_seq(root, lambda r: is_sale(r) and r["event"]["lines"][0]["vat"] == "B", 1)
    edit(root, seq, lambda r: r["event"]["lines"][0].update(vat="A"), reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.check == "signature" and f.field == "event.lines[0].vat" for f in found)


def test_forge_a_signature(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 7)

    def forge(record: dict[str, Any]) -> None:
        fake = "0123456789ABCDEF0123456789ABCDEF01234567"
        record["reply"] = record["reply"][:69] + fake
        record["fdm"]["signature"] = fake

    edit(root, seq, forge, reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.field == "reply.signature" for f in found)


def test_forge_a_signature_sce2(v2_export: Path, copy_of: Copy) -> None:
    root = copy_of(v2_export)
    seq = find_seq(root, is_sale, 2)

    def forge(record: dict[str, Any]) -> None:
        request = json.loads(record["request"])
        request["variables"]["data"]["transaction"]["transactionTotal"] += 1
        record["request"] = json.dumps(request)

    edit(root, seq, forge, reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.field == "reply.digitalSignature" for f in found)


def test_renumber(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 15)
    edit(
        root, seq, lambda r: r["event"].update(ticket_number=r["event"]["ticket_number"] + 1000), reseal=True
    )
    found = findings(root)
    assert any(f.seq == seq and f.field == "event.ticket_number" and f.check == "signature" for f in found)
    assert any(f.check == "numbering" for f in found)


def test_drop_a_z_report_file(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: (r.get("event") or {}).get("kind") == "REPORT_TURNOVER_Z", 4)
    (root / "z-reports" / "z-000005-turnover.json").unlink()
    found = findings(root)
    assert any(f.seq == seq and f.check == "z-report" for f in found)


def test_drop_a_z_report_from_the_journal(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: (r.get("event") or {}).get("kind") == "REPORT_TURNOVER_Z", 4)
    write_lines(root, [line for line in read_lines(root) if json.loads(line)["seq"] != seq])
    rechain(root)
    found = findings(root)
    # the next turnover Z (number 6) is named: number 5 is missing from the series
    next_z = find_seq(root, lambda r: (r.get("event") or {}).get("kind") == "REPORT_TURNOVER_Z", 4)
    assert any(f.seq == next_z and f.check == "numbering" and "report_number" in f.field for f in found)


def test_change_a_z_figure(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: (r.get("event") or {}).get("kind") == "REPORT_TURNOVER_Z", 2)
    edit(root, seq, lambda r: r["pos"]["report"]["sales"].update(amount="1.00"), reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.check == "report" and f.field == "pos.report.sales.amount" for f in found)


def test_edit_the_configuration_log(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    lines = read_lines(root, "config.jsonl")
    record = json.loads(lines[2])
    record["after"]["price"] = "0.50"
    lines[2] = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    write_lines(root, lines, "config.jsonl")
    found = findings(root)
    assert any(f.file == "config.jsonl" and f.seq == 3 and f.check == "hash" for f in found)


def test_truncate_inside_a_line(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    data = (root / "events.jsonl").read_bytes()
    (root / "events.jsonl").write_bytes(data[: len(data) - 500])
    last = json.loads(read_lines(v1_export)[-1])["seq"]
    found = findings(root)
    assert any(f.check == "truncated" and f.seq == last for f in found)


def test_truncate_whole_records(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    lines = read_lines(root)
    write_lines(root, lines[:-5])
    last = json.loads(lines[-1])["seq"]
    found = findings(root)
    assert any(f.check == "truncated" and f.seq == last for f in found)


def test_order_without_sale(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(
        root, lambda r: is_sale(r) and (r["event"].get("cost_center") or {}).get("reference") == "order-003-0"
    )
    order_seq = find_seq(
        root,
        lambda r: (r.get("event") or {}).get("kind") == "ORDER" and r["pos"].get("order_id") == "order-003-0",
    )
    write_lines(root, [line for line in read_lines(root) if json.loads(line)["seq"] != seq])
    rechain(root)
    found = findings(root)
    assert any(f.check == "orders" and f.seq == order_seq for f in found)


def test_sale_without_signature(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 3)
    edit(root, seq, lambda r: r.update(fdm=None, request=None, reply=None), reseal=True)
    found = findings(root)
    assert any(f.seq == seq and f.check == "unsigned" for f in found)


def test_invoice_sub_journal_must_match(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: (r.get("event") or {}).get("kind") == "INVOICE")
    lines = read_lines(root, "invoices.jsonl")
    lines[0] = lines[0].replace('"invoice_amount":"', '"invoice_amount":"1')
    write_lines(root, lines, "invoices.jsonl")
    found = findings(root)
    assert any(f.seq == seq and f.file == "invoices.jsonl" for f in found)


def test_a_thorough_forger_still_leaves_the_manifest_consistent(v1_export: Path, copy_of: Copy) -> None:
    # re-deriving everything from an untouched journal gives a clean export: the forger tools are sound
    root = copy_of(v1_export)
    forge_derived(root)
    assert verify_export(root, jobs=1).ok


def test_members_the_verifier_uses_itself_change_nothing(v1_export: Path, copy_of: Copy) -> None:
    """A record carrying members named like the verifier's own bookkeeping is read like any other."""
    root = copy_of(v1_export)
    seq = find_seq(root, is_sale, 5)
    edit(root, seq, lambda r: r.update(figures={"x": 1}, transfer_to=["order-1"], line_sha="0"), reseal=False)
    for jobs in (0, 2):
        found = verify_export(root, jobs=jobs).first
        assert named(found, seq, "hash")
        assert not any(f.check in ("report", "orders") for f in found)


def test_a_vat_letter_of_the_wrong_type_hides_no_other_line(v1_export: Path, copy_of: Copy) -> None:
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: is_sale(r) and len(r["event"]["lines"]) >= 2, 3)

    def spoil(record: dict[str, Any]) -> None:
        record["event"]["lines"][0]["vat"] = ["A"]
        record["event"]["lines"][1]["line_total"] = "999.00"

    edit(root, seq, spoil, reseal=True)
    fields = {f.field for f in findings(root) if f.seq == seq and f.check == "event"}
    assert {"event.lines[0].vat", "event.lines[1].line_total"} <= fields


def test_an_fdm_part_that_is_no_object_counts_as_absent(v1_export: Path, copy_of: Copy) -> None:
    """A drawer opening (which an SCE 1.0 FDM does not sign) still counts in its Z report."""
    root = copy_of(v1_export)
    seq = find_seq(root, lambda r: r["type"] == "event" and r["event"]["kind"] == "DRAWER_OPEN", 2)
    edit(root, seq, lambda r: r.update(fdm="x"), reseal=True)
    for jobs in (0, 2):
        summary = verify_export(root, jobs=jobs)
        assert summary.ok, [f.text() for f in summary.first]
