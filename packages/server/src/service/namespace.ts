export { namespaceKeyOf, requireNamespace } from '@ensign/core';
