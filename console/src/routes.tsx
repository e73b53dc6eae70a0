// Every screen of the console and the operation that makes it visible: a route is shown
// (and linked from the header) only when the user may run its operation. To add a screen:
// write it in screens/, add it here, and (if it belongs in the header) in layout/Header.tsx.
import { Route, Routes } from "react-router";
import { useAbilities } from "./auth/permissions";
import { Companies } from "./screens/Companies";
import { CompanyDetail } from "./screens/CompanyDetail";
import { Home } from "./screens/Home";
import { NotFound } from "./screens/NotFound";
import { Onboarding } from "./screens/Onboarding";

export const PATHS = {
  home: "/",
  companies: "/societes",
  company: (id: string) => `/societes/${encodeURIComponent(id)}`,
  onboarding: "/onboarding",
} as const;

export function ConsoleRoutes() {
  const { can } = useAbilities();
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      {can("companies") && <Route path="/societes" element={<Companies />} />}
      {can("node") && <Route path="/societes/:id" element={<CompanyDetail />} />}
      {can("createCompany") && <Route path="/onboarding" element={<Onboarding />} />}
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
