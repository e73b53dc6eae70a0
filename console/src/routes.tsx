// Every screen of the console and the operation that makes it visible: a route is shown
// (and linked from the header) only when the user may run its operation. To add a screen:
// write it in screens/, add it here, and (if it belongs in the header) in layout/Header.tsx.
// Accueil, the first screen, is in the entry chunk; every other screen is loaded the first
// time it is opened (`screen(...)`: its own chunk; components/Screens.tsx).
import { Route, Routes } from "react-router";
import { useAbilities } from "./auth/permissions";
import { screen, Screens } from "./components/Screens";
import { Home } from "./screens/Home";

const Account = screen(() => import("./screens/Account"), "Account");
const Companies = screen(() => import("./screens/Companies"), "Companies");
const CompanyDetail = screen(() => import("./screens/CompanyDetail"), "CompanyDetail");
const Fees = screen(() => import("./screens/Fees"), "Fees");
const Fleet = screen(() => import("./screens/Fleet"), "Fleet");
const Journal = screen(() => import("./screens/Journal"), "Journal");
const NotFound = screen(() => import("./screens/NotFound"), "NotFound");
const RequestDetail = screen(() => import("./screens/RequestDetail"), "RequestDetail");
const Requests = screen(() => import("./screens/Requests"), "Requests");
const NewRequest = screen(() => import("./screens/NewRequest"), "NewRequest");
const Onboarding = screen(() => import("./screens/Onboarding"), "Onboarding");
const ShopDetail = screen(() => import("./screens/ShopDetail"), "ShopDetail");
const Shops = screen(() => import("./screens/Shops"), "Shops");
const Supervision = screen(() => import("./screens/Supervision"), "Supervision");
const TerminalDetail = screen(() => import("./screens/TerminalDetail"), "TerminalDetail");
const Transactions = screen(() => import("./screens/Transactions"), "Transactions");
const TransactionDetail = screen(() => import("./screens/TransactionDetail"), "TransactionDetail");
const Users = screen(() => import("./screens/Users"), "Users");
const Settings = screen(() => import("./screens/Settings"), "Settings");

export const PATHS = {
  home: "/",
  account: "/compte",
  companies: "/societes",
  company: (id: string) => `/societes/${encodeURIComponent(id)}`,
  onboarding: "/onboarding",
  fees: "/frais",
  shops: "/magasins",
  shop: (id: string) => `/magasins/${encodeURIComponent(id)}`,
  supervision: "/supervision",
  transactions: "/transactions",
  transaction: (id: string) => `/transactions/${encodeURIComponent(id)}`,
  journal: "/journal",
  users: "/utilisateurs",
  settings: "/parametres",
  fleet: "/parc",
  terminal: (id: string) => `/parc/${encodeURIComponent(id)}`,
  requests: "/demandes",
  newRequest: (companyId?: string) => (companyId ? `/demandes/nouvelle?company=${encodeURIComponent(companyId)}` : "/demandes/nouvelle"),
  request: (id: string) => `/demandes/${encodeURIComponent(id)}`,
} as const;

/** The mutations of Paramètres: the screen is there when the user may run one of them. */
export const SETTINGS_OPERATIONS = ["updateTenantSettings", "setEvaluationDocumentKinds", "setRequestDueTime", "updateTenant", "setTenantLogo"];

export function ConsoleRoutes() {
  const { can } = useAbilities();
  return (
    <Screens>
      <Routes>
        <Route path="/" element={<Home />} />
        {can("me") && <Route path="/compte" element={<Account />} />}
        {can("companies") && <Route path="/societes" element={<Companies />} />}
        {can("node") && <Route path="/societes/:id" element={<CompanyDetail />} />}
        {can("shops") && <Route path="/magasins" element={<Shops />} />}
        {can("node") && <Route path="/magasins/:id" element={<ShopDetail />} />}
        {can("transactionRecorded") && <Route path="/supervision" element={<Supervision />} />}
        {can("transactions") && <Route path="/transactions" element={<Transactions />} />}
        {can("node") && <Route path="/transactions/:id" element={<TransactionDetail />} />}
        {can("auditEvents") && <Route path="/journal" element={<Journal />} />}
        {can("users") && <Route path="/utilisateurs" element={<Users />} />}
        {SETTINGS_OPERATIONS.some(can) && <Route path="/parametres" element={<Settings />} />}
        {can("terminals") && <Route path="/parc" element={<Fleet />} />}
        {can("node") && <Route path="/parc/:id" element={<TerminalDetail />} />}
        {can("contracts") && <Route path="/frais" element={<Fees />} />}
        {can("createCompany") && <Route path="/onboarding" element={<Onboarding />} />}
        {can("requests") && <Route path="/demandes" element={<Requests />} />}
        {can("createRequest") && <Route path="/demandes/nouvelle" element={<NewRequest />} />}
        {can("node") && <Route path="/demandes/:id" element={<RequestDetail />} />}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Screens>
  );
}
