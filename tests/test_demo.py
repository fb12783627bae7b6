"""``sce demo`` runs a real till session against the emulator and prints verifiable control data."""

from __future__ import annotations

from pathlib import Path

from sce.demo import run_demo


def test_demo_session_signs_work_in_and_sale(tmp_path: Path) -> None:
    out = run_demo(tmp_path, serve=False)
    text = "\n".join(out)
    assert out[0].startswith("FDM v1 emulator listening on /dev/pts/")
    assert "202 initialise the VSC with the PIN" in text
    assert "PLU cf44878a" in text  # the WORK IN line's PLU hash
    assert "counters 1/1 NS" in text and "counters 2/2 NS" in text
    assert "TOTAL                             41.90" in text
    # A second run on the same state continues the counters: nothing is reset.
    again = "\n".join(run_demo(tmp_path, serve=False))
    assert "counters 3/3 NS" in again and "counters 4/4 NS" in again
