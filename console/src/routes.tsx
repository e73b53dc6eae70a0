// Every screen of the console and the operation that makes it visible: a route is shown
// (and linked from the header) only when the user may run its operation. To add a screen:
// write it in screens/, add it here, and (if it belongs in the header) in layout/Header.tsx.
import { Route, Routes } from "react-router";
import { useAbilities } from "./auth/permissions";
import { Companies } from "./screens/Companies";
import { CompanyDetail } from "./screens/CompanyDetail";
import { Fees } from "./screens/Fees";
import { Home } from "./screens/Home";
import { NotFound } from "./screens/NotFound";
import { Onboarding } from "./screens/Onboarding";
import { RequestDetail } from "./screens/RequestDetail";
import { Requests } from "./screens/Requests";
import { ShopDetail } from "./screens/ShopDetail";
import { Shops } from "./screens/Shops";

export const PATHS = {
  home: "/",
  companies: "/societes",
  company: (id: string) => `/societes/${encodeURIComponent(id)}`,
  onboarding: "/onboarding",
  fees: "/frais",
  shops: "/magasins",
  shop: (id: string) => `/magasins/${encodeURIComponent(id)}`,
  requests: "/demandes",
  request: (id: string) => `/demandes/${encodeURIComponent(id)}`,
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
      {can("contracts") && <Route path="/frais" element={<Fees />} />}
      {can("createCompany") && <Route path="/onboarding" element={<Onboarding />} />}
      {can("requests") && <Route path="/demandes" element={<Requests />} />}
      {can("node") && <Route path="/demandes/:id" element={<RequestDetail />} />}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
