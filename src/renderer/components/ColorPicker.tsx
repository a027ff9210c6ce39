// A colour combobox: type to filter by name or id, pick from swatches with mouse or keys.
import { useId, useMemo, useRef, useState } from 'react';
import type { Color } from '../../shared/types';
import { Swatch } from './Swatch';

export function ColorPicker(props: {
  colors: Color[];
  value: number | null;
  onChange: (id: number) => void;
  label: string;
  error?: string | undefined;
  id?: string;
}) {
  const autoId = useId();
  const inputId = props.id ?? `${autoId}-input`;
  const listId = `${autoId}-list`;
  const errId = `${autoId}-err`;
  const current = props.colors.find((c) => c.id === props.value);
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const shown = useMemo(() => {
    const q = (text ?? '').trim().toLowerCase();
    const all = [...props.colors].sort((a, b) => a.name.localeCompare(b.name));
    if (!q) return all;
    return all.filter((c) => c.name.toLowerCase().includes(q) || String(c.id) === q);
  }, [props.colors, text]);

  const choose = (c: Color) => {
    props.onChange(c.id);
    setText(null);
    setOpen(false);
  };

  const scrollActive = (i: number) => {
    const el = listRef.current?.children[i] as HTMLElement | undefined;
    el?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <div className="field color-picker">
      <label htmlFor={inputId}>{props.label}</label>
      <div className="current">
        <Swatch color={current} />
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? errId : undefined}
          aria-activedescendant={open && shown[active] ? `${listId}-${shown[active]!.id}` : undefined}
          autoComplete="off"
          placeholder="Type a colour name"
          style={{ flex: 1 }}
          value={text ?? (current ? current.name : '')}
          onFocus={(e) => e.target.select()}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onBlur={() => {
            setTimeout(() => {
              setOpen(false);
              setText(null);
            }, 150);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              if (!open) setOpen(true);
              const i = Math.min(shown.length - 1, active + (open ? 1 : 0));
              setActive(i);
              scrollActive(i);
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              const i = Math.max(0, active - 1);
              setActive(i);
              scrollActive(i);
            } else if (e.key === 'Enter' && open) {
              e.preventDefault();
              const c = shown[active];
              if (c) choose(c);
            } else if (e.key === 'Escape' && open) {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
              setText(null);
            }
          }}
        />
      </div>
      {open && (
        <ul id={listId} ref={listRef} role="listbox" aria-label={`${props.label} choices`} className="color-list">
          {shown.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${c.id}`}
              role="option"
              aria-selected={c.id === props.value}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
            >
              <Swatch color={c} />
              {c.name}
            </li>
          ))}
          {shown.length === 0 && <li aria-disabled="true">No colour matches</li>}
        </ul>
      )}
      {props.error && (
        <span id={errId} className="error">
          {props.error}
        </span>
      )}
    </div>
  );
}
