// Opens report pages in headless Chromium (Debian's package, through
// playwright-core, a development dependency) for the browser test and the
// benchmark: waits until the page says it has drawn, collects console errors,
// and counts the painted pixels of every chart canvas.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const chromiumPath = process.env['QUORUMLAB_CHROMIUM'] ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Longest wait for a page to draw; a big report draws in a few seconds. */
const drawTimeoutMs = 60_000;

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

export type ReportOpen =
  | {
      readonly ok: true;
      /** From navigation to the page's own "drawn" flag. */
      readonly drawnMs: number;
      /** Console errors and uncaught exceptions, in order. */
      readonly errors: readonly string[];
      /** Painted (non-transparent) pixels of each canvas, in document order. */
      readonly canvasPixels: readonly number[];
      /** Requests for anything but the file itself (a self-contained page makes none). */
      readonly requests: readonly string[];
      /** Whether the linearizability and durability failure views are visible. */
      readonly failureViews: { readonly linearizability: boolean; readonly durability: boolean };
    }
  | { readonly ok: false; readonly error: string };

/** The little of a page's canvas that the pixel count uses (this project compiles without DOM types). */
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> } } | null;
}

export interface OpenOptions {
  readonly screenshotPath?: string;
  /** Hover the first breaking operation before the screenshot, to show the tooltip. */
  readonly hoverBreaking?: boolean;
}

/** Opens one page in a fresh browser profile, which is removed afterwards. */
export async function reportOpen(file: string, viewport: Viewport, options: OpenOptions = {}): Promise<ReportOpen> {
  if (!existsSync(chromiumPath))
    return {
      ok: false,
      error: `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set QUORUMLAB_CHROMIUM)`,
    };
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    return {
      ok: false,
      error: `playwright-core is not installed (a development dependency): ${(error as Error).message}`,
    };
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = `file://${path.resolve(file)}`;
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    const startMs = performance.now();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { reportReady?: boolean }).reportReady === true, null, {
      timeout: drawTimeoutMs,
    });
    const drawnMs = performance.now() - startMs;
    // Runs in the page, so it cannot call helpers of this module: pixels of each canvas with any opacity.
    const canvasPixels = await page.$$eval('canvas', (canvases) =>
      canvases.map((element) => {
        const canvas = element as unknown as PageCanvas;
        const context = canvas.getContext('2d');
        if (context === null || canvas.width === 0 || canvas.height === 0) return 0;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted;
      }),
    );
    const failureViews = {
      linearizability: await page
        .locator('#linearizability-failure .lin-op.role-breaking')
        .first()
        .isVisible()
        .catch(() => false),
      durability: await page
        .locator('#durability-failure tr.problem-lost')
        .first()
        .isVisible()
        .catch(() => false),
    };
    if (options.hoverBreaking === true && failureViews.linearizability)
      await page.locator('#linearizability-failure .lin-op.role-breaking').first().hover();
    if (options.screenshotPath !== undefined) await page.screenshot({ path: options.screenshotPath, fullPage: true });
    return { ok: true, drawnMs, errors, canvasPixels, requests, failureViews };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
