// What the signed-in user may do, from the API (`me.permissions`, generated from the
// server's policy): the console shows an action only when `can(operation)` says so, and a
// field only when it is readable. No role name is written in the console.
import { createContext, useContext, type ReactNode } from "react";
import type { MeQuery } from "../gql/graphql";

export { MeDocument } from "./me";

export type Me = NonNullable<MeQuery["me"]>;

export interface Abilities {
  me: Me;
  /** May the user run this root field or mutation (e.g. "createCompany")? */
  can(operation: string): boolean;
  /** May the user read "Type.field"? (Masked fields are readable, masked.) */
  reads(field: string): boolean;
  masked(field: string): boolean;
}

export function abilitiesOf(me: Me): Abilities {
  const operations = new Set(me.permissions?.operations ?? []);
  const denied = new Set(me.permissions?.deniedFields ?? []);
  const masked = new Set(me.permissions?.maskedFields ?? []);
  return {
    me,
    can: (operation) => operations.has(operation),
    reads: (field) => !denied.has(field),
    masked: (field) => masked.has(field),
  };
}

const AbilitiesContext = createContext<Abilities | null>(null);

export function AbilitiesProvider({ value, children }: { value: Abilities; children: ReactNode }) {
  return <AbilitiesContext.Provider value={value}>{children}</AbilitiesContext.Provider>;
}

export function useAbilities(): Abilities {
  const value = useContext(AbilitiesContext);
  if (!value) throw new Error("useAbilities outside AbilitiesProvider");
  return value;
}
