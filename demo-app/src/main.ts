import { Workbox } from 'workbox-window';
import { createOutpost, isOutpostError, type Assignment, type OutpostClient, type TrustedKey } from '@outpost/edge-sdk';

/** Written by `npm start` after it seeds the demo project; cached by the service worker for offline use. */
interface DemoConfig {
  hubUrl: string;
  projectKey: string;
  model: string;
  trustedKeys: TrustedKey[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('predict');
const button = form.querySelector('button')!;

function showError(message: string) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
}

function showStats(outpost: OutpostClient) {
  const s = outpost.stats();
  $('status').textContent = `${s.predictions} predictions this visit · ${s.pending} waiting to sync · ${s.synced} synced`;
  showRollout(s.modelVersion, s.assignment);
}

const REASONS: Record<Assignment['reason'], string> = {
  pinned: 'this device is pinned to it',
  rule: 'a targeting rule matched',
  rollout: 'the rollout split, by bucket',
  default: 'the production version',
};

/** Which version this device runs, its rollout bucket, and why the hub chose that version. */
function showRollout(running: number | undefined, a: Assignment | undefined) {
  if (running !== undefined) $('running-version').textContent = String(running);
  if (!a) {
    $('bucket').textContent = '–';
    $('assignment-reason').textContent = running === undefined ? '' : 'no word from the hub yet (offline, or a cached model)';
    return;
  }
  $('bucket').textContent = String(a.bucket);
  $('assigned-version').textContent = String(a.version);
  $('assignment-reason').textContent = `${REASONS[a.reason]}${a.detail ? ` (${a.detail})` : ''}`;
  $('rollout').dataset.reason = a.reason;
}

/** What the app tells the hub about this device, for rollout targeting rules. */
function deviceContext() {
  const ua = navigator.userAgent;
  const platform = /Android/.test(ua) ? 'android' : /iPhone|iPad/.test(ua) ? 'ios' : /Windows/.test(ua) ? 'windows' : /Mac OS/.test(ua) ? 'macos' : /Linux/.test(ua) ? 'linux' : undefined;
  return { appVersion: APP_VERSION, locale: navigator.language.slice(0, 35), ...(platform ? { platform } : {}) };
}
const APP_VERSION = '1.0.0';

async function start() {
  if ('serviceWorker' in navigator && import.meta.env.PROD) {
    // Caches the app shell and onnxruntime's wasm, so the next visit works offline.
    void new Workbox('/sw.js').register();
  }
  const config = (await (await fetch('/outpost-config.json')).json()) as DemoConfig;
  const outpost = createOutpost({ ...config, context: deviceContext() });
  // For the end-to-end tests and the curious: the client, on the page.
  (window as unknown as { outpost: OutpostClient }).outpost = outpost;

  const info = await outpost.ready();
  $('status').textContent = `Model version ${info.modelVersion} ready (${info.executionProvider}).`;
  showRollout(info.modelVersion, info.assignment);
  $('rollout').hidden = false;
  button.disabled = false;
  setInterval(() => showStats(outpost), 1000);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('error').hidden = true;
    const record = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim() === '' ? null : String(v)]));
    try {
      const p = await outpost.predict(record);
      // The demo's model is a classifier; a regressor's prediction carries `value` instead.
      if (p.task !== 'classification') throw new Error(`expected a species classifier, got a ${p.task} model`);
      $('species').textContent = p.label;
      $('model-version').textContent = String(p.modelVersion);
      $('execution-provider').textContent = p.executionProvider;
      $('latency').textContent = p.latencyMs.toFixed(2);
      const table = $<HTMLTableElement>('probabilities');
      table.replaceChildren(
        ...Object.entries(p.probabilities).map(([species, prob]) => {
          const row = document.createElement('tr');
          row.innerHTML = `<td></td><td class="bar"><div style="width:${(prob * 100).toFixed(1)}%"></div></td><td class="prob">${(prob * 100).toFixed(1)} %</td>`;
          row.cells[0]!.textContent = species;
          return row;
        }),
      );
      $('result').hidden = false;
      showStats(outpost);
    } catch (e) {
      showError(isOutpostError(e) ? e.message : `Prediction failed: ${(e as Error).message}`);
    }
  });
}

start().catch((e: unknown) => {
  showError(isOutpostError(e) ? `The model is not available: ${e.message}` : String(e));
  $('status').textContent = '';
});
