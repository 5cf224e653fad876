import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runCli } from '../cli/run-cli.ts';
import { type AuthServer, startAuthServer } from './harness.ts';

// `ensign evaluate --token` against a server that requires one.

let s: AuthServer;
before(async () => {
  s = await startAuthServer();
});
after(() => s.close());

it('ensign evaluate sends --token and reports a refusal without it', async () => {
  const token = await s.mint({ name: 'cli' });
  const ok = await runCli(['evaluate', 'on', '-n', 'team', '-a', s.url, '--token', token]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { enabled: boolean }).enabled, true);

  const refused = await runCli(['evaluate', 'on', '-n', 'team', '-a', s.url]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /request was not authenticated/);
});
