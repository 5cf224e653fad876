import { ConsolePage } from './pages/console.tsx';
import { FlagPage } from './pages/flag.tsx';
import { FlagsPage } from './pages/flags.tsx';
import { NamespacesPage } from './pages/namespaces.tsx';
import { NewFlagPage } from './pages/new-flag.tsx';
import { NewSegmentPage } from './pages/new-segment.tsx';
import { SegmentPage } from './pages/segment.tsx';
import { SegmentsPage } from './pages/segments.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { match } from './router.ts';

export function Routes({ path }: { path: string }) {
  if (match('/namespaces/:ns/flags', path)) return <FlagsPage />;
  if (match('/namespaces/:ns/flags/new', path)) return <NewFlagPage />;
  const flag = match('/namespaces/:ns/flags/:key', path)?.['key'];
  if (flag) return <FlagPage key={flag} flagKey={flag} />;
  if (match('/namespaces/:ns/segments', path)) return <SegmentsPage />;
  if (match('/namespaces/:ns/segments/new', path)) return <NewSegmentPage />;
  const segment = match('/namespaces/:ns/segments/:key', path)?.['key'];
  if (segment) return <SegmentPage key={segment} segmentKey={segment} />;
  if (match('/namespaces/:ns/console', path)) return <ConsolePage />;
  if (match('/namespaces', path)) return <NamespacesPage />;
  if (match('/tokens', path)) return <TokensPage />;
  return (
    <div class="page">
      <h1>Not found</h1>
      <p>Nothing lives at {path}.</p>
    </div>
  );
}
