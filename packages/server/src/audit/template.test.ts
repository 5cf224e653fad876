import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../config/load.ts';
import { parseTemplate, TemplateError } from './template.ts';

// Flipt's webhook templates: the fields and `toJson` its documentation shows render as Go would;
// every other construct is refused when the config is read, naming the key and the construct.

const EVENT = {
  version: '0.2',
  type: 'flag',
  action: 'updated',
  metadata: { actor: { authentication: 'oidc', ip: '10.0.0.7', email: 'ada@example.com', name: 'Ada' } },
  payload: { key: 'dark-mode', namespaceKey: 'default', enabled: true, name: 'Dark "mode"' },
  timestamp: '2026-11-30T10:00:00.000Z',
  status: 'success',
};

describe('webhook templates', () => {
  it('render event fields, Go names mapped onto the event, and toJson', () => {
    const t = parseTemplate(
      '{"who": "{{ .Metadata.Actor.Email }}@{{.Metadata.Actor.IP}}", "what": "{{ .Type }}:{{ .Action }}",' +
        ' "flag": "{{ .Payload.Key }}", "ns": "{{ .Payload.NamespaceKey }}", "on": {{ .Payload.Enabled }},' +
        ' "actor": {{ toJson .Metadata.Actor }}, "payload": {{ toJson .Payload }}, "at": "{{ .Timestamp }}"}',
    );
    const out = JSON.parse(t.render(EVENT));
    assert.deepEqual(out, {
      who: 'ada@example.com@10.0.0.7',
      what: 'flag:updated',
      flag: 'dark-mode',
      ns: 'default',
      on: true,
      actor: EVENT.metadata.actor,
      payload: EVENT.payload,
      at: EVENT.timestamp,
    });
  });

  it('trim whitespace beside {{- and -}}, drop comments, print missing fields as nothing', () => {
    const t = parseTemplate(
      '[ {{- toJson .Version -}} ,\n  "{{ .Metadata.Actor.Picture }}"{{/* no picture */}} ]',
    );
    assert.equal(t.render(EVENT), '["0.2",\n  "" ]');
    assert.equal(parseTemplate('{{ toJson . }}').render(EVENT), JSON.stringify(EVENT));
  });

  it('refuse what Ensign does not implement, and unknown event fields', () => {
    for (const [source, pattern] of [
      ['{{ if .Type }}x{{ end }}', /only \{\{ \.Field \}\} and \{\{ toJson \.Field \}\}/],
      ['{{ .Type | upper }}', /only/],
      ['{{ $x := .Type }}', /only/],
      ['{{ printf "%s" .Type }}', /only/],
      ['{{ .Kind }}', /\.Kind is not an event field/],
      ['{{ .Metadata.Actor.Phone }}', /\.Metadata\.Actor has/],
      ['{{ .Type.Name }}', /\.Type has no fields/],
      ['{"a": {{ .Type }', /unclosed action/],
    ] as const) {
      assert.throws(
        () => parseTemplate(source),
        (e: unknown) => e instanceof TemplateError && pattern.test(e.message),
        source,
      );
    }
  });

  it('stop the server at start with the key named', () => {
    const document = {
      audit: {
        sinks: {
          webhook: {
            enabled: true,
            templates: [
              { url: 'https://hooks.example.com/x', body: '{"t": "{{ range .Payload }}{{ end }}"}' },
            ],
          },
        },
      },
    };
    assert.throws(
      () => resolveConfig(document, { env: {}, cwd: '/' }),
      /audit\.sinks\.webhook\.templates\[0\]\.body: \{\{ range \.Payload \}\}: only/,
    );
    const noUrl = { audit: { sinks: { webhook: { enabled: true, templates: [{ body: '{}' }] } } } };
    assert.throws(
      () => resolveConfig(noUrl, { env: {}, cwd: '/' }),
      /templates\[0\]\.url must be an http\(s\) URL/,
    );
    const nothing = { audit: { sinks: { webhook: { enabled: true } } } };
    assert.throws(() => resolveConfig(nothing, { env: {}, cwd: '/' }), /needs a url or templates/);
  });
});
