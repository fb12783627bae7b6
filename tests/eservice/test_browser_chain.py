"""The whole registration chain clicked through the e-service's pages in headless Chromium.

Producer -> distributor (registered, validated by the administration) -> operator (five SCE 1.0 steps:
identification, company and establishments, delivery confirmation, links, VSC and PIN), until the SCE 1.0
emulator signs a sale with its counters; and the SCE 2.0 chain up to the first signed event after the first
boot from the FPS stand-in. Every role logs in through the login page in its own browser context.
Screenshots of the main screens are kept under ``tests/artefacts/eservice/``.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from sce.eservice.seed import DEALER_A, EST_A1, EST_A2, OPERATOR_A, PRODUCER_A
from tests.browser import Screenshots, chromium
from tests.eservice.support import served

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _login(browser: Browser, url: str, username: str, lang: str = "en") -> Page:
    page = browser.new_context(base_url=url, accept_downloads=True).new_page()
    page.goto(f"/eservice/?lang={lang}")
    form = page.locator("form[data-api$='/login']")
    form.get_by_label(re.compile("User name|Gebruikersnaam")).fill(username)
    form.locator("input[name=password]").fill("demo")
    with page.expect_navigation(url=re.compile(r"/eservice/(operator|producer|distributor|admin)")):
        form.locator("button").click()
    return page


def _clear(output: Locator) -> None:
    """Forget an answer kept from before the last reload, so the next one is the one read."""
    output.evaluate("out => { out.className = ''; out.textContent = ''; }")


def _submit(page: Page, form: Locator, *, reloads: bool = True, succeeds: bool = True) -> str:
    """Click the form's button and return the answer: the text the page shows when it stays, the API's
    JSON when the page reloads after it (the page then shows the state). An error answer fails the test
    with its text, unless ``succeeds`` is False (a list of results with failures, such as links)."""
    output = form.locator("output")
    _clear(output)
    if not reloads:
        form.locator("button").first.click()
        expect(output).to_have_class(re.compile("ok|error"))
        text = output.inner_text()
        assert output.get_attribute("class") == "ok" or not succeeds, text
        return text
    with page.expect_navigation():
        with page.expect_response(lambda r: r.request.method == "POST" and "/eservice/api/" in r.url) as info:
            form.locator("button").first.click()
        text = info.value.text()
        assert info.value.ok, text
        assert not succeeds or '"ok":false' not in text.replace(" ", ""), text
    return text


def _refused(form: Locator) -> str:
    """Click the form's button expecting a refusal; the error the page shows."""
    output = form.locator("output")
    _clear(output)
    form.locator("button").first.click()
    expect(output).to_have_class("error")
    return output.inner_text()


def _xml_file(name: str, text: str) -> FilePayload:
    return {"name": name, "mimeType": "application/xml", "buffer": text.encode()}


def _pin_from_letter(pdf: bytes) -> str:
    texts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for text in texts:
        found = re.search(rb"PIN: (\d{5})", text)
        if found:
            return found.group(1).decode()
    raise AssertionError("no PIN in the PIN letter")


def _producer_steps(page: Page, shots: Screenshots) -> dict[str, str]:
    expect(page.locator("h1")).to_have_text(f"Producer: Demo Devices ({PRODUCER_A})")
    expect(page.locator("#who")).to_contain_text("(producer)")
    for kind, generation, number in (
        ("FDM", "1.0", "01"),
        ("POS", "1.0", "001"),
        ("FDM", "2.0", "02"),
        ("POS", "2.0", "002"),
    ):
        form = page.locator("#model")
        form.locator("select[name=kind]").select_option(kind)
        form.locator("select[name=generation]").select_option(generation)
        form.locator("input[name=model_number]").fill(number)
        form.locator("input[name=certificate]").fill(f"CERT-{kind}-{generation}")
        _submit(page, form)
    serials = {}
    for label, key in (
        ("FDM 01 (SCE 1.0)", "f1"),
        ("POS 001 (SCE 1.0)", "p1"),
        ("FDM 02 (SCE 2.0)", "f2"),
        ("POS 002 (SCE 2.0)", "p2"),
    ):
        form = page.locator("#batch")
        form.locator("select[name=model_id]").select_option(label=label)
        form.locator("input[name=first]").fill("1")
        form.locator("input[name=last]").fill("2")
        serials[key] = json.loads(_submit(page, form))["serials"][0]
    assert serials == {
        "f1": "DEV01000001",
        "p1": "CDEV0010000001",
        "f2": "DEV02000001",
        "p2": "CDEV0020000001",
    }
    expect(page.locator("#stock")).to_contain_text("CDEV0020000002")
    shots.take(page, "producer models and stock")
    return serials


