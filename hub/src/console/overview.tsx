/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { DatasetVersion } from '../data/store.ts';

export interface OverviewProject {
  id: string;
  labelSets: Array<{ name: string; dataset: string; version: number }>;
  datasets: Array<{ name: string; latest: DatasetVersion | undefined }>;
  models: Array<{
    name: string;
    published: number | null;
    /** `score`: the version's headline metric, as text (training/headline.ts). */
    versions: Array<{ version: number; createdAt: number; sha256: string; score: string; predictions: number }>;
  }>;
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export function Overview(props: { projects: OverviewProject[] }) {
  if (props.projects.length === 0) return <p class="muted">No projects yet. Create one with <code>outpost projects create NAME</code>.</p>;
  return (
    <>
      {props.projects.map((p) => (
        <section>
          <h2>Project {p.id}</h2>
          <h3>Datasets <a class="small" href={`/console/projects/${p.id}/upload`}>add a version</a></h3>
          {p.datasets.length === 0 ? (
            <p class="muted">No datasets.</p>
          ) : (
            <table>
              <thead><tr><th>Dataset</th><th>Latest version</th><th>Rows</th><th>Columns</th><th>SHA-256</th><th>Created</th></tr></thead>
              <tbody>
                {p.datasets.map((d) => (
                  <tr>
                    <td>{d.name}</td>
                    <td>
                      {d.latest ? <a href={`/console/projects/${p.id}/datasets/${d.name}/versions/${d.latest.version}`}>{d.latest.version}</a> : '–'}
                      {d.latest?.validationSuccess === false && <span class="fail"> validation failed</span>}
                      {d.latest?.validationSuccess === true && <span class="pub"> valid</span>}
                    </td>
                    <td>{d.latest?.rowCount ?? '–'}</td>
                    <td>{d.latest?.columns.map((c) => c.name).join(', ')}</td>
                    <td><code>{d.latest?.sha256.slice(0, 12)}</code></td>
                    <td>{d.latest ? when(d.latest.createdAt) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {p.labelSets.length > 0 && (
            <>
              <h3>Label sets</h3>
              <ul>
                {p.labelSets.map((l) => (
                  <li><a href={`/console/projects/${p.id}/label-sets/${l.name}`}>{l.name}</a> <span class="muted">on {l.dataset} v{l.version}</span></li>
                ))}
              </ul>
            </>
          )}
          <h3>Models <a class="small" href={`/console/projects/${p.id}/runs`}>Runs</a> <a class="small" href={`/console/projects/${p.id}/audit`}>Audit log</a></h3>
          {p.models.length === 0 && <p class="muted">No models.</p>}
          {p.models.map((m) => (
            <table data-model={m.name}>
              <thead><tr><th><a href={`/console/projects/${p.id}/models/${m.name}`}>{m.name}</a> version</th><th>Created</th><th>Validation</th><th>Artifact</th><th>Synced predictions</th></tr></thead>
              <tbody>
                {m.versions.map((v) => (
                  <tr data-version={v.version}>
                    <td>{v.version} {m.published === v.version && <span class="pub">published</span>}</td>
                    <td>{when(v.createdAt)}</td>
                    <td>{v.score}</td>
                    <td><code>{v.sha256.slice(0, 12)}</code></td>
                    <td class="predictions">{v.predictions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </section>
      ))}
    </>
  );
}
