import type { Access } from '../auth/access.ts';
import type { HistoryPage, HistoryStore, HistorySubject } from './history-store.ts';

// The read side of audit history, behind the same check as the management reads: reading a
// flag's (segment's) history needs the right to read that flag (segment).

export interface ChangeHistory {
  list(
    namespaceKey: string,
    subject: HistorySubject,
    page: { limit: number; pageToken: string },
  ): Promise<HistoryPage>;
}

export function guardHistory(store: HistoryStore, check: (access: Access) => void): ChangeHistory {
  return {
    async list(namespaceKey, subject, page) {
      check({ namespace: namespaceKey, resource: subject.kind, subject: subject.kind, action: 'read' });
      return store.history(namespaceKey, subject, page);
    },
  };
}
