"""The demo builder's companies: each one's story from prospect to its current status, and the
support requests of the tenant."""

from __future__ import annotations

import datetime as dt

from db import enums as e
from db import models as m
from db.identifiers import make_french_iban, make_siret
from resolvers.lifecycles import CONTRACT, REQUEST
from spring.demo.contracts import _Contracts
from spring.demo.description import CS, C, Row, S
from spring.demo.world import _secs


class _Companies(_Contracts):
    """Companies, their shops, and the support requests."""

    def new_shop(
        self, company: Row, s: S, nic: int, when: dt.datetime, actor: Row
    ) -> tuple[Row, S]:
        siret = make_siret(company["siren"], f"{nic:04d}")
        shop = self.add(
            m.Shop,
            {
                "id": self.w.uid(),
                "company_id": company["id"],
                "name": s.name,
                "siret": siret,
                "mcc": company["mcc"],
                "address_line1": s.line1,
                "address_line2": s.line2,
                "postal_code": s.postal_code,
                "city": s.city,
                "country": "FR",
                "status": e.ShopStatus.OPEN.value,
                "closed_at": None,
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.audit(
            when,
            actor,
            "shop.created",
            "Shop",
            shop["id"],
            after={"name": s.name, "siret": siret, "city": s.city},
        )
        return shop, s

    def build_company(self, c: C) -> None:
        rng = self.rng
        seller, supervisor = self.users[c.seller], self.users["supervisor"]
        created = self.at(c.region, c.age_days, rng.uniform(8.5, 16))
        siren = self.new_siren()
        bank, bic = rng.choice(c.region.banks)
        iban = make_french_iban(
            bank, f"{rng.randint(1, 99999):05d}", f"{rng.randint(1, 99_999_999_999):011d}"
        )
        company = self.add(
            m.Company,
            {
                "id": self.w.uid(),
                "legal_name": c.legal_name,
                "trade_name": c.trade_name,
                "siren": siren,
                "legal_form": c.legal_form,
                "mcc": c.mcc,
                "contact_name": c.contact,
                "contact_email": c.contact_email,
                "contact_phone": self.phone(c.region, mobile=rng.random() < 0.6),
                "iban": iban,
                "bic": bic,
                "address_line1": c.line1,
                "address_line2": None,
                "postal_code": c.postal_code,
                "city": c.city,
                "country": "FR",
                "status": CS.PROSPECT.value,
                "status_reason": None,
                "created_by": seller["id"],
                "created_at": created,
                "updated_at": created,
                "version": 1,
            },
        )
        self.audit(
            created,
            seller,
            "company.created",
            "Company",
            company["id"],
            after={
                "legalName": c.legal_name,
                "siren": siren,
                "legalForm": c.legal_form,
                "mcc": c.mcc,
                "status": "PROSPECT",
            },
        )
        nics = sorted(rng.sample(range(10, 990), len(c.shops) + 1))
        shops = [
            self.new_shop(company, s, nics[i], self.later(created, 5, 50), seller)
            for i, s in enumerate(c.shops)
        ]
        if c.status is CS.PROSPECT:
            return

        # The seller asks for the commercial evaluation; the supervisor decides.
        asked = self.at(c.region, c.age_days - 1, rng.uniform(9, 16))
        evaluation = self.new_request(
            e.RequestType.EVALUATION,
            company,
            None,
            seller,
            supervisor,
            asked,
            f"Évaluation commerciale – {c.trade_name or c.legal_name}",
            "Dossier complet : Kbis de moins de 3 mois, pièce d'identité du gérant, RIB, "
            "prévisionnel de chiffre d'affaires par carte.",
        )
        self.set_company_status(company, CS.EVALUATION, asked, seller, request=evaluation)
        if c.status is CS.EVALUATION:
            review = self.later(asked, 60, 300)
            self.move(REQUEST, evaluation, e.RequestStatus.IN_REVIEW)
            self.touch(evaluation, review)
            self.comment(evaluation, supervisor, review, "Je prends le dossier.")
            self.comment(
                evaluation,
                supervisor,
                self.later(review, 120, 600),
                "Merci de joindre les trois derniers relevés bancaires de la société.",
            )
            self.comment(
                evaluation,
                seller,
                self.later(review, 1500, 2500),
                "Relevés demandés à la gérante, envoi prévu cette semaine.",
            )
            return

        decided = self.at(c.region, c.age_days - 3, rng.uniform(9, 17))
        self.comment(
            evaluation, supervisor, self.later(asked, 60, 300), "Dossier reçu, analyse en cours."
        )
        if c.status is CS.REJECTED:
            self.decide(evaluation, supervisor, decided, e.RequestStatus.REJECTED, c.rejection)
            self.set_company_status(
                company, CS.REJECTED, decided, supervisor, c.rejection, request=evaluation
            )
            return
        self.decide(
            evaluation,
            supervisor,
            decided,
            e.RequestStatus.APPROVED,
            "Avis favorable : activité et volumes cohérents avec le secteur.",
        )
        self.set_company_status(company, CS.APPROVED, decided, supervisor, request=evaluation)

        contract = self.new_contract(company, c, shops, seller, c.age_days - 4)
        if c.status is CS.APPROVED and not c.signed:
            return
        self.sign(contract, seller, self.at(c.region, c.age_days - 6, rng.uniform(9, 17)), c)

        # Terminals registered and assigned by the technician; services activated.
        pending = c.status is CS.APPROVED
        activation = self.at(c.region, c.age_days - 8, rng.uniform(8.5, 10))
        if pending:
            activation = _secs(self.now - dt.timedelta(hours=rng.uniform(20, 40)))
        services: list[Row] = []
        for shop, s in shops:
            for spec in s.terminals:
                service = self.build_service(c, company, contract, shop, spec, activation, pending)
                if service is not None:
                    services.append(service)
                activation = self.later(activation, 15, 50)
        if pending:
            return
        first = min(s["activated_at"] for s in services if s["activated_at"] is not None)
        signed, _ = self.move(CONTRACT, contract, e.ContractStatus.ACTIVE)
        contract["activated_at"] = first
        self.touch(contract, first)
        self.audit(
            first,
            "system",
            "contract.activated",
            "Contract",
            contract["id"],
            before={"status": signed},
            after={"status": contract["status"]},
            reason="Premier service actif",
        )
        self.set_company_status(company, CS.ACTIVE, first, "system", None)

        if c.fee_change_days is not None:
            self.change_fees(company, contract, c)
        if c.draft_extension is not None:
            new_shop = self.new_shop(
                company,
                c.draft_extension,
                nics[-1],
                self.at(c.region, 5, rng.uniform(9, 16)),
                seller,
            )
            self.new_contract(company, c, [new_shop], seller, 4)
        if c.status is CS.SUSPENDED:
            assert c.suspended is not None
            days, reason = c.suspended
            when = self.ago(days)
            active, _ = self.move(CONTRACT, contract, e.ContractStatus.SUSPENDED)
            contract["suspended_at"] = when
            contract["status_reason"] = reason
            self.touch(contract, when)
            self.audit(
                when,
                supervisor,
                "contract.suspended",
                "Contract",
                contract["id"],
                before={"status": active},
                after={"status": contract["status"]},
                reason=reason,
            )
            self.set_company_status(company, CS.SUSPENDED, when, supervisor, reason)
            for traffic in self.traffic:
                if traffic.contract is contract:
                    traffic.refused.append((when, self.now))
        elif c.status is CS.CLOSED:
            self.close(company, contract, shops, services, c)

    # ------------------------------------------------------------------ support requests

    def build_requests(self) -> None:
        """Support and fee requests around what happened to the terminals and merchants."""
        rng = self.rng
        hotline, technician = self.users["hotline"], self.users["technician"]
        supervisor = self.users["supervisor"]
        for tr in self.traffic:
            tid = tr.terminal["tid"]
            if tr.spec.stale_hours is not None:
                asked = self.later(tr.alive_until, 30, 90)
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    technician,
                    asked,
                    f"TPE {tid} hors ligne",
                    "Le commerçant signale que le terminal n'arrive plus à joindre le serveur.",
                )
                self.move(REQUEST, request, e.RequestStatus.IN_REVIEW)
                review = self.later(asked, 5, 30)
                self.touch(request, review)
                self.comment(
                    request,
                    technician,
                    review,
                    "Dernier battement de cœur reçu avant les erreurs réseau : box 4G du "
                    "magasin à redémarrer. Rappel du commerçant prévu.",
                )
            if tr.spec.terminal_block is not None:
                asked = _secs(self.ago(tr.spec.terminal_block[0]) - dt.timedelta(minutes=20))
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    technician,
                    asked,
                    f"Perte du TPE {tid}",
                    "Terminal portable introuvable depuis la fermeture d'hier soir.",
                )
                self.decide(
                    request,
                    technician,
                    self.later(asked, 60, 240),
                    e.RequestStatus.DONE,
                    "Terminal bloqué, remplacement proposé au commerçant.",
                )
            if tr.spec.block is not None and tr.spec.block[1] is not None:
                asked = self.later(self.ago(tr.spec.block[0]), 60, 300)
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    supervisor,
                    asked,
                    f"Demande de déblocage du service {tid}",
                    "Le commerçant demande la levée du blocage avant la date prévue.",
                )
                self.comment(
                    request,
                    None,
                    self.later(asked, 1, 10),
                    "Appel entrant du gérant, rappel demandé.",
                    label="Standard",
                )

        # Paper rolls, a broken screen, and fee negotiations.
        active = [
            c
            for c in self.rows["companies"]
            if c["status"] == CS.ACTIVE.value and self.company_contracts(c)
        ]
        first = active[0]
        paper = self.new_request(
            e.RequestType.SUPPORT,
            first,
            None,
            hotline,
            None,
            self.later(self.ago(1), 0, 60),
            "Commande de rouleaux de papier thermique",
            "20 rouleaux 57 × 40 mm pour les terminaux du magasin.",
        )
        self.comment(paper, hotline, self.later(paper["created_at"], 2, 10), "Commande transmise.")
        # Opened twice by mistake: its author withdraws the copy (cancelRequest).
        twice_at = _secs(paper["created_at"] + dt.timedelta(minutes=4))
        twice = self.new_request(
            e.RequestType.SUPPORT,
            first,
            None,
            hotline,
            None,
            twice_at,
            "Commande de rouleaux de papier thermique",
            "20 rouleaux 57 × 40 mm pour les terminaux du magasin.",
        )
        self.decide(
            twice,
            hotline,
            _secs(twice_at + dt.timedelta(minutes=3)),
            e.RequestStatus.CANCELLED,
            "Doublon de la demande " + paper["reference"] + ".",
        )
        second = active[1 % len(active)]
        screen_at = self.ago(rng.uniform(50, 70))
        screen = self.new_request(
            e.RequestType.SUPPORT,
            second,
            None,
            hotline,
            technician,
            screen_at,
            "Écran du terminal fissuré",
            "L'écran tactile ne répond plus dans le coin inférieur droit.",
        )
        self.decide(
            screen,
            technician,
            self.later(screen_at, 600, 2800),
            e.RequestStatus.DONE,
            "Terminal échangé sur place, paramètres rechargés.",
        )
        unchanged = [
            c for c in active if not any(f["request_id"] for f in self.company_schedules(c))
        ]
        for i, company in enumerate(unchanged[:2]):
            contract = self.company_contracts(company)[0]
            schedule, lines = contract["_schedule"]
            asked = self.ago(rng.uniform(2, 9))
            proposal = {
                "effectiveFrom": (asked.date() + dt.timedelta(days=30)).isoformat(),
                "lines": [
                    {
                        "scheme": s,
                        "region": r,
                        "rateBps": max(15, bps - (10 if r == "DOMESTIC" else 30)),
                        "fixedFee": fx,
                    }
                    for s, r, bps, fx in lines
                ],
                "terminalRentalMonthly": schedule["terminal_rental_monthly"],
                "softposFeeMonthly": schedule["softpos_fee_monthly"],
            }
            request = self.new_request(
                e.RequestType.FEE_CHANGE,
                company,
                contract,
                self.users["seller"],
                supervisor,
                asked,
                "Baisse des commissions demandée par le client",
                "Offre concurrente reçue par le commerçant ; demande d'alignement.",
                payload=proposal,
            )
            if i == 0:
                self.comment(
                    request,
                    supervisor,
                    self.later(asked, 60, 600),
                    "À étudier avec les volumes du trimestre.",
                )
            else:
                self.decide(
                    request,
                    supervisor,
                    self.later(asked, 600, 2000),
                    e.RequestStatus.REJECTED,
                    "Baisse non justifiée au regard des volumes et du taux de rétrofacturation.",
                )

    def company_contracts(self, company: Row) -> list[Row]:
        return [
            c
            for c in self.rows["contracts"]
            if c["company_id"] == company["id"] and c["status"] == "ACTIVE"
        ]

    def company_schedules(self, company: Row) -> list[Row]:
        ids = {c["id"] for c in self.rows["contracts"] if c["company_id"] == company["id"]}
        return [s for s in self.rows["fee_schedules"] if s["contract_id"] in ids]
