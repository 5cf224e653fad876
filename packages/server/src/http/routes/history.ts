import type { Hono } from 'hono';
import type { FlagHistory } from '../../audit/flag-history.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';

// Ensign extension: GET /api/v1/namespaces/{namespaceKey}/flags/{flagKey}/history, a flag's
// changes newest first from the stored audit events (`limit`, `pageToken`). Under /api/v1 so the
// gate and policy treat it as the management read it is.

export function registerHistoryRoutes(app: Hono, history: FlagHistory): void {
  app.get('/api/v1/namespaces/:namespaceKey/flags/:flagKey/history', async (c) => {
    const { limit, pageToken } = pageRequest(c);
    return json(
      c,
      await history.list(c.req.param('namespaceKey'), c.req.param('flagKey'), {
        limit: limit ?? 0,
        pageToken: pageToken ?? '',
      }),
    );
  });
}
