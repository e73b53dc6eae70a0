// The partner's logo (`Tenant.logo`): on Accueil, as the partner's staff know their screen, and
// on Paramètres where it is changed. A document's link works only with the reader's bearer
// token, so the image is fetched with it and shown from a `blob:` URL (the console's
// Content-Security-Policy allows those, and only those its own scripts make).
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { requestHeaders } from "../api/client";
import { graphql } from "../gql";

/** The image behind `url` (a signed document link) as an object URL, null until it is loaded. */
export function useLogoImage(url: string | undefined): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return setSrc(null);
    let objectUrl: string | null = null;
    let cancelled = false;
    void fetch(url, { headers: requestHeaders(), credentials: "omit" })
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (!blob || cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return src;
}

const PartnerLogoDocument = graphql(`
  query PartnerLogo {
    me {
      id
      tenant {
        id
        name
        logo {
          id
          url
        }
      }
    }
  }
`);

/** The acting partner's logo, or nothing (no tenant, no logo, or not loaded yet). */
export function PartnerLogo({ alt }: { alt: (name: string) => string }) {
  const [{ data }] = useQuery({ query: PartnerLogoDocument });
  const tenant = data?.me?.tenant;
  const src = useLogoImage(tenant?.logo?.url);
  if (!tenant || !src) return null;
  return <img className="partner-logo" src={src} alt={alt(tenant.name)} />;
}
