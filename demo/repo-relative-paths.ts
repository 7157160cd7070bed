// Stack traces in the demo's traces name the files they ran from, as absolute paths of the machine that
// ran the export (/home/someone/src/spanscope/demo/payment-service.ts). The shipped traces say them
// relative to the repository (demo/payment-service.ts), the same on every machine.

/** The text (JSON) with every `<repoDir>/`, also as a file:// URL or JSON-escaped, made relative to the repo. */
export function repoRelativePaths(text: string, repoDir: string): string {
  const dir = repoDir.replace(/[\\/]+$/, '');
  const forms = new Set<string>();
  for (const prefix of [`file://${dir}`, dir]) {
    for (const sep of ['/', '\\']) {
      forms.add(`${prefix}${sep}`);
      forms.add(JSON.stringify(`${prefix}${sep}`).slice(1, -1)); // as written inside a JSON string
    }
  }
  let out = text;
  // Longest first: the file:// form before the bare directory it contains.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('');
  return out;
}
