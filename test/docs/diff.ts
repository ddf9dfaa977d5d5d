import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** `diff -u` of two texts, labelled as the file a reviewer sees change. */
export function unifiedDiff(before: string, after: string, file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-diff-'));
  fs.writeFileSync(path.join(dir, 'before'), before);
  fs.writeFileSync(path.join(dir, 'after'), after);
  let out = '';
  try {
    out = execFileSync('diff', ['-u', '--label', `a/${file}`, '--label', `b/${file}`, 'before', 'after'], { cwd: dir, encoding: 'utf-8' });
  } catch (e: any) {
    out = e.stdout; // diff exits 1 when the files differ
  }
  fs.rmSync(dir, { recursive: true });
  return out.trimEnd();
}
