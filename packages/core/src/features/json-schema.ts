import { z } from 'zod';
import { featureSchemas } from './schema.ts';

/** JSON Schema of a feature document, for editors (yaml-language-server, VS Code). */
export function featuresJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(featureSchemas().document, { unrepresentable: 'any' }),
    title: 'Flipt feature file (Ensign)',
  } as Record<string, unknown>;
}
