/**
 * The core user paths, the same in Chromium, Firefox and WebKit: core-paths.test.ts calls
 * `coreUserPaths(name)` for each. The built app is served as GitHub Pages serves it, from a
 * sub-path (/latentlens/) without COOP/COEP, because that is where the engines differ most:
 * relative asset and worker URLs, copies instead of shared memory on the first visit, and from
 * the reload on the service worker's isolation.
 *
 * The steps follow one person's visit in one fresh profile, so a later step depends on the
 * earlier ones (the ratings of step 4 are what step 5 restores); each step is its own test so a
 * failure names the step.
 *
 * An engine that is not installed is skipped with the one line that installs it; in CI
 * (CI=true) it is a failure instead, so a broken install cannot pass as green.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineCannot, engineAvailability, launchEngine, poll, type Engine, type EngineName, type EnginePage } from '../../support/e2e-driver';
import { AMELIE_TITLE, releaseFiles, releaseRatings, zipFixture } from '../../support/fixtures';
import { sampleQueries } from '../../support/sample-app';
import { serveStatic } from '../../support/static-server';

const STEP_TIMEOUT_MS = 120_000;
const SUB_PATH = 'latentlens';
/** The bundled sample's files, to choose as a person would. */
const SAMPLE_DIR = fileURLToPath(new URL('../../../public/data/ml-latest-small/', import.meta.url));

/** Says, in the test output, what an engine cannot do and what was checked instead. */
function note(engine: Engine, text: string): void {
  console.info(`[${engine.label}] ${text}`);
}

/** What the user agent must say for each engine: the proof that the page runs where we think. */
const USER_AGENT: Record<EngineName, RegExp> = {
  chromium: /Chrome\/\d+/,
  firefox: /Gecko\/\d+ Firefox\/\d+/,
  webkit: /AppleWebKit\/\d+.*Safari\/\d+/,
};
const NOT_USER_AGENT: Record<EngineName, RegExp> = {
  chromium: /Firefox\//,
  firefox: /AppleWebKit|Chrome\//,
  webkit: /Chrome\/|Firefox\//,
};

const status = { role: 'status', hasText: 'Model ready', hasNotText: 'Saving' } as const;
const summary = { role: 'region', name: 'Data summary' } as const;
const filesInput = { label: 'MovieLens files', exact: true } as const;
const search = { role: 'combobox', name: 'Search movies' } as const;
const searchResults = { role: 'listbox', name: 'Search results' } as const;

/** The summary says how many ratings, folded ("330 ratings") or open ("Ratings330", "Ratings 330"). */
function ratingsIn(summaryText: string): number {
  const m = /([\d,]+) ratings|Ratings\s*([\d,]+)/.exec(summaryText);
  return m ? Number((m[1] ?? m[2]).replace(/,/g, '')) : NaN;
}

async function modelReady(page: EnginePage, timeout = STEP_TIMEOUT_MS): Promise<string> {
  return page.text(status, { timeout });
}

/** Waits for the data summary to name this data set, and for its save to finish. */
async function summaryShows(page: EnginePage, label: string): Promise<string> {
  await page.waitFor({ ...summary, hasText: label }, { timeout: 60_000 });
  await modelReady(page, 60_000);
  return page.text(summary);
}

/**
 * Whether the background stages after a build (content, then the recommender) are still
 * running: files chosen now stop them, which is the path that used to freeze Firefox ESR (its
 * `new Worker()` inside a worker could block for good; the page now starts every worker).
 */
function backgroundRunning(page: EnginePage): Promise<boolean> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('ol[aria-label="Pipeline stages"] > li')];
    return rows.some((r) => /Learning your recommender|Comparing genres/.test(r.textContent ?? '') && !r.classList.contains('finished'));
  });
}

function cacheKeyCount(page: EnginePage): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('latentlens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('kv').objectStore('kv').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );
}

function onlyLocal(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:') && u !== 'about:blank');
}

