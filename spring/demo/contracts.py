"""The demo builder's contracts: fee schedules, signing, fee changes, closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import enums as e
from db import models as m
from resolvers.contracts import schedules
from resolvers.contracts.common import CONTRACT_FIELDS
from resolvers.fees import FeeLineData
from resolvers.lifecycles import CONTRACT, SHOP
from spring.demo.description import CS, C, Row, S
from spring.demo.fleet import _Fleet
from spring.demo.world import snapshot


class _Contracts(_Fleet):
    """Contracts and their fee schedules."""

    # ------------------------------------------------------------------ contracts and fees

    def draw_fees(self) -> list[tuple[str, str, int, int]]:
        """A realistic schedule: (scheme, region, rate in bps, fixed fee in cents)."""
        rng = self.rng
        cb = rng.choice((22, 25, 28, 30, 32, 35, 38))
        cards = cb + rng.choice((8, 10, 15, 20))
        eea = rng.choice((70, 80, 90, 95))
        intl = rng.choice((160, 175, 190, 210, 230, 250))
        fixed = rng.choice((5, 6, 8, 10))
        return [
            ("CB", "DOMESTIC", cb, fixed),
            ("CB", "EEA", eea, 15),
            ("CB", "INTERNATIONAL", intl, 25),
            ("VISA", "DOMESTIC", cards, fixed + 5),
            ("VISA", "EEA", eea + 5, 15),
            ("VISA", "INTERNATIONAL", intl, 25),
            ("MASTERCARD", "DOMESTIC", cards + 5, fixed + 5),
            ("MASTERCARD", "EEA", eea + 10, 18),
            ("MASTERCARD", "INTERNATIONAL", intl + 10, 25),
        ]

    def new_fee_schedule(
        self,
        contract: Row,
        version: int,
        effective: dt.date,
        lines: list[tuple[str, str, int, int]],
        rental: int,
        softpos_fee: int,
        when: dt.datetime,
        actor: Row,
        reason: str,
        request: Row | None = None,
    ) -> Row:
        schedule = self.add(
            m.FeeSchedule,
            {
                "id": self.w.uid(),
                "contract_id": contract["id"],
                "version_number": version,
                "effective_from": effective,
                "currency": "EUR",
                "terminal_rental_monthly": rental,
                "softpos_fee_monthly": softpos_fee,
                "reason": reason,
                "request_id": request["id"] if request else None,
                "created_by": actor["id"],
                "created_at": when,
            },
        )
        self.fee_lines[schedule["id"]] = [
            self.add(
                m.FeeLine,
                {
                    "fee_schedule_id": schedule["id"],
                    "scheme": scheme,
                    "region": region,
                    "rate_bps": bps,
                    "fixed_fee": fixed,
                },
            )
            for scheme, region, bps, fixed in lines
        ]
        return schedule

    @staticmethod
    def fees_json(schedule: Row, lines: list[tuple[str, str, int, int]]) -> dict[str, Any]:
        """The version as the journal records it: the fee use cases' own function."""
        return schedules.fees_json(
            schedule["version_number"],
            schedule["effective_from"],
            schedule["currency"],
            schedule["terminal_rental_monthly"],
            schedule["softpos_fee_monthly"],
            [
                FeeLineData(e.CardScheme(scheme), e.FeeRegion(region), bps, fixed)
                for scheme, region, bps, fixed in lines
            ],
        )

    def new_contract(
        self, company: Row, c: C, shops: list[tuple[Row, S]], author: Row, days_ago: float
    ) -> Row:
        rng = self.rng
        when = self.at(c.region, days_ago, rng.uniform(9, 17))
        kinds = []
        if any(not t.softpos for _, s in shops for t in s.terminals):
            kinds.append(e.ServiceKind.PAY_ON_SITE.value)
        if any(t.softpos for _, s in shops for t in s.terminals):
            kinds.append(e.ServiceKind.PAYWISH_SOFTPOS.value)
        contract = self.add(
            m.Contract,
            {
                "id": self.w.uid(),
                "number": "",
                "company_id": company["id"],
                "status": e.ContractStatus.DRAFT.value,
                "service_kinds": kinds,
                "currency": "EUR",
                "signed_at": None,
                "signed_by": None,
                "signatory_name": None,
                "activated_at": None,
                "suspended_at": None,
                "terminated_at": None,
                "status_reason": None,
                "created_by": author["id"],
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        for shop, _ in shops:
            self.add(
                m.ContractShop,
                {"contract_id": contract["id"], "shop_id": shop["id"], "added_at": when},
            )
        lines = self.draw_fees()
        rental = rng.choice((2200, 2500, 2900)) if "PAY_ON_SITE" in kinds else 0
        softpos_fee = 990 if "PAYWISH_SOFTPOS" in kinds else 0
        effective = (when + dt.timedelta(days=7 if days_ago < 10 else 3)).date()
        schedule = self.new_fee_schedule(
            contract, 1, effective, lines, rental, softpos_fee, when, author, "Conditions initiales"
        )
        after: dict[str, Any] = {
            **snapshot(contract, CONTRACT_FIELDS, "Contract"),
            "companyId": str(company["id"]),
            "shopIds": sorted(str(shop["id"]) for shop, _ in shops),
            "fees": self.fees_json(schedule, lines),
        }
        entry = self.audit(
            when, author, "contract.created", "Contract", contract["id"], after=after
        )
        # The number is given once every contract is known (in creation order): the entry's
        # stored `after` (a copy) is the one to complete, not the dict built here.
        self.numbered.append((entry["after"], contract))
        contract["_schedule"] = (schedule, lines)
        return contract

    def sign(self, contract: Row, seller: Row, when: dt.datetime, c: C) -> None:
        draft, _ = self.move(CONTRACT, contract, e.ContractStatus.SIGNED)
        contract["signed_at"] = when
        contract["signed_by"] = seller["id"]
        contract["signatory_name"] = c.contact
        self.touch(contract, when)
        after = {
            "status": contract["status"],
            "number": None,
            "signatoryName": c.contact,
            "signedAt": when.isoformat(),
            "documentSha256": contract.get("signed_document_sha256"),
        }
        entry = self.audit(
            when,
            seller,
            "contract.signed",
            "Contract",
            contract["id"],
            before={"status": draft},
            after=after,
        )
        self.numbered.append((entry["after"], contract))

    def change_fees(self, company: Row, contract: Row, c: C) -> None:
        """A FEE_CHANGE request by the seller, approved: version 2 of the fee schedule."""
        assert c.fee_change_days is not None
        seller, supervisor = self.users[c.seller], self.users["supervisor"]
        schedule, lines = contract["_schedule"]
        new_lines = [
            (
                scheme,
                region,
                max(
                    15,
                    bps - (5 if region == "DOMESTIC" else 20 if region == "INTERNATIONAL" else 0),
                ),
                fixed,
            )
            for scheme, region, bps, fixed in lines
        ]
        decided = self.at(c.region, c.fee_change_days, self.rng.uniform(9, 17))
        asked = self.at(c.region, c.fee_change_days + 3, self.rng.uniform(9, 17))
        first_of_next_month = (decided.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        proposal = {
            "effectiveFrom": first_of_next_month.isoformat(),
            "lines": [
                {"scheme": s, "region": r, "rateBps": bps, "fixedFee": fx}
                for s, r, bps, fx in new_lines
            ],
            "terminalRentalMonthly": schedule["terminal_rental_monthly"],
            "softposFeeMonthly": schedule["softpos_fee_monthly"],
        }
        request = self.new_request(
            e.RequestType.FEE_CHANGE,
            company,
            contract,
            seller,
            supervisor,
            asked,
            "Renégociation des commissions",
            "Volumes en hausse de 30 % sur l'année : le client demande une baisse du taux CB "
            "domestique et du taux international.",
            payload=proposal,
        )
        self.comment(
            request,
            supervisor,
            self.later(asked, 120, 1200),
            "Volumes vérifiés sur 12 mois : d'accord pour -5 pb en domestique, -20 pb à "
            "l'international.",
        )
        self.decide(request, supervisor, decided, e.RequestStatus.APPROVED, "Accordé.")
        new = self.new_fee_schedule(
            contract,
            2,
            first_of_next_month,
            new_lines,
            schedule["terminal_rental_monthly"],
            schedule["softpos_fee_monthly"],
            decided,
            supervisor,
            "Renégociation annuelle",
            request,
        )
        self.touch(contract, decided)
        self.audit(
            decided,
            supervisor,
            "contract.fee_changed",
            "Contract",
            contract["id"],
            before=self.fees_json(schedule, lines),
            after={**self.fees_json(new, new_lines), "request": request["reference"]},
            reason="Renégociation annuelle",
        )

    def close(
        self, company: Row, contract: Row, shops: list[tuple[Row, S]], services: list[Row], c: C
    ) -> None:
        """Termination asked by the merchant, done by the supervisor; terminals returned."""
        assert c.closed_days is not None
        hotline, supervisor = self.users["hotline"], self.users["supervisor"]
        technician = self.users["technician"]
        asked = self.at(c.region, c.closed_days + 12, self.rng.uniform(9, 16))
        done = self.at(c.region, c.closed_days, self.rng.uniform(9, 16))
        reason = "Cessation d'activité du commerçant"
        request = self.new_request(
            e.RequestType.TERMINATION,
            company,
            contract,
            hotline,
            supervisor,
            asked,
            "Résiliation du contrat",
            "Le gérant a appelé : fermeture définitive de l'établissement en fin de mois.",
        )
        self.comment(
            request,
            None,
            self.later(asked, 5, 30),
            "Courrier de résiliation reçu en recommandé.",
            label="Courrier commerçant",
        )
        self.decide(request, supervisor, done, e.RequestStatus.DONE, "Contrat résilié.")
        live, _ = self.move(CONTRACT, contract, e.ContractStatus.TERMINATED)
        contract["terminated_at"] = done
        contract["status_reason"] = reason
        self.touch(contract, done)
        self.audit(
            done,
            supervisor,
            "contract.terminated",
            "Contract",
            contract["id"],
            before={"status": live},
            after={"status": contract["status"]},
            reason=reason,
        )
        for service in services:
            self.deactivate(service, done, supervisor, reason)
            terminal = self.terminal_by_id[service["terminal_id"]]
            self.return_terminal(terminal, self.later(done, 2 * 1440, 5 * 1440), technician)
        for shop, _ in shops:
            self.move(SHOP, shop, e.ShopStatus.CLOSED)
            shop["closed_at"] = done
            self.touch(shop, done)
        self.set_company_status(company, CS.CLOSED, done, supervisor, reason)
