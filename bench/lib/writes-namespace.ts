/** A namespace of `count` flags, each with two variants and a 50/50 rule on one segment. */
export function writesNamespace(count: number): string {
  const lines = [
    'version: "1.2"',
    'namespace: writes',
    'segments:',
    '  - key: everyone',
    '    name: Everyone',
    '    match_type: ALL_MATCH_TYPE',
    'flags:',
  ];
  for (let i = 0; i < count; i++) {
    const key = `w${String(i).padStart(4, '0')}`;
    lines.push(
      `  - key: ${key}`,
      `    name: ${key}`,
      '    type: VARIANT_FLAG_TYPE',
      '    enabled: true',
      '    variants: [{ key: a }, { key: b }]',
      '    rules:',
      '      - segment: everyone',
      '        distributions: [{ variant: a, rollout: 50 }, { variant: b, rollout: 50 }]',
    );
  }
  return `${lines.join('\n')}\n`;
}
