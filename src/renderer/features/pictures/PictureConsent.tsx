// The first-use question: may BlockShelf download pictures? Shown above the inventory until the
// user answers (either answer is remembered; Settings can change it later). Nothing is
// downloaded before a yes.
import { usePictures } from '../../stores/pictures';
import { useToasts } from '../../stores/toasts';

export function PictureConsent() {
  const settings = usePictures((s) => s.settings);
  const configure = usePictures((s) => s.configure);
  const toast = useToasts((s) => s.toast);
  if (settings?.fetch !== 'ask') return null;
  const answer = async (fetch: 'on' | 'off') => {
    const err = await configure({ fetch });
    if (err) toast({ kind: 'error', text: `Not saved: ${err}` });
  };
  return (
    <section className="notice consent" aria-labelledby="picture-consent-title">
      <p>
        <strong id="picture-consent-title">Show pictures of your parts?</strong> BlockShelf can download part and set pictures
        from <strong>{settings.source}</strong> (Rebrickable) and keep them on this computer, so they show offline too. Nothing is
        downloaded unless you say yes; you can change this in Settings.
      </p>
      <div className="consent-actions">
        <button type="button" className="btn primary" onClick={() => void answer('on')}>
          Download pictures
        </button>
        <button type="button" className="btn" onClick={() => void answer('off')}>
          No, text only
        </button>
      </div>
    </section>
  );
}
