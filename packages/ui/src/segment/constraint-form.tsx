import { useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { ComparisonType, Constraint } from '../api/types.ts';
import { Field, FormError, TextField } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import {
  isOneOf,
  localToRfc3339,
  needsValue,
  oneOfItems,
  oneOfValue,
  operatorLabel,
  operatorsFor,
  rfc3339ToLocal,
  TYPE_LABELS,
} from './constraint-kinds.ts';
import { OneOfInput } from './one-of-input.tsx';

interface Props {
  base: string;
  segmentKey: string;
  constraint?: Constraint;
  onDone: () => void;
  onCancel?: () => void;
}

export function ConstraintForm({ base, segmentKey, constraint: c, onDone, onCancel }: Props) {
  const [type, setType] = useState<ComparisonType>(c?.type ?? 'STRING_COMPARISON_TYPE');
  const [property, setProperty] = useState(c?.property ?? '');
  const [operator, setOperator] = useState(c?.operator ?? 'eq');
  const [value, setValue] = useState(
    c?.type === 'DATETIME_COMPARISON_TYPE' && !isOneOf(c.operator)
      ? rfc3339ToLocal(c.value)
      : (c?.value ?? ''),
  );
  const [items, setItems] = useState<string[]>(c && isOneOf(c.operator) ? oneOfItems(c.value) : []);
  const [description, setDescription] = useState(c?.description ?? '');
  const action = useAction(['property', 'operator', 'value', 'description']);
  const entity = type === 'ENTITY_ID_COMPARISON_TYPE';

  const changeType = (next: ComparisonType) => {
    setType(next);
    const ops = operatorsFor(next);
    if (!ops.includes(operator)) setOperator(ops[0]!);
    if (next === 'ENTITY_ID_COMPARISON_TYPE') setProperty('entityId');
    else if (property === 'entityId') setProperty('');
    setValue('');
    setItems([]);
  };

  const wireValue = (): string | undefined => {
    if (!needsValue(operator)) return '';
    if (isOneOf(operator)) {
      const { value: v, problem } = oneOfValue(type, items);
      if (problem) action.fail(problem, 'value');
      return v;
    }
    if (type === 'DATETIME_COMPARISON_TYPE') {
      const v = localToRfc3339(value);
      if (!v) action.fail('pick a date and time', 'value');
      return v || undefined;
    }
    return value;
  };

  return (
    <form
      class="subform"
      aria-label={c ? `Edit constraint ${c.property}` : 'New constraint'}
      onSubmit={async (e) => {
        e.preventDefault();
        const v = wireValue();
        if (v === undefined) return;
        const body = {
          segmentKey,
          type,
          property: entity ? 'entityId' : property,
          operator,
          value: v,
          description,
        };
        const path = `${base}/constraints`;
        const ok = await action.run(() =>
          c ? api('PUT', `${path}/${enc(c.id)}`, { ...body, id: c.id }) : api('POST', path, body),
        );
        if (ok) {
          if (!c) {
            setProperty(entity ? 'entityId' : '');
            setValue('');
            setItems([]);
            setDescription('');
          }
          onDone();
        }
      }}
    >
      <div class="row">
        <Field label="Type">
          {(id) => (
            <select
              id={id}
              name="type"
              value={type}
              onChange={(e) => changeType((e.currentTarget as HTMLSelectElement).value as ComparisonType)}
            >
              {Object.entries(TYPE_LABELS).map(([t, label]) => (
                <option key={t} value={t}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="Property"
          name="property"
          value={entity ? 'entityId' : property}
          disabled={entity}
          onInput={setProperty}
          error={action.errorFor('property')}
          required
        />
        <Field label="Operator" error={action.errorFor('operator')}>
          {(id) => (
            <select
              id={id}
              name="operator"
              value={operator}
              onChange={(e) => setOperator((e.currentTarget as HTMLSelectElement).value)}
            >
              {operatorsFor(type).map((op) => (
                <option key={op} value={op}>
                  {operatorLabel(op)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {needsValue(operator) &&
        (isOneOf(operator) ? (
          <OneOfInput
            items={items}
            onChange={setItems}
            numeric={type === 'NUMBER_COMPARISON_TYPE'}
            error={action.errorFor('value')}
          />
        ) : type === 'DATETIME_COMPARISON_TYPE' ? (
          <TextField
            label="Value (your local time; stored in UTC)"
            name="value"
            type="datetime-local"
            value={value}
            onInput={setValue}
            error={action.errorFor('value')}
            required
          />
        ) : (
          <TextField
            label="Value"
            name="value"
            type={type === 'NUMBER_COMPARISON_TYPE' ? 'number' : 'text'}
            value={value}
            onInput={setValue}
            error={action.errorFor('value')}
          />
        ))}
      <TextField label="Description" name="description" value={description} onInput={setDescription} />
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          {c ? 'Save constraint' : 'Add constraint'}
        </button>
        {onCancel && (
          <button type="button" class="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
