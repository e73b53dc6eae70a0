// Every screen of the console and the operation that makes it visible: a route is shown
// (and linked from the header) only when the user may run its operation. To add a screen:
// write it in screens/, add it here, and (if it belongs in the header) in layout/Header.tsx.
import { Route, Routes } from "react-router";
import { useAbilities } from "./auth/permissions";
import { Companies } from "./screens/Companies";
import { CompanyDetail } from "./screens/CompanyDetail";
import { Fees } from "./screens/Fees";
import { Fleet } from "./screens/Fleet";
import { Home } from "./screens/Home";
import { Journal } from "./screens/Journal";
import { NotFound } from "./screens/NotFound";
import { Onboarding } from "./screens/Onboarding";
import { ShopDetail } from "./screens/ShopDetail";
import { Shops } from "./screens/Shops";
import { Supervision } from "./screens/Supervision";
import { Transactions } from "./screens/Transactions";
import { TerminalDetail } from "./screens/TerminalDetail";
import { Users } from "./screens/Users";

export const PATHS = {
  home: "/",
  companies: "/societes",
  company: (id: string) => `/societes/${encodeURIComponent(id)}`,
  onboarding: "/onboarding",
  fees: "/frais",
  shops: "/magasins",
  shop: (id: string) => `/magasins/${encodeURIComponent(id)}`,
  supervision: "/supervision",
  transactions: "/transactions",
  journal: "/journal",
  users: "/utilisateurs",
  fleet: "/parc",
  terminal: (id: string) => `/parc/${encodeURIComponent(id)}`,
} as const;

export function ConsoleRoutes() {
  const { can } = useAbilities();
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      {can("companies") && <Route path="/societes" element={<Companies />} />}
      {can("node") && <Route path="/societes/:id" element={<CompanyDetail />} />}
      {can("shops") && <Route path="/magasins" element={<Shops />} />}
      {can("node") && <Route path="/magasins/:id" element={<ShopDetail />} />}
      {can("transactionRecorded") && <Route path="/supervision" element={<Supervision />} />}
      {can("transactions") && <Route path="/transactions" element={<Transactions />} />}
      {can("auditEvents") && <Route path="/journal" element={<Journal />} />}
      {can("users") && <Route path="/utilisateurs" element={<Users />} />}
      {can("terminals") && <Route path="/parc" element={<Fleet />} />}
      {can("node") && <Route path="/parc/:id" element={<TerminalDetail />} />}
      {can("contracts") && <Route path="/frais" element={<Fees />} />}
      {can("createCompany") && <Route path="/onboarding" element={<Onboarding />} />}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
