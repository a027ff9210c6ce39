// What a picture file is, judged by its first bytes (never by what a server says): only the
// raster formats the page and the label PDFs can show. Anything else (HTML error pages, SVG,
// truncated bodies) is not a picture.

export type PictureType = 'jpeg' | 'png' | 'gif' | 'webp';

export const PICTURE_MIME: Record<PictureType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

export const PICTURE_EXT: Record<PictureType, string> = { jpeg: '.jpg', png: '.png', gif: '.gif', webp: '.webp' };

/** The picture type of `bytes` by magic number, or null when they are not one. */
export function sniffPicture(bytes: Uint8Array): PictureType | null {
  const b = bytes;
  const at = (i: number, ...v: number[]) => v.every((x, k) => b[i + k] === x);
  if (b.length >= 4 && at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (b.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (b.length >= 6 && (at(0, 0x47, 0x49, 0x46, 0x38, 0x37, 0x61) || at(0, 0x47, 0x49, 0x46, 0x38, 0x39, 0x61))) return 'gif';
  if (b.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

/** A neutral stand-in for a missing picture: a brick in the part's colour (grey when unknown). */
export function placeholderSvg(rgb: string | null, kind: 'part' | 'set' | 'minifig'): string {
  const fill = rgb && /^[0-9a-f]{6}$/i.test(rgb) ? `#${rgb.toUpperCase()}` : '#C8C8C8';
  if (kind !== 'part') {
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" data-placeholder="${kind}"><rect x="6" y="14" width="52" height="40" rx="4" fill="#D9D9D9" stroke="#8A8A8A" stroke-width="2"/><rect x="14" y="6" width="36" height="10" rx="3" fill="#BDBDBD" stroke="#8A8A8A" stroke-width="2"/></svg>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" data-placeholder="part" data-color="${fill}"><rect x="6" y="22" width="52" height="32" rx="3" fill="${fill}" stroke="#6B6B6B" stroke-width="2"/><rect x="13" y="12" width="14" height="10" rx="2" fill="${fill}" stroke="#6B6B6B" stroke-width="2"/><rect x="37" y="12" width="14" height="10" rx="2" fill="${fill}" stroke="#6B6B6B" stroke-width="2"/></svg>`;
}
