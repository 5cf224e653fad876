export * from './api/index.ts';
export * from './document/index.ts';
export * from './errors/index.ts';
export * from './evaluation/index.ts';
export * from './features/index.ts';
export * from './hash/index.ts';
export * from './model/index.ts';
export * from './snapshot/index.ts';
