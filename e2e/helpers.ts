import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';

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

export async function dropFixture(page: Page, relPath: string): Promise<void> {
  await dropFile(page, basename(relPath), readFileSync(join(FIXTURES, relPath)));
}
