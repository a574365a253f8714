"""JUnit XML, the HTML report and its sequence diagrams, on hand-made results."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from firmware_emu.reports import HTML_FILE, JUNIT_FILE, write_reports
from firmware_emu.reports.html import render_html
from firmware_emu.reports.junit import junit_tree
from firmware_emu.reports.sequence_svg import sequence_svg, step_arrows
from firmware_emu.scenarios.results import (
    AlertRecord,
    CheckRecord,
    ExchangeRecord,
    ScenarioResult,
    StepResult,
    StepStatus,
)

ESME = "ESME 00-DB-00-00-00-00-00-00"


def _whitelist_step(index: int = 1) -> StepResult:
    step = StepResult(index, "White-list <ESME> & friends", "8.11", "Update HAN Device Log",
                      "CHF 00-DB-00-00-00-00-00-02", expected_response="I0",
                      response_code="I0", request_id="90-B3:00-DB:1", command_variant=1)
    step.exchanges = [
        ExchangeRecord("8.11 service request", "SR->DCC", "UpdateType Add",
                       text="<sr:UpdateHANDeviceLog/>"),
        ExchangeRecord("CCS01 command", "DCC->device", "CCS01 Add Device to CHF device log",
                       wire_hex="DDFF00", tree=("GBCS command CCS01", "  grouping header")),
        ExchangeRecord("CCS01 response", "device->DCC", "response", wire_hex="DF00"),
        ExchangeRecord("device alert 0x8F12", "device->DCC", "CHF device log changed",
                       wire_hex="DF01"),
        ExchangeRecord("service response", "DCC->user", "I0"),
    ]
    step.alerts = [AlertRecord("N24", "Successful CHF whitelist update", "CHF", 0.0)]
    step.checks = [CheckRecord("DCC alert N24 within 60 s", True, "N24 at +0 s")]
    return step


def _failed_step(index: int = 2) -> StepResult:
    step = StepResult(index, "Set MPxN", "6.20.1", "Set Device Configuration (Import MPxN)",
                      ESME, expected_response="I0", response_code="E4")
    step.fail("expected response I0, got E4")
    step.exchanges = [ExchangeRecord("6.20.1 service request", "SR->DCC"),
                      ExchangeRecord("acknowledgement", "DCC->user", "E4")]
    return step


def _results() -> list[ScenarioResult]:
    good = ScenarioResult("IC02", "Install & commission", started="2029-06-01T12:00:00+00:00",
                          rack="emulated", steps=[_whitelist_step()])
    bad = ScenarioResult("RC01", "Response codes", steps=[_whitelist_step(1), _failed_step()])
    skipped = StepResult(3, "later", "11.2", "Read Firmware Version", ESME,
                         status=StepStatus.SKIPPED, reasons=["not run: an earlier step failed"])
    bad.steps.append(skipped)
    broken = ScenarioResult("SR01", "Import Supplier CV1", error="the rack has no PPMID")
    return [good, bad, broken]


def test_junit_has_one_testcase_per_step_and_marks_failures():
    root = ET.fromstring(ET.tostring(junit_tree(_results()).getroot()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["IC02", "RC01", "SR01"]
    assert suites["IC02"].get("failures") == "0"
    cases = suites["RC01"].findall("testcase")
    assert [case.get("classname") for case in cases] == ["RC01"] * 3
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "expected response I0, got E4"
    assert cases[2].find("skipped") is not None
    (broken,) = suites["SR01"].findall("testcase")
    assert broken.find("failure").get("message") == "the rack has no PPMID"
    assert "N24" in cases[0].find("system-out").text


def test_junit_file_parses(tmp_path):
    paths = write_reports(_results(), tmp_path / "out")
    assert [p.name for p in paths] == [JUNIT_FILE, HTML_FILE]
    root = ET.parse(tmp_path / "out" / JUNIT_FILE).getroot()
    assert len(root.findall("./testsuite/testcase/failure")) == 2


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_shows_codes_alerts_and_failures():
    page = render_html(_results())
    parser = _Collector()
    parser.feed(page)
    tags = parser.tags
    for tag, attrs in tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith(("#", "data:")), (tag, attrs)
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    assert "default-src 'none'" in page
    text = "".join(parser.text)
    assert "N24" in text and "E4" in text and "expected response I0, got E4" in text
    assert "White-list <ESME> & friends" in text  # escaped in the markup, intact as text
    assert "<ESME>" not in page.replace("&lt;ESME&gt;", "")
    steps = [attrs for tag, attrs in tags if tag == "details" and "step" in
             attrs.get("class", "")]
    failed = [attrs for attrs in steps if "step-failed" in attrs["class"]]
    assert len(failed) == 1 and "open" in failed[0]
    assert sum(tag == "svg" for tag, _ in tags) == 3  # skipped steps have no diagram
    exchanges = [attrs["id"] for tag, attrs in tags if tag == "details"
                 and attrs.get("class") == "exchange"]
    links = [attrs["href"][1:] for tag, attrs in tags if tag == "a" and
             attrs.get("class") == "arrow"]
    assert links and set(links) <= set(exchanges)
    assert len(set(attrs["id"] for _, attrs in tags if "id" in attrs)) == \
        sum("id" in attrs for _, attrs in tags)  # ids are unique
    assert "GBCS command CCS01" in text  # the decoded tree is in the expandable details


def test_sequence_diagram_lifelines_and_arrows():
    step = _whitelist_step()
    arrows = step_arrows(step, "x")
    assert [(a.source, a.destination) for a in arrows] == [
        ("user", "DCC"), ("DCC", "device"), ("device", "DCC"), ("device", "DCC"),
        ("DCC", "user"), ("DCC", "user")]
    assert [a.kind for a in arrows] == ["duis", "gbcs", "gbcs", "alert", "duis", "alert"]
    assert arrows[-1].label == "DCC alert N24" and arrows[-1].link is None
    svg = sequence_svg(step, anchor_prefix="s1")
    ET.fromstring(svg)  # well-formed XML
    assert "CHF" in svg and "00-DB-00-00-00-00-00-02" in svg  # the device lifeline's title
    assert len(re.findall(r"<line x1=\"\d+\" y1=\"\d+\" x2=\"\d+\" y2=\"\d+\" stroke=", svg)) \
        == 6


def test_alerts_not_carried_by_an_exchange_get_their_own_arrow():
    step = _failed_step()
    step.alerts = [AlertRecord("N25", "no confirming alert")]
    arrows = step_arrows(step, "x")
    assert arrows[-1].label == "DCC alert N25" and arrows[-1].kind == "alert"
    assert arrows[-2].kind == "error"  # the E4 answer to the user
    ET.fromstring(sequence_svg(step, anchor_prefix="y"))
