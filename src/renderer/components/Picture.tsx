// A picture of a part (in a colour), a set or a minifig, from the app's picture scheme: the
// cached picture or, until it arrives (or when there is none), a placeholder in the part's
// colour drawn by main. Loaded lazily and decoded off the main thread, so a fast scroll through
// the inventory never waits for pictures. The Sets screen uses it for set pictures too.
import { memo } from 'react';
import { pictureKey } from '../../shared/contract';
import { PICTURE_BASE, usePictures } from '../stores/pictures';

export type PictureOf = { kind: 'part'; partId: string; colorId: number } | { kind: 'set' | 'minifig'; id: string };

export function pictureKeyOf(of: PictureOf): string {
  return of.kind === 'part' ? pictureKey('part', of.partId, of.colorId) : pictureKey(of.kind, of.id);
}

export const Picture = memo(function Picture(props: { of: PictureOf; size: number; alt?: string; className?: string }) {
  const key = pictureKeyOf(props.of);
  const version = usePictures((s) => (s.versions[key] ?? 0) + (s.versions['*'] ?? 0));
  return (
    <img
      className={`picture${props.className ? ` ${props.className}` : ''}`}
      src={`${PICTURE_BASE}${key}${version ? `?v=${version}` : ''}`}
      width={props.size}
      height={props.size}
      alt={props.alt ?? ''}
      loading="lazy"
      decoding="async"
      draggable={false}
      data-picture={key}
    />
  );
});

/** A set's small picture in a list row, or an empty slot of its size until the list rests. */
export function SetPicture(props: { setNum: string; show: boolean }) {
  return props.show ? (
    <Picture of={{ kind: 'set', id: props.setNum }} size={32} className="row-picture" />
  ) : (
    <span className="picture picture-slot row-picture" aria-hidden="true" />
  );
}
