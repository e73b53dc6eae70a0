// "Rechercher": results as you type (`search`), grouped by type, navigable with the keyboard
// (↑ ↓ to move, Enter to open, Escape to clear): the WAI-ARIA combobox pattern.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../gql";
import type { SearchQuery } from "../gql/graphql";
import { PATHS } from "../routes";

export const SearchDocument = graphql(`
  query Search($text: String!) {
    search(text: $text, first: 20) {
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
          company {
            id
            legalName
          }
        }
      }
    }
  }
`);

type Hit = NonNullable<SearchQuery["search"]>[number]["node"];

export interface Result {
  key: string;
  type: Hit["__typename"];
  label: string;
  detail: string;
  /** The page that shows it (the company's, until each type has its own). */
  to: string | null;
}

export function describe(hit: Hit): Result {
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
      return { key: hit.id, type: hit.__typename, label: hit.externalId, detail: hit.company?.legalName ?? "", to: company(hit.company?.id) };
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
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [active, setActive] = useState(-1);
  const query = useDebounced(text.trim(), 200);
  const [{ data, fetching, error }] = useQuery({
    query: SearchDocument,
    variables: { text: query },
    pause: query.length < 2,
    requestPolicy: "cache-and-network",
  });

  useEffect(() => {
    if (autoFocusKey) input.current?.focus();
  }, [autoFocusKey]);

  const results = useMemo(() => (query.length < 2 ? [] : (data?.search ?? []).map((h) => describe(h.node))), [data, query]);
  const groups = useMemo(() => {
    const byType = new Map<string, Result[]>();
    for (const result of results) byType.set(result.type, [...(byType.get(result.type) ?? []), result]);
    return [...byType.entries()];
  }, [results]);
  const ordered = groups.flatMap(([, items]) => items);
  useEffect(() => setActive(-1), [query]);

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
