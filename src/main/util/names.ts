/** The last segment of a path, for messages (either separator: a path may come from Windows). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