export function coreUserPaths(name: EngineName): void {
  describe(`core user paths in ${name}`, () => {
    let engine: Engine;
    let page: EnginePage;
    let app: { url: string; server: Server };
    let dir: string;
    let skipped: string | undefined;

    /** Writes fixture files (names may hold folders) under dir/sub and returns their paths. */
    const write = (sub: string, files: { name: string; bytes: Uint8Array | string }[]): string[] =>
      files.map((f) => {
        const path = join(dir, sub, f.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.bytes);
        return path;
      });

    beforeAll(async () => {
      const availability = await engineAvailability(name);
      if (!availability.installed) {
        if (process.env.CI) throw new Error(`${name} is required in CI. ${availability.missing}`);
        skipped = availability.missing;
        console.warn(`Skipping the ${name} core paths. ${availability.missing}`);
        return;
      }
      dir = mkdtempSync(join(tmpdir(), `latentlens-${name}-`));
      app = await serveStatic(inject('distDir'), { isolated: false, subPath: SUB_PATH });
      engine = await launchEngine(name);
    }, STEP_TIMEOUT_MS);

    afterAll(async () => {
      await page?.close().catch(() => {});
      await engine?.close();
      app?.server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** A step of the visit; skipped (with the install fix already printed) when the engine is absent. */
    const step = (title: string, fn: () => Promise<void>) =>
      it(
        title,
        async (ctx) => {
          if (skipped) ctx.skip(skipped);
          ctx.onTestFailed(async () => {
            // What the page looked like, for a failure in an engine nobody watches.
            if (!page) return;
            const shot = join(tmpdir(), `latentlens-${name}-${title.replace(/\W+/g, '-').slice(0, 60)}.png`);
            await page.screenshot(shot).catch(() => {});
            const said = await page.texts({ css: '[role=status], [role=alert]' }).catch(() => []);
            // Who holds the cache's Web Lock: a build stuck behind it shows up here.
            const locks = await page.evaluate(() => navigator.locks.query()).catch(() => 'unknown');
            // Where the pipeline is: a stage that never finishes is named here ("F" = finished).
            const stages = await page
              .evaluate(() =>
                [...document.querySelectorAll('ol[aria-label="Pipeline stages"] > li')].map(
                  (r) => `${r.classList.contains('finished') ? 'F' : '.'} ${(r.textContent ?? '').replace(/\s+/g, ' ').trim()}`,
                ),
              )
              .catch(() => 'unknown');
            console.error(
              `[${engine.label}] failed at "${title}": screenshot ${shot}; status and alerts: ${JSON.stringify(said)}; ` +
                `stages: ${JSON.stringify(stages)}; Web Locks: ${JSON.stringify(locks)}; page errors: ${JSON.stringify(page.errors())}`,
            );
          });
          await fn();
        },
        STEP_TIMEOUT_MS,
      );

    step('builds the bundled sample from a sub-path without isolation headers', async () => {
      page = await engine.open(app.url);
      const userAgent = await page.evaluate(() => navigator.userAgent);
      expect(userAgent).toMatch(USER_AGENT[name]);
      expect(userAgent).not.toMatch(NOT_USER_AGENT[name]);
      note(engine, userAgent);

      const ready = await modelReady(page);
      expect(ready).toContain('100,836 ratings');
      expect(ready).toContain('built in');
      expect(await page.text(summary)).toMatch(/610 users|Users610/);
      // Read as a stream: the fallback's note (see the last step) is not there.
      expect(await page.count({ css: 'ol[aria-label="Pipeline stages"]', hasText: 'Parsing ratings' })).toBe(1);
      expect(await page.count({ css: 'ol[aria-label="Pipeline stages"]', hasText: 'read in slices' })).toBe(0);
    });

    step('search finds The Godfather from a typo', async () => {
      await page.fill(search, 'godfahter');
      await page.click({ role: 'option', name: 'The Godfather (1972)', exact: true, within: searchResults });
      await expect.poll(() => page.url()).toMatch(/\/latentlens\/#\/movie\/858$/);
      await page.waitFor({ role: 'heading', level: 2, name: 'The Godfather (1972)', exact: true });
    });

    step("lists The Godfather's similar movies as the core computes them", async () => {
      const similar = { role: 'list', name: 'Similar movies' } as const;
      // The list blends in the content side once it is learnt, in the background: wait for it.
      await page.waitFor({ role: 'list', name: 'Similar in content' }, { timeout: STEP_TIMEOUT_MS });
      expect(await page.count({ role: 'listitem', within: similar })).toBe(10);
      await page.click({ role: 'button', name: 'Show all 50' });
      const titles = await page.texts({ role: 'link', within: similar });
      expect(titles).toHaveLength(50);
      expect(titles.join('\n')).toContain('Godfather: Part II');
      // The same 50 neighbours as the core computes in Node: the engine's arithmetic agrees.
      expect(titles).toEqual((await sampleQueries()).similar(858, 50).map((m) => m.title));
    });

    step('rates three movies and recommends from them', async () => {
      await page.check({ role: 'radio', name: '5 stars', exact: true });
      for (const [movieId, stars] of [
        [1221, '4.5 stars'],
        [1196, '5 stars'],
      ] as const) {
        await page.goto(`${app.url}#/movie/${movieId}`);
        await page.check({ role: 'radio', name: stars, exact: true });
      }
      await page.goto(`${app.url}#/`);
      // The recommender is learnt in the background; the list is personal once the note names it.
      await page.waitFor({ text: 'This is the ranking' }, { timeout: STEP_TIMEOUT_MS });
      const recommended = { role: 'list', name: 'Recommended for you' } as const;
      const titles = await page.texts({ role: 'link', within: recommended });
      const expected = (await sampleQueries()).recommend(
        new Map([
          [858, 5],
          [1221, 4.5],
          [1196, 5],
        ]),
        20,
      );
      expect(titles).toEqual(expected.items.map((r) => r.title));
    });

    step('a reload restores the model and the ratings from IndexedDB', async () => {
      await page.goto(`${app.url}#/movie/858`);
      await page.reload();
      expect(await modelReady(page)).toContain('loaded from the cache');
      await page.waitFor({ role: 'list', name: 'Similar movies' });
      expect(await page.isChecked({ role: 'radio', name: '5 stars', exact: true })).toBe(true);
      await page.goto(`${app.url}#/`);
      await page.waitFor({ text: 'This is the ranking' }, { timeout: 10_000 });
    });

    step('keeps working with the network gone once loaded', async () => {
      const before = (await page.requests()).length;
      if (engine.can.offline) await page.setOffline(true);
      else note(engine, 'WebDriver cannot take the page offline: checking instead that search and a movie page fetch nothing.');
      try {
        await page.fill(search, 'amelie');
        await page.click({ role: 'option', name: 'Amélie', within: searchResults });
        await page.waitFor({ role: 'list', name: 'Similar movies' });
        await page.waitFor({ role: 'list', name: 'Closest in taste space' });
      } finally {
        if (engine.can.offline) await page.setOffline(false);
      }
      // The browser's own favicon fetch (whenever it likes) is not the app asking for something.
      const asked = (await page.requests()).slice(before).filter((u) => !/^(data|blob):/.test(u) && !u.includes('/icons/'));
      expect(asked).toEqual([]);
    });

    step('loads ML-100k from its loose files and from a zip', async () => {
      const ratings = releaseRatings('ml-100k').length;
      const loose = write('ml-100k-loose', releaseFiles('ml-100k', { folder: false }));
      await page.setInputFiles(filesInput, loose);
      expect(ratingsIn(await summaryShows(page, 'u.data'))).toBe(ratings);

      const [zip] = write('ml-100k-zip', [
        { name: 'ml-100k.zip', bytes: zipFixture(releaseFiles('ml-100k', { folder: false }), { folder: 'ml-100k', macJunk: true }) },
      ]);
      await page.setInputFiles(filesInput, [zip]);
      expect(ratingsIn(await summaryShows(page, 'ml-100k.zip'))).toBe(ratings);

      // ISO-8859-1 titles come out right.
      await page.fill(search, 'amelie');
      await page.waitFor({ role: 'option', name: AMELIE_TITLE, exact: true, within: searchResults });
    });

    step('files chosen while the recommender is being learnt stop it, and every build finishes', async () => {
      // The path that froze Firefox ESR intermittently (issue #15: a nested `new Worker()` that
      // never returned), so several times over: the sample's 100,836 ratings, then ML-100k chosen
      // the moment the sample is ready, while its recommender is still being learnt.
      const small = releaseRatings('ml-100k').length;
      const loose = write('ml-100k-again', releaseFiles('ml-100k', { folder: false }));
      const [zip] = write('ml-100k-zip-again', [{ name: 'ml-100k.zip', bytes: zipFixture(releaseFiles('ml-100k', { folder: false }), { folder: 'ml-100k' }) }]);
      const sample = ['ratings.csv', 'movies.csv', 'tags.csv'].map((name) => join(SAMPLE_DIR, name));
      let whileLearning = 0;
      const rounds = 4;
      for (let round = 0; round < rounds; round++) {
        await page.setInputFiles(filesInput, sample);
        expect(ratingsIn(await summaryShows(page, 'ratings.csv'))).toBe(100_836);
        if (await backgroundRunning(page)) whileLearning++;
        const [files, label] = round % 2 === 0 ? [loose, 'u.data'] : [[zip], 'ml-100k.zip'];
        await page.setInputFiles(filesInput, files);
        expect(ratingsIn(await summaryShows(page, label))).toBe(small);
      }
      // Otherwise this step proved nothing: the machine was too quick for the background stages.
      expect(whileLearning).toBeGreaterThan(0);
      note(engine, `${whileLearning} of ${rounds} builds were chosen while the recommender was being learnt`);
      // The last model gets its recommender after all.
      await poll(
        async () =>
          (await page.evaluate(() =>
            [...document.querySelectorAll('ol[aria-label="Pipeline stages"] > li.finished')].some((r) =>
              (r.textContent ?? '').includes('Learning your recommender'),
            ),
          )) || undefined,
        () => 'the last model to have its recommender learnt',
        STEP_TIMEOUT_MS,
      );
      // Learnt, not failed (a failure ends the stage too, and says so in an alert).
      await page.goto(`${app.url}#/`);
      await page.waitFor({ role: 'list', name: 'Recommended for you' });
      expect(await page.texts({ role: 'alert' })).toEqual([]);
    });

    step('loads a release folder, or says why it cannot choose one and loads its files instead', async () => {
      const files = write('ml-100k-folder', releaseFiles('ml-100k'));
      const folder = join(dir, 'ml-100k-folder', 'ml-100k');
      const ratings = releaseRatings('ml-100k').length;
      // Every engine has the folder picker; what differs is whether its driver can fill it.
      expect(await page.evaluate(() => 'webkitdirectory' in HTMLInputElement.prototype)).toBe(true);
      try {
        await page.setInputFiles({ label: 'MovieLens folder' }, [folder]);
        expect(ratingsIn(await summaryShows(page, 'ml-100k/'))).toBe(ratings);
      } catch (error) {
        if (!(error instanceof EngineCannot)) throw error;
        note(engine, `${error.message}: choosing the folder's files instead, as a person without a folder picker would.`);
        await page.setInputFiles(filesInput, files);
        expect(ratingsIn(await summaryShows(page, 'u.data'))).toBe(ratings);
      }
    });

    step("names a bad file's line and keeps the model in use", async () => {
      const rows = ['userId,movieId,rating,timestamp'];
      for (let u = 1; u <= 6; u++) for (let m = 1; m <= 3; m++) rows.push(`${u},${m},${((u + m) % 5) + 1}.0,97830${u}${m}00`);
      rows.push('7,1');
      const files = write('bad', [
        { name: 'ratings.csv', bytes: rows.join('\n') + '\n' },
        { name: 'movies.csv', bytes: 'movieId,title,genres\n1,Toy Story (1995),Comedy\n2,Heat (1995),Action\n3,Casino (1995),Drama\n' },
      ]);
      const before = ratingsIn(await page.text(summary));
      await page.setInputFiles(filesInput, files);
      const alert = await page.text({ role: 'alert' }, { timeout: 60_000 });
      expect(alert).toContain('ratings.csv');
      expect(alert).toContain('line 20');
      expect(alert).toContain('previous model is still in use');
      expect(ratingsIn(await page.text(summary))).toBe(before);
    });

    step('"Delete my data" empties IndexedDB, and the next visit starts afresh', async () => {
      await page.click({ role: 'button', name: 'Delete my data' });
      await page.click({ role: 'button', name: 'Yes, delete' });
      await page.waitFor({ role: 'status', hasText: 'Deleted' });
      expect(await cacheKeyCount(page)).toBe(0);
      await page.goto(`${app.url}#/movie/858`);
      await page.reload();
      expect(await modelReady(page)).toContain('built in');
      await page.waitFor({ role: 'list', name: 'Similar movies' });
      expect(await page.isChecked({ role: 'radio', name: '5 stars', exact: true })).toBe(false);
    });

    step('without Blob.stream() (hidden by ?without=blob-stream) the files are read in slices, with the same result', async () => {
      // A fresh profile, so the sample is built rather than restored; one thread, because the
      // test hook hides stream() in the build worker only (an engine without it lacks it everywhere).
      const bare = await engine.open(`${app.url}?without=blob-stream&threads=1#/movie/858`);
      try {
        expect(await modelReady(bare)).toContain('100,836 ratings');
        await bare.click({ role: 'button', name: 'Change data' });
        await bare.click({ text: /\d+ stages,/ });
        const stages = { role: 'list', name: 'Pipeline stages' } as const;
        expect(await bare.text({ role: 'listitem', hasText: 'Parsing ratings', within: stages })).toContain('100,836 ratings, read in slices');
        await bare.waitFor({ role: 'list', name: 'Similar in content' }, { timeout: STEP_TIMEOUT_MS });
        const titles = await bare.texts({ role: 'link', within: { role: 'list', name: 'Similar movies' } });
        expect(titles).toEqual((await sampleQueries()).similar(858, 10).map((m) => m.title));
      } finally {
        await bare.close();
      }
    });

    step('asked for nothing outside its own origin and logged no error', async () => {
      expect(onlyLocal(await page.requests(), new URL(app.url).origin)).toEqual([]);
      if (!engine.can.consoleErrors) note(engine, 'WebDriver cannot read the console: errors are not checked here.');
      expect(page.errors()).toEqual([]);
    });
  });
}
