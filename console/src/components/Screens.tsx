// Screens load on demand: each screen but Accueil is its own chunk, fetched the first time
// it is opened (React.lazy), so the first screen's JavaScript stays small (issue 16: under
// 250 KB compressed; bench/console.py measures it). While a screen's chunk is on its way the
// header stays and `Loading` shows; a chunk that cannot be fetched (the server is gone, or a
// new release replaced the files) shows an error with a reload button, never a blank page.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { Loading } from "./States";

/** `screen(() => import("../screens/Thing"), "Thing")`: the named export, loaded on demand. */
export function screen<const Name extends string>(
  load: () => Promise<{ [K in Name]: ComponentType }>,
  name: Name,
) {
  return lazy(async () => ({ default: (await load())[name] }));
}

function ChunkError({ reset }: { reset: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <p>{t("errors.chunk")}</p>
      <button
        type="button"
        onClick={() => {
          reset();
          location.reload();
        }}
      >
        {t("errors.reload")}
      </button>
    </div>
  );
}

interface BoundaryProps {
  /** The page's path: going elsewhere clears the error. */
  where: string;
  children: ReactNode;
}

class ChunkBoundary extends Component<BoundaryProps, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidUpdate(previous: BoundaryProps) {
    if (this.state.failed && previous.where !== this.props.where) this.setState({ failed: false });
  }

  render() {
    if (this.state.failed) return <ChunkError reset={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}

/** Where the routes render: a screen still loading shows `Loading`, a failed one an error. */
export function Screens({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <ChunkBoundary where={pathname}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkBoundary>
  );
}
