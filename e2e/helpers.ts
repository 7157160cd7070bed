import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Drops a file on the drop zone the way a user's drag and drop does (a real DataTransfer). */
export async function dropFile(page: Page, name: string, bytes: Uint8Array | string, target = '[data-testid=drop-zone]'): Promise<void> {
  const data = Buffer.from(bytes).toString('base64');
  const transfer = await page.evaluateHandle(
    ({ data, name }) => {
      const raw = atob(data);
      const buf = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([buf], name));
      return dt;
    },
    { data, name },
  );
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
}

/** Where the element is on screen; fails naming it when it is not laid out (hidden, detached). */
export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} has no box on screen`);
  return box;
}

export async function dropFixture(page: Page, relPath: string): Promise<void> {
  await dropFile(page, basename(relPath), readFileSync(join(FIXTURES, relPath)));
}
