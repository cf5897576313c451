"""JSON-LD: schema.org shape, and a hostile name cannot close the script block."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from portfolio_gen.share import jsonld
from portfolio_gen.share.info import ShareSkill
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HOSTILE = '</script><script>alert(1)</script> <!-- & \u2028 "q"'


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[dict[str, str], str]] = []
        self.starts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.starts += 1
            self.blocks.append(({k: v or "" for k, v in attrs}, ""))

    def handle_data(self, data: str) -> None:
        if self.blocks and self.lasttag == "script":
            attrs, text = self.blocks[-1]
            self.blocks[-1] = (attrs, text + data)


def _parse_block(html: str) -> dict[str, Any]:
    parser = _Scripts()
    parser.feed("<body>" + html + "<p>after</p></body>")
    assert parser.starts == 1
    ((attrs, text),) = parser.blocks
    assert attrs["type"] == "application/ld+json"
    return dict(json.loads(text))


def test_hostile_name_cannot_close_the_script_block() -> None:
    info = sample_info(name=HOSTILE, description=HOSTILE, issuer_name="A & <B>")
    block = str(jsonld.script_block(jsonld.credential_jsonld(info)))
    inner = block[len('<script type="application/ld+json">'):-len("</script>")]
    for raw in ("<", ">", "&", "\u2028"):
        assert raw not in inner
    doc = _parse_block(block)
    assert doc["name"] == HOSTILE and doc["description"] == HOSTILE
    assert doc["recognizedBy"] == {"@type": "Organization", "name": "A & <B>",
                                   "url": "https://example.org/",
                                   "description": "Issued by A & <B> (example.org)"}


def test_credential_fields() -> None:
    info = sample_info(
        achievement_type="MicroCredential",
        issued=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        expires=datetime(2028, 3, 14, tzinfo=UTC),
        skills=(ShareSkill("Data analysis", "https://esco.example/s/1", "S1.2", "ESCO"),
                ShareSkill("Teamwork")),
    )
    doc = _parse_block(str(jsonld.script_block(jsonld.credential_jsonld(info))))
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "EducationalOccupationalCredential"
    assert doc["credentialCategory"] == "micro credential"
    assert doc["dateCreated"] == "2025-03-14T09:30:00Z" and doc["expires"] == "2028-03-14T00:00:00Z"
    assert doc["url"] == info.page_url
    assert doc["competencyRequired"] == [
        {"@type": "DefinedTerm", "name": "Data analysis", "url": "https://esco.example/s/1",
         "termCode": "S1.2", "inDefinedTermSet": "ESCO"},
        {"@type": "DefinedTerm", "name": "Teamwork"},
    ]
    assert doc["about"] == {"@type": "Person", "name": "Ada Lovelace"}


def test_category_defaults_and_extensions() -> None:
    assert jsonld.credential_category(None) == "badge"
    assert jsonld.credential_category("ext:LabBadge") == "lab badge"
    assert jsonld.credential_category("Certificate") == "certificate"


def test_person_lists_only_verified_credentials() -> None:
    creds = [sample_info(Verdict.VERIFIED, seed=1), sample_info(Verdict.REVOKED, seed=2)]
    doc = _parse_block(str(jsonld.script_block(jsonld.person_jsonld(
        "Ada <Lovelace>", url="https://l.example/", credentials=creds))))
    assert doc["@type"] == "Person" and doc["name"] == "Ada <Lovelace>"
    assert [c["url"] for c in doc["hasCredential"]] == [creds[0].page_url]
