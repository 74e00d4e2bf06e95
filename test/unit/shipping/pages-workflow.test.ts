import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { push: { branches: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; needs?: string }>;
}

const workflow = parse(readFileSync('.github/workflows/pages.yml', 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('the GitHub Pages workflow', () => {
  it('deploys on pushes to main with the permissions Pages needs', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    expect(workflow.jobs.deploy.needs).toBe('build');
  });

  it('uses only the official actions', () => {
    const actions = steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0]] : []));
    expect(new Set(actions)).toEqual(
      new Set(['actions/checkout', 'actions/setup-node', 'actions/configure-pages', 'actions/upload-pages-artifact', 'actions/deploy-pages']),
    );
  });

  it('builds with the README’s commands and uploads dist/', () => {
    expect(steps.some((s) => s.run === 'npm ci && npm run build')).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'))?.with).toEqual({ path: 'dist' });
  });
});
