import { parseTemplate, TemplateError } from '../audit/template.ts';
import { ConfigError } from './config-error.ts';
import type { Kind } from './kinds.ts';
import type { WebhookTemplateConfig } from './types.ts';

// `audit.sinks.webhook.templates`: a list of {url, body, headers}. Each body is parsed here, so a
// template using more than Ensign's subset of Go templates stops the server at start.

function entryOf(key: string, raw: unknown, index: number): WebhookTemplateConfig {
  const at = `${key}[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${at} must be a mapping with url, body and headers`, key);
  const { url, body = '', headers = {}, ...unknown } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new ConfigError(`${at} has unknown keys: ${extra.join(', ')}`, key);
  if (typeof url !== 'string' || !/^https?:\/\//.test(url))
    throw new ConfigError(`${at}.url must be an http(s) URL (got ${JSON.stringify(url)})`, key);
  if (typeof body !== 'string') throw new ConfigError(`${at}.body must be a string`, key);
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new ConfigError(`${at}.headers must be a mapping of strings`, key);
  for (const value of Object.values(headers))
    if (typeof value !== 'string') throw new ConfigError(`${at}.headers must be a mapping of strings`, key);
  try {
    parseTemplate(body);
  } catch (error) {
    if (error instanceof TemplateError) throw new ConfigError(`${at}.body: ${error.message}`, key);
    throw error;
  }
  return { url, body, headers: headers as Record<string, string> };
}

export const webhookTemplates: Kind<WebhookTemplateConfig[]> = {
  example: [
    {
      url: 'https://example.com/hook',
      body: '{"type": "{{ .Type }}", "payload": {{ toJson .Payload }}}',
      headers: { Authorization: 'Bearer example' },
    },
  ],
  parse(key, raw) {
    if (!Array.isArray(raw)) throw new ConfigError(`${key} must be a list of {url, body, headers}`, key);
    return raw.map((entry, i) => entryOf(key, entry, i));
  },
  schema: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        body: { type: 'string' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['url'],
      additionalProperties: false,
    },
  },
};
