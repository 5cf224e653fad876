import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NODE_RANGE, nodeSatisfies } from '../../../../scripts/build/node-range.ts';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the supported Node range', () => {
  it('is the one every package.json and the README state', () => {
    const manifests = [
      'package.json',
      ...readdirSync(`${REPO}packages`).map((p) => `packages/${p}/package.json`),
    ];
    for (const path of manifests) {
      const manifest = JSON.parse(readFileSync(`${REPO}${path}`, 'utf8')) as { engines?: { node?: string } };
      assert.equal(manifest.engines?.node, NODE_RANGE, `${path} engines.node`);
    }
    assert.ok(
      readFileSync(`${REPO}README.md`, 'utf8').includes(`\`${NODE_RANGE}\``),
      'README states the range',
    );
  });

  it('admits the 22 line from 22.18 and everything from 24, nothing older and not 23', () => {
    for (const version of ['22.18.0', '22.20.1', '24.0.0', '24.21.0', '26.1.0']) {
      assert.equal(nodeSatisfies(version, NODE_RANGE), true, version);
    }
    for (const version of ['20.19.2', '22.12.0', '22.17.9', '23.11.0', '18.20.0']) {
      assert.equal(nodeSatisfies(version, NODE_RANGE), false, version);
    }
  });

  it('is the range of the Node running this test', () => {
    assert.equal(nodeSatisfies(process.versions.node, NODE_RANGE), true);
  });
});
