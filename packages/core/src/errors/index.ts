export * from './ensign-error.ts';
export * from './transport-mapping.ts';
