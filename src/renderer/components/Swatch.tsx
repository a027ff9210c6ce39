import type { Color } from '../../shared/types';

export function Swatch({ color }: { color: Color | undefined }) {
  const rgb = color && /^[0-9a-f]{6}$/i.test(color.rgb) ? `#${color.rgb}` : 'transparent';
  return (
    <span
      className={`swatch${color?.isTrans ? ' trans' : ''}${color ? '' : ' none'}`}
      style={{ backgroundColor: rgb, opacity: color?.isTrans ? 0.75 : 1 }}
      aria-hidden="true"
    />
  );
}
