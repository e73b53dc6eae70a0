// The console's shell: sign-in when there is no session; otherwise the user's abilities
// (me.permissions) and the routes. Screens are declared in routes.tsx. The account's own
// language (Compte, updateMyProfile) is the console's from sign-in on.
import { setTimeZone } from "./components/format";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router";
import { Provider, useQuery } from "urql";
import { AbilitiesProvider, abilitiesOf, MeDocument } from "./auth/permissions";
import { useSession } from "./auth/SessionProvider";
import { ErrorState, Loading } from "./components/States";
import { isLanguage, setLanguage } from "./i18n";
import { Layout } from "./layout/Layout";
import { ConsoleRoutes } from "./routes";
import { Login } from "./screens/Login";

export function App() {
  const { status, client } = useSession();
  const { t } = useTranslation();
  if (status === "loading") return <Loading label={t("app.loading")} />;
  if (status === "anonymous" || !client) return <Login />;
  return (
    <Provider value={client}>
      <BrowserRouter>
        <SignedIn />
      </BrowserRouter>
    </Provider>
  );
}

function SignedIn() {
  const [{ data, error }, reexecute] = useQuery({ query: MeDocument });
  const { t, i18n } = useTranslation();
  const language = data?.me?.language;
  useEffect(() => {
    if (isLanguage(language) && language !== i18n.language) setLanguage(language);
  }, [language, i18n]);
  // Dates and times are the partner's local time (Tenant.timeZone), as the API's statistics
  // days and settlement times are; set before the screens render.
  setTimeZone(data?.me?.tenant?.timeZone ?? null);
  if (!data?.me) {
    if (error) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
    return <Loading label={t("app.loading")} />;
  }
  return (
    <AbilitiesProvider value={abilitiesOf(data.me)}>
      <Layout>
        <ConsoleRoutes />
      </Layout>
    </AbilitiesProvider>
  );
}
