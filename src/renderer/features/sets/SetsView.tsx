// The Sets view: find a set and open its page, "Can I build…" a part list file, "Which sets can
// I build?", and what has been built. A small bar on top switches between them.
import { useEffect } from 'react';
import { useSets, type SetsScreen } from '../../stores/sets';
import { useToasts } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { Buildable } from './Buildable';
import { BuiltList } from './BuiltList';
import { FilePage, SetPage, pickListFile } from './SetPage';
import { SetSearch } from './SetSearch';
import './sets.css';

const SECTIONS: { kind: 'search' | 'buildable' | 'builds'; label: string }[] = [
  { kind: 'search', label: 'Find a set' },
  { kind: 'buildable', label: 'Which sets can I build?' },
  { kind: 'builds', label: 'Built' },
];

/** The last File → Can I Build… request answered (the view may mount again later). */
let handledCanBuild = 0;

/** The section a screen belongs to (a set's page belongs to where it was opened from). */
function sectionOf(screen: SetsScreen, history: SetsScreen[]): string {
  if (screen.kind === 'set' || screen.kind === 'file') {
    const from = [...history].reverse().find((s) => s.kind !== 'set' && s.kind !== 'file');
    return from?.kind ?? 'search';
  }
  return screen.kind;
}

export function SetsView() {
  const screen = useSets((s) => s.screen);
  const history = useSets((s) => s.history);
  const show = useSets((s) => s.show);
  const open = useSets((s) => s.open);
  const toast = useToasts((s) => s.toast);
  const canBuildNonce = useUi((s) => s.canBuildNonce);
  const section = sectionOf(screen, history);

  const canBuild = () =>
    void pickListFile().then((r) => (typeof r === 'string' ? toast({ kind: 'error', text: r }) : r && open(r)));

  // File → Can I Build… asks for the file as soon as the view shows (once per request).
  useEffect(() => {
    if (canBuildNonce <= handledCanBuild) return;
    handledCanBuild = canBuildNonce;
    canBuild();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canBuildNonce]);

  return (
    <div className="sets">
      <nav className="sets-nav" aria-label="Sets">
        {SECTIONS.map((s) => (
          <button
            key={s.kind}
            type="button"
            className="btn"
            aria-current={section === s.kind ? 'page' : undefined}
            onClick={() => show({ kind: s.kind })}
          >
            {s.label}
          </button>
        ))}
        <button type="button" className="btn" onClick={canBuild}>
          Can I build…
        </button>
      </nav>
      <div className="page sets-body">
        {screen.kind === 'search' && <SetSearch />}
        {screen.kind === 'set' && <SetPage key={screen.setNum} setNum={screen.setNum} />}
        {screen.kind === 'file' && <FilePage key={screen.file.token} file={screen.file} />}
        {screen.kind === 'buildable' && <Buildable />}
        {screen.kind === 'builds' && <BuiltList />}
      </div>
    </div>
  );
}
