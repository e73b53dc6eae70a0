// A platform administrator acts in one tenant at a time (X-Tenant on every request).
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { actingTenant, setActingTenant } from "../api/client";
import { useSession } from "../auth/SessionProvider";
import { graphql } from "../gql";

const TenantsDocument = graphql(`
  query Tenants {
    tenants(first: 100) {
      edges {
        node {
          id
          slug
          name
        }
      }
    }
  }
`);

export function TenantPicker() {
  const { t } = useTranslation();
  const { renew } = useSession();
  const [{ data }] = useQuery({ query: TenantsDocument });
  const tenants = data?.tenants?.edges.map((e) => e.node) ?? [];
  return (
    <label className="tenant-picker">
      <span>{t("nav.tenant")}</span>
      <select
        value={actingTenant() ?? ""}
        onChange={(event) => {
          setActingTenant(event.target.value || null);
          renew();
        }}
      >
        <option value="">{t("nav.pickTenant")}</option>
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.slug}>
            {tenant.name}
          </option>
        ))}
      </select>
    </label>
  );
}
