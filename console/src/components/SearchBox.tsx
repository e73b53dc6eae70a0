// "Rechercher": results as you type (`search`), grouped by type, navigable with the keyboard
// (↑ ↓ to move, Enter to open, Escape to clear): the WAI-ARIA combobox pattern.
// It takes what callers say: a name, an identifier, an e-mail, a phone number in any writing
// (the API normalises it), and "the card ending 1234": a text that reads as a card's last four
// digits ("1234", "*1234", "•••• 1234", "carte 1234") also asks `search(card:)` over a period
// of the partner's days (today by default) that the user can change, with an optional amount,
// for a user who may read transactions' card numbers (`me.permissions`), narrowed to one of the
// shops the card was seen at when it was seen at several; a transaction found opens its page.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { graphql } from "../gql";
import type { SearchQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { addDays, dayRange, formatDate, formatMoney, localToday, parseHundredths } from "./format";

export const SearchDocument = graphql(`
  query Search($text: String, $card: CardSearch, $withText: Boolean!, $withCard: Boolean!, $withPan: Boolean!) {
    search(text: $text, first: 20) @include(if: $withText) {
      ...SearchHitFields
    }
    cards: search(card: $card, first: 20) @include(if: $withCard) {
      ...SearchHitFields
    }
  }

  fragment SearchHitFields on SearchHit {
    score
    node {
      __typename
      ... on Company {
        id
        legalName
        siren
      }
      ... on Shop {
        id
        name
        siret
        company {
          id
          legalName
        }
      }
      ... on Contract {
        id
        number
        company {
          id
          legalName
        }
      }
      ... on Terminal {
        id
        tid
        shop {
          id
          name
          company {
            id
          }
        }
      }
      ... on Request {
        id
        reference
        company {
          id
          legalName
        }
      }
      ... on Transaction {
        id
        externalId
        amount
        currency
        occurredAt
        maskedPan @include(if: $withPan)
        terminal {
          id
          tid
        }
        shop {
          id
          name
        }
        company {
          id
          legalName
        }
      }
    }
  }
`);

/** The card's last four digits when the text reads as them ("1234", "*1234", "•••• 1234",
 * "xxxx 1234", "carte 1234", "card ending 1234"), else null; `only`: nothing else to search
 * for (a bare "1234" may also be the start of an identifier). */
export function lastFourOf(text: string): { lastFour: string; only: boolean } | null {
  const cleaned = text.trim();
  if (/^\d{4}$/.test(cleaned)) return { lastFour: cleaned, only: false };
  const m = /^(?:(?:la\s+|the\s+)?(?:carte|card|cb)\b[^\d]*)?[*•·.xX\s-]*(\d{4})$/iu.exec(cleaned);
  return m?.[1] ? { lastFour: m[1], only: true } : null;
}

type Hit = NonNullable<SearchQuery["search"]>[number]["node"];

export interface Result {
  key: string;
  type: Hit["__typename"];
  label: string;
  detail: string;
  /** The page that shows it (a contract's or a request's: its company's). */
  to: string | null;
}

export function describe(hit: Hit, language = "fr"): Result {
  const company = (id: string | undefined) => (id ? PATHS.company(id) : null);
  switch (hit.__typename) {
    case "Company":
      return { key: hit.id, type: hit.__typename, label: hit.legalName, detail: hit.siren, to: company(hit.id) };
    case "Shop":
      return { key: hit.id, type: hit.__typename, label: hit.name, detail: hit.siret, to: PATHS.shop(hit.id) };
    case "Contract":
      return { key: hit.id, type: hit.__typename, label: hit.number, detail: hit.company?.legalName ?? "", to: company(hit.company?.id) };
    case "Terminal":
      return { key: hit.id, type: hit.__typename, label: hit.tid, detail: hit.shop?.name ?? "", to: hit.shop ? PATHS.shop(hit.shop.id) : null };
    case "Request":
      return { key: hit.id, type: hit.__typename, label: hit.reference, detail: hit.company?.legalName ?? "", to: company(hit.company?.id) };
    case "Transaction":
      return {
        key: hit.id,
        type: hit.__typename,
        label: hit.maskedPan ?? hit.externalId,
        detail: [formatMoney(hit.amount, hit.currency, language), formatDate(hit.occurredAt, language), hit.shop?.name ?? hit.company?.legalName]
          .filter(Boolean)
          .join(" · "),
        to: PATHS.transaction(hit.id),
      };
  }
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function SearchBox({ autoFocusKey }: { autoFocusKey?: unknown }) {
  const { t, i18n } = useTranslation();
  const { can, reads } = useAbilities();
  const navigate = useNavigate();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [active, setActive] = useState(-1);
  const query = useDebounced(text.trim(), 200);
  // "The card ending 1234": only for a user who may read transactions' card numbers.
  const mayCard = can("transactions") && reads("Transaction.maskedPan");
  const card = mayCard ? lastFourOf(query) : null;
  const [period, setPeriod] = useState(() => ({ from: localToday(), to: localToday(), amount: "" }));
  // Narrowed to one of the shops the card was seen at (the caller's own shop).
  const [shop, setShop] = useState<{ id: string; name: string } | null>(null);
  const lastFour = card?.lastFour;
  useEffect(() => setShop(null), [lastFour]);
  const range = dayRange(period.from, period.to);
  const amount = period.amount.trim() ? parseHundredths(period.amount) : null;
  const withText = query.length >= 2 && !card?.only;
  const withCard = card !== null && range !== null;
  const [{ data, fetching, error }] = useQuery({
    query: SearchDocument,
    variables: {
      text: withText ? query : null,
      card:
        withCard && range
          ? {
              lastFour: card.lastFour,
              occurredFrom: range.start,
              occurredTo: range.end,
              ...(amount !== null ? { amount } : {}),
              ...(shop ? { shop: shop.id } : {}),
            }
          : null,
      withText,
      withCard,
      withPan: reads("Transaction.maskedPan"),
    },
    pause: !withText && !withCard,
    requestPolicy: "cache-and-network",
  });

  useEffect(() => {
    if (autoFocusKey) input.current?.focus();
  }, [autoFocusKey]);

  const results = useMemo(() => {
    if (query.length < 2) return [];
    const seen = new Set<string>();
    return [...(data?.search ?? []), ...(data?.cards ?? [])]
      .map((h) => describe(h.node, i18n.language))
      .filter((r) => !seen.has(r.key) && seen.add(r.key));
  }, [data, query, i18n.language]);
  const cardShops = useMemo(() => {
    const byId = new Map<string, string>(shop ? [[shop.id, shop.name]] : []);
    for (const hit of data?.cards ?? []) {
      if (hit.node.__typename === "Transaction" && hit.node.shop) byId.set(hit.node.shop.id, hit.node.shop.name);
    }
    return [...byId.entries()].sort((x, y) => x[1].localeCompare(y[1]));
  }, [data, shop]);
  const groups = useMemo(() => {
    const byType = new Map<string, Result[]>();
    for (const result of results) byType.set(result.type, [...(byType.get(result.type) ?? []), result]);
    return [...byType.entries()];
  }, [results]);
  const ordered = groups.flatMap(([, items]) => items);
  useEffect(() => setActive(-1), [query, period, shop]);

  function open(result: Result | undefined) {
    if (result?.to) void navigate(result.to);
  }

  const listId = `${id}-results`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const showList = query.length >= 2 && text.trim().length >= 2;

  return (
    <div className="search">
      <label htmlFor={`${id}-input`} className="search-label">
        {t("home.search")}
      </label>
      <input
        id={`${id}-input`}
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? optionId(active) : undefined}
        placeholder={t("home.searchPlaceholder")}
        value={text}
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setActive((i) => Math.min(ordered.length - 1, i + 1));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (event.key === "Enter") {
            event.preventDefault();
            open(ordered[active >= 0 ? active : 0]);
          } else if (event.key === "Escape") {
            setText("");
          }
        }}
      />
      {text.trim().length > 0 && text.trim().length < 2 && <p className="hint">{t("home.searchHint")}</p>}
      {card && (
        <fieldset className="search-card">
          <legend>{t("home.cardEnding", { lastFour: card.lastFour })}</legend>
          <label>
            {t("transactions.from")}
            <input type="date" value={period.from} max={period.to} onChange={(e) => setPeriod({ ...period, from: e.target.value })} />
          </label>
          <label>
            {t("transactions.to")}
            <input
              type="date"
              value={period.to}
              min={period.from}
              max={addDays(period.from, 30)}
              onChange={(e) => setPeriod({ ...period, to: e.target.value })}
            />
          </label>
          <label>
            {t("home.cardAmount")}
            <input value={period.amount} onChange={(e) => setPeriod({ ...period, amount: e.target.value })} size={8} inputMode="decimal" />
          </label>
          {(cardShops.length > 1 || shop) && (
            <label>
              {t("home.cardShop")}
              <select
                value={shop?.id ?? ""}
                onChange={(e) => {
                  const chosen = cardShops.find(([shopId]) => shopId === e.target.value);
                  setShop(chosen ? { id: chosen[0], name: chosen[1] } : null);
                }}
              >
                <option value="">{t("home.cardAnyShop")}</option>
                {cardShops.map(([shopId, name]) => (
                  <option key={shopId} value={shopId}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!range && <span className="field-error">{t("home.cardPeriod")}</span>}
          {period.amount.trim() !== "" && amount === null && <span className="field-error">{t("home.cardAmountInvalid")}</span>}
        </fieldset>
      )}
      {showList && (
        <div id={listId} role="listbox" aria-label={t("home.search")} className="search-results">
          {error && <p role="alert">{error.message}</p>}
          {!fetching && !error && ordered.length === 0 && <p className="empty">{t("home.noResults")}</p>}
          {groups.map(([type, items]) => (
            <div role="group" key={type} aria-label={t(`types.${type}`)}>
              <div className="group-title" aria-hidden="true">
                {t(`types.${type}`)}
              </div>
              {items.map((result) => {
                const index = ordered.indexOf(result);
                return (
                  <div
                    key={result.key}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    className={index === active ? "option active" : "option"}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => open(result)}
                    onMouseEnter={() => setActive(index)}
                  >
                    <span className="option-label">{result.label}</span>
                    <span className="option-detail">{result.detail}</span>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
