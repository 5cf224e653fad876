import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

// A ranked list the user reorders by dragging an item onto another, or with the move buttons
// (keyboard and touch). `onOrder` receives the ids in their new order.

interface Props<T> {
  items: readonly T[];
  idOf: (item: T) => string;
  labelOf: (item: T) => string;
  render: (item: T, index: number) => ComponentChildren;
  onOrder: (ids: string[]) => void;
  disabled?: boolean;
}

function moved(ids: string[], from: number, to: number): string[] {
  const next = ids.slice();
  const [id] = next.splice(from, 1);
  next.splice(to, 0, id!);
  return next;
}

export function ReorderList<T>({ items, idOf, labelOf, render, onOrder, disabled }: Props<T>) {
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const ids = items.map(idOf);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length || from === to) return;
    onOrder(moved(ids, from, to));
  };
  return (
    <ol class="reorder">
      {items.map((item, index) => (
        <li
          key={idOf(item)}
          class={over === index && dragging !== index ? 'drop-target' : undefined}
          draggable={!disabled}
          data-id={idOf(item)}
          onDragStart={(e) => {
            setDragging(index);
            e.dataTransfer?.setData('text/plain', idOf(item));
          }}
          onDragOver={(e) => {
            if (dragging === null) return;
            e.preventDefault();
            setOver(index);
          }}
          onDragLeave={() => setOver((o) => (o === index ? null : o))}
          onDrop={(e) => {
            e.preventDefault();
            if (dragging !== null) move(dragging, index);
            setDragging(null);
            setOver(null);
          }}
          onDragEnd={() => {
            setDragging(null);
            setOver(null);
          }}
        >
          {!disabled && (
            <div class="reorder-handle">
              <span aria-hidden="true" class="grip">
                ⋮⋮
              </span>
              <button
                type="button"
                class="icon"
                aria-label={`Move ${labelOf(item)} up`}
                disabled={index === 0}
                onClick={() => move(index, index - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="icon"
                aria-label={`Move ${labelOf(item)} down`}
                disabled={index === items.length - 1}
                onClick={() => move(index, index + 1)}
              >
                ↓
              </button>
            </div>
          )}
          <div class="reorder-body">{render(item, index)}</div>
        </li>
      ))}
    </ol>
  );
}
