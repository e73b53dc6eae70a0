// Graphcache (normalised cache) configured from the schema itself: objects with an `id` are
// entities (kept once, updated everywhere); every other object type (connections, edges,
// pageInfo, user errors, permissions...) is embedded in its parent. Derived from the
// generated introspection, so a new type of the schema needs no line here.
import { cacheExchange, type KeyingConfig } from "@urql/exchange-graphcache";
import schema from "../gql/introspection";

interface IntrospectedField {
  name: string;
}
interface IntrospectedType {
  kind: string;
  name: string;
  fields?: readonly IntrospectedField[] | null;
}

export function embeddedKeys(types: readonly IntrospectedType[]): KeyingConfig {
  const keys: KeyingConfig = {};
  for (const type of types) {
    if (type.kind !== "OBJECT" || type.name.startsWith("__")) continue;
    if (["Query", "Mutation", "Subscription"].includes(type.name)) continue;
    if (!type.fields?.some((field) => field.name === "id")) keys[type.name] = () => null;
  }
  return keys;
}

export function springCache() {
  return cacheExchange({
    schema,
    keys: embeddedKeys(schema.__schema.types as readonly IntrospectedType[]),
  });
}
