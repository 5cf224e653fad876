import type { Hono } from 'hono';
import type { ChangeHistory } from '../../audit/change-history.ts';
import type { HistorySubject } from '../../audit/history-store.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';

// Ensign extension: GET /api/v1/namespaces/{namespaceKey}/flags/{flagKey}/history and
// .../segments/{segmentKey}/history, a flag's or segment's changes newest first from the stored
// audit events (`limit`, `pageToken`). Under /api/v1 so the gate and policy treat them as the
// management reads they are.

export function registerHistoryRoutes(app: Hono, history: ChangeHistory): void {
  const route = (path: string, kind: HistorySubject['kind'], param: string) =>
    app.get(path, async (c) => {
      const { limit, pageToken } = pageRequest(c);
      return json(
        c,
        await history.list(
          c.req.param('namespaceKey')!,
          { kind, key: c.req.param(param)! },
          { limit: limit ?? 0, pageToken: pageToken ?? '' },
        ),
      );
    });
  route('/api/v1/namespaces/:namespaceKey/flags/:flagKey/history', 'flag', 'flagKey');
  route('/api/v1/namespaces/:namespaceKey/segments/:segmentKey/history', 'segment', 'segmentKey');
}
