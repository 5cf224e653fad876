import { useState } from 'preact/hooks';
import { TextField } from './fields.tsx';
import type { Action } from './use-action.ts';

// Name, key and description: the three fields every "new …" form starts with. The key follows
// the name until someone edits it, because most keys are the name in Flipt's key characters.

/** A key derived from a name, in the characters Flipt accepts for keys. */
export const keyFromName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^-_,a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export interface Identity {
  name: string;
  key: string;
  description: string;
  setName(name: string): void;
  setKey(key: string): void;
  setDescription(description: string): void;
  reset(): void;
}

export function useIdentity(): Identity {
  const [name, setNameOnly] = useState('');
  const [key, setKeyOnly] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [description, setDescription] = useState('');
  return {
    name,
    key,
    description,
    setName(v) {
      setNameOnly(v);
      if (!keyTouched) setKeyOnly(keyFromName(v));
    },
    setKey(v) {
      setKeyOnly(v);
      setKeyTouched(true);
    },
    setDescription,
    reset() {
      setNameOnly('');
      setKeyOnly('');
      setKeyTouched(false);
      setDescription('');
    },
  };
}

/** The name and key inputs; the description is separate because some forms lay it out apart. */
export function NameAndKeyFields({ identity, action }: { identity: Identity; action: Action }) {
  return (
    <>
      <TextField
        label="Name"
        name="name"
        value={identity.name}
        required
        error={action.errorFor('name')}
        onInput={identity.setName}
      />
      <TextField
        label="Key"
        name="key"
        value={identity.key}
        required
        hint="Letters, digits, - _ and , only"
        error={action.errorFor('key')}
        onInput={identity.setKey}
      />
    </>
  );
}

export function DescriptionField({ identity }: { identity: Identity }) {
  return (
    <TextField
      label="Description"
      name="description"
      value={identity.description}
      onInput={identity.setDescription}
    />
  );
}
