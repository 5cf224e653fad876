export * from './constraint-check.ts';
export * from './enums.ts';
export * from './operators.ts';
export * from './types.ts';
