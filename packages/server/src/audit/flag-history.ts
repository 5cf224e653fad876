import type { Access } from '../auth/access.ts';
import type { HistoryPage, HistoryStore } from './history-store.ts';

// The read side of audit history, behind the same check as the management reads: reading a
// flag's history needs the right to read that flag.

export interface FlagHistory {
  list(
    namespaceKey: string,
    flagKey: string,
    page: { limit: number; pageToken: string },
  ): Promise<HistoryPage>;
}

export function guardHistory(store: HistoryStore, check: (access: Access) => void): FlagHistory {
  return {
    async list(namespaceKey, flagKey, page) {
      check({ namespace: namespaceKey, resource: 'flag', subject: 'flag', action: 'read' });
      return store.flagHistory(namespaceKey, flagKey, page);
    },
  };
}