def test_sce10_and_sce20_chains_through_the_pages(browser: Browser, tmp_path: Path) -> None:
    shots = Screenshots("eservice")
    with served(tmp_path) as url:
        # -- login page and producer
        anonymous = browser.new_page(base_url=url)
        anonymous.goto("/eservice/?lang=en")
        expect(anonymous.locator("h1")).to_have_text("Log in")
        form = anonymous.locator("form")
        form.locator("input[name=username]").fill("producer-a")
        form.locator("input[name=password]").fill("wrong")
        assert "password" in _refused(form)
        shots.take(anonymous, "login refused")
        anonymous.close()

        producer = _login(browser, url, "producer-a")
        s = _producer_steps(producer, shots)

        # -- distributor registers; the producer cannot deliver before that
        dealer = _login(browser, url, "dealer-a")
        expect(dealer.locator("h1")).to_have_text(f"Distributor: Kassa Dealer ({DEALER_A})")
        registration = dealer.locator("#registration")
        registration.locator("input[name=contact_person]").fill("Jan Claes")
        registration.locator("input[name=phone]").fill("+32 50 12 34 56")
        registration.locator("input[name=email]").fill("jan@kassa-dealer.invalid")
        _submit(dealer, registration)
        expect(dealer.locator("#distributor-status")).to_have_text("Status: pending")

        # -- the administration validates the distributor
        admin = _login(browser, url, "admin")
        expect(admin.locator("h1")).to_have_text("Administration")
        row = admin.locator("tr", has_text=DEALER_A)
        expect(row.locator(".status")).to_have_text("pending")
        shots.take(admin, "administration distributors")
        _submit(admin, row.locator("form"))
        expect(admin.locator("tr", has_text=DEALER_A).locator(".status")).to_have_text("validated")

        # -- producer delivers to the distributor
        delivery = producer.locator("#delivery")
        delivery.locator("input[name=distributor_vat]").fill(DEALER_A)
        delivery.locator("input[name=date]").fill("2026-11-01")
        delivery.locator("input[name=serials]").fill(" ".join(s.values()))
        _submit(producer, delivery)
        expect(producer.locator("#stock tr", has_text=s["f1"])).to_contain_text("at distributor")

        # -- operator, step 1 (identification) and step 2 (company and establishments)
        operator = _login(browser, url, "operator-a")
        expect(operator.locator("h1")).to_have_text(f"Operator: Brasserie De Markt ({OPERATOR_A})")
        expect(operator.locator("#step1")).to_contain_text("An Peeters")
        registration = operator.locator("#registration")
        registration.locator("input[name=contact_email]").fill("an@markt.invalid")
        for unit, generation in ((EST_A1, "1.0"), (EST_A2, "2.0")):
            operator.locator(f"#select-{unit}").select_option("yes")
            operator.locator(f"#generation-{unit}").select_option(generation)
            operator.locator(f"#start-{unit}").fill("2026-10-15")
        _submit(operator, registration)
        unit_row = operator.locator("#registration tr", has_text=EST_A1)
        expect(unit_row).to_contain_text(
            re.compile(r"register by \d{4}-\d\d-\d\d, in use by \d{4}-\d\d-\d\d")
        )
        expect(unit_row.locator("a.checker")).to_have_attribute(
            "href", re.compile(r"^/obligation/\?name=De\+Markt")
        )
        expect(unit_row.locator("a.planner")).to_have_attribute("href", re.compile("date=2026-10-15"))
        for link in (unit_row.locator("a.checker"), unit_row.locator("a.planner")):
            target = operator.request.get(str(link.get_attribute("href")))
            assert target.status == 200, (link.get_attribute("href"), target.status)
        shots.take(operator, "operator establishments and deadlines")

        # -- distributor delivers: SCE 1.0 through the form, SCE 2.0 as an XML upload checked by the XSD
        dealer.reload()
        expect(dealer.locator("#stock")).to_contain_text(s["p2"])
        delivery = dealer.locator("#delivery")
        delivery.locator("input[name=operator_vat]").fill(OPERATOR_A)
        delivery.locator("input[name=establishment]").fill(EST_A1)
        delivery.locator("input[name=room]").fill("Bar")
        delivery.locator("input[name=date]").fill("2026-11-02")
        delivery.locator("input[name=serials]").fill(f"{s['f1']}, {s['p1']}")
        _submit(dealer, delivery)
        upload = dealer.locator("#xml")
        bad = f'<deliveries xmlns="urn:sce:eservice:deliveries:1" distributor="{DEALER_A}"><delivery/>'
        upload.locator("input[type=file]").set_input_files(
            files=[_xml_file("bad.xml", bad + "</deliveries>")]
        )
        refusal = _refused(upload)
        assert refusal.startswith("file/deliveries/delivery: ") and "operatorVat" in refusal, refusal
        xml = (
            f'<deliveries xmlns="urn:sce:eservice:deliveries:1" distributor="{DEALER_A}"><delivery>'
            f"<operatorVat>{OPERATOR_A}</operatorVat><establishment>{EST_A2}</establishment>"
            f"<room>Terras</room><date>2026-11-02</date><productionNumber>{s['f2']}</productionNumber>"
            f"<productionNumber>{s['p2']}</productionNumber></delivery></deliveries>"
        )
        upload.locator("input[type=file]").set_input_files(files=[_xml_file("deliveries.xml", xml)])
        _submit(dealer, upload)
        expect(dealer.locator("#stock tr", has_text=s["p2"])).to_contain_text(OPERATOR_A)
        shots.take(dealer, "distributor stock delivered")

        # -- operator, step 3: confirm each delivery by the last digits of its serial number
        operator.reload()
        wrong = operator.locator(f"#confirm-{s['f1']}")
        wrong.locator("input[name=last_digits]").fill("9999")
        assert "last_digits" in _refused(wrong)
        for serial in s.values():
            form = operator.locator(f"#confirm-{serial}")
            form.locator("input[name=last_digits]").fill(serial[-4:])
            _submit(operator, form)
            expect(operator.locator(f"#component-{serial} .status")).to_have_text("confirmed")

        # -- step 4: links per establishment, success or failure with the reason
        link = operator.locator("#link")
        link.locator("input[name=fdm]").fill(s["f1"])
        link.locator("input[name=pos]").fill(f"{s['p1']} {s['p2']}")
        _submit(operator, link, succeeds=False)
        answer = operator.locator("#link output")
        expect(answer).to_have_class("error")
        expect(answer).to_contain_text(f"{s['p1']}: linked")
        expect(answer).to_contain_text(re.compile(rf"{s['p2']}: not linked \(.*establishment"))
        link.locator("input[name=fdm]").fill(s["f2"])
        link.locator("input[name=pos]").fill(s["p2"])
        _submit(operator, link)
        expect(operator.locator("#links tr", has_text=s["p1"])).to_contain_text(f"FDM {s['f1']}{EST_A1}")
        expect(operator.locator("#links tr", has_text=s["p2"])).to_contain_text(f"FDM {s['f2']}{EST_A2}")
        shots.take(operator, "operator components confirmed and linked")

        # -- step 5 (SCE 1.0): VSC request, the two letters, the PIN entered in the emulated FDM
        fdm1 = operator.locator(f"#fdm-{s['f1']}")
        _submit(operator, fdm1.locator("form.vsc"))
        expect(fdm1).to_contain_text(re.compile(r"VSC \d{10}-001 · requested"))
        with operator.expect_download() as card_download:
            fdm1.locator("a.card-letter").click()
        assert Path(card_download.value.path()).read_bytes().startswith(b"%PDF")
        with operator.expect_download() as pin_download:
            fdm1.locator("a.pin-letter").click()
        assert pin_download.value.suggested_filename == f"pin-letter-{s['f1']}.pdf"
        pin = _pin_from_letter(Path(pin_download.value.path()).read_bytes())
        activate = fdm1.locator("form.activate")
        activate.locator("input[name=pin]").fill("00000" if pin != "00000" else "11111")
        assert "the FDM refused this PIN" in _refused(activate)
        activate.locator("input[name=pin]").fill(pin)
        _submit(operator, activate)
        expect(fdm1.locator(".active")).to_have_text("Active")
        expect(operator.locator(f"#component-{s['p1']} .status")).to_have_text("active")
        sale = fdm1.locator("form.test-sale")
        first = _submit(operator, sale, reloads=False)
        assert "generation: 1.0" in first and "label: NS" in first
        assert "event_counter: 1" in first and "total_counter: 1" in first
        assert re.search(r"signature: [0-9A-Za-z+/=]{40}\b", first), first
        second = _submit(operator, sale, reloads=False)
        assert "event_counter: 2" in second and "total_counter: 2" in second
        shots.take(operator, "sce 1.0 active and signed sale")

        # -- SCE 2.0: first boot from the FPS stand-in, then the first signed event
        fdm2 = operator.locator(f"#fdm-{s['f2']}")
        _submit(operator, fdm2.locator("form.first-boot"))
        expect(fdm2.locator(".first-boot-done")).to_contain_text("First boot")
        expect(fdm2.locator(".active")).to_have_text("Active")
        event = _submit(operator, fdm2.locator("form.test-sale"), reloads=False)
        assert "generation: 2.0" in event and "total_counter: 1" in event and "event_counter: 1" in event
        assert "footer: De Markt Terras" in event
        shots.take(operator, "sce 2.0 first boot and signed event")

        # -- the administration looks the operator up, and imports a company into the KBO/BCE stand-in
        admin.goto("/eservice/admin?lang=en")
        lookup = admin.locator("#company")
        lookup.locator("select[name=kind]").select_option("operator")
        lookup.locator("input[name=vat]").fill(OPERATOR_A.lower())
        with admin.expect_navigation(url=re.compile(f"/eservice/operator/{OPERATOR_A}")):
            lookup.locator("button").click()
        for serial in (s["f1"], s["f2"]):
            expect(admin.locator(f"#fdm-{serial} .active")).to_have_text("Active")
        admin.goto("/eservice/admin?lang=en")
        csv = (
            "record,vat,name,legal_form,address,number,signboard\n"
            "company,BE0999123457,Frituur Het Hoekje,BV,Kerkstraat 9 3000 Leuven,,\n"
            "establishment,BE0999123457,,,Kerkstraat 9 3000 Leuven,2200000184,Het Hoekje\n"
        )
        kbo = admin.locator("#kbo-import")
        csv_file: FilePayload = {"name": "kbo.csv", "mimeType": "text/csv", "buffer": csv.encode()}
        kbo.locator("input[type=file]").set_input_files(files=[csv_file])
        imported = _submit(admin, kbo, reloads=False)
        assert "companies: 1" in imported and "establishments: 1" in imported
        shots.take(admin, "administration kbo import")

        # -- the component's history, seen by the distributor who handled it
        dealer.goto(f"/eservice/components/{s['f1']}?lang=en")
        history = dealer.locator("table")
        for action in ("produced", "delivered to distributor", "delivered to operator", "activated"):
            expect(history).to_contain_text(action)
        shots.take(dealer, "component history")

        # -- another operator is refused the page
        other = _login(browser, url, "operator-b")
        other.goto(f"/eservice/operator/{OPERATOR_A}?lang=en")
        expect(other.locator("h1")).to_have_text("Not possible")
        expect(other.locator(".error")).to_contain_text("your own company")
        # the pages speak Dutch too
        operator.goto(f"/eservice/operator/{OPERATOR_A}?lang=nl")
        expect(operator.locator("h1")).to_contain_text("Brasserie De Markt")
        expect(operator.locator("nav strong")).to_have_text("Registratiemodule GKS")
        shots.take(operator, "operator page in dutch")
    assert len(shots.taken) == 11 and all(p.stat().st_size > 10_000 for p in shots.taken)


def test_a_missing_chromium_fails_the_test_and_says_how_to_install_it(tmp_path: Path) -> None:
    missing = pytest.raises(pytest.fail.Exception, match=r"chromium is missing.*`make test` installs it")
    with missing, chromium(tmp_path / "chromium"):
        pass
