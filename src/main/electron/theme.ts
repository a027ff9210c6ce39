// nativeTheme follows the theme preference (so native dialogs, menus and the window frame
// match the page), and the View > Theme menu changes the same preference.
import type { NativeTheme } from 'electron';
import type { Theme } from '../../shared/types';

export function applyNativeTheme(nativeTheme: Pick<NativeTheme, 'themeSource'>, theme: Theme): void {
  nativeTheme.themeSource = theme;
}
