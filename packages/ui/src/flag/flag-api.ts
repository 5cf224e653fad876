import { api, enc, nsPath } from '../api/client.ts';
import type { Flag } from '../api/types.ts';

// UpdateFlag replaces name, description, enabled and the default variant together (flipt-v1.md
// §1.3): every edit sends all four, starting from the flag as loaded.

export const flagPath = (ns: string, key: string): string => `${nsPath(ns)}/flags/${enc(key)}`;

export function updateFlag(
  ns: string,
  flag: Flag,
  change: Partial<{
    name: string;
    description: string;
    enabled: boolean;
    defaultVariantId: string;
    metadata: Record<string, unknown>;
  }>,
): Promise<Flag> {
  const body: Record<string, unknown> = {
    key: flag.key,
    name: flag.name,
    description: flag.description,
    enabled: flag.enabled,
    defaultVariantId: flag.defaultVariant?.id ?? '',
  };
  if (flag.metadata) body['metadata'] = flag.metadata;
  Object.assign(body, change);
  return api<Flag>('PUT', flagPath(ns, flag.key), body);
}
