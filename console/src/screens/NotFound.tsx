import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="state">
      <h1>{t("errors.notFound")}</h1>
      <Link to="/">{t("errors.back")}</Link>
    </section>
  );
}
