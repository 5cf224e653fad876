import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Flag, Rollout, Rule, Segment } from '../api/types.ts';
import { History } from '../components/history.tsx';
import { CopyFlag } from '../flag/copy.tsx';
import { FlagDetails } from '../flag/details.tsx';
import { flagPath } from '../flag/flag-api.ts';
import { Rollouts } from '../flag/rollouts.tsx';
import { Rules } from '../flag/rules.tsx';
import { Variants } from '../flag/variants.tsx';
import { link } from '../router.ts';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

interface FlagData {
  flag: Flag;
  rules: Rule[];
  rollouts: Rollout[];
  segments: Segment[];
}

async function loadFlag(ns: string, key: string): Promise<FlagData> {
  const flag = await api<Flag>('GET', flagPath(ns, key));
  const boolean = flag.type === 'BOOLEAN_FLAG_TYPE';
  const [ranked, segments] = await Promise.all([
    api<{ rules: (Rule & Rollout)[] }>('GET', `${flagPath(ns, key)}/${boolean ? 'rollouts' : 'rules'}`),
    api<{ segments: Segment[] }>('GET', `${nsPath(ns)}/segments`),
  ]);
  // RolloutList names its items `rules` too (flipt-v1.md §3.4).
  const byRank = [...ranked.rules].sort((a, b) => a.rank - b.rank);
  return {
    flag,
    rules: boolean ? [] : byRank,
    rollouts: boolean ? byRank : [],
    segments: segments.segments,
  };
}

/** The preview chunk, fetched after the page has drawn. */
function usePreview(): FunctionComponent<{ flag: Flag }> | null {
  const [Preview, setPreview] = useState<FunctionComponent<{ flag: Flag }> | null>(null);
  useEffect(() => {
    import('../flag/preview.tsx').then((m) => setPreview(() => m.Preview)).catch(() => undefined);
  }, []);
  return Preview;
}

export function FlagPage({ flagKey }: { flagKey: string }) {
  const { namespace, readOnly, revision } = useSession();
  const loaded = useLoad(() => loadFlag(namespace, flagKey), [namespace, flagKey, revision]);
  const Preview = usePreview();
  const ns = encodeURIComponent(namespace);
  if (loaded.error && !loaded.data)
    return (
      <div class="page">
        <p role="alert" class="form-error">
          {loaded.error.message}
        </p>
        <a href={link(`/namespaces/${ns}/flags`)}>Back to flags</a>
      </div>
    );
  if (!loaded.data) return <p class="page">Loading…</p>;
  const { flag, rules, rollouts, segments } = loaded.data;
  const boolean = flag.type === 'BOOLEAN_FLAG_TYPE';
  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={link(`/namespaces/${ns}/flags`)}>Flags</a> / <span>{flag.key}</span>
      </nav>
      <div class="page-head">
        <h1>{flag.name || flag.key}</h1>
        <span class="badge">{boolean ? 'Boolean' : 'Variant'}</span>
        <span class={flag.enabled ? 'badge on' : 'badge off'}>{flag.enabled ? 'Enabled' : 'Disabled'}</span>
      </div>
      <div class="columns">
        <div>
          <FlagDetails key={flag.updatedAt} flag={flag} onSaved={loaded.reload} />
          {boolean ? (
            <Rollouts flag={flag} rollouts={rollouts} segments={segments} onChanged={loaded.reload} />
          ) : (
            <>
              <Variants flag={flag} onChanged={loaded.reload} />
              <Rules flag={flag} rules={rules} segments={segments} onChanged={loaded.reload} />
            </>
          )}
        </div>
        <div>
          {Preview && <Preview flag={flag} />}
          {!readOnly && <CopyFlag flag={flag} />}
          <History kind="flag" subjectKey={flag.key} />
        </div>
      </div>
    </div>
  );
}
