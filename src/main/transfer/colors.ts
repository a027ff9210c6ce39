// The colour maps moved to src/main/colors (import, export, the CLI and backups all use them);
// this name stays for the modules that still import it from here.
export { BRICKLINK_EXCEPTIONS, colorMaps, normaliseColorName, type ColorMaps } from '../colors/maps';
